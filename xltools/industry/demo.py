"""Demo data for the main job: plausible, fictional contacts dated around the reporting date."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.core.rules import CVR_WEIGHTS
from xltools.industry.lists import INGEN_AABNING, JOBFUNKTIONER, RESULTATER
from xltools.industry.rows import validate_rows
from xltools.industry.workbook import DEFAULT_LISTS, build

COMPANIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Bageriet Kornblomsten", "Industri", ("Produktion og industri", "Butik og salg")),
    ("Jensens Maskinfabrik", "Industri", ("Produktion og industri", "Lager og logistik")),
    ("Nordvej Byg ApS", "Bygge og anlæg", ("Håndværk og byggeri",)),
    ("Tømrerfirmaet Egebjerg", "Bygge og anlæg", ("Håndværk og byggeri",)),
    ("SuperBrugsen Vestergade", "Handel", ("Butik og salg", "Lager og logistik")),
    ("Byens Cykler", "Handel", ("Butik og salg",)),
    ("Fragtcentralen Øst", "Transport", ("Chauffør og transport", "Lager og logistik")),
    ("Hotel Fjordgården", "Hoteller og restauranter", ("Kok og køkken", "Hjælpekok", "Service og tjener", "Rengøring")),
    ("Café Torvehallen", "Hoteller og restauranter", ("Service og tjener", "Hjælpekok")),
    ("Kro & Køkken", "Hoteller og restauranter", ("Kok og køkken", "Hjælpekok")),
    ("Datahuset Aarhus", "Information og kommunikation", ("IT", "Administration og kontor")),
    ("Rengøringsservice Øst", "Rejsebureauer, rengøring og anden operationel service", ("Rengøring",)),
    ("Plejecenter Solgården", "Sundhed og socialvæsen", ("Social- og sundhedsarbejde", "Rengøring")),
    ("Børnehuset Mælkebøtten", "Sundhed og socialvæsen", ("Pædagogisk arbejde",)),
    ("Gartneriet Lyngbakken", "Landbrug, skovbrug og fiskeri", ("Landbrug og gartneri",)),
    ("Kommunens Materielgård", "Offentlig administration, forsvar og politi", ("Andet", "Chauffør og transport")),
    ("Revisionskontoret Holm", "Videnservice", ("Administration og kontor",)),
    ("Fitnesscenter Puls", "Kultur og fritid", ("Service og tjener", "Rengøring")),
)
"""Fictional companies, each in the industry a consultant would file it under, with the jobs it offers."""
PEOPLE = ("Anne Jensen", "Peter Holm", "Mette Larsen", "Ali Hassan", "Sofie Nielsen", "Lars Møller")
CONSULTANTS = ("KB", "LM", "TH")
RESULT_WEIGHTS = (4, 4, 2, 1)
"""How often each result occurs (Ingen åbning, Ordinær åbning, Praktikplads, Løntilskud)."""


def demo_cvr(rng: random.Random) -> str:
    """A fictional CVR number that passes the modulus-11 check."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        remainder = sum(d * w for d, w in zip(digits, CVR_WEIGHTS, strict=False)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return "".join(map(str, digits + [check]))


def demo_rows(as_of: date, count: int = 60, seed: int = 7) -> pd.DataFrame:
    """``count`` contacts over the last 80 days: every result, open places of every age (grøn, gul,
    rød), filled and closed ones, companies contacted more than once."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for number in range(count):
        company, industry, jobs = rng.choice(COMPANIES)
        result = rng.choices(RESULTATER, weights=RESULT_WEIGHTS)[0]
        places = 0 if result == INGEN_AABNING else rng.randint(1, 4)
        age = int(rng.random() ** 1.7 * 80)  # more recent contacts than old ones
        day = as_of - timedelta(days=age)
        filled = places if age > 14 and rng.random() < 0.6 else rng.randint(0, places // 2)
        closed = day + timedelta(days=rng.randint(5, 25)) if places > filled and rng.random() < 0.15 else None
        records.append(
            {
                "dato": day,
                "virksomhed": company,
                "cvr": demo_cvr(random.Random(company)),
                "adresse": f"Demovej {COMPANIES.index((company, industry, jobs)) + 1}, 8000 Aarhus C",
                "telefon": f"+45 70 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "mail": f"kontakt{number + 1}@example.dk",
                "kontaktperson": rng.choice(PEOPLE),
                "virksomhedstype": industry,
                "resultat": result,
                "jobfunktion": rng.choice(jobs if result != INGEN_AABNING else JOBFUNKTIONER),
                "pladser": places,
                "besatte": filled,
                "ansvarlig": rng.choice(CONSULTANTS),
                "lukket": closed if closed is not None and closed <= as_of else None,
            }
        )
    records.sort(key=lambda record: record["dato"])
    return validate_rows(records, DEFAULT_LISTS, as_of)


def demo(template: Path, out_dir: Path, as_of: date | None = None) -> list[Path]:
    """A Brancheredskab filled with demo contacts (built from rows; recalculated by the caller)."""
    as_of = as_of or date.today()
    path = out_dir / f"{template.stem}-demo-1.xlsx"
    build(path, as_of, demo_rows(as_of))
    return [path]
