"""Reading a Målstyring file and recalculating it: Opsætning → registrations → Forside figures.

The workbook's own Opsætning is its source of truth; its ids must match the week sheets' hidden ids
(adding or removing employees or indicators needs a new build of the workbook).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.core.expr import Value
from xltools.core.inputs import InputSpec, InvalidInput, validate
from xltools.core.text import FORMULA_RULE, runs_as_formula
from xltools.errors import Invalid
from xltools.goals.environment import Registrations, environment
from xltools.goals.layout import (
    ARCHIVE,
    ARCHIVE_KEYS,
    AS_OF_NAME,
    BAGUD_NAME,
    EMPLOYEE_HEADER,
    FORAN_NAME,
    INDICATOR_HEADER,
    SETUP,
    WEEK_IDS_ROW,
    WEIGHT_COLUMN,
    YEAR_NAME,
    Layout,
    week_sheet,
)
from xltools.goals.setup import MAX_EMPLOYEES, Employee, Indicator, Setup, weeks_in_year
from xltools.goals.workbook import build
from xltools.messages import number, quote
from xltools.recalc.computation import Computation, Context, compute_blocks, read_inputs, reporting_date
from xltools.workbook.files import check_output, create, via_path
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import cell_name

YEAR = InputSpec("year", "År", "Året, arbejdsbogen gælder for.", "year", 2000, 2100, defined_name=YEAR_NAME)
BAGUD = InputSpec(
    "bagud", "Bagud under", "Bagud under denne andel af tempoet.", "percent", 0, 1, defined_name=BAGUD_NAME
)
FORAN = InputSpec("foran", "Foran fra", "Foran fra denne andel af tempoet.", "percent", 1, 10, defined_name=FORAN_NAME)
WEIGHT = InputSpec("weight", "Vægt", "Ugens vægt.", "number", 0, 1)
AARSMAAL = {
    "antal": InputSpec("aarsmaal", "Årsmål", "Årets mål i antal.", "whole", 0, blank_ok=True),
    "timer": InputSpec("aarsmaal", "Årsmål", "Årets mål i timer, højst én decimal.", "number", 0, blank_ok=True),
}
UNIT = InputSpec("unit", "Enhed", "antal eller timer.", "choice", choices=("antal", "timer"))
COUNT = InputSpec("value", "antal", "Et helt antal.", "whole", 0, blank_ok=True)
HOURS = InputSpec("value", "timer", "Timer.", "number", 0, blank_ok=True)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _checked(spec: InputSpec, value: object, where: str) -> Any:
    try:
        return validate((spec,), {spec.key: value}, {spec.key: where})[spec.key]
    except InvalidInput as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None


def _inert(package: XlsxPackage, row: int, col: int, label: str) -> str:
    """A name typed on Opsætning; refused if a spreadsheet or a CSV export could run it as a formula."""
    text = _text(package.value(SETUP, row, col))
    if runs_as_formula(text):
        raise Invalid(f"{SETUP}!{cell_name(row, col)} ({label}): {FORMULA_RULE} — fundet: {quote(text)}")
    return text


def read_setup(package: XlsxPackage) -> Setup:
    """The team's setup as the Opsætning sheet says now (names, goals, weights, thresholds)."""
    inputs = read_inputs(package, (YEAR, BAGUD, FORAN))
    year = int(inputs[YEAR_NAME])
    employees = []
    for row in range(EMPLOYEE_HEADER + 1, EMPLOYEE_HEADER + 1 + MAX_EMPLOYEES):
        ident, name = _text(package.value(SETUP, row, 0)), _inert(package, row, 1, "Medarbejder")
        if ident or name:
            employees.append(Employee(ident, name))
    indicators = []
    row = INDICATOR_HEADER + 1
    while any(_text(package.value(SETUP, row, col)) for col in range(3)):
        _inert(package, row, 1, "Sektion")
        _inert(package, row, 2, "Indikator")
        where = f"{SETUP}!{cell_name(row, 3)}"
        unit = _checked(UNIT, _text(package.value(SETUP, row, 3)), where)
        where = f"{SETUP}!{cell_name(row, 4)}"
        goal = _checked(AARSMAAL[unit], package.value(SETUP, row, 4), where)
        if goal is not None and round(goal, 1) != goal:
            raise Invalid(f"{where} (Årsmål): timer angives med højst én decimal — fundet: {quote(goal)}")
        indicators.append(
            Indicator(
                _text(package.value(SETUP, row, 0)),
                _text(package.value(SETUP, row, 1)),
                _text(package.value(SETUP, row, 2)),
                unit,
                goal,
            )
        )
        row += 1
    weights = tuple(
        float(
            _checked(
                WEIGHT,
                package.value(SETUP, EMPLOYEE_HEADER + week, WEIGHT_COLUMN),
                f"{SETUP}!{cell_name(EMPLOYEE_HEADER + week, WEIGHT_COLUMN)}",
            )
        )
        for week in range(1, weeks_in_year(year) + 1)
    )
    return Setup(
        year, tuple(employees), tuple(indicators), float(inputs[BAGUD_NAME]), float(inputs[FORAN_NAME]), weights
    )


