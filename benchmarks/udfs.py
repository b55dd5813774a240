"""Benchmark: the vectorised UDFs over a column, as Excel calls them through xlwings.

    python benchmarks/udfs.py [--rows 100000]

Each UDF gets 2-D lists in and gives 2-D lists out, as xlwings passes them; prints the median of five
calls per UDF. (The recalculation of whole workbooks against LibreOffice is ``alternating.py``.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from xltools.excel.udfs import UDFS


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
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    for name, seconds in time_udfs(rows):
        print(f"  UDF {name:<20} {rows} rows {seconds * 1000:8.1f} ms  {rows / seconds:10.0f} rows/s")


if __name__ == "__main__":
    main()
