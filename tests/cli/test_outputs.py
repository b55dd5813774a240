"""Nothing lost, nothing changed without consent: an output is never an input, an existing output
only with --force, and build and demo write only into folders that are xltools' own."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Ran
from xltools.cli import progress
from xltools.errors import ExitCode
from xltools.workbook.own_folder import MARKER
from xltools.workbook.package import type_values


@pytest.mark.parametrize("option", ["--report", "--junit"])
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["", "forced"])
def test_a_report_named_like_an_input_is_always_refused(
    capacity_copy: Path, tmp_path: Path, xltools: Callable[..., Ran], option: str, force: list[str]
) -> None:
    other = tmp_path / "b.xlsx"
    shutil.copyfile(capacity_copy, other)
    type_values(capacity_copy, {"Borgere": 77})
    data = capacity_copy.read_bytes(), other.read_bytes()
    result = xltools("recalc", option, capacity_copy, capacity_copy, other, *force)
    assert result.exit_code == ExitCode.REFUSED
    assert result.err == (
        f"xltools recalc: {capacity_copy}: er også en af inddatafilerne – vælg et andet navn til resultatet\n"
    )
    assert (capacity_copy.read_bytes(), other.read_bytes()) == data  # refused before any workbook ran


def test_an_existing_report_is_kept_unless_forced(
    capacity_copy: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    report.write_text("mine")
    result = xltools("recalc", capacity_copy, "--report", report)
    assert result.exit_code == ExitCode.REFUSED
    assert f"{report}: findes allerede – vælg et andet navn, eller brug --force" in result.err
    assert report.read_text() == "mine"
    assert xltools("recalc", capacity_copy, "--report", report, "--junit", junit, "--force").exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))[0]["ok"] is True
    assert junit.read_bytes().startswith(b"<?xml")
    same = xltools("recalc", capacity_copy, "--report", report, "--junit", report, "--force")
    assert same.exit_code == ExitCode.REFUSED and "to resultatfiler" in same.err


def test_build_writes_into_a_new_or_empty_folder_and_then_again(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    for folder in (tmp_path / "ny" / "mappe", empty, empty):
        result = xltools("build", "--out", folder)
        assert result.exit_code == 0, result.output
        assert (folder / MARKER).is_file() and (folder / "ressourceberegner.xlsx").is_file()
        assert f"bygget: {folder / 'maalstyring.xlsx'}" in result.out


@pytest.mark.parametrize("command", ["build", "demo"])
def test_a_foreign_folder_is_refused_and_left_alone(tmp_path: Path, xltools: Callable[..., Ran], command: str) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ressourceberegner.xlsx").write_text("mit eget")
    (folder / "templates").mkdir()
    before = sorted(path.relative_to(folder) for path in folder.rglob("*"))
    for force in ([], ["--force"]):
        result = xltools(command, "--out", folder, *force)
        assert result.exit_code == ExitCode.REFUSED
        assert f"{folder}: mappen er ikke tom og er ikke lavet af xltools" in result.err
    assert sorted(path.relative_to(folder) for path in folder.rglob("*")) == before
    assert (folder / "ressourceberegner.xlsx").read_text() == "mit eget"


def test_a_file_is_not_a_folder(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    target = tmp_path / "fil"
    target.write_text("x")
    result = xltools("build", "--out", target)
    assert result.exit_code == ExitCode.REFUSED and "findes og er ikke en mappe" in result.err


def test_a_bar_on_a_terminal_lines_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert isinstance(progress.progress(3, check=False), progress.Bar)
    monkeypatch.setenv("CI", "true")
    assert isinstance(progress.progress(3, check=False), progress.Lines)


def test_an_output_in_a_missing_folder_is_a_usage_error(
    capacity_copy: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    for argv in (
        ["recalc", capacity_copy, "--report", tmp_path / "mangler" / "r.json"],
        ["merge", tmp_path / "mangler" / "samlet.xlsx", capacity_copy],
        ["rollover", capacity_copy, "--year", "2027", "--out", tmp_path / "mangler" / "ny.xlsx"],
    ):
        result = xltools(*argv)
        assert result.exit_code == ExitCode.USAGE, argv
        assert result.err == f"xltools {argv[0]}: {argv[-1] if argv[0] != 'merge' else argv[1]}: mappen " + (
            f"{tmp_path / 'mangler'} findes ikke – opret den, eller vælg en anden\n"
        )
    assert not (tmp_path / "mangler").exists()
