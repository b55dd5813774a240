"""The Brancheredskab's calculations, each written once as a function over expressions.

Dates are Excel serial numbers throughout, so the same tree computes a cell in Excel, a whole table
column in Python (NumPy arrays) and a UDF call.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from xltools.core.calculation import Calculation, Parameter
from xltools.core.expr import Const, Expr
from xltools.core.inputs import InputSpec
from xltools.core.logic import And, If, IsBlank, Not, Or, compare, serial
from xltools.core.rules import CvrValid
from xltools.industry.lists import INGEN_AABNING

GUL_DAGE = 7
ROED_DAGE = 14


class Status(StrEnum):
    """An open slot's status, as the Status column shows it."""

    GROEN = "grøn"
    GUL = "gul"
    ROED = "rød"


GROEN, GUL, ROED = Status
STATUSES = tuple(Status)


def age_status(age: Expr) -> Expr:
    """An open slot is grøn when fresh, gul from ``GUL_DAGE`` days old and rød from ``ROED_DAGE``."""
    return If(
        compare(">=", age, ROED_DAGE),
        Const(ROED),
        If(compare(">=", age, GUL_DAGE), Const(GUL), Const(GROEN)),
    )


def is_open(dato: Expr, as_of: Expr, pladser: Expr, besatte: Expr, resultat: Expr, lukket: Expr) -> Expr:
    """Still open on the reporting date: places left, an opening, not closed, not dated later."""
    return And(
        (
            compare(">", pladser, besatte),
            compare("<>", resultat, INGEN_AABNING),
            Or((IsBlank(lukket), compare(">", lukket, as_of))),
            Not(IsBlank(dato)),
            compare("<=", dato, as_of),
        )
    )


def age_days(dato: Expr, as_of: Expr) -> Expr:
    """Days from Dato to the reporting date; blank for undated rows and rows dated later."""
    return If(Or((IsBlank(dato), compare(">", dato, as_of))), Const(""), as_of - dato)


def row_status(open_: Expr, dato: Expr, as_of: Expr) -> Expr:
    """grøn / gul / rød for an open row; blank for filled, closed, "ingen åbning" and later rows."""
    return If(open_, age_status(as_of - dato), Const(""))


def open_places(open_: Expr, pladser: Expr, besatte: Expr) -> Expr:
    """Places still to fill in an open row, else 0."""
    return If(open_, pladser - besatte, Const(0.0))


DATO = InputSpec("dato", "Dato", "Datoen for kontakten.", "date")
OPGOERELSESDATO = InputSpec("as_of", "Opgørelsesdato", "Datoen alderen regnes til (standard: i dag).", "date")
CVR = InputSpec("cvr", "CVR-nummer", "Et CVR-nummer (8 cifre).", "any")


def _today() -> float:
    return serial(date.today())


AGE_STATUS = Calculation(
    "AGE_STATUS",
    'Status for en åben plads: "grøn", "gul" efter 7 dage, "rød" efter 14 dage.',
    (Parameter(DATO), Parameter(OPGOERELSESDATO, default_factory=_today)),
    lambda dato, as_of: age_status(as_of - dato),
)

CVR_VALID = Calculation(
    "CVR_VALID",
    "SAND hvis cvr er et gyldigt CVR-nummer (8 cifre, modulus 11-kontrol).",
    (Parameter(CVR),),
    CvrValid,
)

CALCULATIONS = (AGE_STATUS, CVR_VALID)
