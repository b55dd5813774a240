"""Demo data for the main job: plausible, fictional contacts dated around the reporting date."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.industry.lists import BRANCHER, INGEN_AABNING, JOBFUNKTIONER, RESULTATER
from xltools.industry.rows import validate_rows
from xltools.industry.rules import CVR_WEIGHTS
from xltools.industry.workbook import DEFAULT_LISTS, build

NAMES = ("Bager Hansen", "Nordvej Byg", "Hotel Fjordgården", "Rengøringsservice Øst", "Kro & Køkken", "Lager Syd")
PEOPLE = ("Anne Jensen", "Peter Holm", "Mette Larsen", "Ali Hassan", "Sofie Nielsen")
CONSULTANTS = ("KB", "LM", "TH")


def demo_cvr(rng: random.Random) -> str:
    """A fictional CVR number that passes the modulus-11 check."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        remainder = sum(d * w for d, w in zip(digits, CVR_WEIGHTS, strict=False)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return "".join(map(str, digits + [check]))


def demo_rows(as_of: date, count: int = 60, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for number in range(count):
        result = rng.choice(RESULTATER)
        places = 0 if result == INGEN_AABNING else rng.randint(1, 5)
        day = as_of - timedelta(days=rng.randint(0, 80))
        closed = day + timedelta(days=rng.randint(1, 20)) if places and rng.random() < 0.1 else None
        records.append(
            {
                "dato": day,
                "virksomhed": f"{rng.choice(NAMES)} {number + 1}",
                "cvr": demo_cvr(rng),
                "adresse": f"Demovej {number + 1}, 8000 Aarhus C",
                "telefon": f"+45 70 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "mail": f"kontakt{number + 1}@example.dk",
                "kontaktperson": rng.choice(PEOPLE),
                "virksomhedstype": rng.choice(BRANCHER[:12]),
                "resultat": result,
                "jobfunktion": rng.choice(JOBFUNKTIONER),
                "pladser": places,
                "besatte": rng.randint(0, places),
                "ansvarlig": rng.choice(CONSULTANTS),
                "lukket": closed if closed is None or closed <= as_of else None,
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
