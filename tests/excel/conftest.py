"""One add-in build per test session, shared by the add-in tests (a build takes several seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xltools.excel.addin.build import ADDIN_NAME, build


@pytest.fixture(scope="session")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("addin") / ADDIN_NAME)
