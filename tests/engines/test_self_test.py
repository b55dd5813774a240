"""The harness proves itself on a tiny workbook: the mechanical exclusions for gnumeric, the structured
reference rewrite, and a planted wrong value that both engines must catch."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from tests.engines.agreement import Agreement, check_agreement
from tests.engines.cells import CellValue, read_cells
from tests.engines.edits import editing, set_value

pytestmark = [pytest.mark.libreoffice, pytest.mark.gnumeric]

DATES = (45658.0, 45659.0, 45660.0)  # 2025-01-01 (ISO week 1), 2025-01-02, 2025-01-03
COUNTS = (3.0, 5.0, 7.0)
PLANTED = 999.0
"""Beregning!A8's cached value; the truth is 8, so both engines must disagree with it."""


def build(path: Path) -> Path:
    """A workbook with a table, a formula gnumeric lacks, its dependents (direct, through a defined name,
    through a cell inside a dynamic array's range), structured references, and correct cached values."""
    book = xlsxwriter.Workbook(str(path))
    data = book.add_worksheet("Data")
    data.add_table(
        "A1:C4",
        {
            "name": "Kontakter",
            "data": [[d, c] for d, c in zip(DATES, COUNTS, strict=True)],
            "columns": [
                {"header": "Dato"},
                {"header": "Antal"},
                {"header": "Dobbelt", "formula": "=Kontakter[[#This Row],[Antal]]*2"},
            ],
        },
    )
    data.write_formula("E3", "=Kontakter[[#This Row],[Antal]]*10", None, 50)
    sheet = book.add_worksheet("Beregning")
    formulas = {
        "A1": ("=SUM(Kontakter[Antal])", 15),
        "A2": ("=ROWS(Kontakter[#Data])", 3),
        "A3": ("=_xlfn.XLOOKUP(5,Kontakter[Antal],Kontakter[Dobbelt])", 10),
        "A4": ("=A3+1", 11),
        "A5": ("=Opslag*2", 20),
        "A6": ("=A1*2", 30),
        "A7": ("=C2+100", 105),
        "A8": ("=SUM(Data!B2:B3)", PLANTED),
        "A9": ('="uge "&TEXT(_xlfn.ISOWEEKNUM(Data!A2),"00")', "uge 01"),
        "A10": ('=IF(A1>10,"",1)', ""),
        "A11": ("=IFERROR(Kontakter[[#This Row],[Antal]],-1)", -1),
        "A12": ("=_xlfn.LET(_xlpm.x,A1,_xlpm.x*2)", 30),
    }
    for cell, (formula, value) in formulas.items():
        sheet.write_formula(cell, formula, None, value)
    sheet.write_dynamic_array_formula("C1:C3", "=_xlfn._xlws.FILTER(Kontakter[Antal],Kontakter[Antal]>2)", None, 3)
    book.define_name("Opslag", "=Beregning!$A$3")
    book.close()
    with editing(path) as package:  # the values XlsxWriter cannot cache: a table column, an array's range
        for row, count in enumerate(COUNTS, start=2):
            package.set_cached("Data", f"C{row}", count * 2)
        set_value(package, "Beregning", "C2", 5)
        set_value(package, "Beregning", "C3", 7)
    return path


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory, soffice: str, gnumeric_installed: str) -> Agreement:
    """The self-test workbook's agreement (printed with ``-s``)."""
    folder = tmp_path_factory.mktemp("self-test")
    (result,) = check_agreement([build(folder / "selvtest.xlsx")], folder / "work")
    print(result.summary())
    return result


def test_what_gnumeric_is_not_asked_follows_from_the_formulas(agreement: Agreement) -> None:
    assert agreement.skipped == {
        ("Beregning", "A3"): "function gnumeric lacks: XLOOKUP",
        ("Beregning", "A4"): "depends on a skipped cell",
        ("Beregning", "A5"): "uses a skipped defined name: opslag",
        ("Beregning", "C1"): "function gnumeric lacks: FILTER",
        ("Beregning", "C2"): "function gnumeric lacks: FILTER",
        ("Beregning", "C3"): "function gnumeric lacks: FILTER",
        ("Beregning", "A7"): "depends on a skipped cell",  # C2 lies in the FILTER's range, not its anchor
        ("Beregning", "A11"): "structured reference not rewritten",
        ("Beregning", "A12"): "function gnumeric lacks: LET",
    }
    assert agreement.asked == {"libreoffice": 19, "gnumeric": 10}


def test_structured_references_are_rewritten_for_gnumeric(agreement: Agreement, tmp_path: Path) -> None:
    work = agreement.workbook.parent / "work" / "gnumeric"
    prepared = read_cells(next(work.glob("*.gnumeric-in.xlsx")))
    assert prepared.formulas[("Beregning", "A1")].formula == "SUM(Data!$B$2:$B$4)"
    assert prepared.formulas[("Beregning", "A2")].formula == "ROWS(Data!$A$2:$C$4)"
    assert prepared.formulas[("Data", "C3")].formula == "$B3*2"
    assert prepared.formulas[("Data", "E3")].formula == "$B3*10"
    [stuck] = agreement.unrewritten
    assert (stuck.sheet, stuck.place, stuck.reference) == ("Beregning", "A11", "Kontakter[[#This Row],[Antal]]")
    assert "row 11 is not a data row" in stuck.reason
    # gnumeric could not parse exactly the formulas it was not asked about (LET, the unrewritten reference)
    assert {(failure.sheet, failure.cell) for failure in agreement.parse_failures} == {
        ("Beregning", "A11"),
        ("Beregning", "A12"),
    }
    assert not agreement.unparsed_but_asked


def test_a_wrong_cached_value_is_caught_by_both_engines(agreement: Agreement) -> None:
    [planted] = agreement.disagreements
    assert (planted.sheet, planted.cell, planted.formula) == ("Beregning", "A8", "SUM(Data!B2:B3)")
    assert planted.xltools == CellValue("number", PLANTED)
    assert planted.libreoffice == planted.gnumeric == CellValue("number", 8.0)
    assert planted.engines == ("LibreOffice", "gnumeric")
    assert "Beregning!A8: =SUM(Data!B2:B3) — xltools 999, LibreOffice 8, gnumeric 8" in str(planted)
