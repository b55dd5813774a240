"""Breaking the plan's Årsmål down into weekly Mål: ``xltools goals FILE`` fills only empty Mål cells.

For each indicator with an Årsmål: what is left after the Mål already typed is spread over the empty
Mål cells of weeks with a weight above 0, in proportion to the week weights and evenly over the
employees. Rounding is cumulative along the (week, employee) sequence — whole numbers for antal, one
decimal for timer — so typed plus filled goals add up exactly to the Årsmål, and Mål to date follows
the pace. A typed Mål is never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xltools.core.rounding import excel_round
from xltools.goals.layout import week_sheet
from xltools.goals.read import read_registrations
from xltools.goals.recalc import checked_layout
from xltools.goals.setup import Setup
from xltools.messages import number, quote
from xltools.workbook.package import XlsxPackage
from xltools.workbook.source import FileSource, Source


@dataclass
class Breakdown:
    goals: dict[tuple[int, str, int], float] = field(default_factory=dict)
    """(week, indicator id, employee index) → the Mål to fill in."""
    filled: dict[str, int] = field(default_factory=dict)
    """Indicator name → number of Mål cells filled."""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the write path did when forced."""

    def lines(self) -> list[str]:
        """What was filled, one Danish line per indicator."""
        return [f"{quote(name)}: {number(count)} Mål-celler udfyldt" for name, count in self.filled.items()]


def spread(total: float, weights: list[float], digits: int) -> list[float]:
    """``total`` split in proportion to ``weights``, rounded cumulatively so the parts add up to it."""
    whole = sum(weights)
    parts, before, running = [], 0.0, 0.0
    for weight in weights:
        running += weight
        after = excel_round(total * running / whole, digits)
        parts.append(excel_round(after - before, digits))
        before = after
    return parts


def weekly_goals(setup: Setup, found: Mapping[tuple[str, int, str, int], float]) -> Breakdown:
    """The Mål for every empty Mål cell, given the registrations ``found`` (typed Mål are kept)."""
    result = Breakdown()
    weights = setup.week_weights()
    for indicator in setup.indicators:
        if indicator.aarsmaal is None or indicator.aarsmaal == 0:
            continue
        digits = 1 if indicator.unit == "timer" else 0
        typed = sum(value for (kind, _, ident, _), value in found.items() if kind == "m" and ident == indicator.id)
        remaining = excel_round(indicator.aarsmaal - typed, digits)
        if remaining < 0:
            result.warnings.append(
                f"{quote(indicator.name)}: de indtastede mål ({number(typed)}) er større end årsmålet "
                f"({number(indicator.aarsmaal)}); intet udfyldt"
            )
            continue
        empty = [
            (week, e)
            for week in range(1, setup.weeks + 1)
            if weights[week - 1] > 0
            for e in range(len(setup.employees))
            if ("m", week, indicator.id, e) not in found
        ]
        if not empty:
            result.warnings.append(
                f"{quote(indicator.name)}: ingen tomme Mål-celler i uger med vægt over 0; intet udfyldt"
            )
            continue
        parts = spread(remaining, [weights[week - 1] for week, _ in empty], digits)
        for (week, e), value in zip(empty, parts, strict=True):
            result.goals[(week, indicator.id, e)] = value
        result.filled[indicator.name] = len(empty)
    return result


def distribute(source: Source) -> Breakdown:
    """Fill the empty Mål cells of the workbook ``source`` reads — the file or the book open in Excel;
    raises Invalid on invalid input, or when a cell to fill is no longer empty (nothing is filled)."""
    setup, layout = checked_layout(source)
    result = weekly_goals(setup, read_registrations(source, layout))
    source.fill(
        {
            (week_sheet(week), layout.indicator_rows[indicator_id], layout.real_col(e) + 1): value
            for (week, indicator_id, e), value in result.goals.items()
        }
    )
    return result


def fill_goals(path: Path, force: bool = False) -> Breakdown:
    """Fill the empty Mål cells of ``path`` (atomically); raises Invalid on invalid input, Refused when
    the file is open, linked or read-only (unless ``force``) or changed meanwhile."""
    with XlsxPackage(Path(path)) as package:
        result = distribute(FileSource(package))
        if result.filled:
            result.notes = package.save(force=force)
    return result
