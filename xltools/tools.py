"""The tools xltools knows, collected in one place: how to build, recompute and demo each.

Each part of a tool is named by where it lives and imported on first use, so recalculating a
Ressourceberegner, loading the UDFs or printing ``--help`` never imports another tool's code, the
builders (XlsxWriter) or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xltools.core.calculation import Calculation
    from xltools.recalc.computation import Computation, Context
    from xltools.workbook.package import XlsxPackage


def _load(where: str) -> Any:
    """The object at ``"package.module:attribute"``."""
    module, attribute = where.split(":")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Tool:
    """One spreadsheet tool, as the CLI, the engine and the UDF bridge see it."""

    name: str
    label: str
    """The tool's name to its users."""
    template: str
    package: str
    """The tool's subpackage; its modules ``workbook`` (build), ``recalc`` (compute, summary),
    ``calculations`` (CALCULATIONS) and ``demo`` hold the tool's parts."""
    identifying_names: str
    """Where the defined names (case-folded) live that identify the tool's workbooks if their
    properties are lost."""
    summary_in: str = "recalc"
    demo_in: str = "demo"

    def build(self, path: Path, as_of: date) -> None:
        _load(f"{self.package}.workbook:build")(path, as_of)

    def compute(self, package: XlsxPackage, context: Context) -> Computation:
        result: Computation = _load(f"{self.package}.recalc:compute")(package, context)
        return result

    def summary(self, results: dict[str, Any]) -> str:
        return str(_load(f"{self.package}.{self.summary_in}:summary")(results))

    def demo(self, template: Path, folder: Path) -> list[Path]:
        """(template, folder) → demo workbooks made from the template, to be recalculated."""
        made: list[Path] = _load(f"{self.package}.{self.demo_in}:demo")(template, folder)
        return made

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(name.casefold() for name in _load(self.identifying_names))

    @cached_property
    def calculations(self) -> tuple[Calculation, ...]:
        return tuple(_load(f"{self.package}.calculations:CALCULATIONS"))


RESSOURCEBEREGNER = Tool(
    name="ressourceberegner",
    label="Ressourceberegner",
    template="ressourceberegner.xlsx",
    package="xltools.capacity",
    identifying_names="xltools.capacity.inputs:DEFINED_NAMES",
    summary_in="layout",
    demo_in="recalc",
)

BRANCHEREDSKAB = Tool(
    name="brancheredskab",
    label="Brancheredskab",
    template="brancheredskab.xlsx",
    package="xltools.industry",
    identifying_names="xltools.industry.layout:IDENTIFYING_NAMES",
)

MAALSTYRING = Tool(
    name="maalstyring",
    label="Målstyring",
    template="maalstyring.xlsx",
    package="xltools.goals",
    identifying_names="xltools.goals.layout:IDENTIFYING_NAMES",
)

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (RESSOURCEBEREGNER, BRANCHEREDSKAB, MAALSTYRING)}


def all_calculations() -> list[Calculation]:
    """Every calculation of every tool: the UDF bridge is generated from this list."""
    return [calculation for tool in TOOLS.values() for calculation in tool.calculations]
