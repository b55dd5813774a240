"""Helpers for proving the Målstyring in real spreadsheet engines: edit a file as another program would,
recalculate it in LibreOffice or gnumeric, and compare every formula cell with what Python says."""

from __future__ import annotations

import math
import shutil
import subprocess
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from xltools.core.expr import Value
from xltools.goals.blocks import Blocks
from xltools.goals.environment import environment
from xltools.goals.read import read_archive, read_cells, read_setup_cells
from xltools.goals.recalc import checked_layout
from xltools.workbook.package import CellKey, CellValue, XlsxPackage

gnumeric_missing = shutil.which("ssconvert") is None


def edit(path: Path, sheet: str, cells: Mapping[tuple[int, int], CellValue]) -> None:
    """Type values into one sheet as a user would (None clears the cell), by editing that sheet's XML:
    every other part of the file keeps its bytes (checked here)."""
    before = _members(path)
    with XlsxPackage(path) as package:
        for (row, col), value in cells.items():
            package.set_constant(sheet, row, col, value)  # type: ignore[arg-type]
        package.save()
    after = _members(path)
    changed = [name for name in before if before[name] != after.get(name)]
    assert set(after) == set(before) and len(changed) == 1 and changed[0].startswith("xl/worksheets/sheet")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def python_values(path: Path, as_of: date) -> dict[CellKey, Value]:
    """Every formula cell's value as Python computes it from the file's cells as they are — text or
    negative numbers that got past the validation included (``recalc`` would refuse them)."""
    with XlsxPackage(path) as package:
        _, layout = checked_layout(package)
        blocks = Blocks(layout)
        cells = read_cells(package, layout)
        env = environment(blocks, cells, as_of, read_archive(package), read_setup_cells(package))
    return {(block.sheet, row, col): expr.evaluate(env) for block in blocks.all for row, col, expr in block.cells()}


def gnumeric(paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Recalculate each file in gnumeric (``ssconvert --recalc``) and save it as .xlsx into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = []
    for path in paths:
        target = out_dir / path.name
        subprocess.run(["ssconvert", "--recalc", str(path), str(target)], check=True, capture_output=True, timeout=300)
        outputs.append(target)
    return outputs


class Sheets:
    """A recalculated file's values, read with calamine (sheet → rows), sheet by sheet on demand."""

    def __init__(self, path: Path) -> None:
        self._book = CalamineWorkbook.from_path(str(path))
        self._rows: dict[str, list[list[object]]] = {}

    def value(self, sheet: str, row: int, col: int) -> object:
        if sheet not in self._rows:
            self._rows[sheet] = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        rows = self._rows[sheet]
        return rows[row][col] if row < len(rows) and col < len(rows[row]) else ""


def same(engine: object, python: Value) -> bool:
    """An engine's value equals Python's: numbers to 15 significant digits (stored as text by the engine),
    text exactly, a blank or "" alike."""
    if python is None or python == "":
        return engine in ("", None)
    if isinstance(python, bool) or isinstance(engine, bool):
        return engine == python
    if isinstance(python, float) and isinstance(engine, (int, float)):
        return math.isclose(engine, python, rel_tol=1e-12, abs_tol=1e-9)
    return engine == python


def differences(engine_file: Path, python: Mapping[CellKey, Value]) -> list[tuple[CellKey, object, Value]]:
    """The formula cells where the engine's value differs from Python's."""
    sheets = Sheets(engine_file)
    found = []
    for key, value in python.items():
        shown = sheets.value(*key)
        if not same(shown, value):
            found.append((key, shown, value))
    return found


def formula_cells(path: Path) -> int:
    """How many cells of the file hold a formula (``<f>`` elements), for counting what a comparison covers."""
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        return sum(archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ") for name in names)


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its part in the package (from workbook.xml and its relationships)."""
    from lxml import etree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    return {
        sheet.get("name"): "xl/" + targets[sheet.get(f"{rel}id")].lstrip("/").removeprefix("xl/")
        for sheet in workbook.iter(f"{main}sheet")
    }
