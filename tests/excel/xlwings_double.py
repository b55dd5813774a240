"""A test double of xlwings' object model over a real workbook file: what Excel would hand over.

Built from an .xlsx (openpyxl reads the cached values and, separately, the formulas), it follows
xlwings' documented conversions — a single cell is a scalar, one row or one column a list, a block a
list of lists unless ``.options(ndim=…)`` says otherwise; numbers are floats; an empty cell is None;
a cell formatted as a date is a ``datetime`` — and implements only what the handlers use: a call it
does not implement fails with AttributeError, as it should in a test. Writes are recorded (and show
in later reads), so a test can prove what a handler wrote, or that it wrote nothing. The add-in's
dialogs (``app.macro``) answer from a script the test gives, and files the handlers open are recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries

Grid = dict[tuple[int, int], Any]


def _plain(value: Any) -> Any:
    """A value as xlwings gives it: whole numbers as floats, "" as None."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, datetime)):
        return None if value == "" else value
    if isinstance(value, (int, float)):
        return float(value)
    return value


@dataclass
class FakeApp:
    calculations: int = 0
    calculation: str = "automatic"
    status_bar: Any = None
    alerts: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, list[str]] = field(default_factory=dict)
    """Macro name → what each call of it returns in turn (a dialog's text)."""
    macro_calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    books: FakeBooks = field(init=False)

    def __post_init__(self) -> None:
        self.books = FakeBooks(self)

    def calculate(self) -> None:
        self.calculations += 1

    def alert(self, prompt: str, **options: Any) -> None:
        self.alerts.append({"prompt": prompt, **options})

    def macro(self, name: str) -> Any:
        """``app.macro("'book'!Module.Function")``: the function, answering from ``answers``."""

        def run(*arguments: Any) -> Any:
            self.macro_calls.append((name, arguments))
            return self.answers[name].pop(0)

        return run


@dataclass
class FakeBooks:
    """The open books; ``open`` fails as xlwings does for a second book of the same name."""

    app: FakeApp
    books: list[FakeBook] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    added: list[FakeBook] = field(default_factory=list)

    def __iter__(self) -> Iterator[FakeBook]:
        return iter(self.books)

    def open(self, fullname: str) -> None:
        name = Path(fullname).name
        if any(book.name.casefold() == name.casefold() for book in self.books):
            raise ValueError(
                f"Cannot open two workbooks named '{name}', even if they are saved in different locations."
            )
        self.opened.append(fullname)
        self.books.append(FakeBook(name, self.app, fullname=fullname))

    def add(self) -> FakeBook:
        book = FakeBook(f"Mappe{len(self.added) + 1}", self.app)
        book.sheets.append(FakeSheet(book, "Ark1", {}, {}))
        self.added.append(book)
        self.books.append(book)
        return book


@dataclass
class FakeSheet:
    book: FakeBook
    name: str
    values: Grid
    formulas: Grid
    tables: list[FakeTable] = field(default_factory=list)
    locked: set[tuple[int, int]] = field(default_factory=set)
    """Cells a write fails on, as Excel refuses a locked cell of a protected sheet."""

    def range(self, first: tuple[int, int], last: tuple[int, int] | None = None) -> FakeRange:
        """``sheet.range((row, col))`` or ``sheet.range((r1, c1), (r2, c2))``, 1-based as in xlwings."""
        last = last or first
        return FakeRange(self, first[0], first[1], last[0], last[1])


