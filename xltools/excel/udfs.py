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
from typing import Any

import xlwings as xw

from xltools.core.calculation import Calculation
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
    """The calculation over scalars or ranges; one result (or reason text) per element."""
    grids = [_as_grid(arg) for arg in args]
    rows = max(len(grid) for grid in grids)
    cols = max(len(grid[0]) if grid else 0 for grid in grids)
    if any(len(grid) not in (1, rows) or len(grid[0]) not in (1, cols) for grid in grids):
        return "#VÆRDI! områderne har forskellig størrelse"
    result: Grid = []
    for r in range(rows):
        row = []
        for c in range(cols):
            values = [grid[r if len(grid) > 1 else 0][c if len(grid[0]) > 1 else 0] for grid in grids]
            try:
                row.append(calculation(*values))
            except InvalidInput as error:
                row.append(error_text(error))
        result.append(row)
    return result[0][0] if rows == cols == 1 else result


def make_udf(calculation: Calculation) -> Callable[..., Any]:
    """A plain function with the calculation's name, signature and docs, registered with xlwings."""

    def udf(*args: Any) -> Any:
        return evaluate_elementwise(calculation, args)

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
