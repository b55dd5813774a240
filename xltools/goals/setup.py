"""The team's setup (the Opsætning sheet): year, employees, thresholds, week weights, indicators.

Employees and indicators carry stable ids, so a rename is a rename and not a removal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, get_args

from xltools.goals.calculations import BAGUD_UNDER, FORAN_FRA

Unit = Literal["antal", "timer"]
UNITS: tuple[Unit, ...] = get_args(Unit)

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
    bagud: float = BAGUD_UNDER
    foran: float = FORAN_FRA
    weights: tuple[float, ...] = field(default=())
    """One per ISO week of the year: 1 a full working week, 0 a holiday week, 0.5 half."""

    @property
    def weeks(self) -> int:
        return weeks_in_year(self.year)

    def week_weights(self) -> tuple[float, ...]:
        return self.weights or (1.0,) * self.weeks

    def sections(self) -> list[tuple[str, list[Indicator]]]:
        """Indicators grouped under their sections, in catalogue order; section names compare as Excel's
        ``=`` does (case-insensitively), and a section is named as its first indicator has it."""
        grouped: dict[str, tuple[str, list[Indicator]]] = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.section.casefold(), (indicator.section, []))[1].append(indicator)
        return list(grouped.values())

    def in_section_order(self) -> Setup:
        """The same setup with each section's indicators next to each other, as the week sheets show them
        (and as Opsætning is written, so that it lists them in the order the week sheets do)."""
        ordered = tuple(indicator for _, group in self.sections() for indicator in group)
        return replace(self, indicators=ordered)


def with_new_ids(setup: Setup, taken: set[str]) -> Setup:
    """New rows of Opsætning (no id yet) get ids never used before in this workbook (``taken`` holds the
    ids its week sheets and Arkiv ever had), so a newcomer never inherits a former colleague's work."""

    def next_ids(prefix: str, used: list[str], width: int) -> Iterator[str]:
        numbers = [int(i[len(prefix) :]) for i in used if i.startswith(prefix) and i[len(prefix) :].isdigit()]
        current = max(numbers, default=0)
        while True:
            current += 1
            yield f"{prefix}{current:0{width}d}"

    employee_ids = next_ids("E", [e.id for e in setup.employees] + sorted(taken), 1)
    indicator_ids = next_ids("I", [i.id for i in setup.indicators] + sorted(taken), 2)
    employees = tuple(e if e.id else Employee(next(employee_ids), e.name) for e in setup.employees)
    indicators = tuple(
        i if i.id else Indicator(next(indicator_ids), i.section, i.name, i.unit, i.aarsmaal) for i in setup.indicators
    )
    weights = setup.weights if len(setup.weights) == setup.weeks else ()
    return Setup(setup.year, employees, indicators, setup.bagud, setup.foran, weights)


def default_setup(year: int, employees: int = 8) -> Setup:
    return Setup(
        year=year,
        employees=tuple(Employee(f"E{n}", f"Medarbejder {n}") for n in range(1, employees + 1)),
        indicators=tuple(
            Indicator(f"I{n:02d}", section, name, unit)
            for n, (section, name, unit) in enumerate(SEED_CATALOGUE, start=1)
        ),
    )
