"""Builds are byte-identical, and the committed templates are exactly what the code builds."""

from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, Ran
from xltools.tools import TOOLS


def test_two_builds_are_byte_identical(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    for folder in ("one", "two"):
        assert xltools("build", "--out", tmp_path / folder).exit_code == 0
    for tool in TOOLS.values():
        assert (tmp_path / "one" / tool.template).read_bytes() == (tmp_path / "two" / tool.template).read_bytes()


def test_committed_templates_match_a_fresh_build(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    assert xltools("build", "--out", tmp_path).exit_code == 0
    for tool in TOOLS.values():
        committed = REPO / "workbooks" / tool.template
        assert committed.read_bytes() == (tmp_path / tool.template).read_bytes(), (
            f"{committed} differs from a fresh build: run `xltools build` and commit the result"
        )


def test_committed_templates_are_up_to_date(xltools: Callable[..., Ran]) -> None:
    result = xltools("recalc", "--check", REPO / "workbooks")
    assert result.exit_code == 0, result.output
    assert f"{len(TOOLS)} regneark på " in result.out and f": {len(TOOLS)} i orden, 0 med problemer" in result.out
