"""Benchmark: 100,000 Brancheredskab rows read, validated and summarised; then a full recalc.

    python benchmarks/industry_100k.py [--rows 100000]

Prints the time of each step and the peak memory (resident set) of the process. Goal: read +
validate + summarise under 2 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from xltools.core.logic import serial
from xltools.industry.demo import demo_rows
from xltools.industry.layout import TABLE, stats_blocks
from xltools.industry.recalc import _entries, read_lists
from xltools.industry.rows import validate_frame
from xltools.industry.summary import summarise
from xltools.industry.workbook import build
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage, type_values

AS_OF = date(2024, 3, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xltools-bench-") as tmp:
        path = Path(tmp) / "brancheredskab.xlsx"
        start = time.perf_counter()
        build(path, AS_OF, demo_rows(AS_OF, count=args.rows))
        type_values(path, {"Opgoerelsesdato": serial(AS_OF)})
        print(
            f"{args.rows} rows, file {path.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - start:.1f} s"
        )

        timings = {}
        start = time.perf_counter()
        with XlsxPackage(path) as package:
            table = package.table(TABLE)
        book = CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name(table.sheet).to_python(skip_empty_area=False)
        lists = read_lists(book)
        raw, numbers, _ = _entries(grid, table)
        timings["read (calamine)"] = time.perf_counter() - start

        start = time.perf_counter()
        rows = validate_frame(raw, lists, AS_OF, table.sheet, numbers)
        timings["validate (pydantic)"] = time.perf_counter() - start

        start = time.perf_counter()
        summary = summarise(rows, lists, AS_OF)
        env = summary.env(lists)
        figures = [expr.evaluate(env) for block in stats_blocks() for _, _, expr in block.cells()]
        overview = summary.overview()
        timings["summarise (statuses, statistics, overview)"] = time.perf_counter() - start

        for step, seconds in timings.items():
            print(f"  {step:<45} {seconds:6.2f} s")
        print(f"  {'read + validate + summarise':<45} {sum(timings.values()):6.2f} s")
        print(f"  ({len(figures)} statistics cells, {len(overview)} open rows in the overview)")

        start = time.perf_counter()
        outcome = recalc(path, as_of=AS_OF, today=lambda: AS_OF)
        seconds = time.perf_counter() - start
        print(f"  xltools recalc of the file (write included)   {seconds:6.2f} s, exit {outcome.exit_code}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (resident)                        {peak:6.0f} MB")


if __name__ == "__main__":
    main()
