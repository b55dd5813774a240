"""The workbook interface's two sides agree: the file on disk (``FileSource``, what ``recalc`` reads) and
the book open in Excel (``LiveSource`` over xlwings, here a test double built from the same file) give
the same named cells, table rows and lists — and "Valider og opdater" on the open book judges it as
``recalc`` judges the file: the same Danish lines for a broken rule, nothing written, Excel asked to
recalculate when all is well."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tests.excel.xlwings_double import open_book
from tests.industry.test_reading import columns_named
from xltools.capacity.inputs import WORKBOOK_INPUTS
from xltools.errors import Invalid, Unreadable
from xltools.excel import handlers
from xltools.excel.live import LiveSource
from xltools.industry.layout import AS_OF_NAME, HEADERS, LISTS, TABLE
from xltools.industry.recalc import read_rows
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.source import FileSource, as_serial

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 30)


def test_both_sides_read_the_same_tables_lists_and_names(industry: Path) -> None:
    live = LiveSource(open_book(industry))
    with XlsxPackage(industry) as package:
        file = FileSource(package)
        live_table, table = live.table(TABLE), file.table(TABLE)
        assert live_table is not None and table is not None and len(table.rows) == 40
        assert live_table.area == table.area
        # a date cell: a datetime in Excel, its serial number in the file (read without its style)
        assert [[as_serial(value) for value in row] for row in live_table.rows] == table.rows
        assert any(isinstance(value, datetime) for value in live_table.rows[0])
        for col in range(3):
            assert live.column(LISTS, col, 1) == file.column(LISTS, col, 1) != []
        assert live.named_cell(AS_OF_NAME) == file.named_cell(AS_OF_NAME)
        assert live.named_cell("IkkeEtNavn") is file.named_cell("IkkeEtNavn") is None


def test_the_ressourceberegners_inputs_read_alike(capacity: Path) -> None:
    live = LiveSource(open_book(capacity))
    with XlsxPackage(capacity) as package:
        file = FileSource(package)
        for spec in WORKBOOK_INPUTS:
            assert spec.defined_name is not None
            assert live.named_cell(spec.defined_name) == file.named_cell(spec.defined_name), spec.defined_name


def test_valider_og_opdater_on_a_good_brancheredskab_writes_nothing_and_lets_excel_calculate(industry: Path) -> None:
    book = open_book(industry)
    handlers.validate_industry(book)  # type: ignore[arg-type]
    assert book.writes == [] and book.app.calculations == 1
    assert book.app.status_bar == "Brancheredskab: 40 rækker i orden – tallene er beregnet af Excel"
    rows, _, _ = read_rows(LiveSource(book), date.today())
    with XlsxPackage(industry) as package:
        assert rows.frame().equals(read_rows(FileSource(package), date.today())[0].frame())


def test_a_broken_row_is_shown_as_recalc_shows_it_and_nothing_is_written(industry: Path) -> None:
    with XlsxPackage(industry) as package:
        table = package.table(TABLE)
        assert table is not None
        package.set_constant(table.sheet, table.first[0] + 3, 2, "12345675")  # CVR failing modulus 11
        package.set_constant(table.sheet, table.first[0] + 5, 4, "+46 12 34 56 78")  # a Swedish phone number
        package.save()
    book = open_book(industry)
    with pytest.raises(Invalid) as raised:
        handlers.validate_industry(book)  # type: ignore[arg-type]
    outcome = recalc(industry, check=True)
    assert raised.value.messages == outcome.errors and len(outcome.errors) == 2
    assert "(skjult)" in outcome.errors[1]  # personal data masked in the message box too
    assert book.writes == [] and book.app.calculations == 0 and book.app.status_bar is False


def test_columns_out_of_order_are_refused_in_the_open_book_as_recalc_refuses_the_file(
    industry: Path, tmp_path: Path
) -> None:
    names = list(HEADERS.values())
    moved = columns_named(industry, tmp_path / "flyttet.xlsx", [*names[:2], *names[3:], "Noter"])
    book = open_book(moved)
    with pytest.raises(Unreadable) as raised:
        handlers.validate_industry(book)  # type: ignore[arg-type]
    (line,) = raised.value.messages
    assert line.startswith("flyttet.xlsx: Registrering!C2: tabellen Kontakters kolonne 3 hedder 'Adresse'")
    assert [f"{moved}{line.removeprefix('flyttet.xlsx')}"] == recalc(moved, check=True).errors  # the file by its path
    assert book.writes == [] and book.app.calculations == 0


def test_a_table_without_its_header_row_is_refused_in_the_open_book_as_in_the_file(industry: Path) -> None:
    book = open_book(industry)
    table = next(table for sheet in book.sheets for table in sheet.tables)
    table.header_row_range = None  # Tabeldesign › Overskriftsrække turned off
    with pytest.raises(Unreadable) as raised:
        handlers.validate_industry(book)  # type: ignore[arg-type]
    assert raised.value.messages == [
        "brancheredskab.xlsx: tabellen Kontakter viser ikke sin overskriftsrække – slå Overskriftsrække til igen"
        " under Tabeldesign"
    ]


def test_a_broken_input_is_shown_as_recalc_shows_it(capacity: Path) -> None:
    type_values(capacity, {"Borgere": -5, "AndelIntensiv": "tre"})
    book = open_book(capacity)
    with pytest.raises(Invalid) as raised:
        handlers.validate_capacity(book)  # type: ignore[arg-type]
    assert raised.value.messages == recalc(capacity, check=True).errors
    assert book.writes == [] and book.app.calculations == 0
    type_values(capacity, {"Borgere": 330, "AndelIntensiv": 0.3})
    book = open_book(capacity)
    handlers.validate_capacity(book)  # type: ignore[arg-type]
    assert book.app.calculations == 1 and book.writes == []


def test_the_maalstyring_reads_alike_from_the_file_and_the_open_book(goals: Path) -> None:
    from xltools.goals.read import built_layout, read_archive, read_cells, read_setup, read_setup_cells

    live = LiveSource(open_book(goals))
    with XlsxPackage(goals) as package:
        assert read_setup(live) == read_setup(package)
        layout = built_layout(package)
        assert built_layout(live) == layout
        cells = read_cells(package, layout)
        assert read_cells(live, layout) == cells and len(cells) > 5000
        assert read_archive(live) == read_archive(package)
        file_columns, live_columns = read_setup_cells(package).columns, read_setup_cells(live).columns
        assert all(list(live_columns[key]) == list(file_columns[key]) for key in file_columns)


def test_valider_og_opdater_on_a_maalstyring_judges_it_as_recalc_does(goals: Path) -> None:
    book = open_book(goals)
    handlers.validate_goals(book)  # type: ignore[arg-type]
    assert book.writes == [] and book.app.calculations == 1
    assert str(book.app.status_bar).startswith("Målstyring: ") and "registreringer i orden" in book.app.status_bar
    with XlsxPackage(goals) as package:
        package.set_constant("Uge 2", 8, 4, "tre")
        package.set_constant("Uge 3", 9, 5, -3.0)
        package.save()
    book = open_book(goals)
    with pytest.raises(Invalid) as raised:
        handlers.validate_goals(book)  # type: ignore[arg-type]
    errors = recalc(goals, check=True, today=lambda: AS_OF).errors
    assert raised.value.messages == errors and len(errors) == 2, errors
    assert book.writes == [] and book.app.calculations == 0
