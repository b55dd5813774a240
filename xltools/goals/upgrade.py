"""A Målstyring made from template version 1, rebuilt on the current template with its data carried over.

Version 1's Opsætning sits where version 2's does, so it is read as it is; its week sheets are laid out
differently (Real and Mål from column D, the remark beside "Bemærkninger"). They are read by their own
hidden ids — employee ids above the names, indicator ids in column A — never by position alone, and
the rebuild's carry-over does the rest: registrations by id, Arkiv kept, the typed reporting date kept.
"""

from __future__ import annotations

from xltools.errors import Invalid, Unreadable
from xltools.goals.layout import YEAR_NAME, week_sheet
from xltools.goals.read import read_archive
from xltools.goals.rebuild import Previous, next_setup, typed_as_of
from xltools.goals.setup import Employee, Indicator, Setup
from xltools.messages import quote
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import cell_name
from xltools.workbook.source import FileSource

IDS_ROW, NAMES_ROW, FIRST_ROW = 3, 4, 6
"""Version 1's week sheets: employee ids (hidden row), names, and the first row under the headers."""
ID_COL, UNIT_COL, LABEL_COL, FIRST_COL = 0, 1, 2, 3
"""Indicator id and unit (hidden), the label column, and employee 1's Real (Mål beside it)."""
REMARKS_LABEL = "Bemærkninger"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _built(package: XlsxPackage, year: int) -> tuple[Setup, dict[str, int], int]:
    """The setup version 1's week sheets were built with, each indicator's row, and the remarks row."""
    sheet = week_sheet(1)
    if sheet not in package.sheet_names:
        raise Invalid(f"{sheet}: arket mangler – ugearkene må ikke slettes")
    employees, col = [], FIRST_COL
    while ident := _text(package.value(sheet, IDS_ROW, col)):
        employees.append(Employee(ident, _text(package.value(sheet, NAMES_ROW, col))))
        col += 2
    indicators, rows, section, row, remarks = [], {}, "", FIRST_ROW, None
    while row < FIRST_ROW + 1000:
        ident, label = _text(package.value(sheet, row, ID_COL)), _text(package.value(sheet, row, LABEL_COL))
        if label == REMARKS_LABEL and not ident:
            remarks = row
            break
        if ident:
            hours = _text(package.value(sheet, row, UNIT_COL)) == "timer"
            indicators.append(Indicator(ident, section, label, "timer" if hours else "antal"))
            rows[ident] = row
        elif label:
            section = label
        row += 1
    if not employees or not indicators or remarks is None:
        raise Unreadable(f"{package.path}: ugearkene ligner ikke en Målstyring version 1")
    return Setup(year, tuple(employees), tuple(indicators)), rows, remarks


def previous(package: XlsxPackage) -> Previous:
    """Everything a version 1 Målstyring holds, ready for ``rebuild.carry_over``; a registration that is
    not a number is refused, naming its cell (version 1 had no validation on the week sheets)."""
    year_area = package.area(YEAR_NAME)
    year = package.value(year_area.sheet, *year_area.first) if year_area else None
    if not isinstance(year, float):
        raise Unreadable(f"{package.path}: navnet {YEAR_NAME} er ikke et år")
    built, rows, remarks_row = _built(package, int(year))
    found: dict[tuple[str, int, str, int], float] = {}
    remarks: dict[int, str] = {}
    problems = []
    for week in range(1, built.weeks + 1):
        sheet = week_sheet(week)
        if sheet not in package.sheet_names:
            problems.append(f"{sheet}: arket mangler – ugearkene må ikke slettes")
            continue
        for indicator_id, row in rows.items():
            for e in range(len(built.employees)):
                for kind, col in (("r", FIRST_COL + 2 * e), ("m", FIRST_COL + 2 * e + 1)):
                    value = package.value(sheet, row, col)
                    if isinstance(value, float) and not isinstance(value, bool):
                        found[(kind, week, indicator_id, e)] = value
                    elif _text(value):
                        problems.append(f"{sheet}!{cell_name(row, col)}: skal være et tal — fundet: {quote(value)}")
        remark = _text(package.value(sheet, remarks_row, FIRST_COL))
        if remark:
            remarks[week] = remark
    if problems:
        raise Invalid(*problems)
    archive = read_archive(package)
    source = FileSource(package)
    return Previous(
        package.identity, built, found, remarks, archive, typed_as_of(source), next_setup(source, built, archive)
    )
