"""Array expressions: figures per list entry, filtered and sorted lists — dynamic arrays in Excel 365.

Each node renders one formula that Excel 365 spills by itself (so a list a team extends in Excel is
counted without any Python), and evaluates in Python to the same 2-D result, which xltools writes as
the formula's cached values over exactly the result's range (LibreOffice fills the stored range and does
not spill further; Excel re-spills).

Text keys are compared with Excel's ``=`` — literally and case-insensitively — never with SUMIFS
criteria, where ``*``, ``?``, ``~`` and a leading ``<``, ``>`` or ``=`` are operators and engines disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from xltools.core.expr import Expr, Placed, Value
from xltools.core.logic import memo

Grid = np.ndarray
"""A 2-D object array: rows × columns of cell values ("" for an empty text result)."""


def excel_key(value: object) -> object:
    """What Excel's ``=`` compares: text case-insensitively, a blank as "", numbers as numbers."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, bool):
        return ("bool", value)
    return float(value)  # type: ignore[arg-type]


def excel_groups(values: np.ndarray) -> tuple[np.ndarray, dict[object, int]]:
    """Each value's group under Excel's ``=``, numbered in order of first appearance, and the numbers
    by ``excel_key``; computed once per column (thirty figures read the same column)."""

    def numbered(array: np.ndarray) -> tuple[np.ndarray, dict[object, int]]:
        numbers: dict[object, int] = {}
        groups = (numbers.setdefault(excel_key(value), len(numbers)) for value in array)
        return np.fromiter(groups, dtype=np.intp, count=len(array)), numbers

    return memo(values, "excel groups", numbered)


def _column(value: Value, length: int | None = None) -> np.ndarray:
    array = value if isinstance(value, np.ndarray) else np.full(length or 1, value, dtype=object)
    return array if array.ndim == 1 else array.ravel()  # the same object: its conversions are memoised


def _numbers(values: np.ndarray) -> np.ndarray:
    """Cells in arithmetic: a blank is 0 (text would be #VALUE! in Excel; validation keeps it out)."""
    if values.dtype.kind in "fiub":
        return np.nan_to_num(values.astype(float), nan=0.0)
    return memo(values, "arithmetic", lambda a: np.array([0.0 if v is None or v == "" else float(v) for v in a]))


@dataclass(frozen=True, eq=True)
class KeyedSum(Expr):
    """For each key, the sum of ``values`` (the count of rows when None) over rows whose ``column``
    equals the key and where every condition holds.

    ``MMULT(--(keys=TRANSPOSE(column)),values*(c1)*(c2))``: one column of figures, one per key.
    """

    keys: Expr
    column: Expr
    values: Expr | None = None
    conditions: tuple[Expr, ...] = ()

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        keys = _column(self.keys.evaluate(env))
        column = _column(self.column.evaluate(env))
        weights = np.ones(len(column)) if self.values is None else _numbers(_column(self.values.evaluate(env)))
        for condition in self.conditions:
            weights = weights * np.asarray(_column(condition.evaluate(env), len(column)), dtype=float)
        codes, numbers = excel_groups(column)
        totals = np.bincount(codes, weights=np.where(np.isnan(weights), 0.0, weights), minlength=len(numbers))
        sums = [totals[group] if (group := numbers.get(excel_key(key))) is not None else 0.0 for key in keys]
        return np.array(sums, dtype=float).reshape(-1, 1)

    def _render(self, placed: Placed) -> str:
        keys, column = self._child(self.keys, placed), self._child(self.column, placed)
        factors = [] if self.values is None else [f"({self._child(self.values, placed)})"]
        factors += [f"({self._child(condition, placed)})" for condition in self.conditions]
        if not factors:
            weights = f"ROW({column})^0"  # a column of ones: a count of rows
        elif len(factors) == 1:
            weights = "--" + factors[0]  # a blank cell is 0 here; MMULT itself refuses blanks
        else:
            weights = "*".join(factors)
        return f"MMULT(--({keys}=TRANSPOSE({column})),{weights})"


@dataclass(frozen=True, eq=True)
class Spill(Expr):
    """A list shown as it is (``=ListeBrancher``): its entries, one per row."""

    source: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return _column(self.source.evaluate(env)).astype(object).reshape(-1, 1)

    def _render(self, placed: Placed) -> str:
        return self._child(self.source, placed)


