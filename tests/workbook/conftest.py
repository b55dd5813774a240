"""A Brancheredskab with rows, built once: it has every kind of part xltools reads (sheets, shared
strings, a table, charts, custom properties); its reporting date is =TODAY(), so a recalculation
as of another day changes cells, charts and properties."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.industry.conftest import SEED_DAY, SEED_ROWS, workbook_with


@pytest.fixture(scope="session")
def industry_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workbook_with(tmp_path_factory.mktemp("industry") / "brancheredskab.xlsx", SEED_ROWS, SEED_DAY, False)


@pytest.fixture
def industry_copy(industry_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "brancheredskab.xlsx"
    shutil.copyfile(industry_template, path)
    return path
