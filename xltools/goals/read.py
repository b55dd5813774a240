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
    AARSMAAL_COL,
    ARCHIVE,
    ARCHIVE_KEYS,
    BAGUD_NAME,
    BUILT_NAMES,
    EMPLOYEE_HEADER,
    FORAN_NAME,
    ID_COL,
    INDICATOR_HEADER,
    INDICATOR_HEADERS,
    NAME_COL,
    SECTION_COL,
    SETUP,
    SETUP_NAMES,
    UNIT_COL,
    WEEK_FIRST_COL,
    WEEK_FIRST_ROW,
    WEEK_IDS_ROW,
    WEEK_LABEL_COL,
    WEEK_NAMES_ROW,
    WEIGHT_COLUMN,
    YEAR_NAME,
    Layout,
    week_sheet,
)
from xltools.goals.lookups import FALLBACK
from xltools.goals.setup import MAX_EMPLOYEES, UNITS, Employee, Indicator, Setup, weeks_in_year
from xltools.goals.validation import Cells, breaches
from xltools.messages import quote
from xltools.recalc.computation import read_inputs
from xltools.workbook.package import CellValue, XlsxPackage
from xltools.workbook.refs import cell_name
from xltools.workbook.source import FileSource, Source

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
UNIT = InputSpec("unit", "Enhed", "antal eller timer.", "choice", choices=UNITS)
INDICATOR_SCAN = 500
"""Rows below the indicator table's header that are read: a team types new rows anywhere below it."""


Workbook = XlsxPackage | Source
"""The file (an open package: read through ``FileSource``) or the book open in Excel (``LiveSource``)."""


def _source(workbook: Workbook) -> Source:
    return FileSource(workbook) if isinstance(workbook, XlsxPackage) else workbook


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _checked(spec: InputSpec, value: object, where: str) -> Any:
    try:
        return validate((spec,), {spec.key: value}, {spec.key: where})[spec.key]
    except InvalidInput as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None


def _inert(value: object, row: int, col: int, label: str) -> str:
    """A name typed on Opsætning; refused if a spreadsheet or a CSV export could run it as a formula."""
    text = _text(value)
    if runs_as_formula(text):
        raise Invalid(f"{SETUP}!{cell_name(row, col)} ({label}): {FORMULA_RULE} — fundet: {quote(text)}")
    return text


def read_setup(workbook: Workbook) -> Setup:
    """The team's setup as Opsætning says now: every employee and indicator row with a name (a row whose
    name was cleared is a removal), goals, weights and thresholds."""
    source = _source(workbook)
    inputs = read_inputs(source, (YEAR, BAGUD, FORAN))
    year = int(inputs[YEAR_NAME])
    employees = []
    first = EMPLOYEE_HEADER + 1
    for row, (ident, name) in enumerate(source.block(SETUP, (first, 0), (first + MAX_EMPLOYEES - 1, 1)), first):
        if text := _inert(name, row, 1, "Medarbejder"):
            employees.append(Employee(_text(ident), text))
    indicators = []
    first = INDICATOR_HEADER + 1
    for row, cells in enumerate(
        source.block(SETUP, (first, ID_COL), (first + INDICATOR_SCAN - 1, AARSMAAL_COL)), first
    ):
        ident, section, name, unit_text, goal_value = cells
        section = _inert(section, row, SECTION_COL, INDICATOR_HEADERS[SECTION_COL])
        name = _inert(name, row, NAME_COL, INDICATOR_HEADERS[NAME_COL])
        if not name:
            continue
        unit = _checked(UNIT, _text(unit_text), f"{SETUP}!{cell_name(row, UNIT_COL)}")
        where = f"{SETUP}!{cell_name(row, AARSMAAL_COL)}"
        goal = _checked(AARSMAAL[unit], goal_value, where)
        if goal is not None and round(goal, 1) != goal:
            raise Invalid(f"{where} (Årsmål): timer angives med højst én decimal — fundet: {quote(goal)}")
        indicators.append(Indicator(_text(ident), section, name, unit, goal))
    first, weeks = EMPLOYEE_HEADER + 1, weeks_in_year(year)
    column = source.block(SETUP, (first, WEIGHT_COLUMN), (first + weeks - 1, WEIGHT_COLUMN))
    weights = tuple(
        float(_checked(WEIGHT, value, f"{SETUP}!{cell_name(row, WEIGHT_COLUMN)}"))
        for row, (value,) in enumerate(column, first)
    )
    return Setup(
        year, tuple(employees), tuple(indicators), float(inputs[BAGUD_NAME]), float(inputs[FORAN_NAME]), weights
    )


def _named(source: Source, name: str) -> list[CellValue]:
    """The cells of a defined name, row by row (a v1 workbook or a damaged one lacks it)."""
    cells = source.named_cells(name)
    if cells is None:
        raise Unreadable(f"{source.label}: navnet {name} mangler – byg arbejdsbogen med denne xltools")
    return cells


def read_setup_cells(workbook: Workbook) -> SetupCells:
    """Opsætning's table columns exactly as typed, by their defined names."""
    source = _source(workbook)
    return SetupCells({key: np.array(_named(source, name), dtype=object) for key, name in SETUP_NAMES.items()})


def _week(source: Source, sheet: str, layout: Layout) -> list[list[CellValue]]:
    """A week sheet from its top to the last indicator row, across every employee's Real and Mål: the
    ids, names, labels and registrations in one read."""
    return source.block(sheet, (0, 0), _week_corner(layout))


def _week_corner(layout: Layout) -> tuple[int, int]:
    """The bottom right cell a week sheet's reading covers."""
    last_col = layout.real_col(max(len(layout.setup.employees), 1) - 1) + 1
    return max(layout.last_week_row, WEEK_NAMES_ROW), max(last_col, WEEK_LABEL_COL)


