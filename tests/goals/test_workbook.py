"""The Målstyring file: registrations in, I alt and Forside figures out — in Python and LibreOffice."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xltools.cli import main
from xltools.core.logic import serial
from xltools.errors import ExitCode
from xltools.goals.layout import FRONT, WEEK_IDS_ROW, Layout
from xltools.goals.recalc import registrations_frame
from xltools.goals.setup import Indicator, Setup, default_setup
from xltools.goals.workbook import build
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage, type_values

# Aktiveringssamtaler (I02) for Medarbejder 1 and 2 in weeks 1–3, Undervisning (I01, hours) once.
REGISTRATIONS = {
    ("r", 1, "I02", 0): 3.0,
    ("m", 1, "I02", 0): 4.0,
    ("r", 2, "I02", 0): 5.0,
    ("r", 3, "I02", 0): 2.0,
    ("r", 1, "I02", 1): 1.0,
    ("r", 3, "I02", 1): 4.0,
    ("m", 3, "I02", 1): 6.0,
    ("r", 2, "I01", 1): 2.5,
}


def _setup(weights: tuple[float, ...] = ()) -> Setup:
    base = default_setup(2026, employees=2)
    goals = {"I02": 265.0, "I01": 53.0}
    indicators = tuple(Indicator(i.id, i.section, i.name, i.unit, goals.get(i.id)) for i in base.indicators)
    return Setup(2026, base.employees, indicators, weights=weights)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "maalstyring.xlsx"
    build(path, date(2026, 1, 18), _setup(), REGISTRATIONS)
    return path


def _results(path: Path, *args: str) -> dict:
    report = path.parent / "report.json"
    report.unlink(missing_ok=True)  # an existing report is never overwritten without --force
    assert main(["recalc", str(path), "--report", str(report), *args]) == 0
    return json.loads(report.read_text(encoding="utf-8"))[0]["results"]


@pytest.mark.parametrize("as_of", ["2026-01-18", "2026-01-21"])  # Sunday ending week 3; Wednesday of week 4
def test_hand_computed_figures(workbook: Path, as_of: str) -> None:
    results = _results(workbook, "--as-of", as_of)
    assert results["weeks_elapsed"] == 3
    assert math.isclose(results["share_of_year"], 3 / 53)
    samtaler = results["indicators"]["Aktiveringssamtaler"]
    assert samtaler["real"] == 15  # 3 + 5 + 2 + 1 + 4
    assert samtaler["maal"] == 10  # 4 + 6
    assert samtaler["attainment"] == 1.5
    assert samtaler["aarsmaal"] == 265
    assert math.isclose(samtaler["pace"], 15.0)  # 265 × 3/53
    assert math.isclose(samtaler["projection"], 265.0)
    assert samtaler["status"] == "på sporet"
    hours = results["indicators"]["Undervisning antal timer"]
    assert (hours["real"], hours["maal"], hours["attainment"], hours["status"]) == (2.5, 0, None, "bagud")
    assert results["indicators"]["Kanvas"]["status"] == "ingen mål"


def test_week_totals_and_front_cells(workbook: Path) -> None:
    recalc(workbook, as_of=date(2026, 1, 18))
    book = CalamineWorkbook.from_path(str(workbook))
    layout = Layout(_setup())
    week1 = book.get_sheet_by_name("Uge 1").to_python(skip_empty_area=False)
    row = layout.indicator_rows["I02"]
    assert week1[row][layout.total_col : layout.total_col + 2] == [4.0, 4.0]  # I alt Real, Mål
    front = book.get_sheet_by_name(FRONT).to_python(skip_empty_area=False)
    employees = front[layout.front_employees_row + 1 : layout.front_employees_row + 3]
    assert [r[:4] for r in employees] == [
        ["Medarbejder 1", 10, 4, 0],
        ["Medarbejder 2", 5, 6, 0],
    ]  # week 2: hours only, still a registration


def test_a_holiday_week_moves_the_pace(tmp_path: Path) -> None:
    weights = tuple(0.0 if week == 2 else 1.0 for week in range(1, 54))
    path = tmp_path / "ferie.xlsx"
    build(path, date(2026, 1, 18), _setup(weights), REGISTRATIONS)
    samtaler = _results(path, "--as-of", "2026-01-18")["indicators"]["Aktiveringssamtaler"]
    assert math.isclose(samtaler["pace"], 265 * 2 / 52)
    assert math.isclose(samtaler["projection"], 15 / (2 / 52))
    assert samtaler["status"] == "foran"  # 15 / 10.19 = 1.47


def test_53_week_years_get_uge_53(tmp_path: Path) -> None:
    build(tmp_path / "2026.xlsx", date(2026, 1, 5))
    build(tmp_path / "2025.xlsx", date(2025, 1, 6))
    with XlsxPackage(tmp_path / "2026.xlsx") as package:
        assert "Uge 53" in package.sheet_names
    with XlsxPackage(tmp_path / "2025.xlsx") as package:
        assert "Uge 52" in package.sheet_names and "Uge 53" not in package.sheet_names
    assert _results(tmp_path / "2026.xlsx", "--as-of", "2027-01-03")["weeks_elapsed"] == 53
    assert _results(tmp_path / "2025.xlsx", "--as-of", "2026-01-04")["weeks_elapsed"] == 52


def test_registrations_as_a_tidy_table(workbook: Path) -> None:
    frame = registrations_frame(workbook)
    assert len(frame) == 6
    first = frame.iloc[0]
    assert (first["uge"], first["medarbejder"], first["indikator"], first["real"], first["maal"]) == (
        1, "Medarbejder 1", "Aktiveringssamtaler", 3.0, 4.0,
    )  # fmt: skip
    assert frame["maal"].isna().sum() == 4  # a blank Mål stays missing, not 0


def test_libreoffice_computes_what_python_computes(tmp_path: Path) -> None:
    # Årsmål 100 and 3 over a full year reached exactly at 90 % and 110 %: ratios on the boundaries.
    base = _setup()
    goals = {"I02": 265.0, "I03": 530.0, "I05": 530.0, "I01": 53.0}
    setup = Setup(
        2026,
        base.employees,
        tuple(Indicator(i.id, i.section, i.name, i.unit, goals.get(i.id)) for i in base.indicators),
    )
    registrations = dict(REGISTRATIONS)
    registrations[("r", 1, "I03", 0)] = 27.0  # 27 / (530 × 3/53 = 30) = 0.9 → på sporet
    registrations[("r", 2, "I05", 1)] = 33.0  # 33 / 30 = 1.1 → foran
    path = tmp_path / "lo.xlsx"
    build(path, date(2026, 1, 18), setup, registrations)
    type_values(path, {"Opgoerelsesdato": serial(date(2026, 1, 18))})
    statuses = {
        name: figures["status"]
        for name, figures in recalc(path).results["indicators"].items()
        if figures["status"] != "ingen mål"
    }  # noqa: E501
    assert statuses == {
        "Undervisning antal timer": "bagud",
        "Aktiveringssamtaler": "på sporet",
        "Individuelle samtaler": "på sporet",
        "Opfølgningssamtaler": "foran",
    }  # noqa: E501
    (output,) = libreoffice.recalculate([path], tmp_path / "lo")
    outcome = recalc(output, check=True)
    assert (outcome.exit_code, outcome.errors) == (0, [])


@pytest.mark.parametrize(
    ("value", "rule"),
    [("tre", "helt tal"), (-1.0, "helt tal på mindst 0"), (2.5, "helt tal")],
)
def test_bad_registrations_are_named_and_the_file_left_alone(workbook: Path, value: object, rule: str) -> None:
    layout = Layout(_setup())
    row, col = layout.indicator_rows["I03"], layout.real_col(1)
    with XlsxPackage(workbook) as package:
        package.set_constant("Uge 2", row, col, value)  # type: ignore[arg-type]
        package.save()
    data = workbook.read_bytes()
    outcome = recalc(workbook, as_of=date(2026, 1, 18))
    assert outcome.exit_code == ExitCode.INVALID
    (message,) = outcome.errors
    assert message.startswith("Uge 2!G10 (Individuelle samtaler, Medarbejder 2, Real): ") and rule in message
    assert workbook.read_bytes() == data


def test_hours_may_have_decimals(workbook: Path) -> None:
    assert recalc(workbook, as_of=date(2026, 1, 18)).exit_code == 0  # 2.5 timer in week 2


@pytest.mark.parametrize("change", ["delete", "rename"])
def test_a_deleted_or_renamed_week_sheet_is_reported(workbook: Path, tmp_path: Path, change: str) -> None:
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    if change == "delete":
        del book["Uge 7"]
    else:
        book["Uge 7"].title = "Uge7"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    data = broken.read_bytes()
    outcome = recalc(broken, as_of=date(2026, 1, 18))
    assert outcome.exit_code == ExitCode.INVALID
    assert outcome.errors == ["Uge 7: arket mangler – ugearkene må ikke slettes"]
    assert broken.read_bytes() == data


@pytest.mark.parametrize("which", ["employee", "indicator"])
def test_a_changed_hidden_id_on_a_week_sheet_asks_for_a_new_build(workbook: Path, which: str) -> None:
    layout = Layout(_setup())
    cell = (WEEK_IDS_ROW, layout.real_col(1)) if which == "employee" else (layout.indicator_rows["I03"], 0)
    with XlsxPackage(workbook) as package:
        package.set_constant("Uge 30", *cell, "X99")
        package.save()
    data = workbook.read_bytes()
    outcome = recalc(workbook, as_of=date(2026, 1, 18))
    assert (outcome.exit_code, outcome.errors) == (
        ExitCode.INVALID,
        ["Uge 30: de skjulte id'er er ændret – arbejdsbogen skal bygges igen (xltools rebuild)"],
    )
    assert workbook.read_bytes() == data


def test_a_new_employee_in_the_setup_asks_for_a_new_build(workbook: Path) -> None:
    layout = Layout(_setup())
    with XlsxPackage(workbook) as package:
        package.set_constant("Opsætning", layout.setup_employee_row(2), 1, "Ny Kollega")
        package.save()
    outcome = recalc(workbook, as_of=date(2026, 1, 18))
    assert outcome.exit_code == ExitCode.INVALID and "bygges igen" in outcome.errors[0]


@pytest.mark.parametrize(("row_of", "value", "message"), [("I02", 12.5, "helt tal"), ("I01", 1.25, "højst én decimal")])
def test_aarsmaal_must_fit_the_unit(workbook: Path, row_of: str, value: float, message: str) -> None:
    setup = _setup()
    index = [i.id for i in setup.indicators].index(row_of)
    with XlsxPackage(workbook) as package:
        package.set_constant("Opsætning", Layout(setup).setup_indicator_row(index), 4, value)
        package.save()
    outcome = recalc(workbook, as_of=date(2026, 1, 18))
    assert outcome.exit_code == ExitCode.INVALID and message in outcome.errors[0] and "Opsætning!E" in outcome.errors[0]
