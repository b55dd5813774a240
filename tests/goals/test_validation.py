"""Every Real and Mål cell is validated by its unit's rule: the formula Excel runs is rendered from the
rule node Python judges with, and LibreOffice (and gnumeric) accept exactly the values Python accepts."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.goals.engines import Sheets, gnumeric, gnumeric_missing, sheet_parts
from tests.goals.test_workbook import _setup
from xltools.errors import Invalid
from xltools.goals.layout import Layout, week_sheet
from xltools.goals.read import read_registrations
from xltools.goals.validation import RULES
from xltools.goals.workbook import build
from xltools.recalc import libreoffice
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import cell_name, parse_cell

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CORPUS: list[object] = [
    0.0, 1.0, 3.0, 44.0, 1e6, -1.0, -0.5, -0.0001, 2.5, 0.1, 1.25, 0.05, 2.999999, 7.1, 1e-9,
    "tre", "3", "2,5", " 2", "-1", "", None, True, False,
]  # fmt: skip
"""Numbers, negatives, decimals, text (also text that looks like a number), blanks, booleans."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("validation") / "maalstyring.xlsx"
    build(path, date(2026, 1, 18), _setup())
    return path


def _validations(
    path: Path, sheet: str
) -> list[tuple[list[tuple[tuple[int, int], tuple[int, int]]], dict[str, str], str]]:
    """(ranges, attributes, formula) of each data validation of ``sheet``."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read(sheet_parts(path)[sheet]))
    found = []
    for validation in root.iter(f"{M}dataValidation"):
        ranges = []
        for part in validation.get("sqref").split():
            first, _, last = part.partition(":")
            ranges.append((parse_cell(first), parse_cell(last or first)))
        found.append((ranges, dict(validation.attrib), validation.findtext(f"{M}formula1")))
    return found


def test_every_real_and_maal_cell_carries_its_units_validation(template: Path) -> None:
    layout = Layout(_setup())
    units = {indicator.id: indicator.unit for indicator in layout.setup.indicators}
    for week in range(1, layout.setup.weeks + 1):
        validations = _validations(template, week_sheet(week))
        for ident, row in layout.indicator_rows.items():
            for col in range(layout.real_col(0), layout.total_col):
                covering = [
                    (ranges, attributes, formula)
                    for ranges, attributes, formula in validations
                    if any(a[0] <= row <= b[0] and a[1] <= col <= b[1] for a, b in ranges)
                ]
                assert len(covering) == 1, (week, ident, col)
                ((first, _),), attributes, formula = covering[0]
                assert attributes["type"] == "custom" and attributes["allowBlank"] == "1"
                assert attributes["showErrorMessage"] == "1" and attributes["promptTitle"].startswith("Real og Mål")
                assert RULES[units[ident]].text in attributes["error"]
                assert "=" + formula == RULES[units[ident]].formula(cell_name(*first))
        for ranges, _, _ in validations:  # nothing else: labels, units and I alt stay free
            assert all(layout.real_col(0) <= a[1] and b[1] < layout.total_col for a, b in ranges)


def _corpus_book(path: Path, formulas: list[tuple[str, str]]) -> None:
    """The corpus in column A, and each unit's validation formula (moved to row n) beside it."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Korpus")
    for row, value in enumerate(CORPUS):
        if isinstance(value, bool):
            sheet.write_boolean(row, 0, value)
        elif isinstance(value, float):
            sheet.write_number(row, 0, value)
        elif isinstance(value, str) and value:
            sheet.write_string(row, 0, value)
        for col, (top_left, formula) in enumerate(formulas, start=1):
            moved = re.sub(rf"(?<![A-Z$]){top_left}(?!\d)", f"A{row + 1}", formula)
            sheet.write_formula(row, col, moved, None, "?")
    book.close()


@pytest.fixture(scope="module")
def corpus(template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A corpus workbook with the validation formulas exactly as the template holds them (one column per
    unit, in the order returned)."""
    formulas = {}
    for ranges, attributes, formula in _validations(template, week_sheet(1)):
        unit = "timer" if "timer" in attributes["promptTitle"] else "antal"
        formulas[unit] = (cell_name(*ranges[0][0]), formula)
    assert set(formulas) == {"antal", "timer"}
    path = tmp_path_factory.mktemp("corpus") / "korpus.xlsx"
    units = sorted(formulas)
    _corpus_book(path, [formulas[unit] for unit in units])
    return path, units


def _accepted(engine_file: Path, units: list[str]) -> dict[str, list[bool]]:
    sheets = Sheets(engine_file)
    return {
        unit: [sheets.value("Korpus", row, 1 + k) is True for row in range(len(CORPUS))] for k, unit in enumerate(units)
    }


def _python(units: list[str]) -> dict[str, list[bool]]:
    return {unit: RULES[unit].allowed(np.array(CORPUS, dtype=object), {}).tolist() for unit in units}  # type: ignore[index]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, 0.1, 2.5, 7.15, -1.0, 1e6])))
def test_a_column_of_numbers_is_judged_as_each_number_alone(numbers: list[float]) -> None:
    """Registrations that are all numbers are judged as one float column: the same verdicts as the
    per-value path a column holding text takes."""
    for rule in RULES.values():
        together = rule.allowed(np.array(numbers, dtype=object), {})
        mixed = rule.allowed(np.array([*numbers, "tekst"], dtype=object), {})
        assert together.tolist() == mixed[:-1].tolist()


@pytest.mark.libreoffice
def test_libreoffice_accepts_exactly_what_python_accepts(corpus: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, units = corpus
    (out,) = libreoffice.recalculate([path], tmp_path)
    accepted = _accepted(out, units)
    assert accepted == _python(units)
    assert sum(accepted["antal"]) == 5 and sum(accepted["timer"]) == 8  # 0, 1, 3, 44, 1e6; hours also 2.5, 0.1, 7.1


@pytest.mark.skipif(gnumeric_missing, reason="gnumeric (ssconvert) is not installed")
def test_gnumeric_accepts_exactly_what_python_accepts(corpus: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, units = corpus
    (out,) = gnumeric([path], tmp_path)
    assert _accepted(out, units) == _python(units)


def test_registrations_are_judged_column_by_column_and_named_in_sheet_order(template: Path, tmp_path: Path) -> None:
    layout = Layout(_setup())
    path = tmp_path / "m.xlsx"
    path.write_bytes(template.read_bytes())
    typed = {
        (3, "I03", "r", 1): -2.0,
        (1, "I01", "m", 0): 1.25,  # hours: two decimals
        (1, "I02", "r", 1): "fem",
        (1, "I02", "r", 0): 4.0,  # fine
        (2, "I01", "r", 0): 0.5,  # fine: one decimal
    }
    with XlsxPackage(path) as package:
        for (week, ident, kind, e), value in typed.items():
            col = layout.real_col(e) + (kind == "m")
            package.set_constant(week_sheet(week), layout.indicator_rows[ident], col, value)  # type: ignore[arg-type]
        package.save()
    with XlsxPackage(path) as package, pytest.raises(Invalid) as refused:
        read_registrations(package, layout)
    assert [message.split(" (")[0] for message in refused.value.messages] == ["Uge 1!F8", "Uge 1!G9", "Uge 3!G10"]
    assert refused.value.messages[0].endswith("skal være et tal med højst én decimal på mindst 0 — fundet: 1,25")
    assert (
        "(Aktiveringssamtaler, Medarbejder 2, Real): skal være et helt tal på mindst 0 — fundet: 'fem'"
        in (refused.value.messages[1])
    )
