"""The Kontakter table: its columns, and validation of every entry row with messages a consultant
can act on (row, column, rule) — personal data masked, so messages and reports can be shared.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import repeat
from operator import is_, is_not
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np

from xltools.core.expr import Ref
from xltools.core.logic import from_serial, load_pandas, serial
from xltools.core.rules import (
    TODAY,
    CvrValid,
    DateBetween,
    EmailValid,
    NoFormulaStart,
    NumberBetween,
    PhoneValid,
    Rule,
)
from xltools.messages import quote
from xltools.workbook.refs import cell_name

if TYPE_CHECKING:
    import pandas as pd
    from pydantic import TypeAdapter, ValidationError

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
        """The rule in Danish, after the column's name: the Excel validation's and the Python check's."""
        if self.kind == "list":
            text = f"skal være en værdi fra listen {self.list_name} på fanen Lister"
        else:
            text = RULES[self.key].text
        return text + (" (skal udfyldes)" if self.required else "")


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
FIRST_ROW = 2
"""Zero-based sheet row of the table's first data row (the header is the row above)."""


def _first_cell(key: str) -> Ref:
    """Column ``key``'s cell on the validated row, as a data-validation formula names it."""
    return Ref(key, cell_name(FIRST_ROW, [column.key for column in COLUMNS].index(key)))


def _rule(column: Column) -> Rule:
    cell = _first_cell(column.key)
    if column.key == "dato":
        return DateBetween(cell)
    if column.key == "lukket":
        return DateBetween(cell, earliest=_first_cell("dato"), up_to_today=False)
    if column.key == "pladser":
        return NumberBetween(cell, low=0, decimals=0, no_logical=True)
    if column.key == "besatte":
        return NumberBetween(
            cell, low=0, high=_first_cell("pladser"), decimals=0, unit="Antal pladser", no_logical=True
        )
    by_kind: dict[str, type[Rule]] = {"cvr": CvrValid, "phone": PhoneValid, "email": EmailValid, "text": NoFormulaStart}
    return by_kind[column.kind](cell)


RULES: dict[str, Rule] = {column.key: _rule(column) for column in COLUMNS if column.kind != "list"}
"""Each column's rule, written once: the Excel data validation (``rule.formula``) and the Python check."""
ENTRY_GROUPS = (
    ("Virksomhedsinformationer", "dato", "kontaktperson"),
    ("Oplysninger om kontakter", "virksomhedstype", "besatte"),
    ("Opfølgning", "ansvarlig", "lukket"),
)
MASK = "(skjult)"


def _not_a_time(value: object) -> bool:
    """pandas' missing datetime (NaT), known without importing pandas: a datetime unequal to itself."""
    return isinstance(value, datetime) and value != value


