"""The engine suite's shared fixtures: the workbooks every engine test reads, made once per session.

The committed templates carry cached values as of the template date (TODAY() = 2026-01-05), so each is
copied and recalculated by xltools first: its cached values are then as of today, as the engines'.
The demo workbooks come from ``xltools demo``. Tests that need an engine are skipped where it is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.engines.gnumeric import ssconvert
from xltools.cli import main
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc

TEMPLATES = sorted((REPO / "workbooks").glob("*.xlsx"))


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's executable; tests that need it are skipped without it."""
    executable = libreoffice.soffice()
    if executable is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return executable


@pytest.fixture(scope="session")
def gnumeric_installed() -> str:
    """gnumeric's ``ssconvert``; tests that need it are skipped without it."""
    executable = ssconvert()
    if executable is None:
        pytest.skip("gnumeric (ssconvert) is not installed")
    return executable


@pytest.fixture(scope="session")
def current_templates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Copies of the committed templates, recalculated by xltools as of today."""
    folder = tmp_path_factory.mktemp("templates-today")
    copies = []
    for template in TEMPLATES:
        copy = folder / template.name
        shutil.copyfile(template, copy)
        outcome = recalc(copy)
        assert outcome.exit_code == 0, (template.name, outcome.errors)
        copies.append(copy)
    return copies


@pytest.fixture(scope="session")
def demo_workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The workbooks ``xltools demo`` makes (built, filled and recalculated by xltools)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    assert main(["demo", "--out", str(out)]) == 0
    return sorted(out.glob("*.xlsx"))
