"""Reading a Brancheredskab file and recalculating it: rows → validation → summary → cached values.

The Kontakter table is read in one pass over its sheet and the lists cell by cell, by the same reader
of the sheets' XML that reads and writes every other cell (one parser: what is checked is what is
read, and only the cells a sheet holds take memory). Only the cells xltools owns are
written back — the computed columns (one run per column, checked and filled in one pass over the
sheet), the Statistik figures, the Overblik list and its stamp, the reporting date, the charts'
caches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xltools.core.logic import from_serial
from xltools.core.text import FORMULA_RULE, runs_as_formula
from xltools.errors import Invalid, Unreadable
from xltools.industry.calculations import STATUSES
from xltools.industry.layout import (
    AS_OF_NAME,
    COMPUTED,
    HEADERS,
    LIST_COLUMNS,
    LISTS,
    OPEN_COUNT_CELL,
    OVERVIEW,
    STATS_LABELS_NAME,
    TABLE,
    open_count,
    row_exprs,
    spillings,
    stats_blocks,
    table_col,
)
from xltools.industry.rows import COLUMNS, InvalidRows, Rows, validate_columns
from xltools.industry.summary import Summary, summarise
from xltools.messages import number, quote
from xltools.recalc.computation import Column, Computation, Context, Spilled, compute_blocks, reporting_serial
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import Area, cell_name
from xltools.workbook.source import FileSource, Source, TableData

if TYPE_CHECKING:
    import pandas as pd


def read_lists(source: Source) -> dict[str, tuple[str, ...]]:
    """The Lister sheet's lists, each down to its first blank cell; a value that a spreadsheet or a
    CSV export could run as a formula is refused, as in the table's own text columns."""
    lists: dict[str, tuple[str, ...]] = {}
    problems = []
    for col, name in enumerate(LIST_COLUMNS):
        values = [_as_list_text(value) for value in source.column(LISTS, col, 1)]
        for row, text in enumerate(values, start=1):
            if runs_as_formula(text):
                problems.append(f"{LISTS}!{cell_name(row, col)} ({name}): {FORMULA_RULE} — fundet: {quote(text)}")
        lists[name] = tuple(values)
    if problems:
        raise Invalid(*problems)
    return lists


def _as_list_text(value: object) -> str:
    """A list entry as text: 2020 typed as a number is the text "2020", as in the table's cells."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Entries:
    """The Kontakter table as read: its place, the non-blank rows' entry cells by column key, their
    Excel row numbers."""

    area: Area
    raw: Mapping[str, Sequence[object]]
    numbers: list[int]

    @property
    def data_rows(self) -> list[int]:
        """Every data row of the table (zero-based), blank ones included."""
        return list(range(self.area.first[0] + 1, self.area.last[0] + 1))


def read_entries(source: Source) -> Entries:
    """The table's entry columns, non-blank rows only, as the cells hold them."""
    width = len(COLUMNS)
    table = source.table(TABLE, width)
    if table is None:
        raise Unreadable(f"{source.label}: tabellen {TABLE} mangler")
    _check_columns(table, source.label)
    keep = [index for index, row in enumerate(table.rows) if any(value is not None for value in row)]
    raw = {column.key: [table.rows[index][position] for index in keep] for position, column in enumerate(COLUMNS)}
    numbers = [table.area.first[0] + 2 + index for index in keep]
    return Entries(table.area, raw, numbers)


def _check_columns(table: TableData, label: str) -> None:
    """The table's header row names the template's columns, in its order: a column deleted, inserted or
    moved among them would read every later column's cells under the wrong rule and into the wrong
    figures, and write the computed columns' values into a team's own column. Names compare as
    Excel's do, case aside; columns a team adds after them are theirs."""
    if table.headers is None:
        raise Unreadable(
            f"{label}: tabellen {TABLE} viser ikke sin overskriftsrække – slå Overskriftsrække til igen under"
            " Tabeldesign"
        )
    expected = tuple(HEADERS.values())
    top, left = table.area.first
    for position, wanted in enumerate(expected):
        where = f"{label}: {table.area.sheet}!{cell_name(top, left + position)}"
        if position >= len(table.headers):
            raise Unreadable(
                f"{where}: tabellen {TABLE} mangler kolonnen {quote(wanted)} her – sæt den ind igen efter"
                f" {quote(expected[position - 1])}"
            )
        found = table.headers[position]
        if _column_name(found) != _column_name(wanted):
            shown = "har ingen overskrift" if found is None or found == "" else f"hedder {quote(found)}"
            raise Unreadable(
                f"{where}: tabellen {TABLE}s kolonne {position + 1} {shown}, men skal hedde {quote(wanted)} – sæt"
                f" en slettet kolonne ind igen, giv en omdøbt sit navn tilbage, og flyt egne kolonner hen efter"
                f" {quote(expected[-1])}"
            )


