import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltools.core.expr import Const, round_clean, roundup_clean
from xltools.core.rounding import excel_round, excel_round_array, excel_roundup


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (2.5, 0, 3.0),  # Python's round() gives 2
        (-2.5, 0, -3.0),
        (0.5, 0, 1.0),
        (1.005, 2, 1.01),  # 1.005 is 1.00499999… in binary; Excel shows and rounds 1.005
        (14.499999999999998, 0, 14.0),
        (1234.5678, -2, 1200.0),
        (99.0, 0, 99.0),
        (1e27, 1, 1e27),  # more digits than Decimal's default 28: was InvalidOperation
        (-1.7976931348623157e308, 15, -1.7976931348623157e308),
        (1.5e-300, 15, 0.0),
    ],
)
def test_excel_round_is_half_away_from_zero(x: float, digits: int, expected: float) -> None:
    assert excel_round(x, digits) == expected


@pytest.mark.parametrize(("x", "expected"), [(3.0, 3.0), (3.0000001, 4.0), (-1.2, -2.0), (0.0, 0.0), (4.1, 5.0)])
def test_excel_roundup_is_away_from_zero(x: float, expected: float) -> None:
    assert excel_roundup(x, 0) == expected


def test_round_clean_removes_binary_noise_before_rounding() -> None:
    noisy = Const(50) * Const(0.29)  # 14.499999999999998 in binary, 14.5 to a person
    assert noisy.evaluate({}) == 14.499999999999998
    assert round_clean(noisy).evaluate({}) == 15.0
    assert round_clean(noisy).render() == "ROUND(ROUND(50*0.29,10),0)"


def test_roundup_clean_does_not_round_noise_up() -> None:
    almost_three = Const(0.1) * Const(3) / Const(0.1)  # 3.0000000000000004
    assert almost_three.evaluate({}) > 3
    assert roundup_clean(almost_three).evaluate({}) == 3.0


@given(st.integers(-(10**12), 10**12))
def test_exact_halves_round_away_from_zero(n: int) -> None:
    half = n + 0.5  # exact in binary
    expected = n + 1 if half > 0 else n
    assert excel_round(half, 0) == expected
    assert excel_round(-half, 0) == -expected


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 4))
def test_round_is_within_half_a_unit(x: float, digits: int) -> None:
    assert abs(excel_round(x, digits) - x) <= 0.5 * 10**-digits + 1e-9 * max(1.0, abs(x))


_VALUES = st.one_of(
    st.floats(-1e12, 1e12, allow_nan=False),
    st.integers(-(10**6), 10**6).map(lambda n: n / 8),  # exact halves and quarters
    st.integers(-(10**7), 10**7).map(lambda n: n / 1000),  # decimal ties such as 1.005 and 2.675
    st.integers(-(10**15), 10**15).map(float),  # whole numbers, most too large to scale by 10**6 exactly
    st.tuples(st.integers(-(10**6), 10**6), st.sampled_from([-math.inf, math.inf])).map(
        lambda pair: math.nextafter(pair[0] / 2, pair[1])  # the floats next to a half or a whole number
    ),
    st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.005, 2.675, 4503599627370497.0, -1e15 - 0.5]),
)


@given(st.lists(_VALUES, min_size=1, max_size=30), st.integers(-3, 6), st.booleans())
def test_a_column_rounds_exactly_as_each_cell(values: list[float], digits: int, up: bool) -> None:
    scalar = excel_roundup if up else excel_round
    column = excel_round_array(np.array(values), digits, up)
    expected = [scalar(value, digits) for value in values]
    assert column.tolist() == expected
    assert [math.copysign(1, v) for v in column.tolist()] == [math.copysign(1, v) for v in expected]


def test_a_column_rounds_a_large_value_by_its_decimal_reading() -> None:
    """At this size the binary product lies more than 1e-9 from the half or the whole number its decimal
    reading is on: 318713.137495 × 10**5 = 31871313749.499996…, 128.323 × 10**6 = 128323000.00000001."""
    assert excel_round_array(np.array([318713.137495, -310162.881005]), 5).tolist() == [318713.1375, -310162.88101]
    assert excel_round_array(np.array([128.323]), 6, up=True).tolist() == [128.323]
