"""The command line itself: Danish help, one Danish line and exit 64 for a wrong command line,
``--version``, a registry that lists every command, a ``--help`` that imports nothing heavy, and a
program that leaves its objects to the end of the process."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, Ran
from xltools import __version__
from xltools.cli import COMMANDS
from xltools.errors import ExitCode
from xltools.templates import TEMPLATE_VERSIONS

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "show program's", "error:", "invalid")


@pytest.mark.parametrize(
    ("argv", "wrong"),
    [
        ([], "xltools: vælg en kommando: build, recalc"),
        (["recalcc", "a.xlsx"], "xltools: ukendt kommando 'recalcc'"),
        (["--bogus"], "xltools: ukendt tilvalg eller argument: --bogus"),
        (["recalc", "a.xlsx", "--bogus"], "xltools recalc: ukendt tilvalg eller argument: --bogus"),
        (["recalc"], "xltools recalc: mangler STI"),
        (["recalc", "a.xlsx", "--report"], "xltools recalc: --report skal efterfølges af en værdi"),
        (["recalc", "a.xlsx", "--as-of", "2026-13-01"], "xltools recalc: --as-of: '2026-13-01' er ikke en dato"),
        (["recalc", "a.xlsx", "--as-of", "18-01-2026"], "– skriv ÅÅÅÅ-MM-DD, fx 2026-01-18"),
        (["recalc", "a.xlsx", "--jobs", "mange"], "xltools recalc: --jobs: skal være et helt tal fra 0 til 256"),
        (
            ["recalc", "a.xlsx", "--jobs", "-1"],
            "--jobs: skal være et helt tal fra 0 til 256 (0: én pr. kerne) – fik '-1'",
        ),
        (["recalc", "--check=ja", "a.xlsx"], "xltools recalc: --check tager ingen værdi (fik 'ja')"),
        (["recalc", "a.xlsx", "--rep", "r.json"], "ukendt tilvalg eller argument: --rep"),
        (["rollover", "a.xlsx", "--out", "b.xlsx"], "xltools rollover: mangler --year"),
        (["rollover", "a.xlsx", "--year", "27", "--out", "b.xlsx"], "--year: skal være et årstal fra 2000 til 2100"),
        (["merge", "samlet.xlsx"], "xltools merge: mangler FIL.xlsx"),
    ],
)
def test_a_wrong_command_line_is_one_danish_line_and_exit_64(
    argv: list[str], wrong: str, xltools: Callable[..., Ran]
) -> None:
    result = xltools(*argv)
    assert result.exit_code == ExitCode.USAGE == 64
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert wrong in line
    assert line.endswith("--help)") and "(se xltools" in line
    assert not any(word in line.lower() for word in ENGLISH)


def test_options_and_paths_may_come_in_any_order(xltools: Callable[..., Ran], tmp_path: Path) -> None:
    result = xltools("recalc", tmp_path / "a.xlsx", "--check", tmp_path / "b.xlsx")
    assert result.exit_code == ExitCode.UNREADABLE  # both files looked for, neither exists
    assert result.err.count("findes ikke") == 2


def test_version_names_the_package_and_every_template(xltools: Callable[..., Ran]) -> None:
    result = xltools("--version")
    assert result.exit_code == 0
    templates = ", ".join(f"{tool} {version}" for tool, version in TEMPLATE_VERSIONS.items())
    assert result.out == f"xltools {__version__} (skabeloner: {templates})\n"
    assert result.out.startswith("xltools 0.2.0 (skabeloner: ressourceberegner 2, brancheredskab 2, maalstyring 2)")


@pytest.mark.parametrize("argv", [["--help"], ["-h"], *[[name, "--help"] for name in COMMANDS]])
def test_help_is_danish(argv: list[str], xltools: Callable[..., Ran]) -> None:
    result = xltools(*argv)
    assert result.exit_code == 0 and result.err == ""
    assert result.out.startswith("brug: xltools")
    assert "vis denne hjælp og stop" in result.out and "tilvalg:" in result.out
    assert "slutkoder:" in result.out and "64  forkert kommandolinje" in result.out
    assert not any(word in result.out.lower() for word in ENGLISH)


def test_every_command_is_registered_with_what_it_writes() -> None:
    assert list(COMMANDS) == ["build", "recalc", "merge", "goals", "rebuild", "rollover", "upgrade", "demo", "addin"]
    writes = {name: command.writes for name, command in COMMANDS.items()}
    assert writes == {
        "build": "folder",
        "recalc": "in_place",
        "merge": "new_file",
        "goals": "in_place",
        "rebuild": "in_place",
        "rollover": "new_file",
        "upgrade": "in_place",
        "demo": "folder",
        "addin": "new_file",
    }
    for name, command in COMMANDS.items():
        argv = command.example_argv(Path("w.xlsx"), Path("ny"))
        assert argv[0] == name and "{" not in " ".join(argv)
        reads_a_workbook = command.tools is None or bool(command.tools)
        assert ("w.xlsx" in argv) == reads_a_workbook, name
        assert "--force" not in argv


def _run_python(*code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *code], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_python_dash_m_xltools_works() -> None:
    result = _run_python("-m", "xltools", "--version")
    assert result.returncode == 0 and result.stdout.startswith("xltools ")
    result = _run_python("-m", "xltools", "recalc", "--jobs", "x", "a.xlsx")
    assert result.returncode == 64 and result.stderr.count("\n") == 1


def test_the_program_leaves_what_its_command_built_to_the_end_of_the_process(tmp_path: Path) -> None:
    """``xltools`` and ``python -m xltools`` are ``run``: the command's objects are frozen before the
    exit, so the interpreter's last cycle collection does not free them one by one."""
    workbook = tmp_path / "r.xlsx"
    workbook.write_bytes((REPO / "workbooks" / "ressourceberegner.xlsx").read_bytes())
    probe = (
        "import gc, sys\n"
        "from xltools.cli import run\n"
        f"sys.argv = ['xltools', 'recalc', {str(workbook)!r}]\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as stop:\n"
        "    print(stop.code, gc.get_freeze_count() > 0)\n"
    )
    result = _run_python("-c", probe)
    assert result.stdout.splitlines()[-1] == "0 True", result.stderr
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"xltools": "xltools.cli:run"}
    assert "run()" in (REPO / "xltools" / "__main__.py").read_text()


HEAVY = ("pandas", "numpy", "lxml", "xlsxwriter", "pydantic", "openpyxl", "python_calamine", "rich")
TOOL_MODULES = ("xltools.tools", "xltools.capacity", "xltools.industry", "xltools.goals", "xltools.workbook")


def test_help_and_version_import_no_library_and_no_tool() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "from xltools.cli import COMMANDS, main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for argv in [['--help'], ['--version'], *[[name, '--help'] for name in COMMANDS]]:\n"
        "        assert main(argv) == 0, argv\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = _run_python("-c", probe)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert [name for name in loaded if name.split(".")[0] in HEAVY] == []
    assert [name for name in loaded if name.startswith(TOOL_MODULES)] == []
