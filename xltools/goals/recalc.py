"""Recalculating a Målstyring file: Opsætning → registrations → Forside figures, and the other
commands' use of the same reading (the tidy table, rollover to a new year).

The workbook's own Opsætning is its source of truth. While it no longer matches the week sheets
(an employee or indicator added, removed or moved), ``recalc`` refuses as the workbook's own warning
says, row by row; renames need nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xltools.core.expr import Value
from xltools.core.logic import load_pandas
from xltools.errors import Invalid
from xltools.goals import consistency
from xltools.goals.blocks import Blocks
from xltools.goals.calculations import STATUSES
from xltools.goals.environment import consistency_environment, environment
from xltools.goals.layout import AS_OF_NAME, PROGRESS_NAME, Layout
from xltools.goals.read import (
    Workbook,
    built_layout,
    check_week_sheets,
    read_archive,
    read_registrations,
    read_setup,
    read_setup_cells,
)
from xltools.goals.setup import Setup, with_new_ids
from xltools.messages import number, quote
from xltools.recalc.computation import Computation, Context, compute_blocks, reporting_date
from xltools.workbook.files import check_output, create, via_path
from xltools.workbook.package import XlsxPackage

if TYPE_CHECKING:
    import pandas as pd


def checked_layout(package: Workbook) -> tuple[Setup, Layout]:
    """Opsætning's setup and the layout of the week sheets, once they are known to match; raises Invalid
    naming every difference (the rows the workbook's Status column marks) otherwise."""
    setup = read_setup(package)
    built = built_layout(package)
    check_week_sheets(package, built)
    problems = consistency.problems(built, consistency_environment(built, read_setup_cells(package), setup.year))
    if problems:
        raise Invalid(*problems)
    return setup, Layout(setup, built.charted_ids, built.archived)


def compute(package: XlsxPackage, context: Context) -> Computation:
    computation = Computation()
    as_of = computation.as_of = reporting_date(package, context, computation, AS_OF_NAME)
    setup, layout = checked_layout(package)
    registrations = read_registrations(package, layout)
    blocks = Blocks.of(layout)
    evaluated: dict[str, list[list[Value]]] = {}
    env = environment(blocks, registrations, as_of, read_archive(package), read_setup_cells(package), evaluated)
    values = compute_blocks(package, blocks.all, env, evaluated)
    computation.values.update(values.values)
    computation.results = _results(setup, values.results, as_of)
    return computation


def _results(setup: Setup, blocks: dict[str, list[list[Value]]], as_of: date) -> dict[str, Any]:
    keys = ("real", "maal", "attainment", "aarsmaal", "pace", "projection", "status")
    columns = (3, 4, 5, 6, 7, 8, 9)
    figures = blocks[PROGRESS_NAME]
    return {
        "as_of": as_of.isoformat(),
        "weeks_elapsed": figures[2][0],
        "share_of_year": figures[6][0],
        "indicators": {
            indicator.name: {key: _plain(row[col]) for key, col in zip(keys, columns, strict=True)}
            for indicator, row in zip(setup.indicators, blocks["Indikatorer"], strict=True)
        },
    }


def _plain(value: Value) -> Any:
    return None if value == "" else value


def registrations_frame(path: Path) -> pd.DataFrame:
    """The weekly registrations as a tidy table (uge, medarbejder, indikator, real, maal); a blank
    cell stays missing, it is not 0."""
    pd = load_pandas()  # for callers that analyse the table; a recalc never pays its import
    with XlsxPackage(Path(path)) as package:
        setup, layout = checked_layout(package)
        found = read_registrations(package, layout)
    records = []
    for week in range(1, setup.weeks + 1):
        for e, employee in enumerate(setup.employees):
            for indicator in setup.indicators:
                real, maal = found.get(("r", week, indicator.id, e)), found.get(("m", week, indicator.id, e))
                if real is not None or maal is not None:
                    records.append((week, employee.name, indicator.name, real, maal))
    return pd.DataFrame(records, columns=["uge", "medarbejder", "indikator", "real", "maal"])


def rollover(source: Path, year: int, target: Path, force: bool = False) -> list[str]:
    """Next year's workbook: the same Opsætning (week weights reset to 1), empty weeks; ``source``
    is only read. The source is never overwritten, an existing ``target`` only with ``force``;
    returns the write path's notes."""
    check_output(target, (source,), force)
    with XlsxPackage(Path(source)) as package:
        built = built_layout(package).setup
        setup = with_new_ids(read_setup(package), {e.id for e in built.employees} | {i.id for i in built.indicators})
    new = Setup(year, setup.employees, setup.indicators, setup.bagud, setup.foran)
    from xltools.goals.workbook import build  # the builder, for this command only: a recalc never loads it

    write = via_path(lambda temporary: build(temporary, date(year, 1, 4), new))
    return create(Path(target), write, (source,), force)


def summary(results: dict[str, Any]) -> str:
    statuses = [figures["status"] for figures in results["indicators"].values()]
    bagud, paa_sporet, foran, uden = (statuses.count(status) for status in STATUSES)
    return (
        f"pr. {quote(date.fromisoformat(results['as_of']))}: {number(results['weeks_elapsed'])} uger gået; "
        f"indikatorer bagud {bagud}, på sporet {paa_sporet}, foran {foran}, uden mål {uden}"
    )
