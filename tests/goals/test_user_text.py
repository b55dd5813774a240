"""A name typed on Opsætning is never run as a formula: written as text by the builder, refused by recalc."""

from __future__ import annotations

import html
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.goals.engines import Sheets, differences, edit, python_values
from xltools.core.logic import serial
from xltools.errors import ExitCode
from xltools.goals.layout import FRONT, FRONT_AS_OF, HOURS_LABEL, WEEK_NAMES_ROW, Layout
from xltools.goals.setup import Employee, Indicator, Setup, default_setup
from xltools.goals.workbook import build
from xltools.messages import quote
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.build import TEMPLATE_DATE
from xltools.workbook.package import XlsxPackage

PAYLOADS = ("=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3", "@SUM(A1)", "\t=1+1")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_name_like_a_formula_is_written_as_text(tmp_path: Path, payload: str) -> None:
    base = default_setup(2026, employees=2)
    path = tmp_path / "maal.xlsx"
    build(path, TEMPLATE_DATE, Setup(2026, (Employee("E1", payload), base.employees[1]), base.indicators))
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        formulas = [f for name in sheets for f in re.findall(r"<f[^>]*>(.*?)</f>", archive.read(name).decode())]
    assert formulas and not any(payload.strip() in html.unescape(formula) for formula in formulas)
    layout = Layout(Setup(2026, base.employees, base.indicators))
    with XlsxPackage(path) as package:
        assert package.value("Opsætning", layout.setup_employee_row(0), 1) == payload
        assert not package.has_formula("Opsætning", layout.setup_employee_row(0), 1)
        assert package.value("Uge 1", WEEK_NAMES_ROW, layout.real_col(0)) == payload  # looked up, shown as text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_recalc_refuses_a_name_like_a_formula(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "maal.xlsx"
    build(path, TEMPLATE_DATE)
    with XlsxPackage(path) as package:
        package.set_constant("Opsætning", 7, 1, payload)
        package.save()
    data = path.read_bytes()
    outcome = recalc(path, as_of=date(2026, 1, 18))
    assert outcome.exit_code == ExitCode.INVALID
    assert outcome.errors == [
        "Opsætning!B8 (Medarbejder): må ikke begynde med =, +, -, @, tabulator eller linjeskift "
        f"(så teksten aldrig kan blive en formel) — fundet: {quote(payload.strip())}"
    ]
    assert path.read_bytes() == data


WILD = Setup(
    2026,
    (Employee("E1", "Ann* ~Holm?"), Employee("E2", "<Bo>")),
    (
        Indicator("I01", "Salg*", "Kanvas?", "antal", 100.0),
        Indicator("I02", "Salg", "~Opkald", "antal"),
        Indicator("I03", "<Andet", "Møder =10", "timer", 40.0),
    ),
)
ARCHIVE = [  # registrations of removed indicators, by the section they had
    {"uge": 1.0, "sektion": "Salg*", "enhed": "antal", "real": 5.0, "fjernet": "ja", "indikator_id": "I04"},
    {"uge": 2.0, "sektion": "salg*", "enhed": "antal", "real": 3.0, "fjernet": "ja", "indikator_id": "I04"},
    {"uge": 2.0, "sektion": "Salg", "enhed": "antal", "real": 7.0, "fjernet": "ja", "indikator_id": "I05"},
    {"uge": 9.0, "sektion": "Salg", "enhed": "antal", "real": 11.0, "fjernet": "ja", "indikator_id": "I05"},
]
TEXTS = ["Salg*", "Salg", "<Andet", "Kanvas?", "~Opkald", "Møder =10", "Ann* ~Holm?", "<Bo>"]


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        return [
            html.unescape(f) for name in sheets for f in re.findall(r"<f[^>]*>(.*?)</f>", archive.read(name).decode())
        ]


def test_no_user_text_is_written_into_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "vild.xlsx"
    build(path, date(2026, 1, 18), WILD, {("r", 1, "I01", 0): 2.0}, ARCHIVE)
    formulas = [formula.casefold() for formula in _formulas(path)]
    assert len(formulas) > 2000  # 53 weeks of lookups, sums and counts
    assert not [(text, f) for f in formulas for text in TEXTS if text.casefold() in f]  # not even "salg"


@pytest.mark.libreoffice
def test_archived_registrations_match_their_section_by_equality(tmp_path: Path) -> None:
    path = tmp_path / "vild.xlsx"
    build(path, date(2026, 1, 18), WILD, {("r", 1, "I01", 0): 2.0}, ARCHIVE)
    edit(path, FRONT, {FRONT_AS_OF: serial(date(2026, 1, 18))})
    (out,) = libreoffice.recalculate([path], tmp_path / "lo")
    layout = Layout(WILD, archived=len(ARCHIVE))
    sheets = Sheets(out)
    first = layout.front_sections_row + 1
    rows = [[sheets.value(FRONT, first + k, c) for c in range(2)] for k in range(3)]
    assert rows == [["Salg*", 2 + 5 + 3], ["Salg", 7], [HOURS_LABEL, 0]]  # "*" is no wildcard; week 9 not gone
    assert differences(out, python_values(path, date(2026, 1, 18))) == []
