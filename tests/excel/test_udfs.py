"""The xlwings UDF module imports on Linux and answers as Excel would call it.

On Linux ``@xw.func`` is a no-op, so what xlwings reads on Windows (name, signature, docs) is
checked on the plain function and its ``__xltools__`` metadata.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xltools.excel import udfs
from xltools.tools import all_calculations


def test_module_exposes_one_udf_per_calculation() -> None:
    module = importlib.import_module("xltools.excel.udfs")
    for calculation in all_calculations():
        udf = getattr(module, calculation.name)
        assert udf.__xltools__ is calculation
        assert udf.__name__ == calculation.name and udf.__doc__ == calculation.doc


def test_signatures_are_what_xlwings_registers() -> None:
    assert str(inspect.signature(udfs.CAPACITY)) == "(samtaler_pr_dag, aarsvaerk, dage=3, uger=44)"
    assert str(inspect.signature(udfs.FTE_NEEDED)) == (
        "(samtaler_pr_aar, samtaler_pr_dag, dage=3, uger=44, udeblivelse=0.0)"
    )
    assert str(inspect.signature(udfs.YEARLY_CONVERSATIONS)) == ("(borgere, frekvens, andel=1.0, frekvens_basis=4)")


# xlwings passes every argument as a 2-D list (ndim=2) and fills omitted optionals with defaults.
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("CAPACITY", ([[1.0]], [[1.0]], [[3.0]], [[44.0]]), 132.0),
        ("CAPACITY", ([[8.0]], [[9.0]], [[3.0]], [[44.0]]), 9504.0),
        ("YEARLY_CONVERSATIONS", ([[330.0]], [[12.0]], [[1.0]], [[4.0]]), 3960.0),
        ("YEARLY_CONVERSATIONS", ([[330.0]], [[24.0]], [[0.3]], [[4.0]]), 3300.0),
        ("YEARLY_CONVERSATIONS", ([[330.0]], [[24.0]], [[0.0]], [[4.0]]), 1320.0),
        ("YEARLY_CONVERSATIONS", ([[50.0]], [[24.0]], [[0.29]], [[4.0]]), 15 * 24 + 35 * 4.0),
        ("FTE_NEEDED", ([[3300.0]], [[5.0]], [[3.0]], [[44.0]], [[0.0]]), 5.0),
        ("FTE_NEEDED", ([[2970.0]], [[5.0]], [[3.0]], [[44.0]], [[0.1]]), 5.0),
    ],
)
def test_scalar_calls(name: str, args: tuple, expected: float) -> None:
    assert udfs.UDFS[name](*args) == expected


def test_ranges_broadcast_element_by_element() -> None:
    per_day = [[1.0], [2.0], [8.0]]  # a column
    fte = [[1.0, 2.0, 9.0]]  # a row
    assert udfs.CAPACITY(per_day, fte, [[3.0]], [[44.0]]) == [
        [132.0, 264.0, 1188.0],
        [264.0, 528.0, 2376.0],
        [1056.0, 2112.0, 9504.0],
    ]
    shares = [[0.3], [0.0], [1.0]]
    assert udfs.YEARLY_CONVERSATIONS([[330.0]], [[24.0]], shares, [[4.0]]) == [[3300.0], [1320.0], [7920.0]]


def test_bad_cells_get_a_reason_text_and_the_others_still_compute() -> None:
    result = udfs.YEARLY_CONVERSATIONS([[330.0]], [[24.0]], [[0.3, 1.3, None, "x"]], [[4.0]])
    assert result == [
        [
            3300.0,
            "#VÆRDI! andel skal være mellem 0 og 1 (0 %–100 %)",
            "#VÆRDI! andel skal være mellem 0 og 1 (0 %–100 %)",  # an empty cell is not "omitted"
            "#VÆRDI! andel skal være mellem 0 og 1 (0 %–100 %)",
        ]
    ]
    assert udfs.CAPACITY([["fem"]], [[1.0]], [[3.0]], [[44.0]]) == (
        "#VÆRDI! samtaler_pr_dag skal være et helt tal fra 1 til 20"
    )
    assert udfs.FTE_NEEDED([[100.0]], [[5.0]], [[3.0]], [[44.0]], [[0.95]]).startswith(
        "#VÆRDI! udeblivelse skal være mellem 0 og 0,9"
    )


def test_mismatched_ranges_are_reported() -> None:
    assert udfs.CAPACITY([[1.0], [2.0]], [[1.0], [2.0], [3.0]], [[3.0]], [[44.0]]) == (
        "#VÆRDI! områderne har forskellig størrelse"
    )


def test_industry_udfs_as_excel_calls_them() -> None:
    from datetime import datetime

    assert str(inspect.signature(udfs.AGE_STATUS)) == "(dato, as_of=None)"
    assert udfs.AGE_STATUS([[datetime(2012, 11, 26)]], [[datetime(2012, 12, 4)]]) == "gul"
    assert udfs.AGE_STATUS([[41239.0]], [[41253.0]]) == "rød"  # serial numbers: 26-11-2012, 10-12-2012
    days = [[datetime(2012, 12, 4)], [datetime(2012, 11, 27)], [datetime(2012, 11, 20)]]
    assert udfs.AGE_STATUS(days, [[datetime(2012, 12, 4)]]) == [["grøn"], ["gul"], ["rød"]]
    assert udfs.AGE_STATUS([["i går"]], [[datetime(2012, 12, 4)]]) == "#VÆRDI! dato skal være en dato"
    assert udfs.CVR_VALID([["12345674", 12345674.0, "12345675", None]]) == [[True, True, False, False]]


def test_age_status_defaults_to_today() -> None:
    from datetime import date, timedelta

    assert udfs.AGE_STATUS([[date.today() - timedelta(days=7)]], None) == "gul"


_CELLS = st.one_of(
    st.integers(-5, 400),
    st.floats(-2, 60, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from([None, "", "tre", "3", True, False, 0.5, 1.0, 1.5, 0.0, 1e9]),
)


@st.composite
def _arguments(draw: st.DrawFn, count: int) -> list[object]:
    """``count`` UDF arguments as xlwings passes them: 1×1 values, rows, columns and full 2-D ranges of
    one common shape, mixing valid numbers with blanks, text, booleans and numbers that break a rule."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    arguments: list[object] = []
    for _ in range(count):
        shape = draw(st.sampled_from([(1, 1), (1, cols), (rows, 1), (rows, cols)]))
        grid = [[draw(_CELLS) for _ in range(shape[1])] for _ in range(shape[0])]
        arguments.append(grid[0][0] if shape == (1, 1) else grid)
    return arguments


@pytest.mark.parametrize("name", ["CAPACITY", "FTE_NEEDED", "YEARLY_CONVERSATIONS", "GOAL_STATUS"])
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_columns_at_once_equal_one_element_at_a_time(name: str, data: st.DataObject) -> None:
    calculation = getattr(udfs, name).__xltools__
    required = sum(not parameter.optional for parameter in calculation.parameters)
    count = data.draw(st.integers(required, len(calculation.parameters)))
    arguments = data.draw(_arguments(count))
    expected = udfs.evaluate_elementwise(calculation, arguments)
    found = udfs.evaluate_columns(calculation, arguments)
    assert found == expected
    assert [type(v) for v in _flat(found)] == [type(v) for v in _flat(expected)]


def _flat(value: object) -> list[object]:
    return [cell for row in value for cell in row] if isinstance(value, list) else [value]
