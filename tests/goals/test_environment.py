"""The formulas' inputs from the week sheets: every name reads the cell the sheet's formula reads."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xltools.goals.blocks import Blocks
from xltools.goals.environment import environment
from xltools.goals.layout import WEEK_FIRST_COL, WEEK_FIRST_ROW, Layout
from xltools.goals.setup import default_setup

LAYOUT = Layout(default_setup(2026, employees=3))
SETUP = LAYOUT.setup
KEYS = [
    (kind, week, indicator.id, e)
    for week in (1, 2, SETUP.weeks)
    for indicator in SETUP.indicators
    for e in range(len(SETUP.employees))
    for kind in ("r", "m")
]


def _at(cells: dict, week: int, row: int, col: int) -> object:
    """What the week sheet's cell (row, col) holds: a registration on an indicator's row, else blank."""
    by_row = {r: indicator for indicator, r in LAYOUT.indicator_rows.items()}
    if row not in by_row:
        return None
    e, kind = divmod(col - WEEK_FIRST_COL, 2)
    return cells.get(("m" if kind else "r", week, by_row[row], e))


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.one_of(st.floats(0, 1e6), st.text(max_size=3)), max_size=60))
def test_week_names_read_the_cells_they_name(cells: dict) -> None:
    env = environment(Blocks.of(LAYOUT), cells, date(2026, 3, 1))
    rows = range(WEEK_FIRST_ROW + 1, LAYOUT.last_week_row + 1)
    for week in (1, 2, SETUP.weeks):
        for kind, _, indicator, e in (key for key in KEYS if key[1] == week):
            assert env[f"{kind}|{week}|{indicator}|{e}"] == cells.get((kind, week, indicator, e))
        for col in range(WEEK_FIRST_COL, LAYOUT.total_col):
            assert env[f"col|{week}|{col}"].tolist() == [_at(cells, week, row, col) for row in rows]
        for run, (_, top, bottom) in enumerate(LAYOUT.unit_runs):
            expected = [
                [_at(cells, week, row, col) for col in range(WEEK_FIRST_COL, LAYOUT.total_col)]
                for row in range(top, bottom + 1)
            ]
            assert env[f"run|{week}|{run}"].tolist() == expected
        for indicator in SETUP.indicators:
            assert env[f"id|{week}|{indicator.id}"] == indicator.id
        unit_by_row = {LAYOUT.indicator_rows[indicator.id]: indicator.unit for indicator in SETUP.indicators}
        assert env[f"col|{week}|1"].tolist() == [unit_by_row.get(row) for row in rows]


def test_a_formula_cannot_change_another_formulas_range() -> None:
    """The column and run ranges share one grid per week: it is read-only, so no evaluation can
    change what a later formula reads."""
    env = environment(Blocks.of(LAYOUT), {("r", 1, SETUP.indicators[0].id, 0): 5.0}, date(2026, 3, 1))
    column = env[f"col|1|{WEEK_FIRST_COL}"]
    with pytest.raises(ValueError, match="read-only"):
        column[0] = 1.0
    assert np.shares_memory(column, env["run|1|0"])
