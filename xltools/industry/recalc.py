"""Reading a Brancheredskab file and recalculating it: rows → validation → summary → cached values.

The Kontakter table and the lists are read with python-calamine (fast); only the cells xltools owns
are written back: the computed columns' cached values, the Statistik figures, the Overblik list and
its stamp, the reporting date and the charts' caches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from xltools.core.text import FORMULA_RULE, runs_as_formula
from xltools.errors import Invalid, Unreadable
from xltools.industry.layout import (
    AS_OF_NAME,
    COMPUTED,
    LIST_COLUMNS,
    LISTS,
    OVERVIEW,
    OVERVIEW_COLUMNS,
    OVERVIEW_HEADER_ROW,
    STAMP_CELL,
    STATS,
    STATS_FIRST_ROW,
    TABLE,
    row_exprs,
    stats_blocks,
    table_col,
)
from xltools.industry.rows import COLUMNS, InvalidRows, validate_frame
from xltools.industry.summary import Summary, summarise
from xltools.messages import number, quote
from xltools.recalc.computation import Computation, Context, compute_blocks, reporting_date
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import Area, cell_name

Grid = list[list[Any]]


def read_lists(book: CalamineWorkbook) -> dict[str, tuple[str, ...]]:
    """The Lister sheet's lists, each down to its first blank cell; a value that a spreadsheet or a
    CSV export could run as a formula is refused, as in the table's own text columns."""
    grid = book.get_sheet_by_name(LISTS).to_python(skip_empty_area=False)
    lists: dict[str, tuple[str, ...]] = {}
    problems = []
    for col, name in enumerate(LIST_COLUMNS):
        values = []
        for row, cells in enumerate(grid[1:], start=1):
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
    return str(value).strip()


def _entries(grid: Grid, table: Area) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Non-blank entry rows of the table as raw cell values, their Excel row numbers, and all data rows."""
    width = len(COLUMNS)
    left = table.first[1]
    data_rows = list(range(table.first[0] + 1, table.last[0] + 1))
    cells = [grid[row][left : left + width] if row < len(grid) else [] for row in data_rows]
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
    book = CalamineWorkbook.from_path(str(path))
    grid = book.get_sheet_by_name(table.sheet).to_python(skip_empty_area=False)
    raw, numbers, _ = _entries(grid, table)
    return validate_frame(raw, read_lists(book), today or date.today(), table.sheet, numbers)


def compute(package: XlsxPackage, context: Context) -> Computation:
    computation = Computation()
    as_of = computation.as_of = reporting_date(package, context, computation, AS_OF_NAME)
    table = package.table(TABLE)
    if table is None:
        raise Unreadable(f"{package.path}: tabellen {TABLE} mangler")
    book = CalamineWorkbook.from_path(str(package.path))
    grid = book.get_sheet_by_name(table.sheet).to_python(skip_empty_area=False)
    lists = read_lists(book)
    raw, numbers, data_rows = _entries(grid, table)
    try:
        rows = validate_frame(raw, lists, context.today, table.sheet, numbers)
    except InvalidRows as invalid:
        raise Invalid(*[problem.message for problem in invalid.problems]) from None
    summary = summarise(rows, lists, as_of)
    _computed_columns(package, table, data_rows, numbers, summary, computation)
    stats = compute_blocks(package, stats_blocks(), summary.env(lists))
    computation.values.update(stats.values)
    _overview(book, summary, as_of, computation)
    industries = len(lists["Virksomhedstype"])
    computation.chart_rows[(STATS, STATS_FIRST_ROW)] = STATS_FIRST_ROW + max(industries, 1) - 1
    computation.results = _results(stats.results, as_of, len(rows))
    return computation


def _computed_columns(
    package: XlsxPackage,
    table: Area,
    data_rows: Sequence[int],
    numbers: Sequence[int],
    summary: Summary,
    computation: Computation,
) -> None:
    position = {number - 1: index for index, number in enumerate(numbers)}
    blank = {"alder": "", "status": "", "aabne": 0.0, "uge": ""}
    for key, _ in COMPUTED:
        col = table.first[1] + table_col(key)
        values = summary.columns[key]
        formula = "=" + row_exprs()[key].render()
        for row in data_rows:
            index = position.get(row)
            value = blank[key] if index is None else _plain(values[index])
            computation.values[(table.sheet, row, col)] = value
            if not package.has_formula(table.sheet, row, col):
                if package.value(table.sheet, row, col) is not None:
                    raise Invalid(f"{table.sheet}!{cell_name(row, col)}: beregnet kolonne er overskrevet")
                computation.formulas[(table.sheet, row, col)] = formula


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _overview(book: CalamineWorkbook, summary: Summary, as_of: date, computation: Computation) -> None:
    grid = book.get_sheet_by_name(OVERVIEW).to_python(skip_empty_area=False)
    first = OVERVIEW_HEADER_ROW + 1
    previous = sum(1 for row in grid[first:] if any(value not in ("", None) for value in row[: len(OVERVIEW_COLUMNS)]))
    for (row, col), value in summary.overview_cells(first, previous).items():
        computation.constants[(OVERVIEW, row, col)] = value
    computation.constants[(OVERVIEW, *STAMP_CELL)] = summary.stamp(as_of)


def _results(blocks: dict[str, list[list[Any]]], as_of: date, rows: int) -> dict[str, Any]:
    labels = [row[0] for row in blocks["StatBrancher"]]
    figures = blocks["StatTal"]
    named = [(label, figure) for label, figure in zip(labels, figures, strict=True) if label]
    statuses = [row[0] for row in blocks["StatStatus"]]
    return {
        "as_of": as_of.isoformat(),
        "rows": rows,
        "open_places": {label: figure[0] for label, figure in named},
        "open_rows_by_status": dict(zip(("grøn", "gul", "rød"), statuses, strict=True)),
        "contacts_without_opening": {label: figure[1] for label, figure in named},
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