def built_layout(workbook: Workbook) -> Layout:
    """The structure the week sheets were built with, as the Data sheet records it. Names are the ones
    the week sheets showed last (a rename since the build), or the built ones where a sheet shows none."""
    source = _source(workbook)
    built = {key: [_text(value) for value in _named(source, name)] for key, name in BUILT_NAMES.items()}
    year = _named(source, BUILT_NAMES["aar"])[0]
    if not isinstance(year, float):
        raise Unreadable(f"{source.label}: navnet {BUILT_NAMES['aar']} er ikke et år")
    employees = tuple(Employee(i, n) for i, n in zip(built["medarbejder_id"], built["medarbejder"], strict=True))
    indicators = tuple(
        Indicator(i, s, n, "timer" if u == "timer" else "antal")
        for i, n, s, u in zip(built["indikator_id"], built["indikator"], built["sektion"], built["enhed"], strict=True)
    )
    layout = Layout(
        Setup(int(year), employees, indicators), tuple(filter(None, built["graf_id"])), _archive_size(source)
    )
    sheet = week_sheet(1)
    if sheet not in source.sheet_names:
        return layout
    week = _week(source, sheet, layout)

    def shown(row: int, col: int, built_name: str) -> str:
        text = _text(week[row][col])
        return built_name if text in ("", FALLBACK) else text

    employees = tuple(
        Employee(e.id, shown(WEEK_NAMES_ROW, layout.real_col(k), e.name)) for k, e in enumerate(employees)
    )
    indicators = tuple(
        Indicator(i.id, i.section, shown(layout.indicator_rows[i.id], WEEK_LABEL_COL, i.name), i.unit)
        for i in indicators
    )
    return Layout(Setup(int(year), employees, indicators), layout.charted_ids, layout.archived)


def check_week_sheets(workbook: Workbook, layout: Layout) -> None:
    """Every week sheet exists and carries the ids it was built with, where they were built."""
    source = _source(workbook)
    setup = layout.setup
    names = source.sheet_names
    missing = [week_sheet(w) for w in range(1, setup.weeks + 1) if week_sheet(w) not in names]
    if missing:
        raise Invalid(*[f"{sheet}: arket mangler – ugearkene må ikke slettes" for sheet in missing])
    bottom, right = _week_corner(layout)
    for week in range(1, setup.weeks + 1):
        sheet = week_sheet(week)  # the row and the column of ids only
        (employee_ids,) = source.block(sheet, (WEEK_IDS_ROW, 0), (WEEK_IDS_ROW, right))
        indicator_ids = source.block(sheet, (0, 0), (bottom, 0))  # column A
        employees = [_text(employee_ids[layout.real_col(e)]) for e in range(len(setup.employees))]
        indicators = [_text(indicator_ids[row][0]) for row in layout.indicator_rows.values()]
        if employees != [e.id for e in setup.employees] or indicators != [i.id for i in setup.indicators]:
            raise Invalid(f"{sheet}: de skjulte id'er er ændret – arbejdsbogen skal bygges igen (xltools rebuild)")


def read_cells(workbook: Workbook, layout: Layout) -> dict[tuple[str, int, str, int], CellValue]:
    """Every Real and Mål cell that is not blank, as it holds it (a number, or text that got past the
    validation); one read per week sheet."""
    source = _source(workbook)
    found: dict[tuple[str, int, str, int], CellValue] = {}
    setup = layout.setup
    bottom, right = _week_corner(layout)
    for week in range(1, setup.weeks + 1):  # the Real and Mål columns of the indicator rows only
        cells = source.block(week_sheet(week), (WEEK_FIRST_ROW, WEEK_FIRST_COL), (bottom, right))
        for kind, indicator_id, e, row, col in layout.registration_cells:
            value = cells[row - WEEK_FIRST_ROW][col - WEEK_FIRST_COL]
            if value is not None and value != "":
                found[(kind, week, indicator_id, e)] = value
    return found


def read_registrations(workbook: Workbook, layout: Layout) -> dict[tuple[str, int, str, int], float]:
    """The registrations, each judged by its unit's rule; refused, naming every cell, if any breaks it."""
    cells: Cells = read_cells(workbook, layout)
    problems = breaches(layout, cells)
    if problems:
        raise Invalid(*problems)
    return {key: value for key, value in cells.items() if isinstance(value, float)}  # all numbers: judged


ARCHIVE_CHUNK = 200
"""Arkiv rows read at a time, until an empty row ends the list."""


def read_archive(workbook: Workbook) -> list[dict[str, Any]]:
    """The Arkiv sheet's rows (registrations of removed employees and indicators)."""
    source = _source(workbook)
    if ARCHIVE not in source.sheet_names:
        raise Invalid(f"{ARCHIVE}: arket mangler")
    rows: list[dict[str, Any]] = []
    first = 1
    while True:
        chunk = source.block(ARCHIVE, (first, 0), (first + ARCHIVE_CHUNK - 1, len(ARCHIVE_KEYS) - 1))
        for row, cells in enumerate(chunk, first):
            if all(value is None for value in cells):
                return rows
            record = dict(zip(ARCHIVE_KEYS, cells, strict=True))
            for key in ("uge", "real", "maal"):
                if record[key] is not None and not isinstance(record[key], float):
                    where = f"{ARCHIVE}!{cell_name(row, ARCHIVE_KEYS.index(key))}"
                    raise Invalid(f"{where}: skal være et tal — fundet: {quote(record[key])}")
            rows.append(record)
        first += ARCHIVE_CHUNK


def _archive_size(source: Source) -> int:
    return len(read_archive(source)) if ARCHIVE in source.sheet_names else 0
