"""Python value == Excel formula evaluated == UDF value, for random valid inputs.

The formulas are read from the generated file and evaluated by an independent formula engine
(the ``formulas`` package), cell by cell in sheet order, so what is checked is the text a
spreadsheet will compute — not our own renderer's idea of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import formulas
import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xltools.capacity import inputs as spec
from xltools.capacity.calculations import CALCULATIONS
from xltools.capacity.layout import SHEET, blocks
from xltools.excel.udfs import UDFS
from xltools.workbook.refs import Area, cell_name

shares = st.one_of(st.integers(0, 100).map(lambda k: k / 100), st.floats(0, 1))
workbook_inputs = st.fixed_dictionaries(
    {
        "Borgere": st.integers(0, 200_000),
        "SamtaleDage": st.integers(1, 5),
        "UgerPrAarsvaerk": st.one_of(st.integers(1, 52), st.floats(1, 52)),
        "AndelIntensiv": shares,
        "SamtalerPrDag": st.integers(1, 20),
        "Udeblivelse": st.one_of(st.integers(0, 90).map(lambda k: k / 100), st.floats(0, 0.9)),
        "Scenarie": st.sampled_from(spec.SCENARIOS),
    }
)


def _scalar(result: Any) -> Any:
    value = np.asarray(result).ravel()[0]
    return value.item() if hasattr(value, "item") else value


def _compile(text: str) -> Any:
    return formulas.Parser().ast(text)[1].compile()


class SheetEvaluator:
    """The workbook's own formulas, compiled once, evaluated in sheet order."""

    def __init__(self, path: Path) -> None:
        sheet = openpyxl.load_workbook(path)[SHEET]
        self.constants = {
            cell.coordinate: cell.value
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None and not str(cell.value).startswith("=")
        }
        self.cells = [
            (cell_name(row, col), _compile(sheet[cell_name(row, col)].value))
            for block in blocks()
            for row, col, _ in block.cells()
        ]

    def evaluate(self, inputs: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {name.upper(): value for name, value in inputs.items()}
        values.update(self.constants)
        for ref, function in self.cells:
            values[ref] = _scalar(function(*(self._input(values, name) for name in function.inputs)))
        return values

    @staticmethod
    def _input(values: dict[str, Any], name: str) -> Any:
        if ":" not in name:
            return values[name]
        area = Area.parse(f"{SHEET}!{name}")
        return np.array(
            [
                [values[cell_name(row, col)] for col in range(area.first[1], area.last[1] + 1)]
                for row in range(area.first[0], area.last[0] + 1)
            ],
            dtype=object,
        )


@pytest.fixture(scope="module")
def sheet(capacity_template: Path) -> SheetEvaluator:
    return SheetEvaluator(capacity_template)


@settings(max_examples=200, deadline=None)
@given(inputs=workbook_inputs)
def test_workbook_formulas_compute_what_python_computes(sheet: SheetEvaluator, inputs: dict) -> None:
    engine = sheet.evaluate(inputs)
    for block in blocks():
        for row, col, expr in block.cells():
            assert engine[cell_name(row, col)] == expr.evaluate(inputs), (block.name, cell_name(row, col))


UDF_ARGUMENTS = {
    "CAPACITY": st.tuples(st.integers(1, 20), st.floats(0, 50), st.integers(1, 5), st.floats(1, 52)),
    "FTE_NEEDED": st.tuples(
        st.floats(0, 1e6), st.integers(1, 20), st.integers(1, 5), st.floats(1, 52), st.floats(0, 0.9)
    ),
    "YEARLY_CONVERSATIONS": st.tuples(st.integers(0, 200_000), st.floats(0, 52), shares, st.floats(0, 52)),
}


@pytest.mark.parametrize("calculation", CALCULATIONS, ids=lambda c: c.name)
def test_udf_and_formula_agree_with_python(calculation) -> None:  # type: ignore[no-untyped-def]
    function = _compile("=" + calculation.expr.render())
    names = [parameter.name.upper() for parameter in calculation.parameters]

    @settings(max_examples=200, deadline=None)
    @given(args=UDF_ARGUMENTS[calculation.name])
    def agree(args: tuple) -> None:
        python = calculation(*args)
        by_name = dict(zip(names, args, strict=False))
        formula = _scalar(function(*(by_name[name] for name in function.inputs)))
        as_excel_calls = UDFS[calculation.name](*([[float(arg)]] for arg in args))
        assert python == formula == as_excel_calls

    agree()
