"""The Kontakter table: its columns, and validation of every entry row with messages a consultant
can act on (row, column, rule) — personal data masked, so messages and reports can be shared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from xltools.core.logic import from_serial
from xltools.industry.rules import cvr_valid, email_valid, phone_valid

ColumnKind = Literal["date", "text", "cvr", "phone", "email", "list", "count"]


@dataclass(frozen=True)
class Column:
    """One column of the Kontakter table, in the seed's order and words."""

    key: str
    header: str
    kind: ColumnKind
    required: bool = False
    personal: bool = False
    list_name: str | None = None
    width: int = 14

    @property
    def rule(self) -> str:
        rules = {
            "date": "skal være en dato (dd-mm-åååå)",
            "text": "skal være tekst, der ikke begynder med =, +, - eller @ (så den aldrig kan blive en formel)",
            "cvr": "skal være et CVR-nummer: 8 cifre, der består modulus 11-kontrollen",
            "phone": "skal være et dansk telefonnummer på 8 cifre (evt. +45 og mellemrum)",
            "email": "skal være en e-mailadresse (navn@domæne.dk)",
            "list": f"skal være en værdi fra listen {self.list_name} på fanen Lister",
            "count": "skal være et helt tal på mindst 0",
        }
        return rules[self.kind] + (" (skal udfyldes)" if self.required else "")


COLUMNS: tuple[Column, ...] = (
    Column("dato", "Dato", "date", required=True, width=12),
    Column("virksomhed", "Virksomhedens navn", "text", width=26),
    Column("cvr", "CVR-nummer", "cvr", width=12),
    Column("adresse", "Adresse", "text", width=26),
    Column("telefon", "Telefonnummer", "phone", personal=True, width=15),
    Column("mail", "Mailadresse", "email", personal=True, width=24),
    Column("kontaktperson", "Kontaktperson", "text", personal=True, width=18),
    Column("virksomhedstype", "Virksomhedstype", "list", required=True, list_name="Virksomhedstype", width=30),
    Column("resultat", "Resultat af kontakt", "list", required=True, list_name="Resultat af kontakt", width=16),
    Column("jobfunktion", "Jobfunktion", "list", required=True, list_name="Jobfunktion", width=20),
    Column("pladser", "Antal pladser", "count", required=True, width=9),
    Column("besatte", "Antal besatte pladser", "count", required=True, width=9),
    Column("ansvarlig", "Ansvarlig", "text", width=14),
    Column("lukket", "Lukket dato", "date", width=12),
)
BY_KEY = {column.key: column for column in COLUMNS}
ENTRY_GROUPS = (
    ("Virksomhedsinformationer", "dato", "kontaktperson"),
    ("Oplysninger om kontakter", "virksomhedstype", "besatte"),
    ("Opfølgning", "ansvarlig", "lukket"),
)
MASK = "(skjult)"
FORMULA_PREFIXES = ("=", "+", "-", "@")
"""Text starting like a formula is refused in free-text columns: a spreadsheet or a CSV export could run it."""


def _blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _as_text(value: object) -> object:
    """Excel stores digits typed into a cell as a number: 12345678.0 is the text "12345678"."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float):
        return None if math.isnan(value) else str(int(value)) if value.is_integer() else str(value)
    return value


def _as_date(value: object) -> object:
    """A date cell reads as a date (or datetime); an unformatted one as Excel's serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and 1 <= value < 2958466 and value.is_integer():
        return from_serial(value)
    return None if _blank(value) else value


