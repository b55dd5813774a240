"""Benchmark: what a process costs before it does any work, whole, as a user starts it.

    python benchmarks/startup.py [--runs 11]

Runs, alternating (A B C D E A B C D E …), the bare interpreter (``python -c pass``, the floor), ``python
-m xltools --help``, ``python -m xltools recalc FILE`` of one stale Ressourceberegner (start-up, imports
and one workbook: what a one-file run pays), the same with one 500-row Brancheredskab and with one full
Målstyring year, each on a fresh copy;
prints each command's median wall time with min–max, and the median above the bare interpreter. Goal
(issue 10): ``xltools --help`` under 0.2 s. The recalculations say how much of a small batch start-up
is: the alternating benchmark's workers pay it once each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alternating import WORKLOADS, compile_bytecode


def commands(work: Path) -> dict[str, list[str]]:
    """The commands, by label; the stale workbooks they recalculate are made in ``work`` as the
    alternating benchmark makes its own."""
    (capacity,) = WORKLOADS["ressourceberegner"](work, 1)
    (industry,) = WORKLOADS["brancheredskab"](work, 1)
    (goals,) = WORKLOADS["maalstyring"](work, 1)
    xltools = [sys.executable, "-m", "xltools"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "xltools --help": [*xltools, "--help"],
        "xltools recalc (1 Ressourceberegner)": [*xltools, "recalc", str(capacity)],
        "xltools recalc (1 Brancheredskab, 500 rows)": [*xltools, "recalc", str(industry)],
        "xltools recalc (1 Målstyring year)": [*xltools, "recalc", str(goals)],
    }


def measure(work: Path, runs: int) -> dict[str, list[float]]:
    """Each command's wall times over ``runs`` alternating rounds, every recalculation on a fresh copy."""
    compile_bytecode()
    labelled = commands(work)
    pristine = {path: path.read_bytes() for path in work.glob("*.xlsx")}
    times: dict[str, list[float]] = {label: [] for label in labelled}
    for _ in range(runs):
        for label, command in labelled.items():
            for path, data in pristine.items():
                path.write_bytes(data)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[label].append(time.perf_counter() - start)
    return times


def report(times: dict[str, list[float]]) -> None:
    floor = statistics.median(times["python -c pass"])
    print(f"start-up, {len(next(iter(times.values())))} alternating rounds (median, min–max, above the interpreter)")
    for label, seconds in times.items():
        median = statistics.median(seconds)
        spread = f"{min(seconds) * 1000:.0f}–{max(seconds) * 1000:.0f} ms"
        above = "" if label.startswith("python") else f"  +{(median - floor) * 1000:.0f} ms"
        print(f"  {label:<44} {median * 1000:6.0f} ms  ({spread}){above}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report(measure(Path(tmp), args.runs))


if __name__ == "__main__":
    main()
