"""The team's setup (the Opsætning sheet): year, employees, thresholds, week weights, indicators.

Employees and indicators carry stable ids, so a rename is a rename and not a removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Unit = Literal["antal", "timer"]

SEED_CATALOGUE: tuple[tuple[str, str, Unit], ...] = (
    ("Afholdt", "Undervisning antal timer", "timer"),
    ("Afholdt", "Aktiveringssamtaler", "antal"),
    ("Afholdt", "Individuelle samtaler", "antal"),
    ("Afholdt", "Akutsamtaler", "antal"),
    ("Afholdt", "Opfølgningssamtaler", "antal"),
    ("Afholdt", "Jobsamtale", "antal"),
    ("Afholdt", "Virksomhedsmøder", "antal"),
    ("Salg", "Kanvas", "antal"),
    ("Salg", "Antal virk.kontakt pr. tlf", "antal"),
    ("Antal jobåbninger", "Ordinære job", "antal"),
    ("Antal jobåbninger", "Praktik mv/job", "antal"),
    ("Antal jobåbninger", "Løntilskud", "antal"),
    ("Antal jobåbninger", "Jobsamtaler med virksomhed", "antal"),
    ("Antal jobåbninger", "Bookede virksomhedsmøder", "antal"),
    ("Etablering af", "Etabl. ordinære job", "antal"),
    ("Etablering af", "Etabl. løntilskud", "antal"),
    ("Etablering af", "Etabl. praktik", "antal"),
    ("Etablering af", "Etabl. uddannelse", "antal"),
    ("Afsluttet", "Ordinært job", "antal"),
    ("Afsluttet", "Privat løntilskud", "antal"),
    ("Afsluttet", "Uddannelse", "antal"),
    ("Afsluttet", "Rådgivningsvurdering", "antal"),
    ("Afsluttet", "Pension", "antal"),
    ("Afsluttet", "Raskmelding", "antal"),
    ("Andet", "Om-match", "antal"),
    ("Andet", "Administrationsregistrering", "antal"),
    ("Andet", "Borgerhenvendelser", "antal"),
    ("Andet", "Virksomhedshenvendelser", "antal"),
    ("Andet", "Kontakt til a-kasser", "antal"),
)
"""The seed's 29 indicators in the seed's order; OCR slips fixed (Akursoramtaler → Akutsamtaler,
Aktiveringsamtaler → Aktiveringssamtaler, Ordinær job → Ordinært job, stray asterisks dropped)."""

MAX_EMPLOYEES = 20


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is the year's last."""
    return date(year, 12, 28).isocalendar()[1]


def week_span(year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of ISO week ``week`` of ``year``."""
    monday = date.fromisocalendar(year, week, 1)
    return monday, date.fromisocalendar(year, week, 7)


@dataclass(frozen=True)
class Employee:
    id: str
    name: str


@dataclass(frozen=True)
class Indicator:
    id: str
    section: str
    name: str
    unit: Unit
    aarsmaal: float | None = None
    """The year's goal from the employment plan (beskæftigelsesplan); None: no goal."""


@dataclass(frozen=True)
class Setup:
    year: int
    employees: tuple[Employee, ...]
    indicators: tuple[Indicator, ...]
    bagud: float = 0.9
    foran: float = 1.1
    weights: tuple[float, ...] = field(default=())
    """One per ISO week of the year: 1 a full working week, 0 a holiday week, 0.5 half."""

    @property
    def weeks(self) -> int:
        return weeks_in_year(self.year)

    def week_weights(self) -> tuple[float, ...]:
        return self.weights or (1.0,) * self.weeks

    def sections(self) -> list[tuple[str, list[Indicator]]]:
        """Indicators grouped under their sections, in catalogue order."""
        grouped: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.section, []).append(indicator)
        return list(grouped.items())


def default_setup(year: int, employees: int = 8) -> Setup:
    return Setup(
        year=year,
        employees=tuple(Employee(f"E{n}", f"Medarbejder {n}") for n in range(1, employees + 1)),
        indicators=tuple(
            Indicator(f"I{n:02d}", section, name, unit)
            for n, (section, name, unit) in enumerate(SEED_CATALOGUE, start=1)
        ),
    )