def _blank(value: object) -> bool:
    return (
        value is None
        or _not_a_time(value)
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _as_text(value: object) -> object:
    """Text exactly as the cell holds it (Excel's ``=`` compares it so: " Handel" is not "Handel"); Excel
    stores digits typed into a cell as a number: 12345678.0 is the text "12345678"."""
    if isinstance(value, str):  # most cells: no further question
        return value or None
    if _not_a_time(value):
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else str(int(value)) if value.is_integer() else str(value)
    return value


def _as_date(value: object) -> object:
    """A date: Excel's date (the live book gives a datetime) or its serial number (the file), the
    time of day left out, as the table shows and counts it."""
    if _not_a_time(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and 1 <= value < 2958466:
        return from_serial(value)
    return None if _blank(value) else value


def _as_count(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if _blank(value) else value


_NORMALIZE = {"date": _as_date, "count": _as_count}


Columns = dict[str, np.ndarray]
"""The table column by column, keyed by column key: one NumPy array of cell values each."""


_PLAIN = frozenset((str, float, int, type(None)))
"""Types a cell's value has as read from a file or an open book: nothing to convert (``_python``)."""


def _python(value: object, missing: object) -> object:
    """A value as a cell holds it: a NumPy scalar as Python's, pandas' missing value (``missing``) as
    None — what a caller's DataFrame may hold."""
    if isinstance(value, np.generic):
        return value.item()  # NaT becomes None
    return None if value is missing else value


def normalize(raw: Mapping[str, Sequence[object]], count: int) -> Columns:
    """Cell values as the model expects them, column by column, without guessing: what does not
    fit stays as it is and fails validation."""
    columns = {}
    missing = getattr(sys.modules.get("pandas"), "NA", None)  # known without importing pandas: without it, no NA
    for column in COLUMNS:
        convert = _NORMALIZE.get(column.kind, _as_text)
        values = raw[column.key] if column.key in raw else [None] * count
        plain = _PLAIN.issuperset(map(type, values))  # as a file or an open book gives them: as they are
        converted = map(convert, values) if plain else (convert(_python(value, missing)) for value in values)
        columns[column.key] = np.fromiter(converted, dtype=object, count=count)
    return columns


class Rows:
    """Validated rows column by column (the counts as integers), with the row numbers Excel shows:
    what the summary reads, without pandas."""

    def __init__(self, columns: Columns, numbers: list[int]) -> None:
        self.columns, self.numbers = columns, numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __contains__(self, key: object) -> bool:
        return key in self.columns

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame indexed by the row numbers Excel shows (pandas is loaded here)."""
        pd = load_pandas()
        index = pd.Index(self.numbers, name="række")
        series = {key: pd.Series(values, index=index, dtype=values.dtype) for key, values in self.columns.items()}
        return pd.DataFrame(series, index=index)


@cache
def row_model() -> TypeAdapter[list[Any]]:
    """The pydantic model of a row (``Kontakt``), for a list of rows: built on first use, as only the
    rows the column-wise check doubts are judged by it — a file of plausible rows never imports pydantic."""
    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator

    Day = Annotated[date, Field(strict=True)]
    Count = Annotated[int, Field(strict=True, ge=0)]

    class Kontakt(BaseModel):
        """One validated row: text as typed (a list value in any case); blanks are None."""

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

        @field_validator("virksomhed", "cvr", "adresse", "telefon", "mail", "kontaktperson", "ansvarlig")
        @classmethod
        def _ruled(cls, value: str | None, info: ValidationInfo) -> str | None:
            if value is not None and not RULES[info.field_name or ""].judge(value):
                raise ValueError("rule")
            return value

        @field_validator("virksomhedstype", "resultat", "jobfunktion")
        @classmethod
        def _listed(cls, value: str, info: ValidationInfo) -> str:
            """A list's value in any case, as Excel's ``=`` matches it; kept as typed (the figures read it so)."""
            lists: dict[str, dict[str, str]] = (info.context or {})["lists"]
            if value.casefold() not in lists[BY_KEY[info.field_name or ""].list_name or ""]:
                raise ValueError("not listed")
            return value

    return TypeAdapter(list[Kontakt])


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
    """A cell's value as the message quotes it; a date read as midnight is shown as the date."""
    if hasattr(value, "item"):
        value = value.item()  # a NumPy scalar
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    return quote(value)


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
    """``validate_columns`` for rows given as dicts keyed by column key, as a DataFrame."""
    raw = {column.key: [record.get(column.key) for record in records] for column in COLUMNS}
    return validate_columns(raw, len(records), lists, today, sheet, row_numbers).frame()


def validate_columns(
    raw: Mapping[str, Sequence[object]],
    count: int,
    lists: dict[str, tuple[str, ...]],
    today: date,
    sheet: str = "Registrering",
    row_numbers: Sequence[int] | None = None,
) -> Rows:
    """Validated rows; raises InvalidRows.

    ``raw`` holds ``count`` cell values as read per column key. ``row_numbers`` are their sheet rows
    (default: 3, 4, … below the table header), so every message names the row the consultant sees.
    """
    numbers = list(row_numbers) if row_numbers is not None else list(range(3, 3 + count))
    canonical_lists = {name: {value.casefold(): value for value in values} for name, values in lists.items()}
    context: dict[str, Any] = {"lists": canonical_lists, "today": today}
    columns = normalize(raw, count)
    suspects = np.flatnonzero(~_plausible(columns, count, canonical_lists))
    if len(suspects):  # pydantic judges the rows the bulk check doubts, and words the messages
        _judge_suspects(columns, suspects, context, sheet, numbers)
    _as_counts(columns, sheet, numbers)
    problems = _across_columns(columns, numbers, today, sheet)
    if problems:
        raise InvalidRows(problems)
    return Rows(columns, numbers)


_LARGEST_COUNT = int(np.iinfo(np.int64).max)


def _as_counts(columns: Columns, sheet: str, numbers: list[int]) -> None:
    """The count columns as whole numbers the statistics add up; a number too large for that (a pasted
    1E+27) is refused by row, not left to crash the recalculation."""
    for column in COLUMNS:
        if column.kind == "count":
            try:
                columns[column.key] = columns[column.key].astype(np.int64)
            except OverflowError:
                rule = "skal være højst " + f"{_LARGEST_COUNT:,}".replace(",", ".")
                values = columns[column.key]
                raise InvalidRows(
                    [
                        RowProblem(sheet, numbers[index], column, rule, value)
                        for index, value in enumerate(values)
                        if value > _LARGEST_COUNT
                    ]
                ) from None


def _judge_suspects(
    columns: Columns, suspects: np.ndarray, context: dict[str, Any], sheet: str, numbers: list[int]
) -> None:
    from pydantic import ValidationError

    chosen = [{key: values[index] for key, values in columns.items()} for index in suspects]
    try:
        row_model().validate_python(chosen, context=context)
    except ValidationError as error:
        raise InvalidRows(_problems(error, chosen, sheet, [numbers[index] for index in suspects])) from None


def _plausible(columns: Columns, count: int, lists: dict[str, dict[str, str]]) -> np.ndarray:
    """Rows that certainly pass the Kontakt model, checked on whole columns (fast for 100,000 rows).

    Conservative by design: a row it doubts is judged by pydantic, so it may doubt too much but must
    never pass a row the model would reject (a property test holds it to that).
    """
    ok = np.ones(count, dtype=bool)
    for column in COLUMNS:
        values = columns[column.key]
        present = np.fromiter(map(is_not, values, repeat(None)), dtype=bool, count=count)
        if column.required:
            ok &= present
        kind = {"date": date, "count": int}.get(column.kind, str)
        typed = np.fromiter(map(is_, map(type, values), repeat(kind)), dtype=bool, count=count)
        ok &= typed | ~present
        if column.kind == "count":
            ok &= ~np.fromiter((type(value) is int and value < 0 for value in values), dtype=bool, count=count)
        if kind is not str:
            continue
        at = np.flatnonzero(typed)
        texts = values[at]
        if column.kind == "list":
            keys = lists[column.list_name or ""]
            bad = ~np.fromiter(map(keys.__contains__, map(str.casefold, texts)), dtype=bool, count=len(texts))
        else:
            bad = ~RULES[column.key].allowed(texts, {})
        ok[at[bad]] = False
    return ok


ACROSS = ("dato", "lukket", "besatte")
"""Rules judged on whole columns after the row checks: they read today's date or another column."""


def _across_columns(columns: Columns, numbers: list[int], today: date, sheet: str) -> list[RowProblem]:
    """The rules that read today or another column, on whole columns at once (blank cells pass, as in
    Excel's validation; a required blank was refused by the row check)."""
    env: dict[str, Any] = {TODAY: serial(today)}
    for key in ("dato", "lukket"):
        env[key] = np.array([serial(v) if isinstance(v, date) else None for v in columns[key]], dtype=object)
    for key in ("pladser", "besatte"):
        env[key] = columns[key].astype(float)
    problems = []
    for key in ACROSS:
        values = env[key]
        blank = np.array([v is None for v in values], dtype=bool) if values.dtype == object else np.isnan(values)
        broken = ~RULES[key].allowed(values, env) & ~blank
        problems += [
            RowProblem(sheet, numbers[index], BY_KEY[key], BY_KEY[key].rule, columns[key][index])
            for index in np.flatnonzero(broken)
        ]
    return problems


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
