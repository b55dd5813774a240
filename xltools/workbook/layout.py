"""Blocks: named rectangles of computed cells, the unit shared by building and recalculation.

The builder writes each block's formulas (rendered from its expressions) with cached values; the
recalculation finds the block again by its defined name, wherever rows have moved it, evaluates the
same expressions and writes only the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from xltools.core.expr import Cell, Const, Expr, Ref, Value, substitute
from xltools.workbook.refs import Area, cell_name, quote_sheet


@dataclass(frozen=True)
class Block:
    """A rectangle of computed cells with a workbook-level defined name over it.

    A None in ``exprs`` is a hole: a cell of the rectangle that is not computed (a section header row
    inside a column of totals, say).
    """

    name: str
    sheet: str
    anchor: tuple[int, int]
    exprs: tuple[tuple[Expr | None, ...], ...]
    column_formats: tuple[str, ...] = ("#,##0",)
    cell_formats: tuple[tuple[str, ...], ...] = ()
    """Number formats cell by cell (the shape of ``exprs``), for a block whose rows differ in unit (whole
    numbers on one row, hours with a decimal on the next); when given, they replace ``column_formats``."""
    style: tuple[tuple[str, object], ...] = ()
    """XlsxWriter format properties of every cell (bold, fill, alignment), beside the number format."""
    chained: bool = False
    """Whether cells build on earlier cells of the block (a running total): evaluated in order, each
    such sub-tree is read from that cell's value, as the sheet's formula refers to the cell — n
    evaluations for a chain of n cells, not n²/2. (Looking for them costs a walk of every tree.)"""

    def number_format(self, column: int, row: int = 0) -> str:
        """Excel number format of a block cell (of a column: the last column format given repeats)."""
        if self.cell_formats:
            return self.cell_formats[row][column]
        return self.column_formats[min(column, len(self.column_formats) - 1)]

    @property
    def area(self) -> Area:
        rows, cols = len(self.exprs), len(self.exprs[0])
        last = (self.anchor[0] + rows - 1, self.anchor[1] + cols - 1)
        return Area(self.sheet, self.anchor, last)

    def cells(self, anchor: tuple[int, int] | None = None) -> Iterator[tuple[int, int, Expr]]:
        """(row, col, expression) of every cell, placed at ``anchor`` (default: the template's)."""
        top, left = anchor or self.anchor
        for r, row in enumerate(self.exprs):
            for c, expr in enumerate(row):
                if expr is not None:
                    yield top + r, left + c, expr

    def values(self, env: Mapping[str, Value], known: Mapping[int, Value] | None = None) -> list[list[Value]]:
        """Every cell's value (None in a hole), row by row; in a block that is not ``chained``, a cell whose
        expression is one of ``known``'s (by ``id``: the very object, evaluated already for another
        block) takes that value."""
        if not self.chained:
            known = known or {}
            return [[None if expr is None else _value(expr, env, known) for expr in row] for row in self.exprs]
        scratch = dict(env)  # plus the cells later ones read
        grid: list[list[Value]] = []
        for r, row in enumerate(self._steps):
            grid.append([])
            for c, expr in enumerate(row):
                value = None if expr is None else expr.evaluate(scratch)
                scratch[_cell_key(self.name, r, c)] = value
                grid[-1].append(value)
        return grid

    @cached_property
    def _steps(self) -> tuple[tuple[Expr | None, ...], ...]:
        """The expressions as a ``chained`` block evaluates them: a sub-tree that is an earlier cell's
        own expression (the very object) reads that cell's value."""
        earlier: dict[int, Expr] = {}
        done: dict[int, object] = {}
        steps = []
        for r, row in enumerate(self.exprs):
            step: list[Expr | None] = []
            for c, expr in enumerate(row):
                step.append(None if expr is None else substitute(expr, earlier, done))
                if expr is not None and not isinstance(expr, (Ref, Const, Cell)):
                    earlier[id(expr)] = Ref(_cell_key(self.name, r, c))
            steps.append(tuple(step))
        return tuple(steps)


def _value(expr: Expr, env: Mapping[str, Value], known: Mapping[int, Value]) -> Value:
    return known[id(expr)] if id(expr) in known else expr.evaluate(env)


def _cell_key(block: str, row: int, col: int) -> str:
    return f"{block}|celle|{row}|{col}"


@dataclass(frozen=True)
class Spilling:
    """One formula at ``anchor`` whose result (a dynamic array) sizes itself: a list a team extends in
    Excel is shown and counted without Python. xltools writes the current result over exactly its range
    with cached values (LibreOffice fills the stored range; Excel re-spills as data grows).

    With ``rows`` (an Excel expression for the result's row count) a defined ``name`` covers the
    result's cells, growing with it: the charts show it by that name.
    """

    name: str
    sheet: str
    anchor: tuple[int, int]
    expr: Expr
    formats: tuple[str, ...] = ("#,##0",)
    """Number formats column by column (the last repeats)."""
    rows: str | None = None

    def definition(self) -> str:
        """The defined name's formula (only for a spilling with ``rows``)."""
        corner = f"{quote_sheet(self.sheet)}!{cell_name(*self.anchor, absolute=True)}"
        return f"=OFFSET({corner},0,0,{self.rows},1)"

    def number_format(self, column: int) -> str:
        return self.formats[min(column, len(self.formats) - 1)]

    def values(self, env: Mapping[str, Value]) -> list[list[Value]]:
        """The result as rows of cell values (numbers as floats, text as str, "" for an empty cell)."""
        result = self.expr.evaluate(env)
        grid = result if hasattr(result, "shape") else [[result]]
        return [[_cell_value(value) for value in row] for row in grid]  # type: ignore[union-attr]


def _cell_value(value: object) -> Value:
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


class Placements:
    """Where each computed expression first appears, found once for all blocks and read per sheet.

    A cell that only shows an input or a constant is not a computed result: other formulas keep
    naming the input (``Aar``) rather than the cell that happens to show it.
    """

    def __init__(self, blocks: Iterable[Block]) -> None:
        self._cells: dict[Expr, tuple[str, str]] = {}
        for block in blocks:
            for row, col, expr in block.cells():
                if not isinstance(expr, (Ref, Const, Cell)):
                    self._cells.setdefault(expr, (block.sheet, cell_name(row, col)))

    def on(self, sheet: str) -> Mapping[Expr, str]:
        """The placements as references usable in a formula on ``sheet``."""
        return _PlacedOn(self._cells, sheet)


class _PlacedOn(Mapping[Expr, str]):
    def __init__(self, cells: dict[Expr, tuple[str, str]], sheet: str) -> None:
        self._cells, self._sheet = cells, sheet

    def __getitem__(self, expr: Expr) -> str:
        sheet, cell = self._cells[expr]
        return cell if sheet == self._sheet else f"{quote_sheet(sheet)}!{cell}"

    def __iter__(self) -> Iterator[Expr]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)


def formula(expr: Expr, row: int, col: int, placed: Mapping[Expr, str]) -> str:
    """The formula for a cell: a reference when the same value is already shown elsewhere."""
    elsewhere = placed.get(expr)
    if elsewhere is not None and elsewhere != cell_name(row, col):
        return "=" + elsewhere
    return "=" + expr.render(placed)
