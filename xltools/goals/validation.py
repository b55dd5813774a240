"""Real and Mål: a whole number of at least 0 for antal, at most one decimal for timer — one rule each.

The same rule node gives Excel's data validation of every Real and Mål cell (a custom formula for the
top-left cell of each run of rows in one unit), the red highlight of a value that got past it (pasted,
or typed in a program without validation), the count of such values per week on the Data sheet, and
the Python judgement of the registrations ``xltools`` reads — column by column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from xltools.core.expr import Expr, Ref
from xltools.core.rules import CountFailing, NumberBetween
from xltools.goals.layout import WEEK_FIRST_COL, Layout, week_sheet
from xltools.goals.setup import Unit
from xltools.messages import quote
from xltools.workbook.package import CellValue
from xltools.workbook.refs import cell_name

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

RULES: dict[Unit, NumberBetween] = {
    "antal": NumberBetween(Ref("value"), low=0, decimals=0, unit="antal", no_logical=True),
    "timer": NumberBetween(Ref("value"), low=0, decimals=1, unit="timer", no_logical=True),
}
HELP: dict[Unit, tuple[str, str, str]] = {
    "antal": (
        "Real og Mål (antal)",
        "Skriv et helt tal, 0 eller mere. Tom celle: intet registreret.",
        "ikke tekst, negative tal eller decimaler",
    ),
    "timer": (
        "Real og Mål (timer)",
        "Skriv timer, 0 eller mere, med højst én decimal (fx 2,5). Tom celle: intet registreret.",
        "ikke tekst, negative tal eller mere end én decimal",
    ),
}
"""Per unit: the input message's title and text, and what the error message says is not allowed."""
INVALID_NOTE = "tekst, negative tal eller decimaler i antal"

Cells = Mapping[tuple[str, int, str, int], CellValue]
"""Real ("r") and Mål ("m") cells as read, by (kind, week, indicator id, employee index); blanks left out."""


def validation_options(unit: Unit, top_left: str) -> dict[str, Any]:
    """XlsxWriter ``data_validation`` options for a run of ``unit`` rows whose first cell is ``top_left``."""
    rule = RULES[unit]
    title, message, refused = HELP[unit]
    return {
        "validate": "custom",
        "value": rule.formula(top_left),
        "ignore_blank": True,
        "input_title": title,
        "input_message": message,
        "error_title": "Ugyldig registrering",
        "error_message": f"Værdien {rule.text}: {refused}.",
        "error_type": "stop",
    }


def breach_formula(unit: Unit, top_left: str) -> str:
    """A conditional format's formula: the cell is filled and breaks the rule (an error counts as a breach)."""
    rule = RULES[unit].formula(top_left).lstrip("=")
    return f'=AND({top_left}<>"",NOT(IFERROR({rule},FALSE)))'


def validate_week(sheet: Worksheet, layout: Layout, breach: Format) -> None:
    """Data validation and the red highlight of breaches over every Real and Mål cell of a week sheet."""
    last_col = layout.total_col - 1
    for unit, first, last in layout.unit_runs:
        top_left = cell_name(first, WEEK_FIRST_COL)
        sheet.data_validation(first, WEEK_FIRST_COL, last, last_col, validation_options(unit, top_left))
        sheet.conditional_format(
            first,
            WEEK_FIRST_COL,
            last,
            last_col,
            {"type": "formula", "criteria": breach_formula(unit, top_left), "format": breach},
        )


def invalid_count(layout: Layout, week: int) -> Expr:
    """The week's filled Real and Mål cells that break their unit's rule."""
    return CountFailing(
        tuple((RULES[unit], layout.run_area(week, run)) for run, (unit, _, _) in enumerate(layout.unit_runs))
    )


def breaches(layout: Layout, cells: Cells) -> list[str]:
    """One message per cell that breaks its rule, in sheet order: sheet, cell, what it is, the rule and
    the value found. Each unit's values are judged together, as a column, by the rule itself."""
    setup = layout.setup
    units = {indicator.id: indicator.unit for indicator in setup.indicators}
    keys = [key for key in cells if key[2] in units]
    failing: list[tuple[tuple[str, int, str, int], NumberBetween]] = []
    for unit, rule in RULES.items():
        mine = [key for key in keys if units[key[2]] == unit]
        allowed = rule.allowed(np.array([cells[key] for key in mine], dtype=object), {})
        failing += [(key, rule) for key, ok in zip(mine, allowed, strict=True) if not ok]

    def place(item: tuple[tuple[str, int, str, int], NumberBetween]) -> tuple[int, int, int]:
        (kind, week, indicator_id, employee), _ = item
        return week, *layout.registration_cell(kind, indicator_id, employee)

    return [_message(layout, key, cells[key], rule) for key, rule in sorted(failing, key=place)]


def _message(layout: Layout, key: tuple[str, int, str, int], value: CellValue, rule: NumberBetween) -> str:
    kind, week, indicator_id, employee = key
    setup = layout.setup
    indicator = next(i for i in setup.indicators if i.id == indicator_id)
    where = f"{week_sheet(week)}!{layout.registration(kind, week, indicator_id, employee).ref}"
    what = f"{indicator.name}, {setup.employees[employee].name}, {'Real' if kind == 'r' else 'Mål'}"
    return f"{where} ({what}): {rule.text} — fundet: {quote(value)}"
