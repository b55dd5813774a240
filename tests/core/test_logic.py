"""Whole columns as the formulas see them: blanks, case-folded text and numbers, without pandas where a
column holds only numbers and blanks — and always what pandas' own conversions give (the oracle here)."""

import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xltools.core.expr import Const, Ref
from xltools.core.logic import FUNCTIONS, Criterion, SumIfs, WeekLabel, is_blank, numbers, text

NUMERIC = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6))
CELLS = st.one_of(
    NUMERIC,
    st.booleans(),
    st.text(max_size=6),
    st.sampled_from(["", " 5 ", "+3", "1e3", "inf", "1_000", "١٢", "ß", "Straße", "5.", ".5", "0x10", "nan"]),
)


def _column(values: list[object]) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


@given(st.one_of(st.lists(NUMERIC, max_size=12), st.lists(CELLS, max_size=12)))
def test_columns_convert_as_pandas_converts_them(values: list[object]) -> None:
    column = _column(values)
    expected_numbers = pd.to_numeric(pd.Series(column, dtype=object), errors="coerce").to_numpy(float)
    np.testing.assert_array_equal(numbers(column), expected_numbers)
    expected_blank = np.asarray(pd.isna(column) | (column == ""), dtype=bool)
    np.testing.assert_array_equal(is_blank(column), expected_blank)
    series = pd.Series(column, dtype=object)
    expected_text = series.where(~expected_blank, "").astype(str).str.casefold().to_numpy(dtype=object)
    assert list(text(column)) == list(expected_text)


def test_a_column_of_numbers_and_blanks_needs_no_pandas() -> None:
    """A Målstyring recalc sums registrations (numbers and blanks) without importing pandas."""
    script = (
        "import sys, numpy as np\n"
        "from xltools.core.logic import is_blank, numbers, text\n"
        "column = np.array([1.0, None, 2, 3.5], dtype=object)\n"
        "assert numbers(column)[3] == 3.5 and is_blank(column)[1] and text(column)[0] == '1.0'\n"
        "assert 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@given(st.lists(st.tuples(CELLS, st.sampled_from(["antal", "timer", None])), max_size=30))
def test_sumifs_adds_what_nansum_adds(rows: list[tuple[object, object]]) -> None:
    """SUMIFS adds the matching rows' numbers, text and blanks as 0 — to the last bit as ``np.nansum``
    of the converted column does (the sum once computed that way), however often the column is summed."""
    values, units = _column([v for v, _ in rows]), _column([u for _, u in rows])
    total = SumIfs(Ref("values"), (Criterion(Ref("units"), Const("antal")),))
    expected = float(np.nansum(numbers(values)[np.asarray(text(units) == "antal", dtype=bool)]))
    for _ in range(2):
        found = total.evaluate({"values": values, "units": units})
        assert found == expected or (np.isnan(found) and np.isnan(expected))
        assert np.signbit(found) == np.signbit(expected)


@given(
    st.lists(st.one_of(st.none(), st.floats(allow_infinity=False)), max_size=12),
    st.sampled_from(["SUM", "COUNT", "MIN", "MAX"]),
)
def test_a_range_of_numbers_and_blanks_counts_as_its_cells_one_by_one(
    values: list[float | None], function: str
) -> None:
    """SUM, COUNT, MIN and MAX over a float column (blanks as NaN) give, to the bit, what they give over
    the same cells as objects (numbers, None for blank) — the path every other range takes."""
    floats = np.array([np.nan if value is None else value for value in values], dtype=float)
    as_objects = _column(values)
    by_cells = FUNCTIONS[function](as_objects)
    assert _bits(FUNCTIONS[function](floats)) == _bits(by_cells)
    assert _bits(FUNCTIONS[function](floats.reshape(-1, 1), 2.5)) == _bits(FUNCTIONS[function](as_objects, 2.5))
    if function == "SUM":
        assert by_cells == float(sum(value for value in values if value is not None and value == value))


@given(
    st.lists(
        st.one_of(
            st.none(), st.just(""), st.just(float("nan")), st.booleans(), st.integers(1, 60000), st.floats(1, 60000)
        ),
        max_size=20,
    ),
    st.booleans(),
)
def test_a_column_of_dates_is_labelled_as_each_date_alone(days: list[object], year: bool) -> None:
    """A column's week labels (each date labelled once per column) are the labels of its cells one by one."""
    label = WeekLabel(Ref("dag"), year)
    column = label.evaluate({"dag": _column(days)})
    assert list(column) == [label.evaluate({"dag": day}) for day in days]


def _bits(value: object) -> tuple[type, str]:
    """A result to the bit: its type and its spelling (-0.0 is not 0.0)."""
    return type(value), repr(value)