def _check_structure(package: XlsxPackage, layout: Layout) -> None:
    """The week sheets exist and carry the ids the Opsætning lists, in the same order."""
    setup = layout.setup
    missing = [week_sheet(w) for w in range(1, setup.weeks + 1) if week_sheet(w) not in package.sheet_names]
    if missing:
        raise Invalid(*[f"{sheet}: arket mangler – ugearkene må ikke slettes" for sheet in missing])
    first = week_sheet(1)
    found_employees = [
        _text(package.value(first, WEEK_IDS_ROW, layout.real_col(e))) for e in range(len(setup.employees))
    ]
    found_indicators = [_text(package.value(first, row, 0)) for row in layout.indicator_rows.values()]
    new_rows = any(not e.id for e in setup.employees) or any(not i.id for i in setup.indicators)
    if (
        new_rows
        or [e.id for e in setup.employees] != found_employees
        or [i.id for i in setup.indicators] != found_indicators
    ):
        raise Invalid(
            f"{SETUP}: medarbejdere eller indikatorer er tilføjet, fjernet eller flyttet – "
            "arbejdsbogen skal bygges igen"
        )


def read_registrations(package: XlsxPackage, layout: Layout) -> dict[tuple[str, int, str, int], float]:
    """Every Real/Mål cell that holds a value, validated (whole numbers for antal, ≥ 0)."""
    found: dict[tuple[str, int, str, int], float] = {}
    problems: list[str] = []
    setup = layout.setup
    for week in range(1, setup.weeks + 1):
        sheet = week_sheet(week)
        for indicator in setup.indicators:
            row = layout.indicator_rows[indicator.id]
            spec = HOURS if indicator.unit == "timer" else COUNT
            for e, employee in enumerate(setup.employees):
                for kind, col in (("r", layout.real_col(e)), ("m", layout.real_col(e) + 1)):
                    value = package.value(sheet, row, col)
                    if value is None:
                        continue
                    label = f"{sheet}!{cell_name(row, col)}"
                    try:
                        checked = validate((spec,), {"value": value}, {"value": label})["value"]
                    except InvalidInput as invalid:
                        what = f"{indicator.name}, {employee.name}, {'Real' if kind == 'r' else 'Mål'}"
                        problems += [p.message.replace(f"({spec.label})", f"({what})") for p in invalid.problems]
                        continue
                    if checked is not None:
                        found[(kind, week, indicator.id, e)] = float(checked)
    if problems:
        raise Invalid(*problems)
    return found


def read_archive(package: XlsxPackage) -> list[dict[str, Any]]:
    """The Arkiv sheet's rows (registrations of removed employees and indicators)."""
    if ARCHIVE not in package.sheet_names:
        raise Invalid(f"{ARCHIVE}: arket mangler")
    rows, row = [], 1
    while any(package.value(ARCHIVE, row, col) is not None for col in range(len(ARCHIVE_KEYS))):
        record = {key: package.value(ARCHIVE, row, col) for col, key in enumerate(ARCHIVE_KEYS)}
        for key in ("uge", "real", "maal"):
            if record[key] is not None and not isinstance(record[key], float):
                where = f"{ARCHIVE}!{cell_name(row, ARCHIVE_KEYS.index(key))}"
                raise Invalid(f"{where}: skal være et tal — fundet: {quote(record[key])}")
        rows.append(record)
        row += 1
    return rows


