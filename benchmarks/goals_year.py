"""Benchmark: a full Målstyring year (53 weeks × 8 employees × 29 indicators, every cell filled) read,
validated, summarised and its cached values written by ``xltools recalc``, against LibreOffice
recalculating the same file. Both run as whole processes, start-up included.

    python benchmarks/goals_year.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from alternating import compile_bytecode, full_year

from xltools.core.logic import serial
from xltools.goals.setup import default_setup
from xltools.goals.workbook import build
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import type_values

AS_OF = date(2026, 12, 31)


def main() -> None:
    compile_bytecode()
    setup = default_setup(2026)
    registrations = full_year(setup)
    with tempfile.TemporaryDirectory(prefix="xltools-bench-") as tmp:
        path = Path(tmp) / "maalstyring.xlsx"
        start = time.perf_counter()
        build(path, date(2026, 1, 5), setup, registrations)  # cached values as of another date: all stale
        type_values(path, {"Opgoerelsesdato": serial(AS_OF)})
        built = time.perf_counter() - start
        print(f"{len(registrations)} registrations, file {path.stat().st_size / 1e6:.1f} MB, built in {built:.1f} s")
        theirs = Path(tmp) / "lo" / path.name
        theirs.parent.mkdir()
        shutil.copyfile(path, theirs)

        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "xltools", "recalc", str(path)], capture_output=True, text=True)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        (output,) = libreoffice.recalculate([theirs], Path(tmp) / "lo-out")
        lo = time.perf_counter() - start
        agree = recalc(output, check=True)
        print(f"  xltools recalc (start, read, validate, summarise, write) {ours:6.2f} s  exit {done.returncode}")
        print(f"  LibreOffice headless recalculation and save              {lo:6.2f} s")
        print(f"  ratio {lo / ours:.1f}x; LibreOffice's values agree with xltools': {agree.exit_code == 0}")


if __name__ == "__main__":
    main()
