"""Benchmark: 100,000 Brancheredskab rows read, validated and summarised; then a full recalc.

    python benchmarks/industry_100k.py [--rows 100000]
    python benchmarks/industry_100k.py --steps FILE    (only the steps, on a file built before)

Prints the time of each step (read, validate, summarise — in a fresh process), and the time and peak
memory (resident set) of ``xltools recalc`` run in a process of its own, as a user runs it (this
process's peak is the XlsxWriter build). Goals (issue 10): read + validate + summarise under 1 s, the
recalc under 5 s and 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from xltools.core.logic import serial
from xltools.industry.demo import demo_rows
from xltools.industry.layout import spillings, stats_blocks
from xltools.industry.recalc import read_entries, read_lists
from xltools.industry.rows import validate_columns
from xltools.industry.summary import summarise
from xltools.industry.workbook import build
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.source import FileSource

AS_OF = date(2024, 3, 20)
BUILT = AS_OF - timedelta(days=7)
"""Cached values as of a week earlier, so the recalc rewrites every computed cell."""
MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "xltools", "recalc", sys.argv[1]], capture_output=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
"""Runs ``xltools recalc`` from a small launcher: a forked child's peak counts its parent's pages
until it executes, so the launcher's RUSAGE_CHILDREN is the recalc's own peak."""


def time_steps(path: Path) -> None:
    """Read, validate and summarise ``path``, printing each step's time. Run in a fresh process, as a
    user's ``recalc`` is: the building process's large heap would slow it (Python's cycle collector
    walks every object it holds), which once doubled these figures."""
    timings = {}
    start = time.perf_counter()
    with XlsxPackage(path) as package:
        source = FileSource(package)
        lists = read_lists(source)
        entries = read_entries(source)
    timings["read (one pass over the sheet)"] = time.perf_counter() - start

    start = time.perf_counter()
    rows = validate_columns(entries.raw, len(entries.numbers), lists, AS_OF, entries.area.sheet, entries.numbers)
    timings["validate (pydantic)"] = time.perf_counter() - start

    start = time.perf_counter()
    summary = summarise(rows, AS_OF)
    env = summary.env(lists)
    figures = [expr.evaluate(env) for block in stats_blocks() for _, _, expr in block.cells()]
    spilled = {spilling.name: spilling.values(env) for spilling in spillings()}
    overview = spilled["OverblikListe"]
    timings["summarise (statuses, statistics, overview)"] = time.perf_counter() - start

    for step, seconds in timings.items():
        print(f"  {step:<45} {seconds:6.2f} s")
    print(f"  {'read + validate + summarise':<45} {sum(timings.values()):6.2f} s")
    print(f"  ({len(figures)} statistics cells, {len(overview)} open rows in the overview)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--steps", type=Path, help="time the steps on this file (in a process of its own)")
    args = parser.parse_args()
    if args.steps:
        time_steps(args.steps)
        return
    with tempfile.TemporaryDirectory(prefix="xltools-bench-") as tmp:
        path = Path(tmp) / "brancheredskab.xlsx"
        start = time.perf_counter()
        build(path, BUILT, demo_rows(AS_OF, count=args.rows))
        type_values(path, {"Opgoerelsesdato": serial(AS_OF)})
        print(
            f"{args.rows} rows, file {path.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - start:.1f} s"
        )

        steps = subprocess.run([sys.executable, __file__, "--steps", str(path)], capture_output=True, text=True)
        print(steps.stdout, end="", file=sys.stdout if steps.returncode == 0 else sys.stderr)

        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        code, peak_kb = done.stdout.split()
        print(f"  xltools recalc of the file (write included)   {seconds:6.2f} s, exit {code}")
        print(f"  peak memory of the recalc (resident)          {int(peak_kb) / 1024:6.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the build (this process)       {peak:6.0f} MB")


if __name__ == "__main__":
    main()
