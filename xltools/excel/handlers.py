"""What the ribbon's buttons do: one function per button, each given the active workbook.

``xltools.excel.ribbon`` names these functions and calls them with ``xw.Book.caller()``, the workbook
that was active when the button was clicked. A failure with Danish lines (``xltools.errors.Failure``)
is shown to the user in a message box.

"Om" shows the versions; "Valider og opdater" reads the open book through ``LiveSource`` (the same
reading and rules as ``xltools recalc`` on a file), shows every broken rule, and otherwise lets Excel
recalculate — it never writes a value over a formula. "Fordel mål" types goals into the open book's
empty Mål cells only (the same computation as ``xltools goals``). The buttons that make files —
Sammenflet filer, Genopbyg, Ny arbejdsbog — ask for paths with Excel's dialogs, write a new file
through the CLI's safe write path (never over an existing file) and open it; the open book is never
replaced under Excel.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from importlib.metadata import version
from pathlib import Path

import xlwings as xw

from xltools.errors import Invalid, Refused
from xltools.excel import dialogs
from xltools.excel.live import LiveSource
from xltools.excel.ribbon import show
from xltools.messages import number
from xltools.tools import BRANCHEREDSKAB, MAALSTYRING, RESSOURCEBEREGNER, Tool
from xltools.workbook.files import create, via_path


def about(book: xw.Book) -> None:
    """Om: which xltools, xlwings and Python the add-in runs."""
    lines = [
        f"xltools {version('xltools')}",
        f"xlwings {xw.__version__}",
        f"Python {platform.python_version()}",
    ]
    book.app.alert("\n".join(lines), title="Om xltools", mode="info")


def validate_capacity(book: xw.Book) -> None:
    """Valider og opdater, Ressourceberegner: check the inputs with the rules ``recalc`` uses, then let
    Excel recalculate. Nothing is written: every figure is a formula."""
    expect_tool(book, RESSOURCEBEREGNER)
    from xltools.capacity.inputs import WORKBOOK_INPUTS
    from xltools.recalc.computation import read_inputs

    read_inputs(LiveSource(book), WORKBOOK_INPUTS)  # a broken rule stops here, shown in a message box
    _recalculated(book, "Ressourceberegner: inddata i orden – tallene er beregnet af Excel")


def validate_industry(book: xw.Book) -> None:
    """Valider og opdater, Brancheredskab: check every row and list with the rules ``recalc`` uses, then
    let Excel recalculate statuses, the Overblik and the Statistik. Nothing is written."""
    expect_tool(book, BRANCHEREDSKAB)
    from xltools.industry.recalc import read_rows

    with _status(book, "xltools: kontrollerer rækkerne …"):
        rows, _, _ = read_rows(LiveSource(book), date.today())
    _recalculated(book, f"Brancheredskab: {number(len(rows))} rækker i orden – tallene er beregnet af Excel")


def _recalculated(book: xw.Book, message: str) -> None:
    """Excel recalculates the book (its formulas stay formulas); the status bar says the outcome."""
    book.app.calculate()
    book.app.status_bar = message


def merge_industry(book: xw.Book) -> None:
    """Sammenflet filer: several consultants' Brancheredskab files (as saved on disk) into a new one,
    which is then opened; the inputs are only read."""
    from xltools.industry.merge import merge

    folder = dialogs.folder_of(book)
    inputs = dialogs.open_files(book, folder, "Vælg de Brancheredskab-filer, der skal flettes")
    if not inputs:
        return _cancelled(book)
    out = _new_file(book, inputs[0].parent, "Brancheredskab samlet", "Gem den samlede Brancheredskab som")
    if out is None:
        return _cancelled(book)
    with _status(book, f"xltools: fletter {number(len(inputs))} filer …"):
        report = merge(out, inputs, date.today())
    _open(book, out, [*report.lines(out), "Filerne er læst, som de er gemt på disken.", *report.notes])


def validate_goals(book: xw.Book) -> None:
    """Valider og opdater, Målstyring: check Opsætning against the week sheets and every registration
    with the rules ``recalc`` uses, then let Excel recalculate the Forside. Nothing is written."""
    expect_tool(book, MAALSTYRING)
    from xltools.goals.read import read_registrations
    from xltools.goals.recalc import checked_layout

    source = LiveSource(book)
    with _status(book, "xltools: kontrollerer opsætning og ugeark …"):
        _, layout = checked_layout(source)
        registrations = read_registrations(source, layout)
    count = number(len(registrations))
    _recalculated(book, f"Målstyring: {count} registreringer i orden – tallene er beregnet af Excel")


def distribute_goals(book: xw.Book) -> None:
    """Fordel mål: spread each Årsmål over the empty Mål cells of the weighted weeks, typed into the open
    book (typed goals and formulas are never replaced), then let Excel recalculate."""
    expect_tool(book, MAALSTYRING)
    from xltools.goals.breakdown import distribute

    with _status(book, "xltools: fordeler mål …"):
        result = distribute(LiveSource(book))
    book.app.calculate()
    lines = result.lines() or ["Ingen tomme Mål-celler at udfylde."]
    show(book, [*lines, *(f"advarsel: {w}" for w in result.warnings)], title="Fordel mål")


def rebuild_goals(book: xw.Book) -> None:
    """Genopbyg efter ændret opsætning: a new Målstyring from the open book's Opsætning, every
    registration carried over (removed ones to Arkiv), saved as a new file and opened; the open book
    stays as it is."""
    expect_tool(book, MAALSTYRING)
    from xltools.goals.rebuild import previous, rebuild_as

    with _status(book, "xltools: læser Målstyringen …"):
        found = previous(LiveSource(book))
    stem = f"{Path(str(book.name)).stem} genopbygget"
    out = _new_file(book, dialogs.folder_of(book), stem, "Gem den genopbyggede Målstyring som")
    if out is None:
        return _cancelled(book)
    with _status(book, "xltools: bygger Målstyringen igen …"):
        result = rebuild_as(out, found)
    _open(book, out, [*result.lines(out), "Den åbne projektmappe er ikke ændret – arbejd videre i den nye."])


def new_capacity(book: xw.Book) -> None:
    """Ny arbejdsbog, Ressourceberegner: a fresh, empty Ressourceberegner, saved where the user says."""
    _new_workbook(book, RESSOURCEBEREGNER)


def new_industry(book: xw.Book) -> None:
    """Ny arbejdsbog, Brancheredskab: a fresh, empty Brancheredskab, saved where the user says."""
    _new_workbook(book, BRANCHEREDSKAB)


def new_goals(book: xw.Book) -> None:
    """Ny arbejdsbog, Målstyring: a fresh Målstyring for this year, saved where the user says."""
    _new_workbook(book, MAALSTYRING)


def _new_workbook(book: xw.Book, tool: Tool) -> None:
    out = _new_file(book, dialogs.folder_of(book), tool.label, f"Gem den nye {tool.label} som")
    if out is None:
        return _cancelled(book)
    build: Callable[[Path], None] = partial(tool.build, as_of=date.today())
    with _status(book, f"xltools: bygger {tool.label} …"):
        create(out, via_path(build))
    _open(book, out, [])


def _new_file(book: xw.Book, folder: Path, stem: str, title: str) -> Path | None:
    """A path for a new file from Excel's save dialog, or None if cancelled. Refused before anything is
    written: an existing file (Excel's dialog does not warn; refused again when written), and a name a
    book open in Excel already has (Excel cannot open two books of one name)."""
    open_names = {str(other.name).casefold() for other in book.app.books}
    out = dialogs.save_as(book, dialogs.free_name(folder, stem, open_names), title)
    if out is not None and out.exists():
        raise Refused(f"{out}: findes allerede – xltools skriver aldrig over en fil; vælg et andet navn")
    if out is not None and out.name.casefold() in open_names:
        raise Refused(f"{out.name}: en projektmappe med det navn er åben i Excel – vælg et andet navn")
    return out


def _open(book: xw.Book, path: Path, lines: list[str]) -> None:
    """Open the new file in Excel and say what was done."""
    book.app.books.open(str(path))
    if lines:
        show(book, lines)


def _cancelled(book: xw.Book) -> None:
    book.app.status_bar = "xltools: annulleret – intet er skrevet"


@contextmanager
def _status(book: xw.Book, text: str) -> Iterator[None]:
    """The status bar says what a long-running button is doing, and is handed back to Excel after."""
    book.app.status_bar = text
    try:
        yield
    finally:
        book.app.status_bar = False


def expect_tool(book: xw.Book, tool: Tool) -> None:
    """Refuse a workbook that is not ``tool``'s, recognised by the defined names only that tool's
    workbooks carry."""
    names = {name.name.casefold() for name in book.names}
    if not tool.names <= names:
        label = tool.label
        raise Invalid(f"{book.name}: er ikke en {label}-projektmappe – åbn en {label}-projektmappe, og prøv igen")
