"""Reading a Brancheredskab file and recalculating it: rows → validation → summary → cached values.

The Kontakter table and the lists are read with python-calamine (fast), once the package has checked
that the sheets fit in memory as the dense grids calamine builds. Only the cells xltools owns are
written back — the computed columns (one run per column, checked and filled in one pass over the
sheet), the Statistik figures, the Overblik list and its stamp, the reporting date, the charts'
caches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from xltools.core.logic import from_serial
from xltools.core.text import FORMULA_RULE, runs_as_formula
from xltools.errors import Invalid, Unreadable
from xltools.industry.layout import (
    AS_OF_NAME,
    COMPUTED,
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
from xltools.industry.rows import COLUMNS, InvalidRows, validate_frame
from xltools.industry.summary import Summary, summarise
from xltools.messages import number, quote
from xltools.recalc.computation import Column, Computation, Context, Spilled, compute_blocks, reporting_serial
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import Area, cell_name

Grid = list[list[Any]]


def open_book(package: XlsxPackage, sheets: Sequence[str]) -> CalamineWorkbook:
    """The file for python-calamine, once the ``sheets`` it will read are known to fit in memory."""
    for sheet in sheets:
        package.check_grid(sheet)
    return CalamineWorkbook.from_path(str(package.path))


def grid(book: CalamineWorkbook, sheet: str) -> Grid:
    """A sheet's cells as rows of values (checked by ``open_book``)."""
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def read_lists(book: CalamineWorkbook) -> dict[str, tuple[str, ...]]:
    """The Lister sheet's lists, each down to its first blank cell; a value that a spreadsheet or a
    CSV export could run as a formula is refused, as in the table's own text columns."""
    rows = grid(book, LISTS)
    lists: dict[str, tuple[str, ...]] = {}
    problems = []
    for col, name in enumerate(LIST_COLUMNS):
        values = []
        for row, cells in enumerate(rows[1:], start=1):
            value = cells[col] if col < len(cells) else ""
            if value in ("", None):
                break
            text = _as_list_text(value)
            if runs_as_formula(text):
                problems.append(f"{LISTS}!{cell_name(row, col)} ({name}): {FORMULA_RULE} — fundet: {quote(text)}")
            values.append(text)
        lists[name] = tuple(values)
    if problems:
        raise Invalid(*problems)
    return lists


def _as_list_text(value: object) -> str:
    """A list entry as text: 2020 typed as a number is the text "2020", as in the table's cells."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def entry_rows(rows: Grid, table: Area) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Non-blank entry rows of the table as raw cell values, their Excel row numbers, and all data rows."""
    width = len(COLUMNS)
    left = table.first[1]
    data_rows = list(range(table.first[0] + 1, table.last[0] + 1))
    cells = [rows[row][left : left + width] if row < len(rows) else [] for row in data_rows]
    cells = [row + [""] * (width - len(row)) if len(row) < width else row for row in cells]
    keep = [index for index, row in enumerate(cells) if any(value != "" and value is not None for value in row)]
    raw = pd.DataFrame([cells[index] for index in keep], columns=[column.key for column in COLUMNS], dtype=object)
    raw = raw.where(raw != "", None)
    return raw, [data_rows[index] + 1 for index in keep], data_rows


def read_kontakter(path: Path, today: date | None = None) -> pd.DataFrame:
    """The Kontakter table as a DataFrame of validated rows, indexed by the row numbers Excel shows."""
    with XlsxPackage(Path(path)) as package:
        table = package.table(TABLE)
        if table is None:
            raise Unreadable(f"{path}: tabellen {TABLE} mangler")
        book = open_book(package, (table.sheet, LISTS))
    raw, numbers, _ = entry_rows(grid(book, table.sheet), table)
    return validate_frame(raw, read_lists(book), today or date.today(), table.sheet, numbers)


def compute(package: XlsxPackage, context: Context) -> Computation:
    computation = Computation()
    as_of = reporting_serial(package, context, computation, AS_OF_NAME)
    table = package.table(TABLE)
    if table is None:
        raise Unreadable(f"{package.path}: tabellen {TABLE} mangler")
    book = open_book(package, (table.sheet, LISTS))
    lists = read_lists(book)
    raw, numbers, data_rows = entry_rows(grid(book, table.sheet), table)
    try:
        rows = validate_frame(raw, lists, context.today, table.sheet, numbers)
    except InvalidRows as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None
    summary = summarise(rows, as_of)
    _computed_columns(table, data_rows, numbers, summary, computation)
    env = summary.env(lists)
    stats = compute_blocks(package, stats_blocks(), env)
    computation.values.update(stats.values)
    computation.values[(OVERVIEW, *OPEN_COUNT_CELL)] = open_count().evaluate(env)
    results: dict[str, list[Any]] = {}
    for spilling in spillings():
        grid_ = spilling.values(env)
        computation.spills.append(Spilled(spilling.sheet, *spilling.anchor, grid_))
        results[spilling.name] = [row[0] for row in grid_]
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
        "open_rows_by_status": dict(zip(("grøn", "gul", "rød"), statuses, strict=True)),
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