def _as_count(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if _blank(value) else value


_NORMALIZE = {"date": _as_date, "count": _as_count}


def normalize(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cell values as the model expects them, without guessing: what does not fit stays and fails."""
    converters = [(column.key, _NORMALIZE.get(column.kind, _as_text)) for column in COLUMNS]
    return [{key: convert(record.get(key)) for key, convert in converters} for record in records]


Day = Annotated[date, Field(strict=True)]
Count = Annotated[int, Field(strict=True, ge=0)]


class Kontakt(BaseModel):
    """One validated row. List values come back in the list's spelling; blanks are None."""

    model_config = ConfigDict(frozen=True)

    dato: Day
    virksomhed: str | None
    cvr: str | None
    adresse: str | None
    telefon: str | None
    mail: str | None
    kontaktperson: str | None
    virksomhedstype: str
    resultat: str
    jobfunktion: str
    pladser: Count
    besatte: Count
    ansvarlig: str | None
    lukket: Day | None

    @field_validator("virksomhed", "adresse", "kontaktperson", "ansvarlig")
    @classmethod
    def _inert(cls, value: str | None) -> str | None:
        if value is not None and value.startswith(FORMULA_PREFIXES):
            raise ValueError("formula-like")
        return value

    @field_validator("cvr")
    @classmethod
    def _cvr(cls, value: str | None) -> str | None:
        if value is not None and not cvr_valid(value):
            raise ValueError("cvr")
        return value

    @field_validator("telefon")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not phone_valid(value):
            raise ValueError("phone")
        return value

    @field_validator("mail")
    @classmethod
    def _mail(cls, value: str | None) -> str | None:
        if value is not None and not email_valid(value):
            raise ValueError("email")
        return value

    @field_validator("virksomhedstype", "resultat", "jobfunktion")
    @classmethod
    def _listed(cls, value: str, info: ValidationInfo) -> str:
        lists: dict[str, dict[str, str]] = (info.context or {})["lists"]
        canonical = lists[BY_KEY[info.field_name or ""].list_name or ""].get(value.casefold())
        if canonical is None:
            raise ValueError("not listed")
        return canonical


_ROWS = TypeAdapter(list[Kontakt])


@dataclass(frozen=True)
class RowProblem:
    """A broken rule in one cell of the table; ``value`` is masked for personal columns."""

    sheet: str
    row: int  # the row number Excel shows
    column: Column
    rule: str
    value: object

    @property
    def message(self) -> str:
        shown = MASK if self.column.personal else _shown(self.value)
        found = "cellen er tom" if _blank(self.value) else f"fundet: {shown}"
        return f"{self.sheet} række {self.row}, kolonne {self.column.header}: {self.rule} — {found}"


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if hasattr(value, "item"):
        value = value.item()  # a NumPy scalar
    return repr(value)


class InvalidRows(ValueError):
    def __init__(self, problems: list[RowProblem]) -> None:
        problems = sorted(problems, key=lambda problem: problem.row)
        super().__init__("; ".join(problem.message for problem in problems[:5]))
        self.problems = problems


def validate_rows(
    records: list[dict[str, Any]],
    lists: dict[str, tuple[str, ...]],
    today: date,
    sheet: str = "Registrering",
    row_numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Validated rows as a DataFrame indexed by the row numbers Excel shows; raises InvalidRows.

    ``row_numbers`` are the sheet rows of ``records`` (default: 3, 4, … below the table header), so
    every message names the row the consultant sees.
    """
    numbers = list(row_numbers) if row_numbers is not None else list(range(3, 3 + len(records)))
    context = {
        "lists": {name: {value.casefold(): value for value in values} for name, values in lists.items()},
        "today": today,
    }
    records = normalize(records)
    try:
        rows = _ROWS.validate_python(records, context=context)
    except ValidationError as error:
        raise InvalidRows(_problems(error, records, sheet, numbers)) from None
    frame = pd.DataFrame([row.__dict__ for row in rows], columns=[column.key for column in COLUMNS])
    frame.index = pd.Index(numbers, name="række")
    problems = _across_columns(frame, today, sheet)
    if problems:
        raise InvalidRows(problems)
    return frame


_ACROSS: tuple[tuple[str, str], ...] = (
    ("dato", "Dato ligger efter i dag – ret datoen (tastefejl?)"),
    ("besatte", "Antal besatte pladser må ikke være større end Antal pladser"),
    ("lukket", "Lukket dato må ikke ligge før Dato"),
)


def _across_columns(frame: pd.DataFrame, today: date, sheet: str) -> list[RowProblem]:
    """Rules between columns, checked on whole columns at once."""
    closed = frame["lukket"].notna()
    broken = {
        "dato": frame["dato"] > today,
        "besatte": frame["besatte"] > frame["pladser"],
        "lukket": closed & (frame["lukket"].where(closed, frame["dato"]) < frame["dato"]),
    }
    return [
        RowProblem(sheet, int(row), BY_KEY[key], rule, frame.at[row, key])
        for key, rule in _ACROSS
        for row in frame.index[broken[key].to_numpy(dtype=bool)]
    ]


def _problems(
    error: ValidationError, records: list[dict[str, Any]], sheet: str, numbers: list[int]
) -> list[RowProblem]:
    problems = []
    for detail in error.errors():
        index = int(detail["loc"][0])
        record = records[index]
        column = BY_KEY[str(detail["loc"][1])]
        problems.append(RowProblem(sheet, numbers[index], column, column.rule, record.get(column.key)))
    return problems
