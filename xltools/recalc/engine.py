"""Recalculate workbook files: identify the tool, let it compute, then check or write the values.

Data flows one way — file → inputs → validated values → the tool's expressions → cached values
written back — and nothing else in the file is touched. Exit codes follow ``black --check``:
0 fine, 1 cached values are stale (with ``check``), 2 invalid input, 3 unreadable file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from xltools.core.expr import Value
from xltools.errors import ExitCode, Failure, Stale, Unreadable
from xltools.recalc.computation import Computation, Context
from xltools.tools import TOOLS, Tool
from xltools.workbook.build import PROPERTY_AS_OF, PROPERTY_TOOL
from xltools.workbook.package import CellKey, XlsxPackage

__all__ = ["Outcome", "identify", "recalc", "recalc_many"]


@dataclass
class Outcome:
    """What happened to one workbook; ``results`` holds what the tool computed."""

    path: Path
    tool: str | None = None
    exit_code: ExitCode = ExitCode.OK
    errors: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK

    def report(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "tool": self.tool,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "errors": self.errors,
            "written": self.written,
            "results": self.results,
        }


def identify(package: XlsxPackage) -> Tool:
    """The tool a workbook belongs to: its document property, else the defined names it carries."""
    tool = TOOLS.get(package.custom_properties().get(PROPERTY_TOOL, ""))
    if tool is not None:
        return tool
    names = set(package.defined_names)
    for candidate in TOOLS.values():
        if candidate.names <= names:
            return candidate
    raise Unreadable(f"{package.path}: ikke et xltools-regneark (ukendt værktøj)")


def _recorded(package: XlsxPackage) -> date | None:
    try:
        return date.fromisoformat(package.custom_properties().get(PROPERTY_AS_OF, ""))
    except ValueError:
        return None


def recalc(
    path: Path, check: bool = False, as_of: date | None = None, today: Callable[[], date] = date.today
) -> Outcome:
    """Recompute one workbook; with ``check`` report staleness and change nothing."""
    outcome = Outcome(Path(path))
    try:
        with XlsxPackage(outcome.path) as package:
            tool = identify(package)
            outcome.tool = tool.name
            context = Context(today=today(), as_of=as_of, recorded=_recorded(package), check=check)
            computation = tool.compute(package, context)
            outcome.results = computation.results
            _queue(package, computation)
            if check:
                stale = package.stale()
                if stale:
                    raise Stale(*stale)
                return outcome
            if package.dirty:
                _update_charts_and_date(package, computation)
                package.save()
                outcome.written = True
    except Failure as failure:
        outcome.exit_code, outcome.errors = failure.exit_code, failure.messages
    return outcome


def _by_sheet(cells: Mapping[CellKey, Value | None]) -> dict[str, dict[tuple[int, int], Value | None]]:
    grouped: dict[str, dict[tuple[int, int], Value | None]] = {}
    for (sheet, row, col), value in cells.items():
        grouped.setdefault(sheet, {})[(row, col)] = value
    return grouped


def _queue(package: XlsxPackage, computation: Computation) -> None:
    """Every value of the computation as edits of the package, one patch per sheet."""
    for sheet, cells in _by_sheet(computation.values).items():
        package.set_values(sheet, cells)
    for sheet, cells in _by_sheet(computation.constants).items():
        package.show_values(sheet, cells)
    for column in computation.columns:
        package.set_column(column.sheet, column.col, column.first_row, column.values, column.formula)


def _update_charts_and_date(package: XlsxPackage, computation: Computation) -> None:
    """What follows when cells change: chart ranges and caches, the date the values are for."""
    for (sheet, first_row), last_row in computation.chart_rows.items():
        package.resize_chart_ranges(sheet, first_row, last_row)
    package.refresh_chart_caches({**computation.values, **computation.constants})
    if computation.as_of is not None:
        package.set_custom_property(PROPERTY_AS_OF, computation.as_of.isoformat())


def recalc_many(paths: list[Path], check: bool = False, as_of: date | None = None, jobs: int = 1) -> list[Outcome]:
    """Recompute many workbooks, in ``jobs`` processes when there are enough files to share."""
    task = partial(recalc, check=check, as_of=as_of)
    if jobs <= 1 or len(paths) < 4 * jobs:
        return [task(path) for path in paths]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(task, paths, chunksize=max(1, len(paths) // (jobs * 8))))
