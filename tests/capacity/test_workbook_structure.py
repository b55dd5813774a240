"""What Excel shows a user, read back from the generated file."""

from pathlib import Path

import openpyxl
import pytest

from xltools.capacity import inputs as spec
from xltools.capacity.layout import GUIDE_SHEET, INPUT_ROWS, SHEET
from xltools.workbook.refs import cell_name


@pytest.fixture(scope="module")
def book(capacity_template: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(capacity_template)


def test_inputs_have_names_unlocked_cells_and_danish_validation(book: openpyxl.Workbook) -> None:
    sheet = book[SHEET]
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    for input_spec, row in INPUT_ROWS.items():
        ref = cell_name(row, 1)
        assert book.defined_names[input_spec.defined_name].attr_text == f"{SHEET}!{cell_name(row, 1, True)}"
        assert sheet[ref].protection.locked is False
        dv = validations[ref]
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop")  # "stop" is the default
        assert input_spec.rule in dv.error and dv.prompt == input_spec.help
    custom = {ref: (dv.type, dv.formula1) for ref, dv in validations.items() if ref != "B35"}
    assert custom == {
        "B4": ("custom", "AND(ISNUMBER(B4),B4=INT(B4),B4>=0)"),
        "B5": ("custom", "AND(ISNUMBER(B5),B5=INT(B5),B5>=1,B5<=5)"),
        "B6": ("custom", "AND(ISNUMBER(B6),B6>=1,B6<=52)"),
        "B7": ("custom", "AND(ISNUMBER(B7),B7>=0,B7<=1)"),
        "B23": ("custom", "AND(ISNUMBER(B23),B23=INT(B23),B23>=1,B23<=20)"),
        "B24": ("custom", "AND(ISNUMBER(B24),B24>=0,B24<=0.9)"),
    }
    assert validations["B35"].type == "list" and validations["B35"].formula1 == "$A$28:$A$33"
    assert [sheet.cell(28 + i, 1).value for i in range(6)] == list(spec.SCENARIOS)


def test_formulas_use_the_defined_names(book: openpyxl.Workbook) -> None:
    sheet = book[SHEET]
    assert sheet["B8"].value == "=ROUND(ROUND(Borgere*AndelIntensiv,10),0)"
    assert sheet["C12"].value == "=Borgere*B12"
    assert sheet["E18"].value == "=C18+D18"
    assert sheet["D18"].value == "=(Borgere-B8)*B12"
    assert sheet["C41"].value == "=B41*SamtaleDage*UgerPrAarsvaerk*C40"
    assert sheet["D28"].value == "=C28/B25"
    assert sheet["E28"].value == "=ROUNDUP(ROUND(D28,10),0)"
    assert sheet["B36"].value == "=CHOOSE(MATCH(Scenarie,$A$28:$A$33,0),C28,C29,C30,C31,C32,C33)"


def test_sheet_is_protected_frozen_and_prints_on_a4(book: openpyxl.Workbook) -> None:
    sheet = book[SHEET]
    assert sheet.protection.sheet is True
    assert sheet["C12"].protection.locked is True
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["B7"].number_format == "0 %"
    assert sheet["C12"].number_format == "#,##0"


def test_matrix_marks_cells_with_enough_capacity(book: openpyxl.Workbook) -> None:
    rules = {str(rng.sqref): rng.rules for rng in book[SHEET].conditional_formatting}
    (rule,) = rules["C41:K48"]
    assert (rule.type, rule.operator, rule.formula) == ("cellIs", "greaterThanOrEqual", ["$B$36"])


def test_guide_sheet_carries_the_seeds_caveats(book: openpyxl.Workbook) -> None:
    text = " ".join(str(cell.value) for cell in book[GUIDE_SHEET]["A"])
    for phrase in ("administration", "fleksibilitet", "43-44", "39 uger", "Udeblivelse"):
        assert phrase in text


def test_document_says_which_tool_and_version(capacity_template: Path) -> None:
    from xltools.workbook.package import XlsxPackage

    with XlsxPackage(capacity_template) as package:
        assert package.custom_properties() == {
            "xltools.tool": "ressourceberegner",
            "xltools.version": "2",
            "xltools.as_of": "2026-01-05",
        }
