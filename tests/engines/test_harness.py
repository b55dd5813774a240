"""The harness's own parts, without an engine: formula tokens, moving formulas, structured references,
value comparison, validation formulas, edits that keep every other part, and the print scale."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from tests.engines.agreement import same
from tests.engines.cells import BLANK, CellValue, read_cells
from tests.engines.conftest import TEMPLATES
from tests.engines.edits import (
    Formula,
    add_sheet,
    append_table_rows,
    editing,
    extend_list,
    rename_text,
    set_value,
)
from tests.engines.formulas import FUNCTION, NAME, STRUCTURED, Area, functions, join, references, shift, tokenize
from tests.engines.gnumeric import Table, Unrewritable, a1_for, read_tables, rewrite_formula
from tests.engines.printing import effective_scale
from tests.engines.validation import Validation, move, read_validations
from tests.hostile.ooxml import Package

# -- formulas -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_every_template_formula_tokenizes_back_to_itself(template: Path) -> None:
    formulas = [cell.formula for cell in read_cells(template).formulas.values()]
    formulas += [v.formula1 or "" for v in read_validations(template)]
    assert formulas
    for formula in formulas:
        assert join(tokenize(formula)) == formula


def test_tokens_name_functions_references_and_names() -> None:
    formula = (
        '_xlfn.LET(_xlpm.x,_xlfn._xlws.FILTER(\'Uge 1\'!$A$1:$A$9,Data!B:B<>"a""b"),'
        "SUM(x,Kontakter[[#This Row],[Dato]],Aar,#REF!,1.5E+3%,{1,2;3,4},5:5))"
    )
    tokens = tokenize(formula)
    assert join(tokens) == formula
    assert functions(formula) == {"LET", "FILTER", "SUM"}
    assert [t.text for t in tokens if t.kind == STRUCTURED] == ["Kontakter[[#This Row],[Dato]]"]
    assert [t.text for t in tokens if t.kind == NAME] == ["_xlpm.x", "x", "Aar"]
    assert [t.kind for t in tokens].count(FUNCTION) == 3
    assert references(formula, "Her") == [
        Area("Uge 1", 1, 1, 9, 1),
        Area("Data", 1, 2, 1_048_576, 2),
        Area("Her", 5, 1, 5, 16_384),
    ]


def test_shift_moves_relative_parts_only() -> None:
    assert shift("A1+$A1+A$1+$A$1+SUM(B:B)+'Uge 1'!C3:D4", 2, 1) == "B3+$A3+B$1+$A$1+SUM(C:C)+'Uge 1'!D5:E6"
    assert shift('"A1"&A1', 1, 0) == '"A1"&A2'
    assert shift("A1", -1, 0) == "#REF!"


# -- structured references ------------------------------------------------------------------------------

TABLES = {
    "kontakter": Table(
        "Kontakter", "Registrering", Area("Registrering", 2, 1, 102, 4), ("Dato", "Navn", "Antal [stk]", "I alt")
    ),
    "sum": Table("Sum", "Lister", Area("Lister", 1, 1, 5, 2), ("A", "B"), totals_rows=1),
}


@pytest.mark.parametrize(
    ("reference", "sheet", "row", "expected"),
    [
        ("Kontakter[Dato]", "Registrering", 5, "$A$3:$A$102"),
        ("Kontakter[Dato]", "Statistik", None, "Registrering!$A$3:$A$102"),
        ("Kontakter[[#This Row],[Navn]]", "Registrering", 7, "$B7"),
        ("Kontakter[@Navn]", "Registrering", 7, "$B7"),
        ("Kontakter[#Data]", "Statistik", None, "Registrering!$A$3:$D$102"),
        ("Kontakter", "Statistik", None, "Registrering!$A$3:$D$102"),
        ("Kontakter[]", "Statistik", None, "Registrering!$A$3:$D$102"),
        ("Kontakter[#All]", "Registrering", None, "$A$2:$D$102"),
        ("Kontakter[[#Headers],[Navn]]", "Registrering", None, "$B$2"),
        ("Kontakter[[Navn]:[I alt]]", "Registrering", None, "$B$3:$D$102"),
        ("Kontakter[[#This Row],[Dato]:[Navn]]", "Registrering", 9, "$A9:$B9"),
        ("Kontakter[Antal '[stk']]", "Registrering", None, "$C$3:$C$102"),
        ("kontakter[dato]", "Registrering", None, "$A$3:$A$102"),
        ("Sum[[#Totals],[B]]", "Lister", None, "$B$5"),
        ("Sum[#Data]", "Lister", None, "$A$2:$B$4"),
    ],
)
def test_structured_reference_as_a1(reference: str, sheet: str, row: int | None, expected: str) -> None:
    assert a1_for(reference, TABLES, sheet, row) == expected


@pytest.mark.parametrize(
    ("reference", "row", "why"),
    [
        ("Kontakter[[#This Row],[Dato]]", None, "outside a cell"),
        ("Kontakter[[#This Row],[Dato]]", 200, "not a data row"),
        ("Kontakter[Pris]", None, "no column"),
        ("Ukendt[Dato]", None, "no table"),
        ("Kontakter[[#Totals],[Dato]]", None, "no totals row"),
    ],
)
def test_structured_reference_that_cannot_be_rewritten_says_why(reference: str, row: int | None, why: str) -> None:
    with pytest.raises(Unrewritable, match=why):
        a1_for(reference, TABLES, "Registrering", row)


def test_rewrite_keeps_strings_and_reports_what_stays() -> None:
    text, problems = rewrite_formula(
        'IF(Kontakter[[#This Row],[Dato]]="Kontakter[Dato]",SUM(Kontakter[Dato]),Kontakter[Pris])',
        TABLES,
        "Registrering",
        4,
    )
    assert text == 'IF($A4="Kontakter[Dato]",SUM($A$3:$A$102),Kontakter[Pris])'
    assert problems == [("Kontakter[Pris]", "table Kontakter has no column 'Pris'")]


# -- values ---------------------------------------------------------------------------------------------


def test_values_compare_as_the_agreement_requires() -> None:
    assert same(CellValue("number", 1 / 3), CellValue("number", 0.333333333333333))
    assert not same(CellValue("number", 1.0), CellValue("number", 1.00001))
    assert same(CellValue("number", 5.5e-17), CellValue("number", 0.0))
    assert same(BLANK, BLANK) and not same(BLANK, CellValue("number", 0.0))
    assert not same(CellValue("text", "a"), CellValue("text", "A"))
    assert not same(CellValue("bool", True), CellValue("number", 1.0))


# -- validation formulas --------------------------------------------------------------------------------


def test_validation_formula_moves_to_the_proof_row() -> None:
    formula = "AND(L3=INT(L3),L3<=K3,COUNTIF($A$28:$A$33,L3)>0,L3<=Opgoerelsesdato)"
    moved = move(formula, "Registrering", 3, 10, {12: 1, 11: 2})
    assert moved == "AND(A10=INT(A10),A10<=B10,COUNTIF(Registrering!$A$28:$A$33,A10)>0,A10<=Opgoerelsesdato)"


@pytest.mark.parametrize(
    ("kind", "operator", "one", "two", "expected"),
    [
        ("whole", "between", "1", "5", "AND(ISNUMBER(B5),B5=INT(B5),AND(B5>=(1),B5<=(5)))"),
        ("decimal", "greaterThanOrEqual", "0", None, "AND(ISNUMBER(B5),B5>=(0))"),
        ("textLength", "lessThanOrEqual", "10", None, "LEN(B5)<=(10)"),
        ("list", "between", '"antal,timer"', None, 'OR(B5="antal",B5="timer")'),
        ("list", "between", "$A$28:$A$33", None, "SUMPRODUCT(--(B5=$A$28:$A$33))>0"),
        ("custom", "between", "ISNUMBER(B5)", None, "ISNUMBER(B5)"),
    ],
)
def test_built_in_validation_types_become_excel_rules(
    kind: str, operator: str, one: str, two: str | None, expected: str
) -> None:
    assert Validation("S", "B5", kind, operator, one, two, True).formula() == expected


# -- edits ----------------------------------------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    """Every member of a zip file and its bytes."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_appending_table_rows_keeps_every_other_part(tmp_path: Path) -> None:
    source = next(path for path in TEMPLATES if path.name == "brancheredskab.xlsx")
    for formulas in (False, True):
        copy = tmp_path / f"rows-{formulas}.xlsx"
        with editing(source, copy) as package:
            rows = append_table_rows(
                package,
                "Kontakter",
                [{"Dato": 46300, "Virksomhedens navn": "Æblegården ApS", "antal pladser": 3}, {"Dato": 46301}],
                formulas=formulas,
            )
        assert rows == [4, 5]
        before, after = _members(source), _members(copy)
        assert list(before) == list(after)
        changed = {name for name in before if before[name] != after[name]}
        assert changed == {"xl/worksheets/sheet1.xml", "xl/tables/table1.xml"}
        table = read_tables(Package.read(copy))["kontakter"]
        assert table.area == Area("Registrering", 2, 1, 5, 18)
        cells = read_cells(copy)
        assert cells.value("Registrering", "B4") == CellValue("text", "Æblegården ApS")
        assert cells.value("Registrering", "K4") == CellValue("number", 3.0)
        uge = cells.formulas.get(("Registrering", "R5"))
        assert (uge is not None) is formulas
        if uge is not None:
            assert uge.formula.startswith('IF(Kontakter[[#This Row],[Dato]]="","","uge "&_xlfn.ISOWEEKNUM(')
        assert b'<autoFilter ref="A2:R5"/>' in after["xl/tables/table1.xml"]


