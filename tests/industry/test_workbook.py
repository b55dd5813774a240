"""The Brancheredskab file: structure read back, recalculation as of a date, LibreOffice agreement."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from tests.industry.conftest import SEED_DAY, SEED_ROWS, workbook_with
from xltools.cli import main
from xltools.core.logic import serial
from xltools.industry.demo import demo_rows
from xltools.industry.layout import ENTRY, HEADER_ROW, OVERVIEW, STATS, TABLE, table_col
from xltools.industry.rows import RULES
from xltools.industry.workbook import build
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.refs import cell_name


def _report(path: Path, *args: str) -> dict:
    report = path.parent / "report.json"
    report.unlink(missing_ok=True)  # an existing report is never overwritten without --force
    assert main(["recalc", str(path), "--report", str(report), *args]) == 0
    return json.loads(report.read_text(encoding="utf-8"))[0]


def test_recalc_as_of_gives_the_seed_figures(seed_workbook: Path) -> None:
    entry = _report(seed_workbook, "--as-of", "2012-12-04")
    results = entry["results"]
    assert {k: v for k, v in results["open_places"].items() if v} == {
        "Bygge og anlæg": 2,
        "Hoteller og restauranter": 3,
    }
    assert results["open_rows_by_status"] == {"grøn": 0, "gul": 2, "rød": 0}
    assert sum(results["contacts_without_opening"].values()) == 0
    assert _report(seed_workbook, "--as-of", "2012-12-03")["results"]["open_rows_by_status"] == {
        "grøn": 1,
        "gul": 1,
        "rød": 0,
    }
    assert _report(seed_workbook, "--as-of", "2012-12-11")["results"]["open_rows_by_status"] == {
        "grøn": 0,
        "gul": 0,
        "rød": 2,
    }


def test_as_of_is_cached_while_the_cell_keeps_today(seed_workbook: Path) -> None:
    assert recalc(seed_workbook, as_of=date(2012, 12, 11)).written
    with XlsxPackage(seed_workbook) as package:
        assert package.has_formula(OVERVIEW, 1, 1)
        assert package.value(OVERVIEW, 1, 1) == serial(date(2012, 12, 11))
        assert package.custom_properties()["xltools.as_of"] == "2012-12-11"
        assert package.value("Registrering", 2, 15) == "rød"
        assert package.value(OVERVIEW, 2, 1) == 2  # rows with open places
    # --check uses the recorded date, so the file is up to date whatever today is
    assert recalc(seed_workbook, check=True).exit_code == 0
    assert recalc(seed_workbook, check=True, as_of=date(2012, 12, 4)).exit_code == 1


def test_a_typed_reporting_date_wins(tmp_path: Path) -> None:
    path = workbook_with(tmp_path / "b.xlsx", SEED_ROWS, date(2012, 12, 3))
    outcome = recalc(path, as_of=date(2012, 12, 11))
    assert outcome.results["open_rows_by_status"] == {"grøn": 1, "gul": 1, "rød": 0}


def test_structure_read_back(seed_workbook: Path) -> None:
    book = openpyxl.load_workbook(seed_workbook)
    assert book.sheetnames[:2] == ["Registrering", "Diagrammer"]
    entry = book["Registrering"]
    table = entry.tables[TABLE]
    headers = [column.name for column in table.tableColumns]
    assert headers[:12] == [
        "Dato", "Virksomhedens navn", "CVR-nummer", "Adresse", "Telefonnummer", "Mailadresse", "Kontaktperson",
        "Virksomhedstype", "Resultat af kontakt", "Jobfunktion", "Antal pladser", "Antal besatte pladser",
    ]  # fmt: skip
    assert headers[12:] == ["Ansvarlig", "Lukket dato", "Alder (dage)", "Status", "Åbne pladser", "Uge"]
    assert table.tableColumns[15].calculatedColumnFormula.attr_text.startswith("IF(AND(Kontakter[[#This Row]")
    assert entry.protection.sheet is False
    validations = {str(dv.sqref).split(":")[0]: dv for dv in entry.data_validations.dataValidation}
    assert validations["H3"].formula1 == "ListeBrancher" and validations["I3"].formula1 == "ListeResultater"
    assert "MOD(SUMPRODUCT(--MID(C3,{1,2,3,4,5,6,7,8},1),{2,7,6,5,4,3,2,1}),11)=0" in validations["C3"].formula1
    for key, rule in RULES.items():  # one definition: the validation is the rule Python judges rows by
        cell = rule.arg.ref  # type: ignore[attr-defined]
        assert validations[cell].formula1 == rule.formula(cell).removeprefix("="), key
    assert entry.column_dimensions["E"].number_format == "@"  # the phone column is text: "+45 …" stays text
    rules = {str(rng.sqref): [rule.formula[0] for rule in rng.rules] for rng in entry.conditional_formatting}
    assert rules["A3:R20002"] == ['$P3="rød"', '$P3="gul"']
    assert book.defined_names["Opgoerelsesdato"].attr_text == "Overblik!$B$2"
    assert book["Overblik"]["B2"].value == "=TODAY()"
    assert book["Statistik"].protection.sheet is True


def test_charts_draw_defined_names_that_follow_the_lists(seed_workbook: Path) -> None:
    with XlsxPackage(seed_workbook) as package:
        refs = package.chart_references()
        names = {name: package.area(name) for name in ("DiagramAabneBrancher", "StatBrancher", "StatUge12")}
    assert refs[0] == ["[0]!DiagramAabneBrancher", "[0]!DiagramAabne"]
    assert refs[1] == ["[0]!DiagramUdenBrancher", "[0]!DiagramUden"]
    assert refs[2][:3] == ["Statistik!$F$4", "[0]!StatBrancher", "[0]!StatUge1"]
    assert len(refs[2]) == 36  # twelve weeks: name, categories, values
    assert set(names.values()) == {None}  # OFFSET(…, ROWS(ListeBrancher)): no fixed range to go stale
    book = openpyxl.load_workbook(seed_workbook)
    assert book.defined_names["StatBrancher"].attr_text == "OFFSET(Statistik!$A$5,0,0,ROWS(ListeBrancher),1)"


def test_user_text_is_stored_as_text(tmp_path: Path) -> None:
    record = {**SEED_ROWS[0], "telefon": "+45 22 34 56 78", "virksomhed": "Blka & Co (2012)"}
    path = workbook_with(tmp_path / "b.xlsx", [record], SEED_DAY)
    with XlsxPackage(path) as package:
        assert package.value("Registrering", 2, 4) == "+45 22 34 56 78"
        assert not package.has_formula("Registrering", 2, 4)


def _add_rows(path: Path, records: list[tuple]) -> None:
    """Type rows below the table and let the table grow, as Excel does (without filling formulas)."""
    with XlsxPackage(path) as package:
        table = package.table(TABLE)
        row = table.last[0]
        for record in records:
            row += 1
            for col, value in enumerate(record):
                if value is not None:
                    package.set_constant("Registrering", row, col, value)
        package.resize_table(TABLE, row)
        package.save()


def test_rows_added_by_a_user_get_the_formulas_and_values(seed_workbook: Path) -> None:
    new = (serial(date(2012, 11, 20)), "Ny ApS", None, None, None, None, None, "Handel", "Løntilskud", "IT", 2, 0)
    _add_rows(seed_workbook, [new])
    outcome = recalc(seed_workbook, as_of=SEED_DAY)
    assert outcome.exit_code == 0, outcome.errors
    assert outcome.results["open_places"]["Handel"] == 2
    with XlsxPackage(seed_workbook) as package:
        assert package.has_formula("Registrering", 4, 15)
        assert package.value("Registrering", 4, 15) == "rød"  # 14 days
    assert recalc(seed_workbook, check=True).exit_code == 0


def _extend_lists_and_add_a_row(path: Path) -> None:
    """A team adds the industry "Rumfart" to Lister and registers a row in it."""
    with XlsxPackage(path) as package:
        package.set_constant("Lister", 22, 0, "Rumfart")
        package.save()
    new = (serial(date(2012, 12, 1)), "Raket A/S", None, None, None, None, None, "rumfart", "Praktikplads", "IT", 4, 1)
    _add_rows(path, [new])


def test_extended_lists_reach_statistics_and_charts(seed_workbook: Path) -> None:
    _extend_lists_and_add_a_row(seed_workbook)
    outcome = recalc(seed_workbook, as_of=SEED_DAY)
    assert outcome.exit_code == 0, outcome.errors
    assert outcome.results["open_places"]["Rumfart"] == 3
    with XlsxPackage(seed_workbook) as package:
        assert package.value(STATS, 4 + 21, 0) == "Rumfart" and package.value(STATS, 4 + 21, 1) == 3
        assert package.array_area(STATS, 4, 0) == (4, 0, 4 + 21, 0)  # the list's range grew by one row
        assert package.value("Registrering", 4, 7) == "rumfart"  # what the user typed is kept


def test_a_value_in_a_growing_lists_way_is_named_with_every_computed_cell_typed_over(seed_workbook: Path) -> None:
    _extend_lists_and_add_a_row(seed_workbook)
    with XlsxPackage(seed_workbook) as package:
        package.set_constant(STATS, 4 + 21, 0, "skrevet her")  # where the industry list now reaches
        status = package.area("StatStatus")
        assert status is not None
        package.set_constant(status.sheet, *status.first, 99.0)
        package.save()
    data = seed_workbook.read_bytes()
    outcome = recalc(seed_workbook, as_of=SEED_DAY)
    assert outcome.exit_code == 2
    assert outcome.errors == [
        f"{STATS}!{cell_name(*status.first)}: formlen er overskrevet – skriv ikke i beregnede celler",
        f"{STATS}!A26: cellen står, hvor en beregnet liste skal vises – flyt eller slet den",
    ]
    assert seed_workbook.read_bytes() == data


def test_libreoffice_computes_what_python_computes(tmp_path: Path) -> None:
    """Python's cached values for every computed cell equal LibreOffice's recalculation of them."""
    cases = [
        workbook_with(tmp_path / "seed.xlsx", SEED_ROWS, SEED_DAY),
        workbook_with(tmp_path / "seed-later.xlsx", SEED_ROWS, date(2012, 12, 11)),
        workbook_with(tmp_path / "demo.xlsx", [], date(2024, 3, 20)),
    ]
    build(cases[2], date(2024, 3, 20), demo_rows(date(2024, 3, 20), count=120))
    type_values(cases[2], {"Opgoerelsesdato": serial(date(2024, 3, 20))})
    extended = workbook_with(tmp_path / "extended.xlsx", SEED_ROWS, SEED_DAY)
    _extend_lists_and_add_a_row(extended)
    assert recalc(extended).exit_code == 0
    cases.append(extended)
    outputs = libreoffice.recalculate(cases, tmp_path / "lo")
    for output in outputs:
        outcome = recalc(output, check=True)
        assert (outcome.exit_code, outcome.errors) == (0, []), output.name
    seed = CalamineWorkbook.from_path(str(outputs[0])).get_sheet_by_name(STATS).to_python(skip_empty_area=False)
    by_industry = {row[0]: row[1] for row in seed[4:25]}
    assert by_industry["Hoteller og restauranter"] == 3 and by_industry["Bygge og anlæg"] == 2
    assert [row[24] for row in seed[4:7]] == [0, 2, 0]  # grøn, gul, rød rows
    extended_stats = CalamineWorkbook.from_path(str(outputs[3])).get_sheet_by_name(STATS).to_python()
    assert extended_stats[25][:2] == ["Rumfart", 3] and all(row[0] == "" for row in extended_stats[26:])
    # and a file LibreOffice saved is recalculated in place by xltools
    type_values(outputs[0], {"Opgoerelsesdato": serial(date(2012, 12, 11))})
    outcome = recalc(outputs[0])
    assert outcome.written and outcome.results["open_rows_by_status"] == {"grøn": 0, "gul": 0, "rød": 2}
    assert recalc(outputs[0], check=True).exit_code == 0


def test_a_row_without_a_dato_shows_blank_computed_cells(tmp_path: Path) -> None:
    """The template's one empty table row: every computed column blank (or 0 open places) in Python and
    in LibreOffice — Excel's YEAR of the week around serial 0 would be #NUM!, LibreOffice's "1899-W52"."""
    path = tmp_path / "tom.xlsx"
    build(path, date(2026, 1, 5))
    [output] = libreoffice.recalculate([path], tmp_path / "lo")
    for source in (path, output):
        grid = CalamineWorkbook.from_path(str(source)).get_sheet_by_name(ENTRY).to_python(skip_empty_area=False)
        assert grid[HEADER_ROW][table_col("dato")] == "Dato"
        computed = {key: grid[HEADER_ROW + 1][table_col(key)] for key in ("alder", "status", "aabne", "uge")}
        assert computed == {"alder": "", "status": "", "aabne": 0, "uge": ""}, source.name
