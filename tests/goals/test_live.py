"""The Målstyring stays right in Excel on its own: files edited as another program would edit them (the
sheet's XML, every other part byte for byte), recalculated only by LibreOffice, read back with calamine.

Renames show on every week sheet; an Opsætning that no longer matches the week sheets is flagged on
the row and on the Forside, as Python's own check flags it; values that got past the validation are
counted, and every figure is what Python computes from the same cells; the links follow the date.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.goals.engines import Sheets, differences, edit, python_values
from tests.goals.test_workbook import REGISTRATIONS, _setup
from xltools.core.logic import serial
from xltools.errors import ExitCode
from xltools.goals import consistency
from xltools.goals.blocks import Blocks
from xltools.goals.environment import consistency_environment
from xltools.goals.layout import (
    DATA,
    DATA_ROWS,
    FRONT,
    FRONT_AS_OF,
    FRONT_CURRENT_WEEK,
    FRONT_INVALID,
    FRONT_LINKS_ROW,
    FRONT_WARNING,
    LINKS_PER_ROW,
    SETUP,
    WEEK_LABEL_COL,
    WEEK_NAMES_ROW,
    Layout,
    week_sheet,
)
from xltools.goals.read import built_layout, read_setup, read_setup_cells
from xltools.goals.workbook import build
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage

pytestmark = pytest.mark.libreoffice

AS_OF = date(2026, 1, 18)
LAYOUT = Layout(_setup())
INDEX = {indicator.id: index for index, indicator in enumerate(LAYOUT.setup.indicators)}
AFHOLDT = [index for index, indicator in enumerate(LAYOUT.setup.indicators) if indicator.section == "Afholdt"]


def employee(index: int, col: int) -> tuple[int, int]:
    return LAYOUT.setup_employee_row(index), col


def indicator(ident: str, col: int) -> tuple[int, int]:
    return LAYOUT.setup_indicator_row(INDEX[ident]), col


RENAMED = {"employee": "Zoë Ærø*", "indicator": "Samtaler ~ individuelle?", "section": "Holdt * i alt?"}
CASES: dict[str, tuple[str, dict[tuple[int, int], object]]] = {
    "rename": (
        SETUP,
        {
            employee(0, 1): RENAMED["employee"],
            indicator("I03", 2): RENAMED["indicator"],
            **{(LAYOUT.setup_indicator_row(i), 1): RENAMED["section"] for i in AFHOLDT},
        },
    ),
    "new_employee": (SETUP, {employee(2, 1): "Ny Kollega"}),
    "unknown_id": (SETUP, {employee(2, 0): "E9", employee(2, 1): "Gæst"}),
    "deleted_row": (SETUP, {employee(1, 0): None, employee(1, 1): None}),
    "cleared_name": (SETUP, {employee(1, 1): None}),
    "swapped": (SETUP, {employee(0, 0): "E2", employee(0, 1): "Anden", employee(1, 0): "E1", employee(1, 1): "Første"}),
    "unit_changed": (SETUP, {indicator("I02", 3): "timer"}),
    "new_indicator": (
        SETUP,
        {(LAYOUT.setup_indicator_row(29), col): text for col, text in ((1, "Andet"), (2, "Nyt tiltag"), (3, "antal"))},
    ),
    "section_split": (SETUP, {indicator("I05", 1): "Møder"}),
    "invalid": (
        "",  # three week sheets: see _edited
        {},
    ),
    "march": (FRONT, {FRONT_AS_OF: serial(date(2026, 3, 4))}),
    "before": (FRONT, {FRONT_AS_OF: serial(date(2025, 12, 1))}),
    "after": (FRONT, {FRONT_AS_OF: serial(date(2027, 6, 1))}),
}
INVALID = {  # week → (indicator, employee, value): text, a negative number, decimals in antal
    1: ("I03", 0, "tre"),
    2: ("I03", 1, -3.0),
    3: ("I04", 0, 2.5),
}
REPORTING = {"march": date(2026, 3, 4), "before": date(2025, 12, 1), "after": date(2027, 6, 1)}


def _edited(base: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.xlsx"
    shutil.copyfile(base, path)
    sheet, cells = CASES[name]
    if name == "invalid":
        for week, (ident, e, value) in INVALID.items():
            edit(path, week_sheet(week), {(LAYOUT.indicator_rows[ident], LAYOUT.real_col(e)): value})
    else:
        edit(path, sheet, cells)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each case: (the edited file, LibreOffice's recalculation of it) — one LibreOffice run for all."""
    folder = tmp_path_factory.mktemp("live")
    base = folder / "base.xlsx"
    build(base, AS_OF, _setup(), REGISTRATIONS)
    edit(base, FRONT, {FRONT_AS_OF: serial(AS_OF)})  # a fixed reporting date: LibreOffice's TODAY() differs
    edited = {name: _edited(base, folder, name) for name in CASES}
    outputs = libreoffice.recalculate(list(edited.values()), folder / "lo")
    return {name: (edited[name], out) for name, out in zip(edited, outputs, strict=True)}


