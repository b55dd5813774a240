"""Aging and statistics: the seed's example and hand-computed boundary cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.industry.conftest import SEED_DAY, SEED_ROWS, rows
from xltools.core.logic import serial
from xltools.industry.calculations import AGE_STATUS, CVR_VALID
from xltools.industry.layout import OVERVIEW, spillings
from xltools.industry.summary import summarise
from xltools.industry.workbook import DEFAULT_LISTS


def _status(records: list[dict], as_of: date) -> list[str]:
    return list(summarise(rows(records, as_of), as_of).columns["status"])


def _open(records: list[dict], as_of: date) -> list[float]:
    return list(summarise(rows(records, as_of), as_of).columns["aabne"])


def test_seed_example_as_of_2012_12_04() -> None:
    summary = summarise(rows(SEED_ROWS), SEED_DAY)
    assert list(summary.columns["status"]) == ["gul", "gul"]
    assert list(summary.columns["alder"]) == [8, 7]
    assert list(summary.columns["aabne"]) == [3, 2]
    assert list(summary.columns["uge"]) == ["uge 48 2012", "uge 48 2012"]


def test_seed_example_a_day_earlier_and_a_week_later() -> None:
    assert _status(SEED_ROWS, date(2012, 12, 3)) == ["gul", "grøn"]  # 7 and 6 days
    assert _status(SEED_ROWS, date(2012, 12, 11)) == ["rød", "rød"]  # 15 and 14 days


@pytest.mark.parametrize(
    ("days", "status"), [(0, "grøn"), (6, "grøn"), (7, "gul"), (13, "gul"), (14, "rød"), (400, "rød")]
)
def test_status_boundaries(days: int, status: str) -> None:
    as_of = date(2024, 3, 20)
    record = {**SEED_ROWS[0], "dato": as_of - timedelta(days=days)}
    assert _status([record], as_of) == [status]
    assert AGE_STATUS(as_of - timedelta(days=days), as_of) == status


def test_rows_without_open_places_have_no_status_and_no_open_places() -> None:
    filled = {**SEED_ROWS[0], "besatte": 5}
    no_opening = {**SEED_ROWS[0], "resultat": "ingen åbning", "pladser": 0, "besatte": 0}
    closed = {**SEED_ROWS[0], "lukket": date(2012, 12, 1)}
    closed_later = {**SEED_ROWS[0], "lukket": date(2012, 12, 10)}  # still open on the 4th
    records = [filled, no_opening, closed, closed_later]
    assert _status(records, SEED_DAY) == ["", "", "", "gul"]
    assert _open(records, SEED_DAY) == [0, 0, 0, 3]


def test_rows_dated_after_the_reporting_date_are_left_out() -> None:
    later = {**SEED_ROWS[1], "dato": date(2012, 12, 5)}
    summary = summarise(rows([SEED_ROWS[0], later], date(2012, 12, 6)), SEED_DAY)
    assert list(summary.columns["status"]) == ["gul", ""]
    assert list(summary.columns["alder"]) == [8, ""]
    assert list(summary.columns["aabne"]) == [3, 0]


def test_overview_is_oldest_first_and_leaves_out_filled_rows() -> None:
    records = [SEED_ROWS[1], {**SEED_ROWS[0], "besatte": 5}, SEED_ROWS[0], {**SEED_ROWS[1], "virksomhed": None}]
    env = summarise(rows(records), SEED_DAY).env(DEFAULT_LISTS)
    (overview,) = [spilling for spilling in spillings() if spilling.sheet == OVERVIEW]
    listed = overview.values(env)
    assert [row[0] for row in listed] == [serial(date(2012, 11, 26)), serial(date(2012, 11, 27))] + [
        serial(date(2012, 11, 27))
    ]
    assert [row[5] for row in listed] == [3, 2, 2]  # Åbne pladser
    assert listed[2][1] == ""  # a blank name shows blank (Excel's INDEX would give 0; the formula says "")
    assert listed[0][1] == SEED_ROWS[0]["virksomhed"]  # ties keep the table's order after the oldest


def test_a_reporting_date_with_a_time_of_day_gives_fractional_ages() -> None:
    summary = summarise(rows(SEED_ROWS), serial(SEED_DAY) + 0.75)
    assert list(summary.columns["alder"]) == [8.75, 7.75]
    assert list(summary.columns["status"]) == ["gul", "gul"]


@pytest.mark.parametrize(
    ("cvr", "valid"),
    [
        ("12345674", True),
        (12345674.0, True),
        ("12345675", False),
        ("1234567", False),
        ("1234567a", False),
        (None, False),
    ],
)
def test_cvr_valid(cvr: object, valid: bool) -> None:
    assert CVR_VALID(cvr) is valid
