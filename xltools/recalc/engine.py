"""Recalculate a workbook file: read its inputs by defined name, validate, recompute, patch values.

Data flows one way — file → inputs → validated values → the tool's expressions → cached values
written back — and nothing else in the file is touched. Exit codes follow ``black --check``:
0 fine, 1 cached values are stale (with ``check``), 2 invalid input, 3 unreadable file.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from xltools.core.expr import Value
from xltools.core.inputs import InvalidInput, validate
from xltools.tools import TOOLS, Tool
from xltools.workbook.build import PROPERTY_AS_OF, PROPERTY_TOOL
from xltools.workbook.package import CellKey, UnreadableWorkbook, XlsxPackage, _same
from xltools.workbook.refs import cell_name

OK, STALE, INVALID, UNREADABLE = 0, 1, 2, 3


@dataclass
class Outcome:
    """What happened to one workbook; ``results`` holds the recomputed values by block name."""

    path: Path
    tool: str | None = None
    exit_code: int = OK
    errors: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == OK

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


class _Stop(Exception):
    def __init__(self, exit_code: int, errors: list[str]) -> None:
        super().__init__(errors)
        self.exit_code = exit_code
        self.errors = errors


def identify(package: XlsxPackage) -> Tool:
    """The tool a workbook belongs to: its document property, else the input names it carries."""
    tool = TOOLS.get(package.custom_properties().get(PROPERTY_TOOL, ""))
    if tool is not None:
        return tool
    names = set(package.defined_names)
    for candidate in TOOLS.values():
        if candidate.input_names <= names:
            return candidate
    raise _Stop(UNREADABLE, [f"{package.path}: ikke et xltools-regneark (ukendt værktøj)"])


def read_inputs(package: XlsxPackage, tool: Tool) -> dict[str, Value]:
    """Validated inputs keyed by defined name; raises InvalidInput naming sheet and cell."""
    raw: dict[str, object] = {}
    where: dict[str, str] = {}
    for spec in tool.inputs:
        assert spec.defined_name
        area = package.area(spec.defined_name)
        if area is None:
            raise _Stop(UNREADABLE, [f"{package.path}: navnet {spec.defined_name} mangler"])
        raw[spec.key] = package.value(area.sheet, *area.first)
        where[spec.key] = f"{area.sheet}!{cell_name(*area.first)}"
    typed = validate(tool.inputs, raw, where)
    return {spec.defined_name: typed[spec.key] for spec in tool.inputs if spec.defined_name}


def compute(package: XlsxPackage, tool: Tool, env: dict[str, Value]) -> tuple[dict[CellKey, Value], dict[str, Any]]:
    """Every computed cell's new value at its current place, and the results by block name."""
    values: dict[CellKey, Value] = {}
    results: dict[str, Any] = {}
    for block in tool.blocks():
        area = package.area(block.name)
        if area is None or (
            area.last[0] - area.first[0] + 1 != len(block.exprs)
            or area.last[1] - area.first[1] + 1 != len(block.exprs[0])
        ):
            raise _Stop(UNREADABLE, [f"{package.path}: blokken {block.name} mangler eller er ændret"])
        grid: list[list[Value]] = []
        for row, col, expr in block.cells(area.first):
            if not package.has_formula(area.sheet, row, col):
                raise _Stop(
                    INVALID,
                    [f"{area.sheet}!{cell_name(row, col)}: formlen er overskrevet – skriv ikke i beregnede celler"],
                )
            value = values[(area.sheet, row, col)] = expr.evaluate(env)
            if col == area.first[1]:
                grid.append([])
            grid[-1].append(value)
        results[block.name] = grid
    return values, results


def recalc(path: Path, check: bool = False, as_of: date | None = None) -> Outcome:
    """Recompute one workbook; with ``check`` report staleness and change nothing."""
    outcome = Outcome(Path(path))
    try:
        with XlsxPackage(outcome.path) as package:
            tool = identify(package)
            outcome.tool = tool.name
            try:
                env = read_inputs(package, tool)
            except InvalidInput as invalid:
                raise _Stop(INVALID, [problem.message for problem in invalid.problems]) from None
            values, results = compute(package, tool, env)
            outcome.results = {"inputs": env, **results}
            if check:
                stale = [
                    f"{sheet}!{cell_name(row, col)}: gemt {package.value(sheet, row, col)!r}, beregnet {value!r}"
                    for (sheet, row, col), value in values.items()
                    if not _same(package.value(sheet, row, col), value)
                ]
                if stale:
                    raise _Stop(STALE, stale)
                return outcome
            by_sheet: dict[str, dict[tuple[int, int], Value]] = {}
            for (sheet, row, col), value in values.items():
                by_sheet.setdefault(sheet, {})[(row, col)] = value
            for sheet, cells in by_sheet.items():
                package.set_values(sheet, cells)
            if package.dirty:
                package.refresh_chart_caches(values)
                package.set_custom_property(PROPERTY_AS_OF, (as_of or date.today()).isoformat())
                package.save()
                outcome.written = True
    except _Stop as stop:
        outcome.exit_code, outcome.errors = stop.exit_code, stop.errors
    except UnreadableWorkbook as error:
        outcome.exit_code, outcome.errors = UNREADABLE, [str(error)]
    return outcome


def recalc_many(paths: list[Path], check: bool = False, as_of: date | None = None, jobs: int = 1) -> list[Outcome]:
    """Recompute many workbooks, in ``jobs`` processes when there are enough files to share."""
    task = partial(recalc, check=check, as_of=as_of)
    if jobs <= 1 or len(paths) < 4 * jobs:
        return [task(path) for path in paths]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(task, paths, chunksize=max(1, len(paths) // (jobs * 8))))


def set_inputs(path: Path, inputs: Mapping[str, Value | None]) -> None:
    """Type input values into a workbook by defined name (demo data, tests, benchmarks)."""
    with XlsxPackage(Path(path)) as package:
        for name, value in inputs.items():
            area = package.area(name)
            if area is None:
                raise KeyError(f"{path}: no defined name {name}")
            package.set_constant(area.sheet, *area.first, value)
        package.save()