def _agrees(path: Path, out: Path, as_of: date = AS_OF) -> None:
    python = python_values(path, as_of)
    assert len(python) > 10_000
    assert differences(out, python) == []


def test_renames_show_on_every_week_sheet_and_the_forside(files: dict[str, tuple[Path, Path]]) -> None:
    path, out = files["rename"]
    sheets = Sheets(out)
    first_of_section = LAYOUT.indicator_rows[LAYOUT.setup.indicators[AFHOLDT[0]].id] - 1
    for week in range(1, LAYOUT.setup.weeks + 1):
        sheet = week_sheet(week)
        assert sheets.value(sheet, WEEK_NAMES_ROW, LAYOUT.real_col(0)) == RENAMED["employee"]
        assert sheets.value(sheet, WEEK_NAMES_ROW, LAYOUT.real_col(1)) == "Medarbejder 2"
        assert sheets.value(sheet, LAYOUT.indicator_rows["I03"], WEEK_LABEL_COL) == RENAMED["indicator"]
        assert sheets.value(sheet, first_of_section, WEEK_LABEL_COL) == RENAMED["section"]
    table = LAYOUT.front_table_header + 1
    assert sheets.value(FRONT, table + INDEX["I03"], 1) == RENAMED["indicator"]
    assert sheets.value(FRONT, table, 0) == RENAMED["section"]
    assert sheets.value(FRONT, LAYOUT.front_sections_row + 1, 0) == RENAMED["section"]
    assert sheets.value(FRONT, LAYOUT.front_employees_row + 1, 0) == RENAMED["employee"]
    assert sheets.value(FRONT, *FRONT_WARNING) == ""  # a rename needs nothing more
    _agrees(path, out)
    assert recalc(path, as_of=AS_OF).exit_code == ExitCode.OK  # and Python takes it as it is


