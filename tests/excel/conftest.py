"""Shared by the add-in tests: one add-in build per session (a build takes several seconds), and real
workbooks of each tool for the buttons to work on."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from xltools.excel.addin.build import ADDIN_NAME, build
from xltools.recalc.engine import recalc

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="session")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("addin") / ADDIN_NAME)


@pytest.fixture
def industry(tmp_path: Path) -> Path:
    """A Brancheredskab with 40 demo rows."""
    from xltools.industry.demo import demo_rows
    from xltools.industry.workbook import build as build_industry

    path = tmp_path / "brancheredskab.xlsx"
    build_industry(path, AS_OF, demo_rows(AS_OF, count=40))
    return path


@pytest.fixture
def capacity(tmp_path: Path) -> Path:
    """The Ressourceberegner template."""
    path = tmp_path / "ressourceberegner.xlsx"
    shutil.copyfile(REPO / "workbooks" / "ressourceberegner.xlsx", path)
    return path


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    """The demo Målstyring, recalculated."""
    from xltools.goals.demo import demo

    (path,) = demo(REPO / "workbooks" / "maalstyring.xlsx", tmp_path, AS_OF)
    assert recalc(path, today=lambda: AS_OF).exit_code == 0
    return path
