"""The Målstyring's calculations, each written once as a function over expressions.

Pace follows the real working year: the share of the year gone is the weights of the elapsed weeks over
the weights of all weeks, so a holiday week (weight 0) moves nothing.
"""

from __future__ import annotations

from enum import StrEnum

from xltools.core.calculation import Calculation, Parameter
from xltools.core.expr import Const, Expr, Round
from xltools.core.inputs import InputSpec
from xltools.core.logic import If, IsBlank, Or, call, compare


class GoalStatus(StrEnum):
    """An indicator's status against the plan's pace, as the Forside shows it."""

    BAGUD = "bagud"
    PAA_SPORET = "på sporet"
    FORAN = "foran"
    INGEN_MAAL = "ingen mål"
    FOR_TIDLIGT = "–"
    """Before the first week has gone."""


BAGUD, PAA_SPORET, FORAN, INGEN_MAAL, FOR_TIDLIGT = GoalStatus
STATUSES = (BAGUD, PAA_SPORET, FORAN, INGEN_MAAL)
"""The statuses an indicator can have once the first week has gone."""
BAGUD_UNDER, FORAN_FRA = 0.9, 1.1
"""The default thresholds, as shares of the plan's pace; a team changes them in Opsætning."""


def week1_monday(year: Expr) -> Expr:
    """Monday of ISO week 1: the Monday on or before 4 January."""
    fourth = call("DATE", year, 1, 4)
    return fourth - call("WEEKDAY", fourth, 3)


def weeks_elapsed(as_of: Expr, year: Expr, weeks: Expr) -> Expr:
    """ISO weeks of the year ended by the reporting date (0 before the year, all after it)."""
    return call("MAX", 0, call("MIN", weeks, call("INT", (as_of - week1_monday(year) + 1) / 7)))


def current_week(as_of: Expr, year: Expr, weeks: Expr) -> Expr:
    """The ISO week the reporting date falls in, kept within the year's weeks (1 before it, the last after)."""
    return call("MAX", 1, call("MIN", weeks, call("INT", (as_of - week1_monday(year)) / 7) + 1))


def share_of_year(weights_elapsed: Expr, weights_total: Expr) -> Expr:
    """How much of the working year has gone (0 while no weighted week has ended)."""
    return If(compare("=", weights_total, 0), Const(0.0), weights_elapsed / weights_total)


def pace(aarsmaal: Expr, share: Expr) -> Expr:
    """Where the plan's year goal says the team should be by now."""
    return If(IsBlank(aarsmaal), Const(""), aarsmaal * share)


def projection(real: Expr, share: Expr) -> Expr:
    """The year's result if the pace so far holds; blank until a weighted week has ended."""
    return If(compare("=", share, 0), Const(""), real / share)


def attainment(real: Expr, maal: Expr) -> Expr:
    """Real against the team's own weekly goals so far; blank without goals."""
    return If(compare("=", maal, 0), Const(""), real / maal)


def goal_status(real: Expr, aarsmaal: Expr, share: Expr, bagud: Expr, foran: Expr) -> Expr:
    """ingen mål / – / bagud / på sporet / foran, comparing Real with the plan's pace.

    The ratio is rounded to 4 decimals first, so 0.9 and 1.1 land where a person expects
    (LibreOffice compares floating point approximately, Excel exactly).
    """
    ratio = Round(real / (aarsmaal * share), 4)
    return If(
        Or((IsBlank(aarsmaal), compare("=", aarsmaal, 0))),
        Const(INGEN_MAAL),
        If(
            compare("=", share, 0),
            Const(FOR_TIDLIGT),
            If(
                compare("<", ratio, bagud),
                Const(BAGUD),
                If(compare(">=", ratio, foran), Const(FORAN), Const(PAA_SPORET)),
            ),
        ),
    )


REAL = InputSpec("real", "Real", "Det realiserede antal til dato.", "number", minimum=0)
AARSMAAL = InputSpec(
    "aarsmaal", "Årsmål", "Årets mål fra beskæftigelsesplanen (tom: intet mål).", "number", 0, blank_ok=True
)
ANDEL = InputSpec("andel_af_aaret", "Andel af året", "Vægtede uger gået / vægtede uger i alt.", "percent", 0, 1)
BAGUD_SPEC = InputSpec("bagud", "Bagud under", "Bagud under denne andel af tempoet.", "percent", 0, 1)
FORAN_SPEC = InputSpec("foran", "Foran fra", "Foran fra denne andel af tempoet.", "percent", 1, 10)

GOAL_STATUS = Calculation(
    "GOAL_STATUS",
    'Status mod beskæftigelsesplanens tempo: "ingen mål", "–", "bagud", "på sporet" eller "foran".',
    (
        Parameter(REAL),
        Parameter(AARSMAAL),
        Parameter(ANDEL),
        Parameter(BAGUD_SPEC, default=BAGUD_UNDER),
        Parameter(FORAN_SPEC, default=FORAN_FRA),
    ),
    goal_status,
)

CALCULATIONS = (GOAL_STATUS,)