@pytest.mark.parametrize(
    ("name", "statuses", "count"),
    [
        ("new_employee", {("medarbejder", 2): consistency.NEW}, 1),
        ("unknown_id", {("medarbejder", 2): consistency.UNKNOWN}, 1),
        ("deleted_row", {}, 1),  # E2's id is gone from Opsætning: counted on the Data sheet
        ("cleared_name", {("medarbejder", 1): consistency.REMOVED}, 1),
        ("swapped", {("medarbejder", 0): consistency.MOVED, ("medarbejder", 1): consistency.MOVED}, 2),
        ("unit_changed", {("indikator", INDEX["I02"]): consistency.UNIT_CHANGED}, 1),
        ("new_indicator", {("indikator", 29): consistency.NEW}, 1),
        (
            "section_split",
            {
                ("indikator", INDEX["I05"]): consistency.SECTION_CHANGED,
                ("indikator", INDEX["I06"]): consistency.SECTION_CHANGED,
            },
            2,
        ),
    ],
)
def test_a_setup_that_no_longer_matches_is_flagged_as_python_flags_it(
    files: dict[str, tuple[Path, Path]], name: str, statuses: dict[tuple[str, int], str], count: int
) -> None:
    path, out = files[name]
    sheets = Sheets(out)
    warning = sheets.value(FRONT, *FRONT_WARNING)
    assert isinstance(warning, str) and "xltools rebuild" in warning and "»Genopbyg efter ændret opsætning«" in warning
    assert sheets.value(SETUP, 5, 1) == warning
    assert sheets.value(DATA, DATA_ROWS["forskelle"], 1) == count
    blocks = {block.name: block for block in Blocks(LAYOUT).setup}
    shown = {}
    for key, block in (("medarbejder", "OpsStatusMedarbejdere"), ("indikator", "OpsStatusIndikatorer")):
        for row, col, _ in blocks[block].cells():
            shown[(key, row - blocks[block].anchor[0])] = sheets.value(SETUP, row, col)
    assert {key: text for key, text in shown.items() if text} == statuses
    with XlsxPackage(path) as package:  # Python's check, the same expressions on the same cells
        built = built_layout(package)
        env = consistency_environment(built, read_setup_cells(package), read_setup(package).year)
    python = {
        (key, index): status.evaluate(env)
        for key in consistency.STATUS_KEYS
        for index, status in enumerate(consistency.statuses(built, key))
    }
    assert python == shown
    outcome = recalc(path, as_of=AS_OF)
    assert outcome.exit_code == ExitCode.INVALID and "bygges igen" in outcome.errors[0]
    assert len(outcome.errors) == count


def test_values_past_the_validation_are_counted_and_the_totals_are_pythons(files: dict[str, tuple[Path, Path]]) -> None:
    path, out = files["invalid"]
    sheets = Sheets(out)
    assert [sheets.value(DATA, DATA_ROWS["ugyldige"], week) for week in (1, 2, 3, 4)] == [1, 1, 1, 0]
    assert sheets.value(FRONT, *FRONT_INVALID) == 3
    for week in (1, 2, 3):
        assert "Ugyldige registreringer i ugen: 1" in str(sheets.value(week_sheet(week), 2, WEEK_LABEL_COL))
    table = LAYOUT.front_table_header + 1
    assert sheets.value(FRONT, table + INDEX["I03"], 3) == -3  # "tre" is not counted, −3 is (as SUM does)
    assert sheets.value(FRONT, table + INDEX["I04"], 3) == 2.5
    _agrees(path, out)
    outcome = recalc(path, as_of=AS_OF)  # Python names each one and leaves the file as it is
    assert outcome.exit_code == ExitCode.INVALID and len(outcome.errors) == 3


def test_links_show_their_weeks_and_the_current_week_follows_the_date(files: dict[str, tuple[Path, Path]]) -> None:
    path, out = files["march"]
    sheets = Sheets(out)
    labels = [
        sheets.value(FRONT, FRONT_LINKS_ROW + r, c) for r in range(LAYOUT.links_rows) for c in range(LINKS_PER_ROW)
    ]
    assert [label for label in labels if label] == [f"uge {week}" for week in range(1, 54)]
    assert sheets.value(FRONT, *FRONT_CURRENT_WEEK) == "uge 10"
    _agrees(path, out, REPORTING["march"])
    base_out = files["rename"][1]
    assert Sheets(base_out).value(FRONT, *FRONT_CURRENT_WEEK) == "uge 3"  # 18 January 2026


@pytest.mark.parametrize(("name", "week"), [("before", "uge 1"), ("after", "uge 53")])
def test_the_current_week_stays_within_the_year(files: dict[str, tuple[Path, Path]], name: str, week: str) -> None:
    path, out = files[name]
    assert Sheets(out).value(FRONT, *FRONT_CURRENT_WEEK) == week
    _agrees(path, out, REPORTING[name])
