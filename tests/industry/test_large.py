"""A legitimate 100,000-row Brancheredskab (≈193 MB of sheet XML) recalculates in well under 1 GB."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.industry.grown import grow
from xltools.core.logic import serial
from xltools.industry.demo import demo_rows
from xltools.industry.layout import ENTRY, OVERVIEW, TABLE, table_col
from xltools.industry.workbook import build
from xltools.workbook.package import XlsxPackage

ROWS = 100_000
BUILT, AS_OF = date(2024, 3, 13), date(2024, 3, 20)
GIB_IN_KB = 1 << 20

RECALC = """
import json, sys, time
from datetime import date
from xltools.recalc.engine import recalc
start = time.perf_counter()
outcome = recalc(sys.argv[1], check=sys.argv[2] == "check", as_of=date.fromisoformat(sys.argv[3]))
print(json.dumps({"exit": int(outcome.exit_code), "errors": outcome.errors[:5], "written": outcome.written,
                  "rows": outcome.results.get("rows"), "seconds": time.perf_counter() - start}))
"""
MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]], capture_output=True, text=True, check=True)
print(json.dumps([json.loads(done.stdout), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def _run(path: Path, mode: str) -> tuple[dict, int]:
    """Recalculate in a child process; its result and its peak resident memory in kB.

    A forked child's peak counts its parent's pages until it executes, so the recalc is started by a
    small launcher, which reports its only child's RUSAGE_CHILDREN."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, RECALC, str(path), mode, AS_OF.isoformat()], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result, peak = json.loads(done.stdout)
    return result, peak


@pytest.mark.slow
def test_a_100k_row_file_recalculates_in_bounded_memory(tmp_path: Path) -> None:
    small = tmp_path / "small.xlsx"
    build(small, BUILT, demo_rows(BUILT, count=50))
    path = grow(small, tmp_path / "large.xlsx", ROWS)
    with XlsxPackage(path) as package:
        assert package.table(TABLE).last[0] == ROWS + 1  # type: ignore[union-attr]
    start = time.perf_counter()
    written, peak = _run(path, "write")
    print(f"\n100k rows: recalc {written['seconds']:.1f} s, peak {peak / 1024:.0f} MB", end="")
    assert (written["exit"], written["errors"], written["written"], written["rows"]) == (0, [], True, ROWS)
    assert peak < GIB_IN_KB
    checked, peak = _run(path, "check")
    print(f"; check {checked['seconds']:.1f} s, peak {peak / 1024:.0f} MB; all {time.perf_counter() - start:.0f} s")
    assert (checked["exit"], checked["errors"]) == (0, [])
    assert peak < GIB_IN_KB
    with XlsxPackage(path) as package:
        assert package.value(OVERVIEW, 1, 1) == serial(AS_OF)
        age = table_col("alder")
        last = ROWS + 1
        assert package.has_formula(ENTRY, last, age)
        assert package.value(ENTRY, last, age) == package.value(ENTRY, last - 50, age) is not None
