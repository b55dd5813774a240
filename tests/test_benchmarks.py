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