def test_values_lists_and_renames(tmp_path: Path) -> None:
    source = next(path for path in TEMPLATES if path.name == "brancheredskab.xlsx")
    copy = tmp_path / "edited.xlsx"
    with editing(source, copy) as package:
        set_value(package, "Overblik", "H2", 12.5)
        set_value(package, "Overblik", "H3", "=ikke en formel")
        set_value(package, "Overblik", "H4", True)
        set_value(package, "Overblik", "H5", Formula("H2*2"))
        set_value(package, "Overblik", "H2", None)
        written = extend_list(package, "Lister", "A", ["Ny branche", "Endnu en"])
        renamed = rename_text(package, "Lister", "Industri", "Industri og produktion")
        add_sheet(package, "Ekstra")
        set_value(package, "Ekstra", "A1", "hej")
    cells = read_cells(copy)
    assert cells.value("Overblik", "H2") == BLANK
    assert cells.value("Overblik", "H3") == CellValue("text", "=ikke en formel")
    assert cells.value("Overblik", "H4") == CellValue("bool", True)
    assert cells.formulas[("Overblik", "H5")].formula == "H2*2"
    assert written == ["A23", "A24"]
    assert cells.value("Lister", "A24") == CellValue("text", "Endnu en")
    assert renamed and cells.value("Lister", renamed[0]) == CellValue("text", "Industri og produktion")
    assert cells.sheets[-1] == "Ekstra" and cells.value("Ekstra", "A1") == CellValue("text", "hej")


# -- print scale ----------------------------------------------------------------------------------------


def test_scale_from_page_setup_widths_and_print_area(tmp_path: Path) -> None:
    path = tmp_path / "scale.xlsx"
    book = xlsxwriter.Workbook(str(path))
    wide = book.add_worksheet("Bred")
    wide.set_landscape()
    wide.set_paper(9)
    wide.fit_to_pages(1, 0)
    wide.set_column("A:T", 20)  # 20 characters: 145 px = 108.75 pt each
    wide.write("T40", "sidste")
    fixed = book.add_worksheet("Fast")
    fixed.set_paper(9)
    fixed.set_print_scale(80)
    fixed.write("A1", "x")
    fixed.print_area("A1:C3")
    book.close()
    package = Package.read(path)
    bred = effective_scale(package, "Bred")
    assert bred is not None
    assert bred.print_area == "A1:T40" and bred.content[0] == pytest.approx(20 * 108.75)
    assert bred.value == pytest.approx((841.89 - 2 * 0.7 * 72) / (20 * 108.75))
    fast = effective_scale(package, "Fast")
    assert fast is not None and fast.value == pytest.approx(0.8) and fast.print_area == "A1:C3"