def compute(package: XlsxPackage, context: Context) -> Computation:
    computation = Computation()
    as_of = computation.as_of = reporting_date(package, context, computation, AS_OF_NAME)
    setup = read_setup(package)
    layout = Layout(setup)
    _check_structure(package, layout)
    registrations = read_registrations(package, layout)
    env = environment(layout, registrations, as_of, read_archive(package))
    blocks = compute_blocks(package, layout.blocks, env)
    computation.values.update(blocks.values)
    computation.results = _results(setup, blocks.results, as_of)
    return computation


def _results(setup: Setup, blocks: dict[str, list[list[Value]]], as_of: date) -> dict[str, Any]:
    keys = ("real", "maal", "attainment", "aarsmaal", "pace", "projection", "status")
    columns = (3, 4, 5, 6, 7, 8, 9)
    figures = blocks["Forloeb"]
    return {
        "as_of": as_of.isoformat(),
        "weeks_elapsed": figures[2][0],
        "share_of_year": figures[5][0],
        "indicators": {
            indicator.name: {key: _plain(row[col]) for key, col in zip(keys, columns, strict=True)}
            for indicator, row in zip(setup.indicators, blocks["Indikatorer"], strict=True)
        },
    }


def _plain(value: Value) -> Any:
    return None if value == "" else value


def registrations_frame(path: Path) -> pd.DataFrame:
    """The weekly registrations as a tidy table (uge, medarbejder, indikator, real, maal); a blank
    cell stays missing, it is not 0."""
    with XlsxPackage(Path(path)) as package:
        setup = read_setup(package)
        layout = Layout(setup)
        _check_structure(package, layout)
        found = read_registrations(package, layout)
    records = []
    for week in range(1, setup.weeks + 1):
        for e, employee in enumerate(setup.employees):
            for indicator in setup.indicators:
                real, maal = found.get(("r", week, indicator.id, e)), found.get(("m", week, indicator.id, e))
                if real is not None or maal is not None:
                    records.append((week, employee.name, indicator.name, real, maal))
    return pd.DataFrame(records, columns=["uge", "medarbejder", "indikator", "real", "maal"])


def rollover(source: Path, year: int, target: Path, force: bool = False) -> list[str]:
    """Next year's workbook: the same Opsætning (week weights reset to 1), empty weeks; ``source``
    is only read. The source is never overwritten, an existing ``target`` only with ``force``;
    returns the write path's notes."""
    check_output(target, (source,), force)
    with XlsxPackage(Path(source)) as package:
        setup = read_setup(package)
    new = Setup(year, setup.employees, setup.indicators, setup.bagud, setup.foran)
    write = via_path(lambda temporary: build(temporary, date(year, 1, 4), new))
    return create(Path(target), write, (source,), force)


def summary(results: dict[str, Any]) -> str:
    statuses = [figures["status"] for figures in results["indicators"].values()]
    counts = {status: statuses.count(status) for status in ("bagud", "på sporet", "foran", "ingen mål")}
    return (
        f"pr. {quote(date.fromisoformat(results['as_of']))}: {number(results['weeks_elapsed'])} uger gået; "
        f"indikatorer bagud {counts['bagud']}, "
        f"på sporet {counts['på sporet']}, foran {counts['foran']}, uden mål {counts['ingen mål']}"
    )


def demo(template: Path, out_dir: Path, as_of: date | None = None) -> list[Path]:
    """A Målstyring with plausible registrations for the weeks gone and goals for a few indicators."""
    as_of = as_of or date.today()
    from xltools.goals.setup import default_setup

    base = default_setup(as_of.year)
    goals = {"I02": 650.0, "I03": 900.0, "I08": 600.0, "I15": 450.0, "I19": 700.0}  # a mix of statuses
    setup = Setup(
        base.year,
        base.employees,
        tuple(Indicator(i.id, i.section, i.name, i.unit, goals.get(i.id)) for i in base.indicators),
    )
    rng = random.Random(11)
    current = as_of.isocalendar()[1] if as_of.isocalendar()[0] == as_of.year else setup.weeks
    registrations: Registrations = {
        ("r", week, indicator_id, e): float(rng.randint(0, 3))
        for week in range(1, current)
        for indicator_id in goals
        for e in range(len(setup.employees))
    }
    path = out_dir / f"{template.stem}-demo-1.xlsx"
    build(path, as_of, setup, registrations)
    return [path]
