"""Excel UDFs (xlwings), generated from the calculations — never written by hand.

Point xlwings' ``UDF_MODULES`` at ``xltools.excel.udfs`` and Excel gets ``=CAPACITY(...)``,
``=FTE_NEEDED(...)`` and ``=YEARLY_CONVERSATIONS(...)``. Every argument accepts a single value or a
range; ranges are computed element by element and broadcast like NumPy (a 1×1 argument or a
row/column that matches). A cell whose input breaks a rule gets a short Danish reason starting with
"#" ("#VÆRDI! andel skal være mellem 0 og 1 (0 %–100 %)") instead of a Python traceback: the
consultant sees which argument and which rule in the cell itself, and the other cells still compute.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import xlwings as xw

from xltools.core.calculation import Calculation
from xltools.core.collector import collector_paused
from xltools.core.inputs import InvalidInput
from xltools.tools import all_calculations

CATEGORY = "xltools"
Grid = list[list[Any]]


def _as_grid(value: Any) -> Grid:
    """xlwings hands over a scalar, a 1-D list or a 2-D list; make it 2-D."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


def error_text(error: InvalidInput) -> str:
    """The short cell text for a broken rule, e.g. "#VÆRDI! andel skal være mellem 0 og 1"."""
    first = error.problems[0]
    return f"#VÆRDI! {first.where or first.spec.key} {first.spec.rule}"


def evaluate_elementwise(calculation: Calculation, args: Sequence[Any]) -> Any:
    """The calculation over scalars or ranges, one element at a time; one result (or reason text) each."""
    shaped = _broadcast(args)
    if isinstance(shaped, str):
        return shaped
    columns, rows, cols = shaped
    result = [_one(calculation, [column[i] for column in columns]) for i in range(rows * cols)]
    return _shape(result, rows, cols)


def evaluate_columns(calculation: Calculation, args: Sequence[Any]) -> Any:
    """The calculation over scalars or ranges, as ``evaluate_elementwise`` computes it, but with whole
    columns at once: the elements every rule accepts as plain numbers are evaluated in one pass over
    arrays; the rest (text, blanks, broken rules, dates) one by one, with their reason texts."""
    parameters = calculation.parameters[: len(args)]
    if not all(parameter.spec.kind in NUMERIC_KINDS for parameter in parameters):
        return evaluate_elementwise(calculation, args)
    ranges = [_Range.of(arg) for arg in args]
    if any(shaped is None for shaped in ranges):  # rows of different lengths: not a range xlwings passes
        return evaluate_elementwise(calculation, args)
    grids = [shaped for shaped in ranges if shaped is not None]
    rows = max(grid.rows for grid in grids)
    cols = max(grid.cols for grid in grids)
    if rows * cols == 1 or any(grid.rows not in (1, rows) or grid.cols not in (1, cols) for grid in grids):
        return evaluate_elementwise(calculation, args)
    shape = (rows, cols)
    fast = np.ones(shape, dtype=bool)
    numbers = []
    for parameter, grid in zip(parameters, grids, strict=True):  # judged at each argument's own size
        values, numeric = grid.numbers()
        check = parameter.spec.check
        if check is not None:
            numeric = numeric & check.allowed(values.ravel(), {}).reshape(values.shape)
        fast &= numeric  # broadcast: a 1×1 argument that breaks its rule sends every element the slow way
        numbers.append(values)
    env: dict[str, Any] = {
        p.name: np.broadcast_to(values, shape)[fast] for p, values in zip(parameters, numbers, strict=True)
    }
    for parameter in calculation.parameters[len(args) :]:
        env[parameter.name] = parameter.default  # an omitted optional argument
    count = int(fast.sum())
    with np.errstate(divide="ignore", invalid="ignore"):  # IF's other branch, computed for every row
        evaluated = np.broadcast_to(np.asarray(calculation.expr.evaluate(env)), (count,)) if count else None
    if count == rows * cols and evaluated is not None and evaluated.dtype.kind == "f":
        return _as_lists(evaluated.reshape(shape))
    result = np.empty(shape, dtype=object)
    if evaluated is not None:
        result[fast] = evaluated.tolist()
    for r, c in zip(*np.nonzero(~fast), strict=True):
        result[r, c] = _one(calculation, [grid.element(r, c) for grid in grids])
    return result[0, 0] if rows == cols == 1 else _as_lists(result)