@dataclass
class FakeRange:
    sheet: FakeSheet
    top: int
    left: int
    bottom: int
    right: int
    ndim: int | None = None

    @property
    def row(self) -> int:
        return self.top

    @property
    def column(self) -> int:
        return self.left

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.bottom, self.right, self.bottom, self.right)

    def __getitem__(self, key: tuple[int, int]) -> FakeRange:
        row, col = key
        return FakeRange(self.sheet, self.top + row, self.left + col, self.top + row, self.left + col)

    def resize(self, row_size: int | None = None, column_size: int | None = None) -> FakeRange:
        bottom = self.bottom if row_size is None else self.top + row_size - 1
        right = self.right if column_size is None else self.left + column_size - 1
        return FakeRange(self.sheet, self.top, self.left, bottom, right, self.ndim)

    def options(self, ndim: int | None = None) -> FakeRange:
        return FakeRange(self.sheet, self.top, self.left, self.bottom, self.right, ndim)

    def expand(self, mode: str) -> FakeRange:
        if mode != "down":
            raise AttributeError(f"the double implements expand('down') only, not {mode!r}")
        bottom = self.bottom
        while self.sheet.values.get((bottom + 1, self.left)) is not None:
            bottom += 1
        return FakeRange(self.sheet, self.top, self.left, bottom, self.right, self.ndim)

    @property
    def value(self) -> Any:
        grid = [
            [_plain(self.sheet.values.get((row, col))) for col in range(self.left, self.right + 1)]
            for row in range(self.top, self.bottom + 1)
        ]
        if self.ndim == 2:
            return grid
        if self.ndim == 1 or len(grid) == 1 or len(grid[0]) == 1:
            flat = [value for row in grid for value in row]
            return flat if self.ndim == 1 or len(flat) > 1 else flat[0]
        return grid

    @value.setter
    def value(self, new: Any) -> None:
        """A 2-D list fills the range row by row; anything else is one cell's value. As in Excel, text
        that starts with "=" becomes a formula (not computed here), and a leading apostrophe is the
        text prefix, not part of the value."""
        cells = {(row, col) for row in range(self.top, self.bottom + 1) for col in range(self.left, self.right + 1)}
        if cells & self.sheet.locked:
            raise RuntimeError("The cell or chart you're trying to change is on a protected sheet.")
        self.sheet.book.writes.append((self.sheet.name, self.top, self.left, new))
        if new is None:  # clears the range
            for cell in cells:
                self.sheet.values.pop(cell, None)
                self.sheet.formulas.pop(cell, None)
            return
        rows = new if isinstance(new, list) else [[new]]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = (self.top + i, self.left + j)
                if isinstance(value, str) and value.startswith("="):
                    self.sheet.values[cell], self.sheet.formulas[cell] = None, value
                    continue
                self.sheet.formulas[cell] = value  # as typed, the prefix included
                self.sheet.values[cell] = value[1:] if isinstance(value, str) and value.startswith("'") else value

    @property
    def formula(self) -> Any:
        """One cell's formula (its value as text when typed, "" when empty); several cells' as a tuple of
        row tuples, as Excel's ``Range.Formula`` gives them."""
        cells = [
            tuple(self._formula(row, col) for col in range(self.left, self.right + 1))
            for row in range(self.top, self.bottom + 1)
        ]
        return cells[0][0] if len(cells) == 1 and len(cells[0]) == 1 else tuple(cells)

    def _formula(self, row: int, col: int) -> str:
        found = self.sheet.formulas.get((row, col))
        return found if isinstance(found, str) and found.startswith("=") else str(_plain(found) or "")


@dataclass
class FakeTable:
    name: str
    range: FakeRange
    header_row_range: FakeRange | None
    data_body_range: FakeRange | None


@dataclass
class FakeName:
    name: str
    refers_to_range: FakeRange


class FakeSheets(list[FakeSheet]):
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(sheet for sheet in self if sheet.name == key)
        return super().__getitem__(key)


@dataclass
class FakeBook:
    name: str
    app: FakeApp = field(default_factory=FakeApp)
    fullname: str = ""
    sheets: FakeSheets = field(default_factory=FakeSheets)
    names: list[FakeName] = field(default_factory=list)
    writes: list[tuple[str, int, int, Any]] = field(default_factory=list)


def open_book(path: Path) -> FakeBook:
    """The workbook at ``path`` as xlwings would show it open in Excel (cached values, formulas)."""
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path, data_only=False)
    book = FakeBook(Path(path).name, fullname=str(path))
    book.app.books.books.append(book)
    for sheet in values.worksheets:
        cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
        texts = {
            (c.row, c.column): c.value for row in formulas[sheet.title].iter_rows() for c in row if c.value is not None
        }
        fake = FakeSheet(book, sheet.title, cells, texts)
        for table in formulas[sheet.title].tables.values():
            left, top, right, bottom = range_boundaries(table.ref)
            whole = FakeRange(fake, top, left, bottom, right)
            body = FakeRange(fake, top + 1, left, bottom, right) if bottom > top else None
            header = FakeRange(fake, top, left, top, right)
            fake.tables.append(FakeTable(table.displayName, whole, header, body))
        book.sheets.append(fake)
    for name, defined in formulas.defined_names.items():
        try:
            destinations = list(defined.destinations) if defined.type == "RANGE" else []
        except (ValueError, KeyError):  # OFFSET(…) and other formulas: not one range
            destinations = []
        if len(destinations) == 1:
            sheet_name, ref = destinations[0]
            left, top, right, bottom = range_boundaries(ref.replace("$", ""))
            book.names.append(FakeName(name, FakeRange(book.sheets[sheet_name], top, left, bottom, right)))
        else:
            book.names.append(FakeName(name, None))  # type: ignore[arg-type]  # xlwings fails on it too
    return book
