"""A Brancheredskab from template version 1, rebuilt on the current template with its data carried over.

Version 1's Kontakter table has the entry columns of today's, in the same order, and the same Lister
sheet; so the rows are carried cell by cell exactly as typed (a value the rules would refuse too: it is
the user's, and the new workbook's validation shows it), the lists as the team extended them, and a
reporting date typed over =TODAY(). The Overblik and the Statistik of version 1 were written by xltools
and are computed anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xltools.errors import Invalid
from xltools.industry.layout import AS_OF_NAME, COMPUTED, TABLE, row_exprs, table_col
from xltools.industry.recalc import read_entries, read_lists
from xltools.industry.rows import COLUMNS
from xltools.industry.workbook import build
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import cell_name
from xltools.workbook.source import FileSource, as_serial


@dataclass(frozen=True)
class Previous:
    """What a version 1 workbook holds of the user's: the table's rows (raw cells), the lists, and a
    typed reporting date (a serial; None while it is =TODAY())."""

    rows: list[list[Any]]
    lists: dict[str, tuple[str, ...]]
    as_of: float | None


def previous(package: XlsxPackage) -> Previous:
    source = FileSource(package)
    entries = read_entries(source)
    sheet = entries.area.sheet
    rows = [[_cell(value, f"{sheet}!{cell_name(number - 1, col)}") for col, value in enumerate(row)]
            for number, row in zip(entries.numbers, zip(*entries.raw.values(), strict=True), strict=True)]  # fmt: skip
    area = package.area(AS_OF_NAME)
    typed = None
    if area is not None and not package.has_formula(area.sheet, *area.first):
        value = package.value(area.sheet, *area.first)
        typed = value if isinstance(value, float) else None
    return Previous(rows, read_lists(source), typed)


def _cell(value: object, where: str) -> float | str | None:
    """A cell's value as it can be typed again: dates as serial numbers (times of day kept)."""
    if isinstance(value, bool):
        raise Invalid(f"{where}: SAND/FALSK kan ikke stå i tabellen – ret cellen og opgradér igen")
    return as_serial(value)  # type: ignore[return-value]  # a bool is refused above


def write(path: Path, found: Previous) -> None:
    """A new Brancheredskab at ``path`` holding ``found``: the rows typed into the table as a user would,
    the computed columns' formulas on every row (their values follow at the recalculation)."""
    build(path, date.today(), lists=found.lists, typed_as_of=found.as_of)
    if not found.rows:
        return
    with XlsxPackage(path) as package:
        table = package.table(TABLE)
        assert table is not None
        first = table.first[0] + 1
        for offset, row in enumerate(found.rows):
            for col, value in enumerate(row[: len(COLUMNS)]):
                if value is not None:
                    package.set_constant(table.sheet, first + offset, table.first[1] + col, value)
        for key, _ in COMPUTED:
            blanks = [""] * len(found.rows)
            col = table.first[1] + table_col(key)
            package.set_column(table.sheet, col, first, blanks, "=" + row_exprs()[key].render())
        package.resize_table(TABLE, first + len(found.rows) - 1)
        package.save()