@dataclass(frozen=True, eq=True)
class TableRows(Expr):
    """Chosen columns of a table's rows where ``keep`` holds, sorted by ``order`` (ascending, ties in the
    table's order), or "" when no row is kept.

    ``SORTBY(FILTER(INDEX(T[#Data],SEQUENCE(ROWS(T[#Data])),{i,…}),keep,""),FILTER(order,keep,""),1)``,
    with the chosen rows in a LET so a blank cell shows blank (INDEX gives 0 for it).
    """

    table: str
    positions: tuple[int, ...]
    """1-based columns of the table, in the order shown."""
    columns: tuple[Expr, ...]
    """The same columns as expressions, for Python."""
    keep: Expr
    order: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        data = [_column(column.evaluate(env)) for column in self.columns]
        keep = np.asarray(_column(self.keep.evaluate(env), len(data[0])), dtype=bool)
        if not keep.any():
            return np.full((1, 1), "", dtype=object)
        order = _column(self.order.evaluate(env), len(keep))[keep]
        rows = np.column_stack([column[keep] for column in data]).astype(object)
        ranks = np.fromiter(map(excel_key, order), dtype=object, count=len(order))
        return rows[np.argsort(ranks, kind="stable")] if len(rows) > 1 else rows

    def _render(self, placed: Placed) -> str:
        data = f"{self.table}[#Data]"
        positions = ",".join(str(position) for position in self.positions)
        keep = self._child(self.keep, placed)
        chosen = f"INDEX({data},_xlfn.SEQUENCE(ROWS({data})),{{{positions}}})"
        order = self._child(self.order, placed)
        # a blank cell of the table would show as 0: shown as blank, as in the table
        return (
            f"_xlfn.LET(_xlpm.rows,{chosen},_xlpm.keep,{keep},"
            f'IF(OR(_xlpm.keep),_xlfn.SORTBY(_xlfn._xlws.FILTER(IF(_xlpm.rows="","",_xlpm.rows),_xlpm.keep),'
            f'_xlfn._xlws.FILTER({order},_xlpm.keep),1),""))'
        )


@dataclass(frozen=True, eq=True)
class SortedBy(Expr):
    """``values`` sorted by ``by`` (descending when ``descending``), ties kept in their order: SORTBY."""

    values: Expr
    by: Expr
    descending: bool = True

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        values = np.asarray(self.values.evaluate(env), dtype=object).reshape(-1, 1)
        by = _numbers(_column(self.by.evaluate(env), len(values)))
        order = np.argsort(-by if self.descending else by, kind="stable")
        return values[order]

    def _render(self, placed: Placed) -> str:
        direction = -1 if self.descending else 1
        values, by = self._child(self.values, placed), self._child(self.by, placed)
        # one row is sorted already (LibreOffice's SORTBY refuses a single value)
        return (
            f"_xlfn.LET(_xlpm.values,{values},_xlpm.by,{by},"
            f"IF(COUNT(_xlpm.by)<2,_xlpm.values,_xlfn.SORTBY(_xlpm.values,_xlpm.by,{direction})))"
        )


@dataclass(frozen=True, eq=True)
class UniqueWhere(Expr):
    """The distinct values of ``column`` (Excel's ``=``: case-insensitively, the first spelling kept, in
    the order they first appear) on rows where ``keep`` holds, or "" when none: UNIQUE(FILTER(…))."""

    column: Expr
    keep: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        column = _column(self.column.evaluate(env))
        keep = np.asarray(_column(self.keep.evaluate(env), len(column)), dtype=bool)
        first: dict[object, object] = {}
        for value in column[keep]:
            first.setdefault(excel_key(value), "" if value is None else value)
        values = list(first.values()) or [""]
        return np.array(values, dtype=object).reshape(-1, 1)

    def _render(self, placed: Placed) -> str:
        column, keep = self._child(self.column, placed), self._child(self.keep, placed)
        return f'IF(OR({keep}),_xlfn.UNIQUE(_xlfn._xlws.FILTER({column},{keep})),"")'


@dataclass(frozen=True, eq=True)
class AllOf(Expr):
    """Conditions on whole columns, row by row: ``(c1)*(c2)*…`` (AND would collapse the arrays)."""

    conditions: tuple[Expr, ...]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        masks = [np.asarray(condition.evaluate(env), dtype=bool) for condition in self.conditions]
        return np.logical_and.reduce(np.broadcast_arrays(*masks)) if len(masks) > 1 else masks[0]

    def _render(self, placed: Placed) -> str:
        return "*".join(f"({self._child(condition, placed)})" for condition in self.conditions)
