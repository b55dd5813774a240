"""Figures per list entry over whole columns: a key matches a row as Excel's ``=`` matches them."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from xltools.core.arrays import KeyedSum, excel_key
from xltools.core.expr import Ref

KEYS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(["", "Industri", "INDUSTRI", "industri ", "Bygge og anlæg", "1", "ß", "SS"]),
    st.sampled_from([0.0, -0.0, 1.0, 1, 2.5]),
)
WEIGHTS = st.one_of(st.integers(-3, 9), st.floats(-1e6, 1e6), st.just(float("nan")), st.none(), st.just(""))


def _column(values: list[object]) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


@given(
    st.lists(st.tuples(KEYS, WEIGHTS, st.booleans()), max_size=25),
    st.lists(KEYS, min_size=1, max_size=6),
    st.booleans(),
)
def test_a_keyed_sum_adds_the_rows_each_key_matches(
    rows: list[tuple[object, object, bool]], keys: list[object], counted: bool
) -> None:
    """The sum of each key's rows (a blank weight is 0, as in MMULT over ``--`` values; NaN adds
    nothing), or their count; a condition leaves rows out."""
    column, weights, kept = (_column(list(part)) for part in zip(*rows, strict=True)) if rows else (_column([]),) * 3
    env = {"keys": _column(keys), "column": column, "weights": weights, "kept": kept}
    figure = KeyedSum(Ref("keys"), Ref("column"), None if counted else Ref("weights"), (Ref("kept"),))
    expected = []
    for key in keys:
        total = 0.0
        for value, weight, keep in rows:
            if keep and excel_key(value) == excel_key(key):
                amount = 1.0 if counted else (0.0 if weight is None or weight == "" else float(weight))  # type: ignore[arg-type]
                total += 0.0 if amount != amount else amount
        expected.append([total])
    np.testing.assert_allclose(figure.evaluate(env), expected, rtol=1e-12, atol=1e-6)
