"""The tools xltools knows, collected in one place: how to build, recompute and demo each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xltools.capacity import calculations as capacity_calculations
from xltools.capacity import inputs as capacity_inputs
from xltools.capacity import recalc as capacity_recalc
from xltools.capacity import workbook as capacity_workbook
from xltools.core.calculation import Calculation
from xltools.goals import calculations as goals_calculations
from xltools.goals import demo as goals_demo
from xltools.goals import layout as goals_layout
from xltools.goals import recalc as goals_recalc
from xltools.goals import workbook as goals_workbook
from xltools.industry import calculations as industry_calculations
from xltools.industry import demo as industry_demo
from xltools.industry import layout as industry_layout
from xltools.industry import recalc as industry_recalc
from xltools.industry import workbook as industry_workbook
from xltools.recalc.computation import Computation, Context
from xltools.workbook.package import XlsxPackage


@dataclass(frozen=True)
class Tool:
    """One spreadsheet tool, as the CLI, the engine and the UDF bridge see it."""

    name: str
    template: str
    build: Callable[[Path, date], None]
    compute: Callable[[XlsxPackage, Context], Computation]
    names: frozenset[str]
    """Defined names (case-folded) that identify the tool's workbooks if their properties are lost."""
    calculations: tuple[Calculation, ...]
    summary: Callable[[dict[str, Any]], str]
    demo: Callable[[Path, Path], list[Path]]
    """(template, folder) → demo workbooks made from the template, to be recalculated."""


RESSOURCEBEREGNER = Tool(
    name=capacity_workbook.TOOL,
    template="ressourceberegner.xlsx",
    build=capacity_workbook.build,
    compute=capacity_recalc.compute,
    names=frozenset(spec.defined_name.casefold() for spec in capacity_inputs.WORKBOOK_INPUTS if spec.defined_name),
    calculations=capacity_calculations.CALCULATIONS,
    summary=capacity_workbook.summary,
    demo=capacity_recalc.demo,
)

BRANCHEREDSKAB = Tool(
    name=industry_layout.TOOL,
    template="brancheredskab.xlsx",
    build=industry_workbook.build,
    compute=industry_recalc.compute,
    names=frozenset({industry_layout.AS_OF_NAME.casefold(), "statbrancher", "stattal"}),
    calculations=industry_calculations.CALCULATIONS,
    summary=industry_recalc.summary,
    demo=industry_demo.demo,
)

MAALSTYRING = Tool(
    name=goals_layout.TOOL,
    template="maalstyring.xlsx",
    build=goals_workbook.build,
    compute=goals_recalc.compute,
    names=frozenset({goals_layout.YEAR_NAME.casefold(), goals_layout.WEEKS_NAME.casefold(), "forloeb"}),
    calculations=goals_calculations.CALCULATIONS,
    summary=goals_recalc.summary,
    demo=goals_demo.demo,
)

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (RESSOURCEBEREGNER, BRANCHEREDSKAB, MAALSTYRING)}


def all_calculations() -> list[Calculation]:
    """Every calculation of every tool: the UDF bridge is generated from this list."""
    return [calculation for tool in TOOLS.values() for calculation in tool.calculations]
