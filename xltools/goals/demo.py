"""Demo data a consultant recognises: a team of eight with Årsmål from the employment plan on most
indicators, the weekly Mål broken down from them as ``xltools goals`` does, holiday weeks, and Real
for the weeks gone — some indicators behind the plan's pace, some on track, some ahead.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from xltools.goals.breakdown import weekly_goals
from xltools.goals.setup import Employee, Indicator, Setup, default_setup, week_span
from xltools.goals.workbook import build

EMPLOYEES = (
    "Anne Holm",
    "Bo Nielsen",
    "Camilla Sørensen",
    "Dennis Larsen",
    "Eva Madsen",
    "Frederik Jensen",
    "Gitte Poulsen",
    "Hassan Ali",
)
GOALS: dict[str, tuple[float, float]] = {
    "I01": (320.0, 1.0),  # Undervisning antal timer
    "I02": (1600.0, 0.8),  # Aktiveringssamtaler: behind
    "I03": (2400.0, 1.0),
    "I04": (200.0, 1.25),
    "I05": (1800.0, 0.95),
    "I06": (900.0, 1.05),
    "I07": (700.0, 1.2),  # Virksomhedsmøder: ahead
    "I08": (1100.0, 0.75),  # Kanvas: behind
    "I09": (1500.0, 1.0),
    "I10": (180.0, 1.3),
    "I11": (260.0, 0.85),
    "I12": (120.0, 1.0),
    "I13": (400.0, 1.0),
    "I14": (350.0, 1.15),
    "I15": (120.0, 0.8),
    "I16": (80.0, 1.0),
    "I17": (200.0, 1.2),
    "I18": (40.0, 1.0),
    "I19": (150.0, 0.9),
    "I20": (60.0, 1.0),
    "I21": (45.0, 1.3),
}
"""Indicator id → (Årsmål for the team, how fast the team really goes: 1 is the plan's pace)."""
UNPLANNED = {"I24": 0.6, "I26": 2.0, "I27": 3.0, "I28": 1.5, "I29": 0.8}
"""Indicators without an Årsmål that the team registers anyway: weekly mean per employee."""
HOLIDAYS = {7: 0.5, 28: 0.0, 29: 0.0, 30: 0.0, 42: 0.5, 52: 0.0, 53: 0.0}
"""Winter, summer and autumn holidays and Christmas: the week's weight (1 elsewhere)."""
ABSENT = 0.04
"""The share of weeks an employee registers nothing (ill, on a course)."""


def demo_setup(year: int) -> Setup:
    base = default_setup(year)
    employees = tuple(Employee(e.id, name) for e, name in zip(base.employees, EMPLOYEES, strict=True))
    indicators = tuple(
        Indicator(i.id, i.section, i.name, i.unit, GOALS[i.id][0] if i.id in GOALS else None) for i in base.indicators
    )
    weights = tuple(HOLIDAYS.get(week, 1.0) for week in range(1, base.weeks + 1))
    return Setup(year, employees, indicators, weights=weights)


def demo(template: Path, out_dir: Path, as_of: date | None = None) -> list[Path]:
    """One Målstyring as of ``as_of`` (today): Mål for the whole year, Real for the weeks that have ended."""
    as_of = as_of or date.today()
    setup = demo_setup(as_of.year)
    goals = weekly_goals(setup, {}).goals
    rng = random.Random(11)
    registrations: dict[tuple[str, int, str, int], float] = {
        ("m", week, indicator, e): value for (week, indicator, e), value in goals.items()
    }
    weights = setup.week_weights()
    units = {indicator.id: indicator.unit for indicator in setup.indicators}
    ended = [week for week in range(1, setup.weeks + 1) if week_span(setup.year, week)[1] <= as_of]  # as weeks_elapsed
    for week in ended:
        for e in range(len(setup.employees)):
            if weights[week - 1] == 0 or rng.random() < ABSENT:
                continue
            for indicator, (_, pace) in GOALS.items():
                mean = goals.get((week, indicator, e), 0.0) * pace * rng.uniform(0.6, 1.4)
                registrations[("r", week, indicator, e)] = _draw(rng, mean, units[indicator])
            for indicator, mean in UNPLANNED.items():
                registrations[("r", week, indicator, e)] = _draw(rng, mean * weights[week - 1], "antal")
    remarks = {28: "Sommerferie – ingen registreringer.", 42: "Efterårsferie: halv uge."}
    path = out_dir / f"{template.stem}-demo-1.xlsx"
    build(path, as_of, setup, registrations, remarks={w: r for w, r in remarks.items() if w in ended})
    return [path]


def _draw(rng: random.Random, mean: float, unit: str) -> float:
    """A registration around ``mean``: whole numbers rounded up or down at random so the mean holds;
    hours in half hours."""
    if unit == "timer":
        return round(mean * 2) / 2
    return float(int(mean + rng.random()))
