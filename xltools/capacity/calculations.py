"""The Ressourceberegner's calculations, each written once as a function over expressions.

Called with ``Ref`` nodes they give the UDFs; called with the workbook's defined names and cells
they give the sheet's formulas; evaluated, they give the Python values.
"""

from xltools.capacity import inputs as spec
from xltools.core.calculation import Calculation, Parameter
from xltools.core.expr import Expr, round_clean, roundup_clean


def intensive_borgere(borgere: Expr, andel: Expr) -> Expr:
    """Citizens in the intensified group, rounded half away from zero after removing float noise."""
    return round_clean(borgere * andel)


def samtaler(borgere: Expr, frekvens: Expr) -> Expr:
    """Yearly conversations for a group of citizens at a frequency."""
    return borgere * frekvens


def yearly_conversations(borgere: Expr, frekvens: Expr, andel: Expr, frekvens_basis: Expr) -> Expr:
    """Yearly conversations when a share gets ``frekvens`` and the rest ``frekvens_basis``."""
    intensive = intensive_borgere(borgere, andel)
    return samtaler(intensive, frekvens) + samtaler(borgere - intensive, frekvens_basis)


def capacity_per_fte(samtaler_pr_dag: Expr, dage: Expr, uger: Expr) -> Expr:
    """Conversations one årsværk holds in a year."""
    return samtaler_pr_dag * dage * uger


def capacity(samtaler_pr_dag: Expr, aarsvaerk: Expr, dage: Expr, uger: Expr) -> Expr:
    """Conversations ``aarsvaerk`` årsværk hold in a year (a cell of the Årsværk matrix)."""
    return capacity_per_fte(samtaler_pr_dag, dage, uger) * aarsvaerk


def samtaler_at_booke(samtaler_pr_aar: Expr, udeblivelse: Expr) -> Expr:
    """Conversations to book so that ``samtaler_pr_aar`` are held despite no-shows."""
    return samtaler_pr_aar / (1 - udeblivelse)


def fte_needed(samtaler_pr_aar: Expr, samtaler_pr_dag: Expr, dage: Expr, uger: Expr, udeblivelse: Expr) -> Expr:
    """Årsværk needed to book the conversations at a number of conversations per day."""
    booked = samtaler_at_booke(samtaler_pr_aar, udeblivelse)
    return booked / capacity_per_fte(samtaler_pr_dag, dage, uger)


def fte_rounded_up(fte: Expr) -> Expr:
    """Whole årsværk needed."""
    return roundup_clean(fte)


CAPACITY = Calculation(
    "CAPACITY",
    "Samtaler pr. år, som et antal årsværk kan holde.",
    (
        Parameter(spec.SAMTALER_PR_DAG),
        Parameter(spec.AARSVAERK),
        Parameter(spec.SAMTALE_DAGE, default=3),
        Parameter(spec.UGER, default=44),
    ),
    capacity,
)

FTE_NEEDED = Calculation(
    "FTE_NEEDED",
    "Årsværk, der skal til for at holde et antal samtaler pr. år.",
    (
        Parameter(spec.SAMTALER_PR_AAR),
        Parameter(spec.SAMTALER_PR_DAG),
        Parameter(spec.SAMTALE_DAGE, default=3),
        Parameter(spec.UGER, default=44),
        Parameter(spec.UDEBLIVELSE, default=0.0),
    ),
    fte_needed,
)

YEARLY_CONVERSATIONS = Calculation(
    "YEARLY_CONVERSATIONS",
    "Samtaler pr. år, når en andel af borgerne har frekvens og resten frekvens_basis.",
    (
        Parameter(spec.BORGERE),
        Parameter(spec.FREKVENS),
        Parameter(spec.ANDEL, default=1.0),
        Parameter(spec.FREKVENS_BASIS, default=spec.BASIS_FREQUENCY),
    ),
    yearly_conversations,
)

CALCULATIONS = (CAPACITY, FTE_NEEDED, YEARLY_CONVERSATIONS)
