"""Bad entry rows: reported with row, column and rule (personal data masked); the file is unharmed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.industry.conftest import SEED_DAY
from tests.industry.test_workbook import _add_rows
from xltools.core.logic import serial
from xltools.errors import ExitCode
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage

GOOD = [serial(date(2012, 11, 28)), "Godt Firma", "12345674", "Vej 1", "22 33 44 55", "a@b.dk", "Hanne",
        "Handel", "Ordinær åbning", "IT", 2, 0]  # fmt: skip
COLUMN = {name: index for index, name in enumerate(
    ["dato", "virksomhed", "cvr", "adresse", "telefon", "mail", "kontaktperson",
     "virksomhedstype", "resultat", "jobfunktion", "pladser", "besatte"])}  # fmt: skip

CORPUS = [
    ("cvr", "12345675", "CVR-nummer", "modulus 11", "'12345675'"),
    ("cvr", "1234567", "CVR-nummer", "8 cifre", "'1234567'"),
    ("telefon", "22a45678", "Telefonnummer", "8 cifre", "(skjult)"),
    ("mail", "hanne@", "Mailadresse", "e-mailadresse", "(skjult)"),
    ("besatte", 3, "Antal besatte pladser", "højst Antal pladser", "3"),
    ("dato", serial(date(2012, 12, 24)), "Dato", "senest i dag", "24-12-2012"),
    ("dato", serial(date(1999, 12, 31)), "Dato", "fra 01-01-2000", "31-12-1999"),
    ("mail", "hanne@firma", "Mailadresse", "e-mailadresse", "(skjult)"),
    ("telefon", "+46 12 34 56 78", "Telefonnummer", "dansk telefonnummer", "(skjult)"),
    ("dato", "26/11/12", "Dato", "skal være en dato", "'26/11/12'"),
    ("virksomhedstype", "Rumfart", "Virksomhedstype", "fra listen Virksomhedstype", "'Rumfart'"),
    ("pladser", "fem", "Antal pladser", "helt tal", "'fem'"),
    ("besatte", 1.5, "Antal besatte pladser", "helt tal", "1,5"),
    ("virksomhed", '=HYPERLINK("http://x.invalid","klik")', "Virksomhedens navn", "må ikke begynde", "=HYPERLINK"),
    ("virksomhed", "=cmd|' /C calc'!A0", "Virksomhedens navn", "må ikke begynde med =", "=cmd"),
    ("virksomhed", "@SUM(1+1)", "Virksomhedens navn", "må ikke begynde med", "'@SUM(1+1)'"),
    ("virksomhed", "+1+1", "Virksomhedens navn", "må ikke begynde med", "'+1+1'"),
    ("virksomhed", "-1+1", "Virksomhedens navn", "må ikke begynde med", "'-1+1'"),
    ("kontaktperson", "=1+1", "Kontaktperson", "må ikke begynde med", "(skjult)"),
]


@pytest.mark.parametrize(("key", "value", "header", "rule", "found"), CORPUS, ids=lambda v: str(v)[:20])
def test_bad_row_is_reported_and_the_file_left_alone(
    seed_workbook: Path, key: str, value: object, header: str, rule: str, found: str
) -> None:
    row = list(GOOD)
    row[COLUMN[key]] = value
    _add_rows(seed_workbook, [tuple(row)])
    data = seed_workbook.read_bytes()
    outcome = recalc(seed_workbook, as_of=SEED_DAY, today=lambda: SEED_DAY)
    assert outcome.exit_code == ExitCode.INVALID
    (message,) = outcome.errors
    assert message.startswith(f"Registrering række 5, kolonne {header}: ")
    assert rule in message and found in message
    if found == "(skjult)":
        assert str(value) not in message
    assert seed_workbook.read_bytes() == data
    with XlsxPackage(seed_workbook) as package:
        assert not package.has_formula("Registrering", 4, COLUMN[key])


def test_every_bad_row_is_listed(seed_workbook: Path) -> None:
    first = list(GOOD)
    first[COLUMN["cvr"]] = "11111111"
    second = list(GOOD)
    second[COLUMN["pladser"]] = -1
    _add_rows(seed_workbook, [tuple(first), tuple(GOOD), tuple(second)])
    outcome = recalc(seed_workbook, as_of=SEED_DAY, today=lambda: SEED_DAY)
    assert [error.split(":")[0] for error in outcome.errors] == [
        "Registrering række 5, kolonne CVR-nummer",
        "Registrering række 7, kolonne Antal pladser",
    ]
