"""LibreOffice, a real spreadsheet engine, recalculates the generated workbook to Python's numbers."""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xltools.capacity import inputs as spec
from xltools.capacity.layout import blocks
from xltools.errors import ExitCode
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import type_values
from xltools.workbook.refs import Area

pytestmark = pytest.mark.libreoffice


def random_inputs(rng: random.Random) -> dict:
    return {
        "Borgere": rng.randint(0, 50_000),
        "SamtaleDage": rng.randint(1, 5),
        "UgerPrAarsvaerk": rng.choice([rng.randint(1, 52), round(rng.uniform(1, 52), 1)]),
        "AndelIntensiv": rng.choice([rng.randint(0, 100) / 100, rng.random()]),
        "SamtalerPrDag": rng.randint(1, 20),
        "Udeblivelse": rng.choice([0.0, rng.randint(0, 90) / 100, rng.uniform(0, 0.9)]),
        "Scenarie": rng.choice(spec.SCENARIOS),
    }


INPUT_SETS = [
    dict(spec.DEFAULTS),
    {**spec.DEFAULTS, "Borgere": 50, "AndelIntensiv": 0.29},  # 14.4999… people: must round to 15
    *(random_inputs(random.Random(seed)) for seed in range(22)),
]


def _close(engine: object, python: float) -> bool:
    # LibreOffice stores 15 significant digits, as Excel does.
    return isinstance(engine, float) and math.isclose(engine, python, rel_tol=1e-13, abs_tol=1e-12)


@pytest.fixture(scope="module")
def typed(capacity_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Copies of the template with the input sets typed in and the old cached values left."""
    folder = tmp_path_factory.mktemp("lo-in")
    paths = []
    for number, inputs in enumerate(INPUT_SETS):
        path = folder / f"case{number:02d}.xlsx"
        shutil.copyfile(capacity_template, path)
        type_values(path, inputs)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def recalculated(typed: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return libreoffice.recalculate(typed, tmp_path_factory.mktemp("lo-out"))


def test_inputs_were_stale_before_libreoffice(typed: list[Path]) -> None:
    """Changed inputs leave stale cached values: agreement below proves LibreOffice recalculated."""
    stale = [recalc(path, check=True).exit_code for path in typed]
    assert stale[0] == 0 and stale[1:].count(ExitCode.STALE) == len(stale) - 1


@pytest.mark.parametrize("number", range(len(INPUT_SETS)))
def test_libreoffice_values_equal_python(recalculated: list[Path], number: int) -> None:
    inputs = INPUT_SETS[number]
    book = CalamineWorkbook.from_path(str(recalculated[number]))
    checked = 0
    for block in blocks():
        rows = book.get_sheet_by_name(block.sheet).to_python()
        for row, col, expr in block.cells():
            python = expr.evaluate(inputs)
            assert _close(rows[row][col], python), (block.name, row, col, rows[row][col], python)
            checked += 1
    assert checked == 1 + 3 + 9 + 1 + 24 + 2 + 72


def test_libreoffice_saved_files_pass_check(recalculated: list[Path]) -> None:
    """A file another program saved is still recognised, and its values agree with Python's."""
    outcomes = [recalc(path, check=True) for path in recalculated]
    assert [(o.tool, o.exit_code, o.errors) for o in outcomes] == [("ressourceberegner", 0, [])] * len(outcomes)


def test_xltools_recalc_rewrites_a_libreoffice_saved_file(recalculated: list[Path], tmp_path: Path) -> None:
    path = tmp_path / "saved-by-libreoffice.xlsx"
    shutil.copyfile(recalculated[0], path)
    type_values(path, {"Borgere": 1000, "Scenarie": spec.SCENARIOS[0]})
    assert recalc(path).written
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Ressourceberegner").to_python()
    block = {b.name: b for b in blocks()}["Generelt"]
    first = Area.parse(str(block.area)).first
    assert rows[first[0]][first[1]] == 4000
    assert rows[35][1] == 4000  # selected scenario follows
    assert recalc(path, check=True).exit_code == 0
