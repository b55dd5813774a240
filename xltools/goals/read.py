"""Reading a Målstyring file: Opsætning as the team typed it, the structure the week sheets were built
with (recorded on the Data sheet), the registrations judged by their unit's rule, and the Arkiv."""

from __future__ import annotations

from typing import Any

import numpy as np

from xltools.core.inputs import InputSpec, InvalidInput, validate
from xltools.core.text import FORMULA_RULE, runs_as_formula
from xltools.errors import Invalid, Unreadable
from xltools.goals.environment import SetupCells
from xltools.goals.layout import (
    ARCHIVE,
    ARCHIVE_KEYS,
    BAGUD_NAME,
    BUILT_NAMES,
    EMPLOYEE_HEADER,
    FORAN_NAME,
    INDICATOR_HEADER,
    SETUP,
    SETUP_NAMES,
    WEEK_IDS_ROW,
    WEEK_LABEL_COL,
    WEEK_NAMES_ROW,
    WEIGHT_COLUMN,
    YEAR_NAME,
    Layout,
    week_sheet,
)
from xltools.goals.lookups import FALLBACK
from xltools.goals.setup import MAX_EMPLOYEES, Employee, Indicator, Setup, weeks_in_year
from xltools.goals.validation import Cells, breaches
from xltools.messages import quote
from xltools.recalc.computation import read_inputs
from xltools.workbook.package import CellValue, XlsxPackage
from xltools.workbook.refs import cell_name
from xltools.workbook.source import FileSource

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
INDICATOR_SCAN = 500
"""Rows below the indicator table's header that are read: a team types new rows anywhere below it."""


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
    """The team's setup as Opsætning says now: every employee and indicator row with a name (a row whose
    name was cleared is a removal), goals, weights and thresholds."""
    inputs = read_inputs(FileSource(package), (YEAR, BAGUD, FORAN))
    year = int(inputs[YEAR_NAME])
    employees = []
    for row in range(EMPLOYEE_HEADER + 1, EMPLOYEE_HEADER + 1 + MAX_EMPLOYEES):
        name = _inert(package, row, 1, "Medarbejder")
        if name:
            employees.append(Employee(_text(package.value(SETUP, row, 0)), name))
    indicators = []
    for row in range(INDICATOR_HEADER + 1, INDICATOR_HEADER + 1 + INDICATOR_SCAN):
        section, name = _inert(package, row, 1, "Sektion"), _inert(package, row, 2, "Indikator")
        if not name:
            continue
        unit = _checked(UNIT, _text(package.value(SETUP, row, 3)), f"{SETUP}!{cell_name(row, 3)}")
        where = f"{SETUP}!{cell_name(row, 4)}"
        goal = _checked(AARSMAAL[unit], package.value(SETUP, row, 4), where)
        if goal is not None and round(goal, 1) != goal:
            raise Invalid(f"{where} (Årsmål): timer angives med højst én decimal — fundet: {quote(goal)}")
        indicators.append(Indicator(_text(package.value(SETUP, row, 0)), section, name, unit, goal))
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


def _named(package: XlsxPackage, name: str) -> list[CellValue]:
    """The cells of a defined name, row by row (a v1 workbook or a damaged one lacks it)."""
    area = package.area(name)
    if area is None:
        raise Unreadable(f"{package.path}: navnet {name} mangler – byg arbejdsbogen med denne xltools")
    return [package.value(area.sheet, row, col) for row, col in area.cells()]


def read_setup_cells(package: XlsxPackage) -> SetupCells:
    """Opsætning's table columns exactly as typed, by their defined names."""
    return SetupCells({key: np.array(_named(package, name), dtype=object) for key, name in SETUP_NAMES.items()})


