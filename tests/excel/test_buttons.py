"""The buttons that write — Fordel mål, Genopbyg, Sammenflet filer, Ny arbejdsbog — on real generated
workbooks, through the workbook interface's two sides: the open book (the xlwings test double, with
Excel's dialogs answered by the test) and the file (what the CLI does). Both give the same result; the
open book is never replaced and no formula becomes a value; a new file never overwrites one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from tests.excel.conftest import AS_OF
from tests.excel.xlwings_double import FakeBook, open_book
from tests.goals.test_workbook import _setup
from xltools.errors import Failure, Invalid, Refused
from xltools.excel import dialogs, handlers, ribbon
from xltools.excel.addin.config import ADDIN_NAME
from xltools.excel.live import LiveSource, _column
from xltools.goals.breakdown import fill_goals
from xltools.goals.layout import Layout, week_sheet
from xltools.goals.read import read_registrations
from xltools.goals.rebuild import previous, rebuild, rebuild_as
from xltools.goals.recalc import checked_layout
from xltools.goals.workbook import build as build_goals
from xltools.industry.merge import merge
from xltools.industry.recalc import read_rows
from xltools.recalc.engine import identify
from xltools.tools import BRANCHEREDSKAB, MAALSTYRING, RESSOURCEBEREGNER, Tool
from xltools.workbook.package import XlsxPackage
from xltools.workbook.source import FileSource

SAVE_AS = f"'{ADDIN_NAME}'!{dialogs.SAVE_AS}"
OPEN = f"'{ADDIN_NAME}'!{dialogs.OPEN}"
TYPED = {("m", 1, "I02", 0): 4.0, ("m", 3, "I02", 1): 6.0, ("r", 1, "I02", 0): 3.0}
"""Two typed goals and one registration; the setup's Årsmål: I02 265 antal, I01 53 timer."""


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A Målstyring with Årsmål, two typed Mål and empty Mål cells everywhere else."""
    path = tmp_path / "maalstyring.xlsx"
    build_goals(path, date(2026, 1, 18), _setup(), TYPED)
    return path


def _registrations(path: Path) -> dict[tuple[str, int, str, int], float]:
    with XlsxPackage(path) as package:
        _, layout = checked_layout(package)
        return read_registrations(package, layout)


def test_fordel_maal_types_the_same_goals_into_the_open_book_as_the_command_into_the_file(
    planned: Path, tmp_path: Path
) -> None:
    book = open_book(planned)
    formulas_before = {sheet.name: dict(sheet.formulas) for sheet in book.sheets}
    handlers.distribute_goals(book)  # type: ignore[arg-type]
    on_file = tmp_path / "on_file.xlsx"
    shutil.copyfile(planned, on_file)
    result = fill_goals(on_file)
    assert result.filled == {"Undervisning antal timer": 106, "Aktiveringssamtaler": 104}
    layout = Layout(_setup())
    written = {
        (sheet, row - 1, col - 1): value
        for sheet, top, col, rows in book.writes
        for row, (value,) in enumerate(rows, start=top)
    }
    expected = {
        (week_sheet(week), layout.indicator_rows[ident], layout.real_col(e) + 1): value
        for (week, ident, e), value in result.goals.items()
    }
    assert written == expected and len(written) == 210
    assert sum(value for (sheet, row, _), value in written.items() if row == layout.indicator_rows["I02"]) == 255
    for sheet, row, col in written:  # only empty input cells were written: no formula, no typed value
        assert formulas_before[sheet].get((row + 1, col + 1)) is None
    columns = {(sheet, col) for sheet, _, col in written}
    assert len(book.writes) == len(columns) == 106  # one call per run down a Mål column, not one per cell
    assert book.app.calculations == 1
    (alert,) = book.app.alerts
    assert (
        alert["prompt"] == "\n".join(result.lines())
        and "'Aktiveringssamtaler': 104 Mål-celler udfyldt" in alert["prompt"]
    )
    assert _registrations(on_file) == {
        **TYPED,
        **{("m", week, ident, e): value for (week, ident, e), value in result.goals.items()},
    }


def test_fordel_maal_never_replaces_a_formula_typed_into_an_empty_looking_cell(planned: Path) -> None:
    book = open_book(planned)
    layout = Layout(_setup())
    row, col = layout.indicator_rows["I01"] + 1, layout.real_col(1) + 2  # 1-based, Mål of employee 2
    book.sheets[week_sheet(7)].formulas[(row, col)] = '=IF(TRUE,"","")'  # shows nothing, is a formula
    with pytest.raises(Invalid) as raised:
        handlers.distribute_goals(book)  # type: ignore[arg-type]
    assert raised.value.messages == [f"Uge 7!{chr(64 + col)}{row}: er ikke tom længere – intet er udfyldt"]
    assert book.writes == [] and book.app.calculations == 0


def test_genopbyg_writes_a_new_file_from_the_open_book_and_opens_it(goals: Path, tmp_path: Path) -> None:
    original = goals.read_bytes()
    book = open_book(goals)
    out = tmp_path / "ny.xlsx"
    book.app.answers[SAVE_AS] = [str(out)]
    handlers.rebuild_goals(book)  # type: ignore[arg-type]
    ((_, (suggested, _)),) = book.app.macro_calls
    assert Path(suggested) == goals.parent / f"{goals.stem} genopbygget.xlsx"
    assert goals.read_bytes() == original and book.writes == []  # the open book and its file stay
    assert book.app.books.opened == [str(out)]
    in_place = tmp_path / "in_place.xlsx"
    shutil.copyfile(goals, in_place)
    rebuilt = rebuild(in_place)  # the command, on the file
    assert _registrations(out) == _registrations(in_place) == _registrations(goals) != {}
    (alert,) = book.app.alerts
    assert rebuilt.carried == 17034
    assert alert["prompt"].splitlines() == [
        f"{out}: bygget igen; 17.034 registreringer ført over, 0 flyttet til Arkiv",
        "Den åbne projektmappe er ikke ændret – arbejd videre i den nye.",
    ]
    with XlsxPackage(out) as package:
        assert identify(package) is MAALSTYRING


def test_sammenflet_merges_the_chosen_files_into_a_new_one_as_the_command_does(industry: Path, tmp_path: Path) -> None:
    other = tmp_path / "kollega.xlsx"
    shutil.copyfile(industry, other)
    book = open_book(industry)
    out = tmp_path / "samlet.xlsx"
    book.app.answers = {OPEN: [f"{industry}\n{other}"], SAVE_AS: [str(out)]}
    handlers.merge_industry(book)  # type: ignore[arg-type]
    assert book.app.books.opened == [str(out)] and book.writes == []
    by_command = merge(tmp_path / "kommando.xlsx", [industry, other], date.today())
    (alert,) = book.app.alerts
    assert alert["prompt"].splitlines()[0] == by_command.lines(out)[0]
    assert "40 ens rækker holdt én gang" in alert["prompt"]
    with XlsxPackage(out) as merged, XlsxPackage(tmp_path / "kommando.xlsx") as command:
        rows = read_rows(FileSource(merged), AS_OF)[0]
        assert len(rows) == 40 and rows.frame().equals(read_rows(FileSource(command), AS_OF)[0].frame())


def test_sammenflet_cancelled_at_either_dialog_writes_nothing(industry: Path, tmp_path: Path) -> None:
    book = open_book(industry)
    book.app.answers = {OPEN: ["", str(industry)], SAVE_AS: [""]}
    handlers.merge_industry(book)  # type: ignore[arg-type]  # no file chosen
    handlers.merge_industry(book)  # type: ignore[arg-type]  # a file chosen, then Annuller when saving
    assert book.app.status_bar == "xltools: annulleret – intet er skrevet"
    assert sorted(tmp_path.iterdir()) == [industry] and book.app.books.opened == [] and book.app.alerts == []


@pytest.mark.parametrize(
    ("tool", "button"),
    [
        (RESSOURCEBEREGNER, handlers.new_capacity),
        (BRANCHEREDSKAB, handlers.new_industry),
        (MAALSTYRING, handlers.new_goals),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_ny_arbejdsbog_builds_the_tools_workbook_where_the_user_says_and_opens_it(
    tool: Tool, button: Callable[[Any], None], tmp_path: Path
) -> None:
    book = FakeBook("Mappe1", fullname="Mappe1")  # a book never saved: the dialog starts in Documents or home
    out = tmp_path / "ny.xlsx"
    book.app.answers[SAVE_AS] = [str(out)]
    button(book)
    with XlsxPackage(out) as package:
        assert identify(package) is tool
    assert book.app.books.opened == [str(out)]
    ((_, (suggested, title)),) = book.app.macro_calls
    assert Path(suggested).name == f"{tool.label}.xlsx" and tool.label in title


def test_a_new_file_never_overwrites_and_a_cancelled_dialog_writes_nothing(capacity: Path, tmp_path: Path) -> None:
    book = open_book(capacity)
    before = capacity.read_bytes()
    book.app.answers[SAVE_AS] = [str(capacity), ""]
    with pytest.raises(Refused, match="findes allerede"):
        handlers.new_capacity(book)  # type: ignore[arg-type]
    assert capacity.read_bytes() == before
    handlers.new_capacity(book)  # type: ignore[arg-type]  # the user pressed Annuller
    assert book.app.status_bar == "xltools: annulleret – intet er skrevet"
    assert book.app.books.opened == [] and sorted(tmp_path.iterdir()) == [capacity]


def test_a_name_typed_without_xlsx_gets_it(tmp_path: Path) -> None:
    book = FakeBook("Mappe1", fullname="Mappe1")
    book.app.answers[SAVE_AS] = [str(tmp_path / "Team Nord"), str(tmp_path / "Team.Syd.XLSX")]
    assert dialogs.save_as(book, tmp_path / "x.xlsx", "Gem") == tmp_path / "Team Nord.xlsx"
    assert dialogs.save_as(book, tmp_path / "x.xlsx", "Gem") == tmp_path / "Team.Syd.XLSX"


def test_the_suggested_name_is_never_an_existing_file(tmp_path: Path) -> None:
    assert dialogs.free_name(tmp_path, "Brancheredskab") == tmp_path / "Brancheredskab.xlsx"
    (tmp_path / "Brancheredskab.xlsx").touch()
    (tmp_path / "Brancheredskab 2.xlsx").touch()
    assert dialogs.free_name(tmp_path, "Brancheredskab") == tmp_path / "Brancheredskab 3.xlsx"
    assert dialogs.folder_of(FakeBook("x", fullname=str(tmp_path / "x.xlsx"))) == tmp_path


def test_many_problems_go_to_a_fejl_sheet_in_a_new_book_as_text(capacity: Path) -> None:
    book = open_book(capacity)
    lines = [f"Ressourceberegner!C{row}: skal være et tal — fundet: '=HYPERLINK(\"x\")'" for row in range(20)]
    lines[0] = "=1+1"  # even a line that looks like a formula stays text
    ribbon.show_failure(book, Failure(*lines))  # type: ignore[arg-type]
    (new,) = book.app.books.added
    (sheet,) = new.sheets
    assert sheet.name == "Fejl" and book.writes == []
    assert [sheet.values[(row, 1)] for row in range(1, 22)] == ["Fejl", *lines]
    assert all(not str(text).startswith("=") for text in sheet.formulas.values())
    (alert,) = book.app.alerts
    shown = alert["prompt"].splitlines()
    assert shown[:12] == lines[:12] and shown[12] == "… og 8 mere – alle 20 står på arket Fejl i en ny projektmappe"


def test_a_long_report_goes_to_a_sheet_too(capacity: Path) -> None:
    book = open_book(capacity)
    ribbon.show(book, [f"konflikt {n}" for n in range(30)])  # type: ignore[arg-type]
    (alert,) = book.app.alerts
    assert len(alert["prompt"].splitlines()) == 13 and alert["mode"] == "info"
    (sheet,) = book.app.books.added[0].sheets
    assert sheet.name == "Rapport" and sheet.values[(31, 1)] == "konflikt 29"


def test_fill_empties_what_it_wrote_when_a_write_fails_part_way(planned: Path) -> None:
    book = open_book(planned)
    layout = Layout(_setup())
    locked = (layout.indicator_rows["I02"] + 1, layout.real_col(1) + 2)  # 1-based: a Mål cell of week 50
    book.sheets[week_sheet(50)].locked.add(locked)
    before = {sheet.name: dict(sheet.values) for sheet in book.sheets}
    with pytest.raises(RuntimeError, match="protected sheet"):
        handlers.distribute_goals(book)  # type: ignore[arg-type]
    assert len(book.writes) > 50  # the weeks before 50 were written, then emptied again
    assert {sheet.name: dict(sheet.values) for sheet in book.sheets} == before
    assert book.app.calculation == "automatic" and book.app.calculations == 0


def test_a_cell_that_shows_a_value_without_a_formula_is_not_filled(planned: Path) -> None:
    book = open_book(planned)
    layout = Layout(_setup())
    row, col = layout.indicator_rows["I01"], layout.real_col(0) + 1
    book.sheets["Uge 2"].values[(row + 1, col + 1)] = 7.0  # part of a dynamic array's result, say
    with pytest.raises(Invalid) as raised:
        LiveSource(book).fill({("Uge 2", row, col): 1.0, ("Uge 3", row, col): 1.0})
    assert raised.value.messages == [f"Uge 2!{chr(65 + col)}{row + 1}: er ikke tom længere – intet er udfyldt"]
    assert book.writes == []


def test_excels_formula_shapes_read_as_one_column() -> None:
    assert _column("=A1") == ["=A1"]  # one cell: text
    assert _column((("=A1",), ("",))) == ["=A1", ""]  # Windows: rows of one
    assert _column([["=A1"], [""]]) == ["=A1", ""]  # macOS: lists
    assert _column(["=A1", ""]) == ["=A1", ""]  # flat


def test_a_name_open_in_excel_is_neither_suggested_nor_accepted(tmp_path: Path) -> None:
    book = FakeBook("Mappe1", fullname="Mappe1")
    book.app.books.books.append(FakeBook("Ressourceberegner.xlsx", book.app))
    book.app.answers[SAVE_AS] = [str(tmp_path / "ressourceberegner.xlsx")]
    with pytest.raises(Refused, match="er åben i Excel"):
        handlers.new_capacity(book)  # type: ignore[arg-type]
    ((_, (suggested, _)),) = book.app.macro_calls
    assert Path(suggested).name == "Ressourceberegner 2.xlsx"
    assert list(tmp_path.iterdir()) == []


def test_a_dialog_answer_that_is_not_a_local_path_is_refused(tmp_path: Path) -> None:
    book = FakeBook("Mappe1", fullname="Mappe1")
    book.app.answers[SAVE_AS] = ["https://kommune.sharepoint.com/sites/team/Ressourceberegner.xlsx"]
    with pytest.raises(Refused, match="er ikke en mappe på denne computer"):
        handlers.new_capacity(book)  # type: ignore[arg-type]
    book.app.answers[OPEN] = ["Brancheredskab.xlsx"]
    with pytest.raises(Refused, match="er ikke en mappe på denne computer"):
        handlers.merge_industry(book)  # type: ignore[arg-type]


def test_a_book_xlwings_cannot_map_to_a_local_file_starts_the_dialog_at_home() -> None:
    class OnlineBook:
        @property
        def fullname(self) -> str:
            raise xw.XlwingsError("Couldn't find your local OneDrive file")

    assert dialogs.folder_of(OnlineBook()) in (Path.home() / "Documents", Path.home())


def test_genopbyg_names_the_registrations_a_formula_computed_on_both_sides(planned: Path, tmp_path: Path) -> None:
    layout = Layout(_setup())
    row, col = layout.indicator_rows["I02"], layout.real_col(1)
    with XlsxPackage(planned) as package:
        package.set_formula("Uge 4", row, col, "2+3", 5.0)  # a consultant's sum in a Real cell
        package.set_formula("Uge 9", row, col + 1, 'IF(FALSE,1,"")', "")  # shows nothing
        package.save()
    with XlsxPackage(planned) as package:
        on_file = previous(FileSource(package))
    live = previous(LiveSource(open_book(planned)))
    cells = (f"Uge 4!{chr(65 + col)}{row + 1}", f"Uge 9!{chr(66 + col)}{row + 1}")
    assert on_file.formulas == live.formulas == cells
    assert on_file.found[("r", 4, "I02", 1)] == live.found[("r", 4, "I02", 1)] == 5.0
    result = rebuild_as(tmp_path / "ny.xlsx", live)
    assert result.lines(Path("ny.xlsx"))[1] == (
        f"2 celler med en formel er ført over som det tal, de viste: {cells[0]}, {cells[1]}"
    )
    assert _registrations(tmp_path / "ny.xlsx")[("r", 4, "I02", 1)] == 5.0
