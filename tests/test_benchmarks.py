"""The benchmarks, run small for correctness only (their timings are not asserted): every workload is made,
both sides run as whole processes in alternating pairs, and LibreOffice's values equal xltools'."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.libreoffice

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _benchmark(name: str = "alternating"):  # type: ignore[no-untyped-def]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # startup.py imports alternating by name, as a script beside it does
    spec.loader.exec_module(module)
    return module


def test_workbooks_agree_and_the_figures_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = _benchmark().compare("ressourceberegner", 3, 1, tmp_path)
    assert figures["differing"] == 0
    assert figures["xltools_s"] > 0 and figures["libreoffice_s"] > 0 and figures["xltools_mb"] > 0
    assert figures["low"] <= figures["median"] <= figures["high"]
    out = capsys.readouterr().out
    assert "ressourceberegner: 3 workbooks, 1 alternating pairs" in out and "cells that differ   0" in out


def test_scaling_prints_a_cost_per_workbook(tmp_path: Path) -> None:
    rows = _benchmark().scaling("ressourceberegner", [2, 4], tmp_path)
    assert [size for size, _ in rows] == [2, 4] and all(seconds > 0 for _, seconds in rows)


def test_startup_times_each_command_in_alternating_rounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _benchmark()
    startup = _benchmark("startup")
    times = startup.measure(tmp_path, 1)
    assert list(times) == [
        "python -c pass",
        "xltools --help",
        "xltools recalc (1 Ressourceberegner)",
        "xltools recalc (1 Brancheredskab, 500 rows)",
        "xltools recalc (1 Målstyring year)",
    ]
    assert all(len(seconds) == 1 and seconds[0] > 0 for seconds in times.values())
    startup.report(times)
    out = capsys.readouterr().out
    assert "start-up, 1 alternating rounds" in out and "xltools --help" in out and " +" in out


def test_the_udfs_are_timed_over_whole_columns() -> None:
    timings = _benchmark("udfs").time_udfs(20)  # asserts each result's shape and type itself
    assert [name for name, _ in timings] == ["CAPACITY", "FTE_NEEDED", "YEARLY_CONVERSATIONS"]
    assert all(seconds > 0 for _, seconds in timings)


def test_files_a_libreoffice_call_left_go_to_another_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice stops after some hundreds of files in one call without an error: the run goes on
    with the files left until each has its output, and fails only when a round writes nothing."""
    fake = tmp_path / "soffice"  # converts the first file it is given, then stops as if done
    fake.write_text(
        f"#!{sys.executable}\nimport pathlib, shutil, sys\nargs = sys.argv[1:]\nat = args.index('--outdir')\n"
        "out = pathlib.Path(args[at + 1])\nout.mkdir(parents=True, exist_ok=True)\n"
        "files = args[at + 2:]\nif files[0] != 'never': shutil.copy(files[0], out / pathlib.Path(files[0]).name)\n"
    )
    fake.chmod(0o755)
    alternating = _benchmark()
    monkeypatch.setattr(alternating.libreoffice, "soffice", lambda: str(fake))
    paths = []
    for number in range(5):
        paths.append(tmp_path / f"w{number}.xlsx")
        paths[-1].write_bytes(b"%d" % number)
    run = alternating.libreoffice_run(paths, tmp_path / "out", tmp_path / "profiles")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [path.name for path in paths]
    assert run.seconds > 0 and run.peak > 0
    with pytest.raises(RuntimeError, match="wrote none of 1 files"):
        alternating.libreoffice_run([Path("never")], tmp_path / "out2", tmp_path / "profiles")