def _column_name(value: object) -> str:
    """A header as a column name compares: case aside, an accented letter however it is composed."""
    return unicodedata.normalize("NFC", "" if value is None else str(value)).casefold()


def read_rows(source: Source, today: date) -> tuple[Rows, dict[str, tuple[str, ...]], Entries]:
    """The validated rows, the lists and the table as read; every broken rule in one ``Invalid``."""
    lists = read_lists(source)
    entries = read_entries(source)
    try:
        rows = validate_columns(entries.raw, len(entries.numbers), lists, today, entries.area.sheet, entries.numbers)
    except InvalidRows as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None
    return rows, lists, entries


def read_kontakter(path: Path, today: date | None = None) -> pd.DataFrame:
    """The Kontakter table as a DataFrame of validated rows, indexed by the row numbers Excel shows."""
    with XlsxPackage(Path(path)) as package:
        source = FileSource(package)
        entries = read_entries(source)
        lists, count, sheet = read_lists(source), len(entries.numbers), entries.area.sheet
        return validate_columns(entries.raw, count, lists, today or date.today(), sheet, entries.numbers).frame()


def compute(package: XlsxPackage, context: Context) -> Computation:
    computation = Computation()
    as_of = reporting_serial(package, context, computation, AS_OF_NAME)
    rows, lists, entries = read_rows(FileSource(package), context.today)
    summary = summarise(rows, as_of)
    _computed_columns(entries.area, entries.data_rows, entries.numbers, summary, computation)
    env = summary.env(lists)
    stats = compute_blocks(package, stats_blocks(), env)
    computation.values.update(stats.values)
    computation.values[(OVERVIEW, *OPEN_COUNT_CELL)] = open_count().evaluate(env)
    results: dict[str, list[Any]] = {}
    for spilling in spillings():
        result = spilling.values(env)
        computation.spills.append(Spilled(spilling.sheet, *spilling.anchor, result))
        results[spilling.name] = [row[0] for row in result]
        if spilling.rows is not None:
            computation.named_series[spilling.name] = results[spilling.name]
    computation.results = _results(results, stats.results, as_of, len(rows))
    return computation


def _computed_columns(
    table: Area, data_rows: Sequence[int], numbers: Sequence[int], summary: Summary, computation: Computation
) -> None:
    """The computed columns over every data row, one run each: blank rows get the blank values, rows
    another program added without the formulas get them filled in (a typed value there is refused)."""
    position = {number - 1: index for index, number in enumerate(numbers)}
    blank = {"alder": "", "status": "", "aabne": 0.0, "uge": ""}
    for key, _ in COMPUTED:
        values = [_plain(value) for value in summary.columns[key].tolist()]
        column = [blank[key] if (index := position.get(row)) is None else values[index] for row in data_rows]
        formula = "=" + row_exprs()[key].render()
        computation.columns.append(
            Column(table.sheet, table.first[1] + table_col(key), table.first[0] + 1, column, formula)
        )


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _results(
    spilled: dict[str, list[Any]], blocks: dict[str, list[list[Any]]], as_of: float, rows: int
) -> dict[str, Any]:
    labels = spilled[STATS_LABELS_NAME]
    statuses = [row[0] for row in blocks["StatStatus"]]
    named = [index for index, label in enumerate(labels) if label]
    return {
        "as_of": from_serial(as_of).isoformat(),
        "rows": rows,
        "open_places": {labels[i]: spilled["StatAabne"][i] for i in named},
        "open_rows_by_status": dict(zip(STATUSES, statuses, strict=True)),
        "contacts_without_opening": {labels[i]: spilled["StatUdenAabning"][i] for i in named},
    }


def summary(results: dict[str, Any]) -> str:
    """One line of key figures for a recalculated workbook."""
    status = results["open_rows_by_status"]
    open_places = results["open_places"]
    busiest = max(open_places, key=open_places.__getitem__) if open_places else "–"
    return (
        f"{number(results['rows'])} rækker pr. {quote(date.fromisoformat(results['as_of']))}: "
        f"{number(sum(open_places.values()))} åbne pladser (grøn {number(status['grøn'])} / gul "
        f"{number(status['gul'])} / rød {number(status['rød'])} rækker); flest i {busiest}"
    )
