"""Builds are byte-identical, and the committed templates are exactly what the code builds."""

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO
from xltools.cli import app
from xltools.tools import TOOLS

runner = CliRunner()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        assert runner.invoke(app, ["build", "--out", str(tmp_path / folder)]).exit_code == 0
    for tool in TOOLS.values():
        assert (tmp_path / "one" / tool.template).read_bytes() == (tmp_path / "two" / tool.template).read_bytes()


def test_committed_templates_match_a_fresh_build(tmp_path: Path) -> None:
    assert runner.invoke(app, ["build", "--out", str(tmp_path)]).exit_code == 0
    for tool in TOOLS.values():
        committed = REPO / "workbooks" / tool.template
        assert committed.read_bytes() == (tmp_path / tool.template).read_bytes(), (
            f"{committed} differs from a fresh build: run `xltools build` and commit the result"
        )


def test_committed_templates_are_up_to_date() -> None:
    result = runner.invoke(app, ["recalc", "--check", str(REPO / "workbooks")])
    assert result.exit_code == 0, result.output
    assert f"{len(TOOLS)} workbook(s) checked 0 with problems" in result.output
