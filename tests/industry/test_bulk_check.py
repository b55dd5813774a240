"""The fast column-wise check never passes a row the pydantic model rejects (it may doubt more)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from xltools.industry.rows import _NORMALIZE, COLUMNS, _as_text, _plausible, _python, normalize, row_model
from xltools.industry.workbook import DEFAULT_LISTS

ANY = [None, "", " ", "abc", "=1+1", "+45 22 33 44 55", "@x", -1.0, 0.0, 2.5, 3.0, 41239.0, True,
       date(2012, 11, 26), datetime(2012, 11, 26, 10, 0)]  # fmt: skip
POOLS = {
    "date": ANY,
    "text": ANY + ["Blka", "-x", "Firma A/S"],
    "cvr": ANY + ["12345674", "12345675", "1234567", "1234567a", 12345674.0, "123456740", "１２３４５６７４"],
    "phone": ANY + ["22334455", "+45 22 33 44 55", "2233445", "22a34455", "0045 22334455", 22334455.0],
    "email": ANY + ["a@b.dk", "a@b", "a b@c.dk", "hanne@", " a@b.dk "],
    "list": ANY + ["Handel", "handel", "Rumfart", "Ingen åbning", "praktikplads", "IT", "Hjælpekok"],
    "count": ANY + [1.0, 5.0, -3.0, "5", 1e9],
}
GOOD = {
    "dato": date(2012, 11, 26),
    "virksomhedstype": "Handel",
    "resultat": "Praktikplads",
    "jobfunktion": "IT",
    "pladser": 3.0,
    "besatte": 1.0,
}
# Mostly good values, so that whole rows often pass and both branches are exercised.
rows = st.fixed_dictionaries(
    {
        column.key: st.one_of(
            st.just(GOOD.get(column.key)), st.just(GOOD.get(column.key)), st.sampled_from(POOLS[column.kind])
        )
        for column in COLUMNS
    }
)
LISTS = {name: {value.casefold(): value for value in values} for name, values in DEFAULT_LISTS.items()}


@settings(max_examples=600, deadline=None)
@given(st.lists(rows, min_size=1, max_size=5))
def test_bulk_check_is_conservative(records: list[dict]) -> None:
    columns = normalize({column.key: [record[column.key] for record in records] for column in COLUMNS}, len(records))
    plausible = _plausible(columns, len(records), LISTS)
    event("some row plausible" if plausible.any() else "no row plausible")
    for index in range(len(records)):
        record = {key: values[index] for key, values in columns.items()}
        if plausible[index]:
            try:
                row_model().validate_python([record], context={"lists": LISTS, "today": date(2030, 1, 1)})
            except ValidationError as error:  # pragma: no cover - the failure we look for
                raise AssertionError(f"bulk check passed a row the model rejects: {record}\\n{error}") from None


def test_good_rows_are_plausible() -> None:
    records = [GOOD, {**GOOD, "cvr": 12345674.0, "telefon": "+45 22 33 44 55"}]
    columns = normalize({column.key: [record.get(column.key) for record in records] for column in COLUMNS}, 2)
    assert _plausible(columns, 2, LISTS).tolist() == [True, True]


CELL_VALUES = st.one_of(
    st.sampled_from(ANY + ["", "12345674", "Handel"]),
    st.floats(),
    st.integers(-(10**12), 10**12),
    st.sampled_from([np.float64(3.0), np.float64("nan"), np.int64(7), np.str_("Handel"), pd.NA, pd.NaT]),
)


@given(st.lists(st.tuples(*[CELL_VALUES] * len(COLUMNS)), min_size=1, max_size=6))
def test_plain_values_are_normalized_as_converted_ones(records: list[tuple[object, ...]]) -> None:
    """A cell value as a file or an open book gives it (text, a number, nothing) is normalized without the
    detour through ``_python`` — to what the detour gives: NumPy scalars and pandas' missing values
    (a caller's DataFrame) still take it."""
    raw = {column.key: [record[index] for record in records] for index, column in enumerate(COLUMNS)}
    columns = normalize(raw, len(records))
    for column in COLUMNS:
        convert = _NORMALIZE.get(column.kind, _as_text)
        expected = [convert(_python(value, pd.NA)) for value in raw[column.key]]
        assert [_spelled(value) for value in columns[column.key]] == [_spelled(value) for value in expected]


def _spelled(value: object) -> tuple[type, str]:
    """A value compared by type and spelling: NaN equals NaN, 1 is not 1.0 or True."""
    return type(value), repr(value)


def test_text_cells_are_normalized_as_the_cell_holds_them() -> None:
    """Text stays exactly as typed (a leading space too), empty text is no value, and digits Excel stored
    as a number read as the digits typed — whether the column arrives as plain values or not."""
    cells = ["", "Handel", " Handel", 12345678.0, 2.5, float("nan"), None]
    expected = [None, "Handel", " Handel", "12345678", "2.5", None, None]
    for column in (cells, [*cells, np.str_("x")]):
        normalized = normalize({"virksomhed": column}, len(column))["virksomhed"]
        assert list(normalized[: len(cells)]) == expected
