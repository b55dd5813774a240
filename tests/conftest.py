"""Shared fixtures: one freshly built template per test session, copied per test; the command line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from xltools.capacity import workbook as capacity_workbook
from xltools.cli import main
from xltools.workbook.build import TEMPLATE_DATE

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def capacity_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "ressourceberegner.xlsx"
    capacity_workbook.build(path, TEMPLATE_DATE)
    return path


@pytest.fixture
def capacity_copy(capacity_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ressourceberegner.xlsx"
    shutil.copyfile(capacity_template, path)
    return path


@dataclass
class Ran:
    """One ``xltools`` run: its exit code and what it printed."""

    exit_code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


@pytest.fixture
def xltools(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """Run ``xltools ARGS…`` in this process (``main``), capturing stdout and stderr."""

    def run(*argv: str | Path) -> Ran:
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
