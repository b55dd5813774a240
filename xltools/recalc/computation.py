"""What a tool's recalculation produces, and the shared step for tools made of inputs and blocks.

A tool reads its workbook and returns a ``Computation``: the cached values of its formula cells, the
cells it owns as plain values, whole columns of either (one entry for a table's 100,000 rows), and
its results for the report. The engine does the rest — checking, writing, chart caches, atomic
save — the same way for every tool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xltools.core.expr import Value
from xltools.core.inputs import InputSpec, InvalidInput, validate
from xltools.core.logic import from_serial, serial
from xltools.errors import Invalid, Unreadable
from xltools.messages import quote
from xltools.workbook.layout import Block
from xltools.workbook.package import CellKey, XlsxPackage
from xltools.workbook.refs import cell_name
from xltools.workbook.source import Source


@dataclass(frozen=True)
class Context:
    """The dates a recalculation needs: the one asked for (``--as-of``), the one the file recorded
    for its cached values, and today's (from a clock tests can set)."""

    today: date
    as_of: date | None = None
    recorded: date | None = None
    check: bool = False

    def reporting_date(self) -> date:
        """``--as-of`` if given; when checking, the date the cached values were computed for; else today."""
        if self.as_of is not None:
            return self.as_of
        if self.check and self.recorded is not None:
            return self.recorded
        return self.today


@dataclass(frozen=True)
class Column:
    """Cells down one column from ``first_row``, one value per row: a table's computed column (its
    cached values, and its ``formula`` for rows that lack one) or, without a formula, values the tool
    owns. Checked and written in one pass over the sheet, never cell by cell."""

    sheet: str
    col: int
    first_row: int
    values: Sequence[Value | None]
    formula: str | None = None


@dataclass(frozen=True)
class Spilled:
    """A dynamic array's current result, anchored at (``row``, ``col``): written over exactly its range,
    the previous range's other cells cleared (LibreOffice fills the stored range; Excel re-spills)."""

    sheet: str
    row: int
    col: int
    grid: Sequence[Sequence[Value]]


@dataclass
class Computation:
    values: dict[CellKey, Value] = field(default_factory=dict)
    """New cached values of formula cells."""
    constants: dict[CellKey, Value | None] = field(default_factory=dict)
    """Cells the tool owns as plain values (None clears a cell)."""
    results: dict[str, Any] = field(default_factory=dict)
    as_of: date | None = None
    """The reporting date the values were computed for, when the tool uses one."""
    columns: list[Column] = field(default_factory=list)
    """Runs of cells down a column (a table's computed columns, a list the tool writes)."""
    chart_rows: dict[tuple[str, int], int] = field(default_factory=dict)
    """(sheet, first row) → last row: chart series starting there are resized to end there."""
    spills: list[Spilled] = field(default_factory=list)
    """Dynamic arrays' results."""
    named_series: dict[str, list[Value]] = field(default_factory=dict)
    """Defined name → its points, for chart series over names (their caches)."""


def reporting_date(package: XlsxPackage, context: Context, computation: Computation, name: str) -> date:
    """The date a workbook's figures are for: the named cell's typed date, or — while it holds
    =TODAY() — the context's date, which is then cached in the cell and recorded."""
    return from_serial(reporting_serial(package, context, computation, name))


def reporting_serial(package: XlsxPackage, context: Context, computation: Computation, name: str) -> float:
    """``reporting_date`` as Excel's serial number: a typed date keeps its time of day, as formulas see it."""
    area = package.area(name)
    if area is None:
        raise Unreadable(f"{package.path}: navnet {name} mangler")
    if package.has_formula(area.sheet, *area.first):
        as_of = context.reporting_date()
        computation.values[(area.sheet, *area.first)] = serial(as_of)
        computation.as_of = as_of
        return serial(as_of)
    typed = package.value(area.sheet, *area.first)
    if isinstance(typed, float) and 1 <= typed < 2958466:
        computation.as_of = from_serial(typed)
        return typed
    where = f"{area.sheet}!{cell_name(*area.first)}"
    raise Invalid(f"{where} (Opgørelsesdato): skal være en dato eller =I DAG() — fundet: {quote(typed)}")


def read_inputs(source: Source, inputs: Sequence[InputSpec]) -> dict[str, Value]:
    """Validated inputs keyed by defined name; a broken rule stops with sheet, cell, rule and value.
    ``source`` is the file (the CLI) or the book open in Excel (the ribbon): judged alike."""
    raw: dict[str, object] = {}
    where: dict[str, str] = {}
    for spec in inputs:
        assert spec.defined_name
        cell = source.named_cell(spec.defined_name)
        if cell is None:
            raise Unreadable(f"{source.label}: navnet {spec.defined_name} mangler")
        raw[spec.key] = cell.value
        where[spec.key] = cell.where
    try:
        typed = validate(inputs, raw, where)
    except InvalidInput as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None
    return {spec.defined_name: typed[spec.key] for spec in inputs if spec.defined_name}


def compute_blocks(
    package: XlsxPackage,
    blocks: Sequence[Block],
    env: dict[str, Value],
    evaluated: Mapping[str, list[list[Value]]] | None = None,
) -> Computation:
    """Every block's values at its current place (found by defined name), and results by block name;
    the values of blocks in ``evaluated`` (by name) are taken as they are, not evaluated again — nor are
    their cells' expressions where another block shows the same ones (a Målstyring's week totals are
    both its Data series and each week's I alt column)."""
    computation = Computation()
    evaluated = evaluated or {}
    known = {
        id(expr): value
        for block in blocks
        if block.name in evaluated
        for exprs, values in zip(block.exprs, evaluated[block.name], strict=True)
        for expr, value in zip(exprs, values, strict=True)
        if expr is not None
    }
    for block in blocks:
        area = package.area(block.name)
        if area is None or (
            area.last[0] - area.first[0] + 1 != len(block.exprs)
            or area.last[1] - area.first[1] + 1 != len(block.exprs[0])
        ):
            raise Unreadable(f"{package.path}: blokken {block.name} mangler eller er ændret")
        top, left = area.first
        grid = evaluated.get(block.name) or block.values(env, known)
        for row, col, _ in block.cells(area.first):  # a typed-over cell is refused when they are queued
            computation.values[(area.sheet, row, col)] = grid[row - top][col - left]
        computation.results[block.name] = [
            [
                None if expr is None else computation.values[(area.sheet, top + r, left + c)]
                for c, expr in enumerate(row)
            ]
            for r, row in enumerate(block.exprs)
        ]
    return computation
