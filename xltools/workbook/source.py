"""What a tool reads of a workbook, and the inputs it fills in — at the level of names, tables, lists
and blocks, from either side.

One small interface with two implementations: ``FileSource`` reads the file on disk (the CLI's
``recalc``: its own reader of the sheets' XML for cells, blocks and whole tables), and
``xltools.excel.live.LiveSource`` reads the book open in Excel through xlwings (the ribbon's buttons),
never the file. The tools' reading and validation are written once against this interface, so a
button and the command line judge a workbook alike.

Cell values come as one vocabulary on both sides: None for an empty cell, float for a number, str,
bool; a date in a table is a ``datetime`` where Excel says it is one (the live book) and its serial
number in the file (read without the styles that show a number as a date), and the tools accept both;
a named cell or a block gives a date's serial number on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import takewhile
from typing import Any, Protocol

from xltools.core.logic import serial
from xltools.errors import Invalid
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import Area, cell_name
from xltools.workbook.sheetxml import MAX_ROWS
from xltools.workbook.values import CellKey

Cell = float | str | bool | datetime | None
Value = float | str | bool | None
"""A cell's value where a date is its serial number (blocks of a sheet, named cells)."""


@dataclass(frozen=True)
class NamedCell:
    """The first cell of a defined name: where it is, what it shows, whether a formula computes it."""

    sheet: str
    row: int
    col: int
    value: Value
    formula: bool

    @property
    def where(self) -> str:
        return f"{self.sheet}!{cell_name(self.row, self.col)}"


@dataclass(frozen=True)
class TableData:
    """A table's place, its header row (None when the table shows none) and its data rows (blank rows
    included), as the cells hold them."""

    area: Area
    headers: tuple[Cell, ...] | None
    rows: list[list[Cell]]


class Source(Protocol):
    """A workbook as a tool reads it."""

    @property
    def label(self) -> str:
        """The workbook's name in messages."""
        ...

    def named_cell(self, name: str) -> NamedCell | None:
        """The first cell of a workbook-level defined name, or None without the name."""
        ...

    def table(self, name: str, width: int | None = None) -> TableData | None:
        """An Excel table's data rows — their first ``width`` cells, if given (the columns a tool reads,
        not the computed ones after them) — or None without the table."""
        ...

    def column(self, sheet: str, col: int, first_row: int) -> list[Cell]:
        """The cells down ``col`` from ``first_row`` until the first empty one (a list a team extends)."""
        ...

    @property
    def sheet_names(self) -> list[str]: ...

    def block(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[list[Value]]:
        """A rectangle's values row by row (dates as serial numbers, None for empty): one read."""
        ...

    def named_cells(self, name: str) -> list[Value] | None:
        """Every cell of a defined name's range, row by row, or None without the name."""
        ...

    def formula_cells(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
        """The cells of a rectangle that a formula computes, row by row (an input a user computes)."""
        ...

    def fill(self, cells: Mapping[CellKey, float]) -> None:
        """Type numbers into empty input cells (sheet, 0-based row and column), as a user would.

        Refuses (``Invalid``), writing nothing, when one of them is no longer empty: a typed value or
        a formula is never replaced. The file side queues the edits for the package's safe save.
        """
        ...


def occupied(cells: Iterable[CellKey]) -> Invalid:
    """The refusal when cells to fill hold a value or a formula meanwhile: one line per cell."""
    return Invalid(
        *(f"{sheet}!{cell_name(row, col)}: er ikke tom længere – intet er udfyldt" for sheet, row, col in sorted(cells))
    )


def as_cell(value: Any) -> Cell:
    """A cell value in the interface's vocabulary: "" is empty, whole numbers are floats, a date a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | str | float | datetime):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return str(value)


def until_empty(values: Iterable[Any]) -> list[Cell]:
    """The values as cells, up to the first empty one: a list a team extends downwards."""
    return list(takewhile(lambda cell: cell is not None, map(as_cell, values)))


def as_serial(value: Any) -> Value:
    """A named cell's value as the formulas see it: a date is its serial number (time of day kept)."""
    cell = as_cell(value)  # a date becomes a datetime at midnight
    if isinstance(cell, datetime):
        midnight = datetime.combine(cell.date(), datetime.min.time())
        return serial(cell.date()) + (cell - midnight).total_seconds() / 86400
    return cell


class FileSource:
    """The file on disk, read through the package: one reader of its XML for cells, blocks and tables."""

    def __init__(self, package: XlsxPackage) -> None:
        self.package = package

    @property
    def label(self) -> str:
        return str(self.package.path)

    def named_cell(self, name: str) -> NamedCell | None:
        area = self.package.area(name)
        if area is None:
            return None
        value = self.package.value(area.sheet, *area.first)
        return NamedCell(area.sheet, *area.first, value, self.package.has_formula(area.sheet, *area.first))

    def table(self, name: str, width: int | None = None) -> TableData | None:
        area = self.package.table(name)
        if area is None:
            return None
        headers = None
        if self.package.table_shows_headers(name):  # read from the top of the sheet, not a pass over it
            header = (area.first[0], area.last[1])
            headers = tuple(self.package.block(area.sheet, area.first, header, True)[0])
        if area.last[0] == area.first[0]:
            return TableData(area, headers, [])  # a header and no rows
        last = area.last if width is None else (area.last[0], min(area.last[1], area.first[1] + width - 1))
        computed = range(last[1] + 1, area.last[1] + 1)  # the columns after: kept for the review of a large sheet
        block = self.package.block(area.sheet, (area.first[0] + 1, area.first[1]), last, True, computed)
        rows: list[list[Cell]] = [[None if value == "" else value for value in row] for row in block]  # "" is empty
        return TableData(area, headers, rows)

    def column(self, sheet: str, col: int, first_row: int) -> list[Cell]:
        package = self.package  # an error value is blank, as Excel hands it to xlwings: it ends the list
        return until_empty(
            None if package.shows_error(sheet, row, col) else package.value(sheet, row, col)
            for row in range(first_row, MAX_ROWS)
        )

    @property
    def sheet_names(self) -> list[str]:
        return self.package.sheet_names

    def block(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[list[Value]]:
        return self.package.block(sheet, first, last)

    def named_cells(self, name: str) -> list[Value] | None:
        area = self.package.area(name)
        if area is None:
            return None
        return [value for row in self.package.block(area.sheet, area.first, area.last) for value in row]

    def formula_cells(self, sheet: str, first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
        has_formula = self.package.has_formula
        return [
            (row, col)
            for row in range(first[0], last[0] + 1)
            for col in range(first[1], last[1] + 1)
            if has_formula(sheet, row, col)
        ]

    def fill(self, cells: Mapping[CellKey, float]) -> None:
        package = self.package
        taken = [key for key in cells if package.value(*key) is not None or package.has_formula(*key)]
        if taken:
            raise occupied(taken)
        for key, value in cells.items():
            package.set_constant(*key, value)
