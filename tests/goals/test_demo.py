"""The demo Målstyring looks like a team's year: Årsmål on most indicators, weekly Mål broken down from
them as ``xltools goals`` does, Real for the weeks gone only, and indicators behind, on track and ahead."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from xltools.goals.demo import demo
from xltools.goals.recalc import registrations_frame
from xltools.goals.setup import week_span
from xltools.recalc.engine import recalc

AS_OF = date(2026, 6, 14)  # the Sunday ending week 24


def test_demo_is_a_recognisable_year(tmp_path: Path) -> None:
    (path,) = demo(tmp_path / "maalstyring.xlsx", tmp_path, AS_OF)
    outcome = recalc(path, as_of=AS_OF)
    assert outcome.exit_code == 0, outcome.errors
    indicators = outcome.results["indicators"]
    goals = {name: figures["aarsmaal"] for name, figures in indicators.items() if figures["aarsmaal"]}
    assert len(goals) >= 2 * len(indicators) / 3
    statuses = {figures["status"] for figures in indicators.values()}
    assert {"bagud", "på sporet", "foran", "ingen mål"} <= statuses
    frame = registrations_frame(path)
    maal = frame.groupby("indikator")["maal"].sum()
    assert all(math.isclose(maal[name], goal) for name, goal in goals.items())  # the breakdown adds up
    real_weeks = frame.loc[frame["real"].notna(), "uge"]
    assert real_weeks.min() == 1 and week_span(2026, int(real_weeks.max()))[1] <= AS_OF
    assert real_weeks.max() == 24
    assert set(frame["medarbejder"]) >= {"Anne Holm", "Hassan Ali"}
