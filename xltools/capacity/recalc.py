"""Recalculating a Ressourceberegner file, and the demo workbooks of the main job."""

from __future__ import annotations

import shutil
from pathlib import Path

from xltools.capacity import inputs as spec
from xltools.capacity.layout import blocks
from xltools.recalc.computation import Computation, Context, compute_blocks, read_inputs
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.source import FileSource

DEMO_INPUTS: tuple[dict[str, float | str | None], ...] = (
    {"Borgere": 330, "SamtaleDage": 3, "UgerPrAarsvaerk": 44, "AndelIntensiv": 0.3},
    {
        "Borgere": 1250,
        "SamtaleDage": 4,
        "UgerPrAarsvaerk": 43,
        "AndelIntensiv": 0.25,
        "SamtalerPrDag": 6,
        "Udeblivelse": 0.1,
        "Scenarie": spec.SCENARIOS[4],
    },
    {
        "Borgere": 87,
        "SamtaleDage": 2,
        "UgerPrAarsvaerk": 43.5,
        "AndelIntensiv": 0.45,
        "SamtalerPrDag": 4,
        "Udeblivelse": 0.15,
        "Scenarie": spec.SCENARIOS[2],
    },
)


def compute(package: XlsxPackage, context: Context) -> Computation:
    """The Ressourceberegner uses no date: its inputs and blocks are all there is."""
    env = read_inputs(FileSource(package), spec.WORKBOOK_INPUTS)
    computation = compute_blocks(package, blocks(), env)
    computation.results = {"inputs": env, **computation.results}
    return computation


def demo(template: Path, out_dir: Path) -> list[Path]:
    """Copies of the template with the demo inputs typed in (recalculated by the caller)."""
    paths = []
    for number, inputs in enumerate(DEMO_INPUTS, start=1):
        path = out_dir / f"{template.stem}-demo-{number}.xlsx"
        shutil.copyfile(template, path)
        type_values(path, inputs)
        paths.append(path)
    return paths
