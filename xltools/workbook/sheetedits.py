"""Edits queued for one sheet: single cells, and runs down a column that stand for thousands of cells.

A table's computed column over 100,000 rows is one ``Run`` (a list of values, one formula), not
100,000 objects; the patcher asks for a row's edits as it reaches the row, so the edits take the
memory of their values and the pass stays linear in rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from xltools.workbook.values import CellValue


class Kind(Enum):
    """What an edit asks of a cell."""

    CACHED = "cached"
    """The cached value of a formula cell; the formula must be there."""
    FILL = "fill"
    """A computed table column: the cached value; the formula is put into a cell that is empty."""
    SHOW = "show"
    """A value the tool owns: typed in when the cell shows anything else (None clears it)."""
    TYPE = "type"
    """A value typed in as a user would, replacing whatever the cell holds (None clears it)."""
    FORMULA = "formula"
    """A formula with its cached value, replacing whatever the cell holds."""
    ANCHOR = "anchor"
    """The top-left cell of a dynamic array: the formula must be there; its cached value, and the
    array's range (``formula`` holds it, e.g. "A5:I40") set to the current result's size."""
    SPILLED = "spilled"
    """Another cell of a dynamic array's result: a cached value without a formula (None clears it)."""


class Edit(NamedTuple):
    """One cell's edit (a tuple: a run makes one per row as the pass reaches it)."""

    kind: Kind
    value: CellValue
    formula: str | None = None


_new_edit = tuple.__new__  # an Edit without NamedTuple's own __new__: a run makes one per row, twice


@dataclass(frozen=True)
class Run:
    """The same kind of edit down one column from ``first_row``, one value per row."""

    col: int
    first_row: int
    values: Sequence[CellValue]
    kind: Kind
    formula: str | None = None

    def edit(self, row: int) -> Edit | None:
        index = row - self.first_row
        if 0 <= index < len(self.values):
            return Edit(self.kind, self.values[index], self.formula)
        return None


class SheetPatch:
    """The edits queued for one sheet; a single-cell edit wins over a run, a later run over an earlier."""

    def __init__(self) -> None:
        self._cells: dict[int, dict[int, Edit]] = {}
        self._runs: list[Run] = []
        self._by_col: list[Run] = []
        self.anchored = False
        """Whether an edit is a dynamic array's anchor (``Kind.ANCHOR``)."""

    def __bool__(self) -> bool:
        return bool(self._cells or self._runs)

    def put(self, row: int, col: int, edit: Edit) -> None:
        self._cells.setdefault(row, {})[col] = edit
        self.anchored |= edit.kind is Kind.ANCHOR

    def add(self, run: Run) -> None:
        self._runs.append(run)
        self._by_col = sorted(self._runs, key=lambda run: run.col)  # stable: a later run after an earlier

    def get(self, row: int, col: int) -> Edit | None:
        edit = self._cells.get(row, {}).get(col)
        for run in reversed(self._runs):
            if edit is not None:
                break
            edit = run.edit(row) if run.col == col else None
        return edit

    def rows(self) -> list[int]:
        """Every row with an edit, ascending."""
        rows = set(self._cells)
        for run in self._runs:
            rows.update(range(run.first_row, run.first_row + len(run.values)))
        return sorted(rows)

    def spans(self) -> list[tuple[int, int, int]]:
        """Where the edits lie: (column, first row, last row) of every run and every single cell."""
        found = [(run.col, run.first_row, run.first_row + len(run.values) - 1) for run in self._runs if run.values]
        return found + [(col, row, row) for row, cells in self._cells.items() for col in cells]

    def edits(self, row: int) -> dict[int, Edit]:
        """The edits of one row by column, ascending."""
        found: dict[int, Edit] = {}
        for run in self._by_col:
            index = row - run.first_row
            if 0 <= index < len(run.values):
                found[run.col] = _new_edit(Edit, (run.kind, run.values[index], run.formula))
        cells = self._cells.get(row)
        if cells:
            found.update(cells)
            return dict(sorted(found.items()))
        return found
