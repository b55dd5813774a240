"""Benchmark: ``xltools recalc`` vs LibreOffice headless on the same workbooks, and the UDFs.

    python benchmarks/recalc_vs_libreoffice.py [--files 1000] [--rows 100000]

Makes N copies of the Ressourceberegner template with varied inputs, recalculates one set with
``xltools recalc DIR`` (one process per core) and an identical set with LibreOffice in its best
mode (one ``soffice`` call per core, each with its own profile, the files split between them),
checks that every computed cell agrees, and prints wall times, workbooks per second and the ratio.
Then times the vectorised UDFs over a column of 100,000 rows (``--udfs-only``: only that).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alternating import varied_inputs
from python_calamine import CalamineWorkbook

from xltools.capacity import inputs as spec
from xltools.capacity.layout import blocks
from xltools.excel.udfs import UDFS
from xltools.recalc import libreoffice
from xltools.tools import RESSOURCEBEREGNER
from xltools.workbook.package import type_values


def prepare(folder: Path, count: int) -> tuple[list[Path], list[Path]]:
    template = folder / "template.xlsx"
    RESSOURCEBEREGNER.build(template, __import__("datetime").date.today())
    ours, theirs = folder / "xltools", folder / "libreoffice-in"
    ours.mkdir()
    theirs.mkdir()
    rng = random.Random(1)
    for number in range(count):
        path = ours / f"w{number:05d}.xlsx"
        shutil.copyfile(template, path)
        type_values(path, varied_inputs(rng, spec.SCENARIOS))
        shutil.copyfile(path, theirs / path.name)
    return sorted(ours.glob("*.xlsx")), sorted(theirs.glob("*.xlsx"))


def time_xltools(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "xltools", "recalc", str(folder)], check=True, capture_output=True)
    return time.perf_counter() - start


def time_libreoffice(paths: list[Path], out: Path, workers: int) -> float:
    shares = [paths[i::workers] for i in range(workers)]
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda share: libreoffice.recalculate(share, out, timeout=3600), shares))
    return time.perf_counter() - start


def compare(ours: list[Path], theirs_out: Path) -> int:
    """Every computed cell of every workbook: xltools' cached value vs LibreOffice's."""
    cells = [(row, col) for block in blocks() for row, col, _ in block.cells()]
    mismatches = 0
    for path in ours:
        a = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Ressourceberegner").to_python()
        b = CalamineWorkbook.from_path(str(theirs_out / path.name)).get_sheet_by_name("Ressourceberegner").to_python()
        mismatches += sum(not math.isclose(a[r][c], b[r][c], rel_tol=1e-13, abs_tol=1e-12) for r, c in cells)
    return mismatches


def time_udfs(rows: int) -> list[tuple[str, float]]:
    rng = random.Random(2)
    column = lambda low, high: [[float(rng.randint(low, high))] for _ in range(rows)]  # noqa: E731
    shares = [[rng.randint(0, 100) / 100] for _ in range(rows)]
    calls = {
        "CAPACITY": (column(1, 8), column(1, 9), [[3.0]], [[44.0]]),
        "FTE_NEEDED": (column(0, 10_000), column(1, 20), [[3.0]], [[44.0]], [[0.1]]),
        "YEARLY_CONVERSATIONS": (column(0, 20_000), [[24.0]], shares, [[4.0]]),
    }
    timings = []
    for name, args in calls.items():
        seconds = []
        for _ in range(5):
            start = time.perf_counter()
            result = UDFS[name](*args)
            seconds.append(time.perf_counter() - start)
            assert len(result) == rows and all(type(row[0]) is float for row in result)
        timings.append((name, statistics.median(seconds)))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--udfs-only", action="store_true", help="time the UDFs only")
    args = parser.parse_args()
    if args.udfs_only:
        print_udfs(args.rows)
        return
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="xltools-bench-") as tmp:
        folder = Path(tmp)
        ours, theirs = prepare(folder, args.files)
        ours_seconds = time_xltools(folder / "xltools")
        theirs_seconds = time_libreoffice(theirs, folder / "libreoffice-out", workers)
        mismatches = compare(ours, folder / "libreoffice-out")
    n = args.files
    print(f"{n} Ressourceberegner workbooks, {workers} cores")
    print(f"  xltools recalc DIR          {ours_seconds:8.2f} s  {n / ours_seconds:8.1f} workbooks/s")
    print(f"  LibreOffice, {workers} soffice calls  {theirs_seconds:8.2f} s  {n / theirs_seconds:8.1f} workbooks/s")
    print(f"  ratio                       {theirs_seconds / ours_seconds:8.1f}x")
    print(f"  cells that differ           {mismatches:8d}")
    print_udfs(args.rows)
    if mismatches:
        sys.exit(1)


def print_udfs(rows: int) -> None:
    """Each UDF over a column of ``rows`` rows, 2-D lists in and out as xlwings passes them: the median
    of five calls."""
    for name, seconds in time_udfs(rows):
        print(f"  UDF {name:<20} {rows} rows {seconds * 1000:8.1f} ms  {rows / seconds:10.0f} rows/s")


if __name__ == "__main__":
    main()
