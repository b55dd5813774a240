"""``xltools goals``: typed plus filled Mål add up exactly to the Årsmål; typed Mål stay as typed."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Ran
from tests.goals.test_workbook import _setup
from xltools.goals.breakdown import spread
from xltools.goals.layout import Layout
from xltools.goals.recalc import registrations_frame
from xltools.goals.setup import Indicator, Setup
from xltools.goals.workbook import build
from xltools.workbook.package import XlsxPackage


@given(
    st.integers(0, 5000),
    st.lists(st.sampled_from([0.5, 1.0, 1.0, 1.0]), min_size=1, max_size=424),
    st.sampled_from([0, 1]),
)
def test_spread_adds_up_exactly(total: int, weights: list[float], digits: int) -> None:
    goal = total / 10 if digits else float(total)
    parts = spread(goal, weights, digits)
    assert math.isclose(sum(parts), goal, abs_tol=1e-9)
    assert all(part >= 0 and round(part, digits) == part for part in parts)


def _goal_totals(path: Path) -> dict[str, float]:
    frame = registrations_frame(path)
    return frame.groupby("indikator")["maal"].sum().to_dict()


def test_goals_fill_only_empty_cells_and_add_up(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "m.xlsx"
    typed = {("m", 1, "I02", 0): 4.0, ("m", 3, "I02", 1): 6.0, ("r", 1, "I02", 0): 3.0}
    build(path, date(2026, 1, 18), _setup(), typed)  # Årsmål: I02 265 antal, I01 53 timer
    result = xltools("goals", path, "--as-of", "2026-01-18")
    assert result.exit_code == 0, result.output
    assert "'Aktiveringssamtaler': 104 Mål-celler udfyldt" in result.output  # 53 weeks × 2 employees − 2 typed
    totals = _goal_totals(path)
    assert totals["Aktiveringssamtaler"] == 265
    assert math.isclose(totals["Undervisning antal timer"], 53)
    with XlsxPackage(path) as package:
        layout = Layout(_setup())
        assert package.value("Uge 1", layout.indicator_rows["I02"], layout.real_col(0) + 1) == 4  # kept
    assert xltools("recalc", "--check", path).exit_code == 0  # cached values follow


def test_goals_warn_and_fill_nothing_when_typed_goals_exceed_the_year(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = tmp_path / "m.xlsx"
    build(path, date(2026, 1, 18), _setup(), {("m", 1, "I02", 0): 300.0})
    result = xltools("goals", path)
    assert "advarsel: 'Aktiveringssamtaler': de indtastede mål (300) er større end årsmålet (265)" in result.output
    assert _goal_totals(path)["Aktiveringssamtaler"] == 300


def test_goals_skip_holiday_weeks_and_warn_when_no_cell_is_left(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    holidays = tuple(0.0 if week in (1, 2) else 1.0 for week in range(1, 54))
    base = _setup(holidays)
    setup = Setup(2026, base.employees, base.indicators, weights=holidays)
    path = tmp_path / "m.xlsx"
    build(path, date(2026, 1, 18), setup)
    assert xltools("goals", path).exit_code == 0
    frame = registrations_frame(path)
    assert not ((frame["uge"] <= 2) & frame["maal"].notna()).any()
    one_week = Setup(
        2026, base.employees, (Indicator("I01", "Afholdt", "Undervisning", "timer", 10.0),), weights=(0.0,) * 53
    )
    path2 = tmp_path / "m2.xlsx"
    build(path2, date(2026, 1, 18), one_week)
    assert "ingen tomme Mål-celler i uger med vægt over 0" in xltools("goals", path2).err


def test_rollover_keeps_the_setup_and_starts_empty(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "2026.xlsx"
    build(path, date(2026, 1, 18), _setup(), {("r", 1, "I02", 0): 3.0})
    data = path.read_bytes()
    new = tmp_path / "2027.xlsx"
    result = xltools("rollover", path, "--year", "2027", "--out", new)
    assert result.exit_code == 0, result.output
    assert f"{new}: Målstyring 2027 med opsætningen fra {path}" in result.out
    assert path.read_bytes() == data
    assert registrations_frame(new).empty
    with XlsxPackage(new) as package:
        assert "Uge 52" in package.sheet_names and "Uge 53" not in package.sheet_names
    assert xltools("recalc", "--check", new).exit_code == 0
    refused = xltools("rollover", path, "--year", "2028", "--out", new)  # an existing file is kept
    assert refused.exit_code == 5 and "findes allerede" in refused.err
    assert xltools("rollover", path, "--year", "2028", "--out", path, "--force").exit_code == 5  # never the input
    assert path.read_bytes() == data
