"""What the ribbon's buttons do: one function per button, each given the active workbook.

``xltools.excel.ribbon`` names these functions and calls them with ``xw.Book.caller()``, the workbook
that was active when the button was clicked. A failure with Danish lines (``xltools.errors.Failure``)
is shown to the user in a message box.

"Om" shows the versions; "Valider og opdater" reads the open book through ``LiveSource`` (the same
reading and rules as ``xltools recalc`` on a file), shows every broken rule, and otherwise lets Excel
recalculate — it never writes a value over a formula. Merging, distributing goals, rebuilding and new
workbooks only check that the active workbook is the tool's, so far.
"""

from __future__ import annotations

import platform
from datetime import date
from importlib.metadata import version

import xlwings as xw

from xltools.errors import Invalid
from xltools.excel.live import LiveSource
from xltools.messages import number
from xltools.tools import BRANCHEREDSKAB, MAALSTYRING, RESSOURCEBEREGNER, Tool


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
    expect_tool(book, RESSOURCEBEREGNER, "Ressourceberegner")
    from xltools.capacity.inputs import WORKBOOK_INPUTS
    from xltools.recalc.computation import read_inputs

    read_inputs(LiveSource(book), WORKBOOK_INPUTS)  # a broken rule stops here, shown in a message box
    _recalculated(book, "Ressourceberegner: inddata i orden – tallene er beregnet af Excel")


def validate_industry(book: xw.Book) -> None:
    """Valider og opdater, Brancheredskab: check every row and list with the rules ``recalc`` uses, then
    let Excel recalculate statuses, the Overblik and the Statistik. Nothing is written."""
    expect_tool(book, BRANCHEREDSKAB, "Brancheredskab")
    from xltools.industry.recalc import read_rows

    book.app.status_bar = "xltools: kontrollerer rækkerne …"
    try:
        rows, _, _ = read_rows(LiveSource(book), date.today())
    finally:
        book.app.status_bar = False
    _recalculated(book, f"Brancheredskab: {number(len(rows))} rækker i orden – tallene er beregnet af Excel")


def _recalculated(book: xw.Book, message: str) -> None:
    """Excel recalculates the book (its formulas stay formulas); the status bar says the outcome."""
    book.app.calculate()
    book.app.status_bar = message


def merge_industry(book: xw.Book) -> None:
    """Sammenflet filer: combine several consultants' Brancheredskab files into a new one."""
    expect_tool(book, BRANCHEREDSKAB, "Brancheredskab")


def validate_goals(book: xw.Book) -> None:
    """Valider og opdater, Målstyring: check Opsætning against the week sheets and every registration
    with the rules ``recalc`` uses, then let Excel recalculate the Forside. Nothing is written."""
    expect_tool(book, MAALSTYRING, "Målstyring")
    from xltools.goals.read import read_registrations
    from xltools.goals.recalc import checked_layout

    source = LiveSource(book)
    book.app.status_bar = "xltools: kontrollerer opsætning og ugeark …"
    try:
        _, layout = checked_layout(source)
        registrations = read_registrations(source, layout)
    finally:
        book.app.status_bar = False
    count = number(len(registrations))
    _recalculated(book, f"Målstyring: {count} registreringer i orden – tallene er beregnet af Excel")


def distribute_goals(book: xw.Book) -> None:
    """Fordel mål: spread each Årsmål over the empty Mål cells of the weighted weeks."""
    expect_tool(book, MAALSTYRING, "Målstyring")


def rebuild_goals(book: xw.Book) -> None:
    """Genopbyg efter ændret opsætning: a new Målstyring from its own Opsætning, registrations kept."""
    expect_tool(book, MAALSTYRING, "Målstyring")


def new_capacity(book: xw.Book) -> None:
    """Ny arbejdsbog, Ressourceberegner: open a fresh, empty Ressourceberegner."""


def new_industry(book: xw.Book) -> None:
    """Ny arbejdsbog, Brancheredskab: open a fresh, empty Brancheredskab."""


def new_goals(book: xw.Book) -> None:
    """Ny arbejdsbog, Målstyring: open a fresh, empty Målstyring for this year."""


def expect_tool(book: xw.Book, tool: Tool, label: str) -> None:
    """Refuse a workbook that is not ``tool``'s (called ``label`` to the user), recognised by the
    defined names only that tool's workbooks carry."""
    names = {name.name.casefold() for name in book.names}
    if not tool.names <= names:
        raise Invalid(f"{book.name}: er ikke en {label}-projektmappe – åbn en {label}-projektmappe, og prøv igen")
