"""Every formula cell of the template and of a demo workbook, recalculated by LibreOffice and by
gnumeric, equals what Python computes — no dynamic arrays, nothing an older Excel lacks."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.goals.engines import differences, edit, formula_cells, gnumeric, gnumeric_missing, python_values
from xltools.core.logic import serial
from xltools.goals.demo import demo
from xltools.goals.layout import FRONT, FRONT_AS_OF
from xltools.goals.workbook import build
from xltools.recalc import libreoffice
from xltools.workbook.build import TEMPLATE_DATE

DEMO_DATE = date(2026, 6, 14)
DYNAMIC = re.compile(r"_xlfn\.|_xlws\.|\b(FILTER|SORTBY|SORT|UNIQUE|SEQUENCE|XLOOKUP|XMATCH|LET)\(|[A-Z]\$?\d+#")
"""Dynamic-array functions, the prefixes of newer functions, and the spill operator (A1#)."""


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, date]]:
    """The template and a demo workbook, each with its reporting date typed in (no engine's TODAY())."""
    folder = tmp_path_factory.mktemp("engines")
    template = folder / "maalstyring.xlsx"
    build(template, TEMPLATE_DATE)
    (demo_file,) = demo(template, folder, DEMO_DATE)
    for path, day in ((template, TEMPLATE_DATE), (demo_file, DEMO_DATE)):
        edit(path, FRONT, {FRONT_AS_OF: serial(day)})
    return {"template": (template, TEMPLATE_DATE), "demo": (demo_file, DEMO_DATE)}


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        parts = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        return [f for name in parts for f in re.findall(r"<f[^>]*>(.*?)</f>", archive.read(name).decode())]


@pytest.mark.parametrize("name", ["template", "demo"])
def test_no_dynamic_arrays_and_python_covers_every_formula_cell(
    workbooks: dict[str, tuple[Path, date]], name: str
) -> None:
    path, day = workbooks[name]
    formulas = _formulas(path)
    assert not [formula for formula in formulas if DYNAMIC.search(formula)]
    assert formula_cells(path) == len(formulas) == len(python_values(path, day))


@pytest.mark.libreoffice
def test_libreoffice_computes_every_cell_as_python(workbooks: dict[str, tuple[Path, date]], tmp_path: Path) -> None:
    names = list(workbooks)
    outputs = libreoffice.recalculate([workbooks[name][0] for name in names], tmp_path)
    for name, out in zip(names, outputs, strict=True):
        path, day = workbooks[name]
        assert differences(out, python_values(path, day)) == [], name


@pytest.mark.skipif(gnumeric_missing, reason="gnumeric (ssconvert) is not installed")
def test_gnumeric_computes_every_cell_as_python(workbooks: dict[str, tuple[Path, date]], tmp_path: Path) -> None:
    copies = []
    for name, (path, _) in workbooks.items():
        copies.append(tmp_path / f"{name}.xlsx")
        shutil.copyfile(path, copies[-1])
    for name, out in zip(workbooks, gnumeric(copies, tmp_path / "gnumeric"), strict=True):
        path, day = workbooks[name]
        assert differences(out, python_values(path, day)) == [], name
