"""ISO weeks, pace and status: hand-computed cases and the exact boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from xltools.core.expr import Ref
from xltools.core.logic import serial
from xltools.excel import udfs
from xltools.goals.calculations import GOAL_STATUS, weeks_elapsed
from xltools.goals.setup import week_span, weeks_in_year


def test_iso_years() -> None:
    assert weeks_in_year(2026) == 53 and weeks_in_year(2025) == 52 and weeks_in_year(2020) == 53
    assert week_span(2026, 1) == (date(2025, 12, 29), date(2026, 1, 4))  # 2025-12-29 is in 2026's week 1
    assert week_span(2026, 53) == (date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize(
    ("day", "elapsed"),
    [
        (date(2025, 12, 1), 0),  # before the year
        (date(2025, 12, 29), 0),  # week 1 has begun, not ended
        (date(2026, 1, 4), 1),  # the Sunday ending week 1
        (date(2026, 1, 18), 3),  # the Sunday ending week 3
        (date(2026, 1, 21), 3),  # the Wednesday of week 4: still 3
        (date(2027, 1, 3), 53),  # the Sunday ending week 53
        (date(2027, 6, 1), 53),  # after the year
    ],
)
def test_weeks_elapsed(day: date, elapsed: int) -> None:
    expr = weeks_elapsed(Ref("D"), Ref("Y"), Ref("N"))
    assert expr.evaluate({"D": serial(day), "Y": 2026, "N": 53}) == elapsed


@pytest.mark.parametrize(
    ("real", "goal", "share", "status"),
    [
        (90, 100, 1, "på sporet"),  # exactly 90 % of pace
        (89.99, 100, 1, "bagud"),
        (109.99, 100, 1, "på sporet"),
        (110, 100, 1, "foran"),  # exactly 110 %
        (3.3, 3, 1, "foran"),  # 3.3/3 is 1.0999999999999999 in binary; the ROUND makes it 1.1
        (2.7, 3, 1, "på sporet"),  # 0.9000000000000001
        (5, None, 0.5, "ingen mål"),
        (5, 0, 0.5, "ingen mål"),
        (5, 10, 0, "–"),
        (1, 52, 1 / 52, "på sporet"),
    ],
)
def test_goal_status(real: float, goal: float | None, share: float, status: str) -> None:
    assert GOAL_STATUS(real, goal, share) == status
    assert udfs.GOAL_STATUS([[float(real)]], [[goal]], [[share]], [[0.9]], [[1.1]]) == status


def test_goal_status_thresholds_are_arguments() -> None:
    assert GOAL_STATUS(80, 100, 1, 0.8, 1.2) == "på sporet"
    assert udfs.GOAL_STATUS([[80.0]], [[100.0]], [[1.0]], [[0.85]], [[1.2]]) == "bagud"
