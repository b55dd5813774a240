"""Recalculate one workbook file: identify the tool, let it compute, then check or write the values.

Data flows one way — file → inputs → validated values → the tool's expressions → cached values
written back — and nothing else in the file is touched. Exit codes follow ``black --check``:
0 fine, 1 cached values are stale (with ``check``), 2 invalid input, 3 unreadable file, 4 a fault
in xltools, 5 refused to protect the user's data. Many files at once: ``xltools.recalc.batch``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xltools.core.collector import collector_paused
from xltools.core.expr import Value
from xltools.errors import ExitCode, Invalid, Refused, Stale, Unreadable, as_failure
from xltools.messages import quote
from xltools.recalc.computation import Computation, Context
from xltools.templates import PROPERTY_AS_OF, PROPERTY_TOOL, PROPERTY_VERSION, TEMPLATE_VERSIONS
from xltools.tools import TOOLS, Tool
from xltools.workbook.files import FORCE, owner_file
from xltools.workbook.package import CellKey, XlsxPackage

__all__ = ["Outcome", "check_version", "identify", "recalc"]


@dataclass
class Outcome:
    """What happened to one workbook; ``results`` holds what the tool computed. Plain data: it pickles,
    so a worker process can hand it back.

    ``exit_code`` is None for a workbook that was not run (a batch stopped first); ``errors`` says why.
    """

    path: Path
    tool: str | None = None
    exit_code: ExitCode | None = ExitCode.OK
    errors: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    written: bool = False
    notes: list[str] = field(default_factory=list)
    """What the write path did because it was forced, one Danish line each."""
    seconds: float = 0.0

    @classmethod
    def not_run(cls, path: Path, reason: str) -> Outcome:
        return cls(Path(path), exit_code=None, errors=[reason])

    @classmethod
    def failed(cls, path: Path, error: BaseException, tool: str | None = None) -> Outcome:
        """The outcome of a workbook whose handling raised ``error`` (see ``errors.as_failure``)."""
        failure = as_failure(error)
        return cls(Path(path), tool, failure.exit_code, failure.messages)

    @property
    def ran(self) -> bool:
        return self.exit_code is not None

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK

    def report(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "tool": self.tool,
            "ok": self.ok,
            "exit_code": None if self.exit_code is None else int(self.exit_code),
            "errors": self.errors,
            "notes": self.notes,
            "written": self.written,
            "seconds": round(self.seconds, 3),
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


def check_version(package: XlsxPackage, tool: Tool) -> int | None:
    """The template version a workbook was built as (None if a program dropped its properties); a
    workbook built by a newer xltools is refused: this one would misread what it does not know."""
    recorded = package.custom_properties().get(PROPERTY_VERSION)
    if recorded is None:
        return None  # the tool was recognised by its names
    known = TEMPLATE_VERSIONS[tool.name]
    if not re.fullmatch(r"[0-9]{1,9}", recorded.strip()):
        raise Unreadable(
            f"{package.path}: ukendt skabelonversion {quote(recorded)} (denne xltools kender version {known})"
        )
    if int(recorded) > known:
        raise Unreadable(
            f"{package.path}: lavet med en nyere xltools (skabelon version {int(recorded)}; denne xltools kender"
            f" version {known}) – opdatér xltools"
        )
    return int(recorded)


def _refuse_older(package: XlsxPackage, tool: Tool, version: int | None) -> None:
    """A workbook of an earlier template is laid out differently: named, with the command that moves it
    to the current template (its data carried over), rather than misread."""
    known = TEMPLATE_VERSIONS[tool.name]
    if version is not None and version < known:
        raise Unreadable(
            f"{package.path}: lavet med skabelon version {version}; denne xltools regner på version {known}"
            f" – kør xltools upgrade {quote(str(package.path))} (dine data føres over, originalen gemmes)"
        )


def _refuse_if_open(path: Path) -> None:
    """Skip a workbook open in Excel or LibreOffice: the user may be changing it right now."""
    owner = owner_file(path)
    if owner is not None:
        program = "LibreOffice" if owner.name.startswith(".~lock.") else "Excel"
        raise Refused(f"{path}: er åben i {program} ({owner.name} findes) – sprunget over; luk den, eller brug {FORCE}")


def _recorded(package: XlsxPackage) -> date | None:
    try:
        return date.fromisoformat(package.custom_properties().get(PROPERTY_AS_OF, ""))
    except ValueError:
        return None


def recalc(
    path: Path,
    check: bool = False,
    as_of: date | None = None,
    today: Callable[[], date] = date.today,
    force: bool = False,
) -> Outcome:
    """Recompute one workbook; with ``check`` report staleness and change nothing.

    Never raises for the workbook's sake: a broken file, a bad input, a refusal and a fault in xltools
    alike become the outcome's exit code and Danish lines. A workbook open in Excel or LibreOffice is
    skipped (5) and the write path's refusals hold, unless ``force``; a newer template is refused (3).
    """
    started = time.perf_counter()
    outcome = Outcome(Path(path))
    try:
        if not check and not force:
            _refuse_if_open(outcome.path)
        with collector_paused(), XlsxPackage(outcome.path) as package:
            tool = identify(package)
            outcome.tool = tool.name
            _refuse_older(package, tool, check_version(package, tool))
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
                outcome.notes = package.save(force=force)
                outcome.written = True
    except Exception as error:  # one workbook's failure, whatever it is, is that workbook's outcome
        failed = Outcome.failed(outcome.path, error, outcome.tool)
        outcome.exit_code, outcome.errors = failed.exit_code, failed.errors
    outcome.seconds = time.perf_counter() - started
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
    in_the_way: list[str] = []
    for spill in computation.spills:
        try:
            package.set_spill(spill.sheet, spill.row, spill.col, spill.grid)
        except Invalid as refused:
            in_the_way += refused.messages
    if in_the_way:  # named with any computed cell typed over, which the review of the queued values finds
        try:
            package.stale()
        except Invalid as typed_over:
            in_the_way = [*typed_over.messages, *in_the_way]
        raise Invalid(*in_the_way)


def _update_charts_and_date(package: XlsxPackage, computation: Computation) -> None:
    """What follows when cells change: chart ranges and caches, the date the values are for."""
    for (sheet, first_row), last_row in computation.chart_rows.items():
        package.resize_chart_ranges(sheet, first_row, last_row)
    package.refresh_chart_caches({**computation.values, **computation.constants}, computation.named_series)
    if computation.as_of is not None:
        package.set_custom_property(PROPERTY_AS_OF, computation.as_of.isoformat())
