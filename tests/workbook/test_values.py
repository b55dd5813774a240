"""When a stored value already shows a computed one: numbers to Excel's 15 digits, blanks alike."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from xltools.workbook.values import CellValue, format_number, same_value

VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e16, max_value=1e16).map(lambda x: float(round(x))),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.text(max_size=3),
)


def by_text(cached: CellValue, new: CellValue) -> bool:
    """The definition: numbers that Excel writes as the same text, or within 1e-12 of each other."""
    if type(cached) is type(new) and cached == new and cached != "":
        return True
    if new in (None, "") or cached in (None, ""):
        return new in (None, "") and cached in (None, "")
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        if not isinstance(cached, float):
            return False
        return format_number(cached) == format_number(new) or abs(cached - new) <= 1e-12 * max(1.0, abs(new))
    return cached == new


@given(VALUES, VALUES)
def test_same_value_is_the_definition_by_the_text_excel_writes(cached: CellValue, new: CellValue) -> None:
    assert same_value(cached, new) is by_text(cached, new)


@given(st.floats(allow_nan=False, allow_infinity=False), VALUES)
def test_a_number_is_the_same_as_itself_and_a_nearby_number(number: float, other: CellValue) -> None:
    assert same_value(number, number) and same_value(number, math.nextafter(number, math.inf))
    assert same_value(float(round(number)), round(number)) if abs(number) < 1e300 else True


def test_hand_picked_cases() -> None:
    assert same_value(math.nan, math.nan) and not same_value(math.nan, 1.0) and not same_value(1.0, math.nan)
    assert same_value(math.inf, math.inf) and not same_value(math.inf, 1e308)
    assert same_value(0.1 + 0.2, 0.3) and not same_value(0.3, 0.3001)
    assert same_value(2376.0, 2376) and not same_value("2376", 2376.0) and not same_value(None, 0.0)
    assert same_value(None, "") and same_value("", None) and not same_value("", "x")
    assert same_value(1.0, True)  # a bool is compared as Python compares it
