"""A name typed on Opsætning is never run as a formula: written as text by the builder, refused by recalc."""

from __future__ import annotations

import html
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from xltools.errors import ExitCode
from xltools.goals.layout import WEEK_NAMES_ROW, Layout
from xltools.goals.setup import Employee, Setup, default_setup
from xltools.goals.workbook import build
from xltools.messages import quote
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
