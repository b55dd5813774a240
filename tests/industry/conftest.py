from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from xltools.core.logic import serial
from xltools.industry.rows import validate_rows
from xltools.industry.workbook import DEFAULT_LISTS, build
from xltools.workbook.package import type_values

SEED_ROWS = [
    {
        "dato": date(2012, 11, 26),
        "virksomhed": "Blka",
        "virksomhedstype": "Hoteller og restauranter",
        "resultat": "Praktikplads",
        "jobfunktion": "Hjælpekok",
        "pladser": 5,
        "besatte": 2,
    },
    {
        "dato": date(2012, 11, 27),
        "virksomhed": "Blka",
        "virksomhedstype": "Bygge og anlæg",
        "resultat": "Ordinær åbning",
        "jobfunktion": "Rengøring",
        "pladser": 3,
        "besatte": 1,
    },
]
SEED_DAY = date(2012, 12, 4)


def rows(records: list[dict], today: date = SEED_DAY) -> pd.DataFrame:
    return validate_rows(records, DEFAULT_LISTS, today)


def workbook_with(path: Path, records: list[dict], as_of: date, fixed_date: bool = True) -> Path:
    """A Brancheredskab with ``records``; with ``fixed_date`` the reporting date is typed in."""
    build(path, as_of, rows(records, as_of))
    if fixed_date:
        type_values(path, {"Opgoerelsesdato": serial(as_of)})
    return path


@pytest.fixture
def seed_workbook(tmp_path: Path) -> Path:
    return workbook_with(tmp_path / "brancheredskab.xlsx", SEED_ROWS, SEED_DAY, fixed_date=False)
