"""Whether Opsætning and the week sheets still match — computed by the workbook itself.

A rename is live (``lookups``). Adding, removing or moving an employee or indicator, changing an
indicator's unit or regrouping the sections needs the week sheets built again. Per Opsætning row a
Status cell says what changed, comparing the row's hidden id with the id the week sheets hold at that
position (kept on the Data sheet); per built id a flag says whether Opsætning still has it; their total
drives a warning on the Forside and on Opsætning. Scalar formulas only — IF, MATCH on ids and
SUMPRODUCT of ``=`` comparisons — so Excel, LibreOffice and gnumeric agree; ``xltools recalc``
evaluates the same expressions on the cells it reads and refuses, naming each row, while they differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from xltools.core.expr import Const, Expr, Ref, Value
from xltools.core.logic import And, If, IsBlank, Not, SumProduct, call, compare
from xltools.core.lookup import IfError, Match
from xltools.core.strings import Concat
from xltools.goals.layout import (
    BUILT_NAMES,
    DATA,
    DATA_ROWS,
    EMPLOYEE_STATUS_COLUMN,
    INDICATOR_COLUMNS,
    INDICATOR_STATUS_COLUMN,
    SETUP,
    YEAR_NAME,
    YEAR_STATUS,
    Layout,
)
from xltools.goals.lookups import column
from xltools.goals.setup import MAX_EMPLOYEES
from xltools.messages import quote
from xltools.workbook.refs import cell_name, column_letters, quote_sheet

REBUILD = "kør xltools rebuild eller knappen »Genopbyg efter ændret opsætning«"
NEW, REMOVED, MOVED, UNKNOWN = "ny – genopbyg", "fjernet – genopbyg", "flyttet – genopbyg", "ukendt id – genopbyg"
UNIT_CHANGED, SECTION_CHANGED = "enhed ændret – genopbyg", "sektion ændret – genopbyg"
SECTION_REPEATED = "sektionen står også højere oppe – genopbyg"
YEAR_CHANGED = "året er ændret – genopbyg"
STATUS_KEYS = ("medarbejder", "indikator")
MISSING_KEYS = {"medarbejder": "medarbejder_id", "indikator": "indikator_id"}


def _cell(layout: Layout, key: str, index: int) -> Ref:
    """A cell of an Opsætning table row (key: medarbejder_id, medarbejder or an INDICATOR_COLUMNS key)."""
    if key.startswith("medarbejder"):
        return layout.setup_cell(f"ops|{key}|{index}", layout.setup_employee_row(index), int(key == "medarbejder"))
    return layout.setup_cell(f"ops|{key}|{index}", layout.setup_indicator_row(index), INDICATOR_COLUMNS.index(key))


def _unknown(ident: Expr, built: str) -> Expr:
    """The id is not among the ids the week sheets were built with."""
    return compare("=", IfError(Match(ident, Ref(BUILT_NAMES[built])), Const(0.0)), 0.0)


def _row_status(ident: Expr, name: Expr, expected: Expr, built: str, further: Expr) -> Expr:
    """The checks every row shares: new, removed, moved or unknown; else ``further``."""
    moved = If(_unknown(ident, built), Const(UNKNOWN), Const(MOVED))
    return If(
        IsBlank(name),
        If(IsBlank(ident), Const(""), Const(REMOVED)),
        If(IsBlank(ident), Const(NEW), If(compare("=", ident, expected), further, moved)),
    )


def employee_status(layout: Layout, index: int) -> Expr:
    """The Status of an Opsætning employee row, against the built employee at the same position."""
    built = len(layout.setup.employees)
    expected: Expr = layout.built("medarbejder_id", index) if index < built else Const("")
    ident, name = _cell(layout, "medarbejder_id", index), _cell(layout, "medarbejder", index)
    return _row_status(ident, name, expected, "medarbejder_id", Const(""))


def indicator_status(layout: Layout, index: int) -> Expr:
    """The Status of an Opsætning indicator row: as for employees, then the unit and the section grouping
    (where a new section starts, and that a section's rows stay together)."""
    ident, name = _cell(layout, "id", index), _cell(layout, "indikator", index)
    if index >= len(layout.setup.indicators):
        return _row_status(ident, name, Const(""), "indikator_id", Const(""))
    section_checks: Expr = Const("")
    if index > 0:
        section = _cell(layout, "sektion", index)
        starts = Not(compare("=", section, _cell(layout, "sektion", index - 1)))
        built_start = compare("=", layout.built("sektionsstart", index), 1.0)
        above = SumProduct((compare("=", layout.setup_above("sektion", index), section),))
        section_checks = If(
            Not(compare("=", starts, built_start)),
            Const(SECTION_CHANGED),
            If(And((starts, compare(">", above, 0.0))), Const(SECTION_REPEATED), Const("")),
        )
    unit_changed = Not(compare("=", _cell(layout, "enhed", index), layout.built("enhed", index)))
    further = If(unit_changed, Const(UNIT_CHANGED), section_checks)
    return _row_status(ident, name, layout.built("indikator_id", index), "indikator_id", further)


def statuses(layout: Layout, key: str) -> list[Expr]:
    """Every Status cell of the employee (``key`` medarbejder) or indicator table."""
    if key == "medarbejder":
        return [employee_status(layout, index) for index in range(MAX_EMPLOYEES)]
    return [indicator_status(layout, index) for index in range(layout.indicator_capacity)]


def status_area(layout: Layout, key: str) -> Ref:
    """The Status column of a table, as the Data sheet's total refers to it."""
    if key == "medarbejder":
        first, last = layout.setup_employee_row(0), layout.setup_employee_row(MAX_EMPLOYEES - 1)
        col = EMPLOYEE_STATUS_COLUMN
    else:
        first = layout.setup_indicator_row(0)
        last, col = layout.setup_indicator_row(layout.indicator_capacity - 1), INDICATOR_STATUS_COLUMN
    cells = f"{cell_name(first, col, True)}:{cell_name(last, col, True)}"
    return Ref(f"status|{key}", f"{quote_sheet(SETUP)}!{cells}")


def year_status(layout: Layout) -> Expr:
    return If(compare("=", Ref(YEAR_NAME), Ref(BUILT_NAMES["aar"])), Const(""), Const(YEAR_CHANGED))


def missing(layout: Layout, key: str, index: int) -> Expr:
    """1 when Opsætning has no row with the ``index``-th built id any more (its row deleted), else 0."""
    built = MISSING_KEYS[key]
    ids = column("medarbejder_id" if key == "medarbejder" else "id")
    found = IfError(Match(layout.built(built, index), ids), Const(0.0))
    return If(compare("=", found, 0.0), Const(1.0), Const(0.0))


def missing_area(layout: Layout, key: str) -> Ref:
    """The Data row of ``missing`` flags for the built employees or indicators."""
    count = len(layout.setup.employees if key == "medarbejder" else layout.setup.indicators)
    row = DATA_ROWS[f"{key}_mangler"] + 1
    return Ref(f"mangler|{key}", f"{DATA}!$B${row}:${column_letters(count)}${row}")


def differences(layout: Layout) -> Expr:
    """How many differences there are between Opsætning and the week sheets (0: they match)."""
    parts: list[Expr] = [SumProduct((compare("<>", status_area(layout, key), ""),)) for key in STATUS_KEYS]
    parts += [call("SUM", missing_area(layout, key)) for key in STATUS_KEYS]
    parts.append(If(IsBlank(year_status(layout)), Const(0.0), Const(1.0)))
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def warning(total: Expr) -> Expr:
    """The warning shown while Opsætning and the week sheets differ; empty when they match."""
    text = Concat(
        (
            Const("Opsætning og ugearkene passer ikke sammen: "),
            total,
            Const(f" forskel(le) – se kolonnen Status på Opsætning og {REBUILD}. Omdøbninger kræver ingenting."),
        )
    )
    return If(compare("=", total, 0.0), Const(""), text)


def problems(layout: Layout, env: Mapping[str, Value]) -> list[str]:
    """The differences as ``recalc`` reports them: one line per Opsætning row or missing id."""
    found = []
    year = year_status(layout).evaluate(env)
    if year:
        found.append(f"{SETUP}!{cell_name(YEAR_STATUS[0], YEAR_STATUS[1] - 1)} (År): {year}")
    for key, label, name_col, first in (
        ("medarbejder", "Medarbejder", 1, layout.setup_employee_row(0)),
        ("indikator", "Indikator", INDICATOR_COLUMNS.index("indikator"), layout.setup_indicator_row(0)),
    ):
        for index, status in enumerate(statuses(layout, key)):
            text = status.evaluate(env)
            if text:
                name, ident = (
                    env[f"ops|{key}|{index}"],
                    env[f"ops|{'medarbejder_id' if key == 'medarbejder' else 'id'}|{index}"],
                )
                shown = quote(name) if name not in (None, "") else f"med id {ident}"
                found.append(f"{SETUP}!{cell_name(first + index, name_col)} ({label} {shown}): {text}")
        setup = layout.setup
        built = (
            [(e.id, e.name) for e in setup.employees]
            if key == "medarbejder"
            else [(i.id, i.name) for i in setup.indicators]
        )
        for index, (ident, built_name) in enumerate(built):
            if missing(layout, key, index).evaluate(env):
                found.append(f"{SETUP} ({label}): {quote(built_name)} (id {ident}) er slettet – genopbyg")
    if found:
        found[0] = f"{found[0]} – arbejdsbogen skal bygges igen: {REBUILD}"
    return found
