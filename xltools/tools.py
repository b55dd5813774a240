"""The tools xltools knows, collected in one place: how to build each and how to recompute it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xltools.capacity import calculations as capacity_calculations
from xltools.capacity import inputs as capacity_inputs
from xltools.capacity import workbook as capacity_workbook
from xltools.core.calculation import Calculation
from xltools.core.expr import Value
from xltools.core.inputs import InputSpec
from xltools.workbook.layout import Block


@dataclass(frozen=True)
class Tool:
    """One spreadsheet tool: its template, its inputs (found by defined name) and its blocks."""

    name: str
    version: str
    template: str
    build: Callable[[Path, date], None]
    inputs: tuple[InputSpec, ...]
    blocks: Callable[[], tuple[Block, ...]]
    calculations: tuple[Calculation, ...]
    summary: Callable[[dict[str, Any]], str]
    demo_inputs: tuple[dict[str, Value], ...] = ()

    @property
    def input_names(self) -> frozenset[str]:
        return frozenset(spec.defined_name.casefold() for spec in self.inputs if spec.defined_name)


RESSOURCEBEREGNER = Tool(
    name=capacity_workbook.TOOL,
    version=capacity_workbook.VERSION,
    template="ressourceberegner.xlsx",
    build=capacity_workbook.build,
    inputs=capacity_inputs.WORKBOOK_INPUTS,
    blocks=capacity_workbook.blocks,
    calculations=capacity_calculations.CALCULATIONS,
    summary=capacity_workbook.summary,
    demo_inputs=(
        {"Borgere": 330, "SamtaleDage": 3, "UgerPrAarsvaerk": 44, "AndelIntensiv": 0.3},
        {
            "Borgere": 1250,
            "SamtaleDage": 4,
            "UgerPrAarsvaerk": 43,
            "AndelIntensiv": 0.25,
            "SamtalerPrDag": 6,
            "Udeblivelse": 0.1,
            "Scenarie": capacity_inputs.SCENARIOS[4],
        },
        {
            "Borgere": 87,
            "SamtaleDage": 2,
            "UgerPrAarsvaerk": 43.5,
            "AndelIntensiv": 0.45,
            "SamtalerPrDag": 4,
            "Udeblivelse": 0.15,
            "Scenarie": capacity_inputs.SCENARIOS[2],
        },
    ),
)

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (RESSOURCEBEREGNER,)}


def all_calculations() -> list[Calculation]:
    """Every calculation of every tool: the UDF bridge is generated from this list."""
    return [calculation for tool in TOOLS.values() for calculation in tool.calculations]
