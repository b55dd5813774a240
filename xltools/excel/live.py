"""The book open in Excel as a ``Source``: what the ribbon's buttons read, through xlwings, never the file.

xlwings hands values over as Excel holds them: None for an empty cell, floats, text, booleans, and
``datetime`` for a cell formatted as a date — the interface's vocabulary, so the tools' reading and
validation run unchanged. Whole tables and lists are read as one 2-D block each (one call to Excel),
not cell by cell; inputs are filled a run of cells down a column per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xltools.workbook.refs import Area
from xltools.workbook.source import Cell, NamedCell, TableData, Value, as_cell, as_serial, occupied, until_empty
from xltools.workbook.values import CellKey

Run = tuple[str, int, int, list[float]]
"""A sheet, a column, its first row and the numbers for the rows from there down (0-based)."""


class LiveSource:
    """A workbook open in Excel (``xw.Book``), read through xlwings."""

    def __init__(self, book: Any) -> None:
        self.book = book

    @property
    def label(self) -> str:
        return str(self.book.name)

    def _range(self, name: str) -> Any:
        """The range a workbook-level defined name refers to (names are case-insensitive), or None."""
        wanted = name.casefold()
        found = next((named for named in self.book.names if named.name.casefold() == wanted), None)
        return None if found is None else found.refers_to_range

    def named_cell(self, name: str) -> NamedCell | None:
        found = self._range(name)
        if found is None:
            return None
        cell = found[0, 0]
        formula = str(cell.formula or "").startswith("=")
        return NamedCell(cell.sheet.name, cell.row - 1, cell.column - 1, as_serial(cell.value), formula)

    def table(self, name: str, width: int | None = None) -> TableData | None:
        wanted = name.casefold()
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name.casefold() != wanted:
                    continue
                whole = table.range
                last = whole.last_cell
                area = Area(sheet.name, (whole.row - 1, whole.column - 1), (last.row - 1, last.column - 1))
                body = table.data_body_range
                if body is not None and width is not None and width < last.column - whole.column + 1:
                    body = body.resize(column_size=width)
                rows = [] if body is None else body.options(ndim=2).value
                header = table.header_row_range  # None when the table shows no header row
                headers = None if header is None else tuple(as_cell(value) for value in header.options(ndim=1).value)
                return TableData(area, headers, [[as_cell(value) for value in row] for row in rows])
        return None

    def column(self, sheet: str, col: int, first_row: int) -> list[Cell]:
        start = self.book.sheets[sheet].range((first_row + 1, col + 1))
        return until_empty(start.expand("down").options(ndim=1).value)

    @property
    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def block(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[list[Value]]:
        cells = self.book.sheets[sheet].range((first[0] + 1, first[1] + 1), (last[0] + 1, last[1] + 1))
        return [[as_serial(value) for value in row] for row in cells.options(ndim=2).value]

    def named_cells(self, name: str) -> list[Value] | None:
        found = self._range(name)
        if found is None:
            return None
        return [as_serial(value) for row in found.options(ndim=2).value for value in row]

    def formula_cells(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
        held = self.book.sheets[sheet].range((first[0] + 1, first[1] + 1), (last[0] + 1, last[1] + 1)).formula
        return [
            (first[0] + r, first[1] + c)
            for r, row in enumerate(_rows(held, last[1] - first[1] + 1))
            for c, text in enumerate(row)
            if str(text or "").startswith("=")
        ]

    def fill(self, cells: Mapping[CellKey, float]) -> None:
        """Every cell is checked before any is written — its formula and what it shows (a cell inside a
        dynamic array's result has no formula of its own) — and each run down a column is one call each
        way. Excel calculates once afterwards, not after every run; if a write fails part-way (a locked
        cell, a busy Excel), the runs already written are emptied again, so nothing is half-filled."""
        runs = [(self._run_range(run), run) for run in _runs(cells)]
        taken = [
            (sheet, top + i, col)
            for held, (sheet, col, top, _) in runs
            for i, (text, shown) in enumerate(zip(_column(held.formula), held.options(ndim=2).value, strict=True))
            if text not in (None, "") or shown != [None]
        ]
        if taken:
            raise occupied(taken)
        app = self.book.app
        calculation, app.calculation = app.calculation, "manual"
        written = []
        try:
            for held, (_, _, _, values) in runs:
                held.value = [[value] for value in values]
                written.append(held)
        except BaseException:
            for held in written:
                held.value = None  # they were empty before
            raise
        finally:
            app.calculation = calculation

    def _run_range(self, run: Run) -> Any:
        sheet, col, top, values = run
        return self.book.sheets[sheet].range((top + 1, col + 1), (top + len(values), col + 1))


def _runs(cells: Mapping[CellKey, float]) -> list[Run]:
    """The cells as runs of consecutive rows down each column of a sheet."""
    runs: list[Run] = []
    for (sheet, row, col), value in sorted(cells.items(), key=lambda item: (item[0][0], item[0][2], item[0][1])):
        last = runs[-1] if runs else None
        if last is not None and last[:2] == (sheet, col) and last[2] + len(last[3]) == row:
            last[3].append(value)
        else:
            runs.append((sheet, col, row, [value]))
    return runs


def _rows(formulas: Any, width: int) -> list[list[Any]]:
    """A range ``width`` cells wide: its ``.formula`` as rows. Excel gives one cell's as text, several as
    rows of cells; a flat sequence is one row when the range is wider than one cell, else a column."""
    if not isinstance(formulas, list | tuple):
        return [[formulas]]
    if formulas and not isinstance(formulas[0], list | tuple):
        return [list(formulas)] if width > 1 else [[text] for text in formulas]
    return [list(row) for row in formulas]


def _column(formulas: Any) -> list[Any]:
    """A one-column range's ``.formula`` as a list."""
    return [row[0] for row in _rows(formulas, 1)]
