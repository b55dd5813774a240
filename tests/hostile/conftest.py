"""The hostile suite's shared fixtures: the freshly built workbooks every case derives from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.corpus import Sources, build_sources


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return build_sources(tmp_path_factory.mktemp("hostile-sources"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where a case is written; nothing else goes there (the tests compare its contents)."""
    path = tmp_path / "sag"
    path.mkdir()
    return path
