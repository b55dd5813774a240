"""Shared fixtures: one freshly built template per test session, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xltools.capacity import workbook as capacity_workbook
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
