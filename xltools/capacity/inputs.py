"""The Ressourceberegner's inputs: one spec each, shared by the workbook, the UDFs and recalc."""

from xltools.core.inputs import InputSpec

GENERAL_FREQUENCIES: tuple[tuple[str, int], ...] = (
    ("Rettidighed", 4),
    ("Hver anden måned", 6),
    ("Hver måned", 12),
)
"""Conversations per citizen per year for the whole target group (the seed's rows)."""

INTENSIVE_FREQUENCIES: tuple[tuple[str, int], ...] = (
    ("To gange i måneden", 24),
    ("Hver måned", 12),
    ("Hver anden måned", 6),
)
"""Frequencies of the intensified effort; the rest of the group stays at rettidighed (4)."""

BASIS_FREQUENCY = GENERAL_FREQUENCIES[0][1]

SCENARIOS: tuple[str, ...] = tuple(
    [f"Alle: {label.lower()} ({freq})" for label, freq in GENERAL_FREQUENCIES]
    + [f"Intensiv: {label.lower()} ({freq})" for label, freq in INTENSIVE_FREQUENCIES]
)
"""The six scenarios, in sheet order: three for the whole group, three intensified."""

BORGERE = InputSpec(
    "borgere",
    "Antal borgere",
    "Antal ledige borgere i målgruppen (helt tal).",
    "whole",
    minimum=0,
    defined_name="Borgere",
)
SAMTALE_DAGE = InputSpec(
    "dage",
    "Antal dage med samtaler",
    "Dage pr. uge, hvor en medarbejder holder samtaler (1-5).",
    "whole",
    minimum=1,
    maximum=5,
    defined_name="SamtaleDage",
)
UGER = InputSpec(
    "uger",
    "Antal uger pr. årsværk",
    "Arbejdsuger i et årsværk efter ferie, interne møder og opkvalificering (typisk 43-44).",
    "number",
    minimum=1,
    maximum=52,
    defined_name="UgerPrAarsvaerk",
)
ANDEL = InputSpec(
    "andel",
    "Andel med behov for intensiveret indsats",
    "Andel af borgerne, der skal have intensiverede samtaler, fx andelen tilbage efter 39 uger.",
    "percent",
    minimum=0,
    maximum=1,
    defined_name="AndelIntensiv",
)
SAMTALER_PR_DAG = InputSpec(
    "samtaler_pr_dag",
    "Samtaler pr. dag pr. medarbejder",
    "Samtaler en medarbejder holder på en samtaledag (helt tal 1-20).",
    "whole",
    minimum=1,
    maximum=20,
    defined_name="SamtalerPrDag",
)
UDEBLIVELSE = InputSpec(
    "udeblivelse",
    "Udeblivelse",
    "Andel af bookede samtaler, hvor borgeren udebliver (0-90 %). Der bookes flere samtaler.",
    "percent",
    minimum=0,
    maximum=0.9,
    defined_name="Udeblivelse",
)
SCENARIE = InputSpec(
    "scenarie",
    "Valgt scenarie",
    "Vælg scenariet, som Årsværk-tabellen markerer: felter med nok kapacitet bliver grønne.",
    "choice",
    choices=SCENARIOS,
    defined_name="Scenarie",
)

WORKBOOK_INPUTS = (BORGERE, SAMTALE_DAGE, UGER, ANDEL, SAMTALER_PR_DAG, UDEBLIVELSE, SCENARIE)
DEFINED_NAMES = tuple(spec.defined_name for spec in WORKBOOK_INPUTS if spec.defined_name)
"""The input cells' names: a workbook that carries them all is a Ressourceberegner."""

DEFAULTS: dict[str, float | str] = {
    "Borgere": 330,
    "SamtaleDage": 3,
    "UgerPrAarsvaerk": 44,
    "AndelIntensiv": 0.3,
    "SamtalerPrDag": 5,
    "Udeblivelse": 0.0,
    "Scenarie": SCENARIOS[3],
}
"""The seed's worked example, plus defaults for the inputs beyond the seed."""

# Arguments that only the UDFs take.
AARSVAERK = InputSpec("aarsvaerk", "Årsværk", "Antal årsværk (fuldtidsstillinger).", "number", 0)
SAMTALER_PR_AAR = InputSpec("samtaler_pr_aar", "Samtaler pr. år", "Samtaler, der skal holdes pr. år.", "number", 0)
FREKVENS = InputSpec("frekvens", "Frekvens", "Samtaler pr. borger pr. år (fx 4, 6, 12 eller 24).", "number", 0)
FREKVENS_BASIS = InputSpec(
    "frekvens_basis",
    "Frekvens for resten",
    "Samtaler pr. år for borgere uden intensiv indsats (rettidighed: 4).",
    "number",
    0,
)