@dataclass(frozen=True)
class _Range:
    """One argument as xlwings passes it, flattened row by row: its cells and its shape."""

    cells: list[Any]
    rows: int
    cols: int

    @classmethod
    def of(cls, value: Any) -> _Range | None:
        """The argument's cells and shape, or None for rows of different lengths."""
        grid = value if isinstance(value, list) and value and isinstance(value[0], list) else _as_grid(value)
        if len(set(map(len, grid))) != 1:
            return None
        return cls(list(chain.from_iterable(grid)), len(grid), len(grid[0]))

    def numbers(self) -> tuple[np.ndarray, np.ndarray]:
        """The cells as floats (NaN where not a number) and where each is a plain number (a bool is not,
        as for Excel's ISNUMBER); a range of numbers only, the usual case, is converted in one call."""
        shape = (self.rows, self.cols)
        if set(map(type, self.cells)) <= {float, int}:
            return np.array(self.cells, dtype=float).reshape(shape), np.ones(shape, dtype=bool)
        numeric = np.array([type(cell) in (int, float) for cell in self.cells], dtype=bool)
        values = [cell if number else np.nan for cell, number in zip(self.cells, numeric, strict=True)]
        return np.array(values, dtype=float).reshape(shape), numeric.reshape(shape)

    def element(self, row: int, col: int) -> Any:
        """The cell at (row, col) of the common shape: a 1-row or 1-column argument repeats."""
        return self.cells[(row if self.rows > 1 else 0) * self.cols + (col if self.cols > 1 else 0)]


def _as_lists(grid: np.ndarray) -> list[list[Any]]:
    """A 2-D result as the lists xlwings hands to Excel (they hold no cycles to collect meanwhile)."""
    with collector_paused():
        return grid.tolist()


NUMERIC_KINDS = frozenset({"whole", "number", "percent"})
"""Input kinds whose accepted values are plain numbers, so a column of them evaluates as an array."""


def _broadcast(args: Sequence[Any]) -> tuple[list[list[Any]], int, int] | str:
    """Each argument as one flat column of the common shape (a 1×1 argument, a row or a column that
    matches is repeated, as NumPy broadcasts), with that shape; or the reason text when they differ."""
    grids = [_as_grid(arg) for arg in args]
    rows = max(len(grid) for grid in grids)
    cols = max(len(grid[0]) if grid else 0 for grid in grids)
    if any(len(grid) not in (1, rows) or len(grid[0]) not in (1, cols) for grid in grids):
        return "#VÆRDI! områderne har forskellig størrelse"
    columns = [
        [grid[r if len(grid) > 1 else 0][c if len(grid[0]) > 1 else 0] for r in range(rows) for c in range(cols)]
        for grid in grids
    ]
    return columns, rows, cols


def _one(calculation: Calculation, values: list[Any]) -> Any:
    try:
        return calculation(*values)
    except InvalidInput as error:
        return error_text(error)


def _shape(values: list[Any], rows: int, cols: int) -> Any:
    if rows == cols == 1:
        return values[0]
    return [values[r * cols : (r + 1) * cols] for r in range(rows)]


def make_udf(calculation: Calculation) -> Callable[..., Any]:
    """A plain function with the calculation's name, signature and docs, registered with xlwings."""

    def udf(*args: Any) -> Any:
        return evaluate_columns(calculation, args)

    udf.__name__ = udf.__qualname__ = calculation.name
    udf.__doc__ = calculation.doc
    udf.__module__ = __name__
    udf.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                parameter.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=parameter.default if parameter.optional else inspect.Parameter.empty,
            )
            for parameter in calculation.parameters
        ]
    )
    udf.__xltools__ = calculation  # type: ignore[attr-defined]
    for parameter in calculation.parameters:
        doc = f"{parameter.spec.help} Regel: {parameter.spec.rule}."
        if parameter.default is not None:
            doc += f" Standard: {parameter.default:g}."
        udf = xw.arg(parameter.name, ndim=2, doc=doc)(udf)
    return xw.func(category=CATEGORY)(udf)


UDFS: dict[str, Callable[..., Any]] = {calc.name: make_udf(calc) for calc in all_calculations()}
globals().update(UDFS)  # xlwings discovers UDFs as module attributes