def built_layout(package: XlsxPackage) -> Layout:
    """The structure the week sheets were built with, as the Data sheet records it. Names are the ones
    the week sheets showed last (a rename since the build), or the built ones where a sheet shows none."""
    built = {key: [_text(value) for value in _named(package, name)] for key, name in BUILT_NAMES.items()}
    year = _named(package, BUILT_NAMES["aar"])[0]
    if not isinstance(year, float):
        raise Unreadable(f"{package.path}: navnet {BUILT_NAMES['aar']} er ikke et år")
    employees = tuple(Employee(i, n) for i, n in zip(built["medarbejder_id"], built["medarbejder"], strict=True))
    indicators = tuple(
        Indicator(i, s, n, "timer" if u == "timer" else "antal")
        for i, n, s, u in zip(built["indikator_id"], built["indikator"], built["sektion"], built["enhed"], strict=True)
    )
    layout = Layout(
        Setup(int(year), employees, indicators), tuple(filter(None, built["graf_id"])), _archive_size(package)
    )
    sheet = week_sheet(1)
    if sheet not in package.sheet_names:
        return layout

    def shown(row: int, col: int, built_name: str) -> str:
        text = _text(package.value(sheet, row, col))
        return built_name if text in ("", FALLBACK) else text

    employees = tuple(
        Employee(e.id, shown(WEEK_NAMES_ROW, layout.real_col(k), e.name)) for k, e in enumerate(employees)
    )
    indicators = tuple(
        Indicator(i.id, i.section, shown(layout.indicator_rows[i.id], WEEK_LABEL_COL, i.name), i.unit)
        for i in indicators
    )
    return Layout(Setup(int(year), employees, indicators), layout.charted_ids, layout.archived)


def check_week_sheets(package: XlsxPackage, layout: Layout) -> None:
    """Every week sheet exists and carries the ids it was built with, where they were built."""
    setup = layout.setup
    missing = [week_sheet(w) for w in range(1, setup.weeks + 1) if week_sheet(w) not in package.sheet_names]
    if missing:
        raise Invalid(*[f"{sheet}: arket mangler – ugearkene må ikke slettes" for sheet in missing])
    for week in range(1, setup.weeks + 1):
        sheet = week_sheet(week)
        employees = [_text(package.value(sheet, WEEK_IDS_ROW, layout.real_col(e))) for e in range(len(setup.employees))]
        indicators = [_text(package.value(sheet, row, 0)) for row in layout.indicator_rows.values()]
        if employees != [e.id for e in setup.employees] or indicators != [i.id for i in setup.indicators]:
            raise Invalid(f"{sheet}: de skjulte id'er er ændret – arbejdsbogen skal bygges igen (xltools rebuild)")


def read_cells(package: XlsxPackage, layout: Layout) -> dict[tuple[str, int, str, int], CellValue]:
    """Every Real and Mål cell that is not blank, as it holds it (a number, or text that got past the
    validation)."""
    found: dict[tuple[str, int, str, int], CellValue] = {}
    setup = layout.setup
    for week in range(1, setup.weeks + 1):
        sheet = week_sheet(week)
        for indicator in setup.indicators:
            row = layout.indicator_rows[indicator.id]
            for e in range(len(setup.employees)):
                for kind, col in (("r", layout.real_col(e)), ("m", layout.real_col(e) + 1)):
                    value = package.value(sheet, row, col)
                    if value is not None and value != "":
                        found[(kind, week, indicator.id, e)] = value
    return found


def read_registrations(package: XlsxPackage, layout: Layout) -> dict[tuple[str, int, str, int], float]:
    """The registrations, each judged by its unit's rule; refused, naming every cell, if any breaks it."""
    cells: Cells = read_cells(package, layout)
    problems = breaches(layout, cells)
    if problems:
        raise Invalid(*problems)
    return {key: value for key, value in cells.items() if isinstance(value, float)}  # all numbers: judged


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


def _archive_size(package: XlsxPackage) -> int:
    return len(read_archive(package)) if ARCHIVE in package.sheet_names else 0
