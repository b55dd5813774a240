"""Benchmark: ``xltools recalc`` against LibreOffice on the same stale workbooks, in alternating runs.

    python benchmarks/alternating.py ressourceberegner --files 1000 --pairs 5
    python benchmarks/alternating.py mixed --files 300
    python benchmarks/alternating.py maalstyring --files 20
    python benchmarks/alternating.py ressourceberegner --scaling 100,1000,5000

Both sides run as whole processes with two processes each, start-up included: ``python -m xltools
recalc DIR --jobs 2`` against two ``soffice --convert-to xlsx`` processes (private profiles that
recalculate on load) sharing the files. Runs alternate A B A B … on fresh copies of the same files; the
ratio of each pair is LibreOffice's wall time over xltools', and the median, minimum and maximum of
those ratios are printed with each side's peak memory (GNU time's maximum resident set size of the
process tree). Every formula cell LibreOffice computed is then checked against xltools' own evaluation
(``recalc --check`` on LibreOffice's output): the count of differing cells must be 0.

Workloads: ``ressourceberegner`` (varied inputs), ``brancheredskab`` (500 rows), ``maalstyring`` (a full
year of registrations), ``mixed`` (a third of each). ``--scaling`` times xltools alone at each size and
prints seconds per workbook, which should stay flat.
"""

from __future__ import annotations

import argparse
import compileall
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xltools
from xltools.core.logic import serial
from xltools.goals.setup import Setup
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc
from xltools.workbook.package import type_values

XLSX = "xlsx:Calc MS Excel 2007 XML"
AS_OF = date(2026, 11, 20)
BUILT = date(2026, 1, 5)  # cached values as of another day than AS_OF: every workbook is stale


def varied_inputs(rng: random.Random, scenarios: tuple[str, ...]) -> dict[str, float | str]:
    """Ressourceberegner inputs across their whole ranges."""
    return {
        "Borgere": rng.randint(0, 20_000),
        "SamtaleDage": rng.randint(1, 5),
        "UgerPrAarsvaerk": rng.randint(40, 46),
        "AndelIntensiv": rng.randint(0, 100) / 100,
        "SamtalerPrDag": rng.randint(1, 20),
        "Udeblivelse": rng.randint(0, 30) / 100,
        "Scenarie": rng.choice(scenarios),
    }


def full_year(setup: Setup) -> dict[tuple[str, int, str, int], float]:
    """A Real and a Mål for every week, indicator and employee of ``setup``."""
    rng = random.Random(3)
    return {
        (kind, week, indicator.id, e): float(rng.randint(0, 9))
        for week in range(1, setup.weeks + 1)
        for indicator in setup.indicators
        for e in range(len(setup.employees))
        for kind in ("r", "m")
    }


def _ressourceberegner(folder: Path, count: int) -> list[Path]:
    from xltools.capacity import inputs as spec
    from xltools.capacity.workbook import build

    template = folder / "template-r.xlsx"
    build(template, BUILT)
    rng = random.Random(1)
    made = []
    for number in range(count):
        path = folder / f"r{number:05d}.xlsx"
        shutil.copyfile(template, path)
        type_values(path, varied_inputs(rng, spec.SCENARIOS))
        made.append(path)
    template.unlink()
    return made


def _brancheredskab(folder: Path, count: int) -> list[Path]:
    from xltools.industry.demo import demo_rows
    from xltools.industry.workbook import build

    def stale(path: Path) -> None:
        """Cached as of the reporting day's morning, then the reporting time typed as noon: every age is
        stale, while the open rows (and so every dynamic array's size) stay, as LibreOffice does not
        spill beyond a stored range."""
        build(path, BUILT, demo_rows(AS_OF, count=500), typed_as_of=serial(AS_OF))
        type_values(path, {"Opgoerelsesdato": serial(AS_OF) + 0.5})

    return _copies(folder, "b", count, stale)


def _maalstyring(folder: Path, count: int) -> list[Path]:
    from xltools.goals.setup import default_setup
    from xltools.goals.workbook import build

    setup = default_setup(AS_OF.year)
    registrations = full_year(setup)
    return _copies(folder, "m", count, lambda path: build(path, BUILT, setup, registrations))


def _copies(folder: Path, prefix: str, count: int, build: Callable[[Path], None]) -> list[Path]:
    """``count`` copies of one built workbook whose reporting date is typed as ``AS_OF`` (so stale)."""
    first = folder / f"{prefix}00000.xlsx"
    build(first)
    type_values(first, {"Opgoerelsesdato": serial(AS_OF)})
    made = [first]
    for number in range(1, count):
        made.append(folder / f"{prefix}{number:05d}.xlsx")
        shutil.copyfile(first, made[-1])
    return made


def _mixed(folder: Path, count: int) -> list[Path]:
    third = max(count // 3, 1)
    return _ressourceberegner(folder, third) + _brancheredskab(folder, third) + _maalstyring(folder, third)


WORKLOADS: dict[str, Callable[[Path, int], list[Path]]] = {
    "ressourceberegner": _ressourceberegner,
    "brancheredskab": _brancheredskab,
    "maalstyring": _maalstyring,
    "mixed": _mixed,
}


@dataclass
class Run:
    """One side's run: wall seconds and the peak resident memory of its processes (bytes)."""

    seconds: float
    peak: int


def _timed(commands: list[list[str]]) -> Run:
    """Start ``commands`` at once under GNU time; the wall time until all end, and the largest peak."""
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for command in commands
    ]
    outputs = [process.communicate()[1] for process in processes]
    seconds = time.perf_counter() - start
    for process, output in zip(processes, outputs, strict=True):
        if process.returncode not in (0, 1):
            raise RuntimeError(f"{process.args} ended {process.returncode}: {output[-500:]}")
    return Run(seconds, max(int(output.strip().splitlines()[-1]) * 1024 for output in outputs))


def xltools_run(folder: Path) -> Run:
    return _timed([[sys.executable, "-m", "xltools", "recalc", str(folder), "--jobs", "2"]])


def libreoffice_run(paths: list[Path], out: Path, profiles: Path) -> Run:
    """Two ``soffice`` calls at once, the files shared between them; a call that stops early without
    an error (seen after ≈490 files) leaves its files to another round, timed as part of the run."""
    executable = libreoffice.soffice()
    if executable is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    pending, seconds, peak = list(paths), 0.0, 0
    while pending:
        shares = [share for share in (pending[0::2], pending[1::2]) if share]
        calls = [
            libreoffice.command(executable, libreoffice.make_profile(profiles / f"p{n}"), XLSX, out, share)
            for n, share in enumerate(shares)
        ]
        run = _timed(calls)
        seconds, peak = seconds + run.seconds, max(peak, run.peak)
        left = [path for path in pending if not (out / path.name).exists()]
        if len(left) == len(pending):
            raise RuntimeError(f"LibreOffice wrote none of {len(left)} files, e.g. {left[0]}")
        pending = left
    return Run(seconds, peak)


def _fresh(pristine: list[Path], folder: Path) -> list[Path]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    return [Path(shutil.copyfile(path, folder / path.name)) for path in pristine]


def differing_cells(outputs: list[Path]) -> int:
    """Formula cells whose value LibreOffice computed differs from xltools' evaluation of the same file."""
    count = 0
    for path in outputs:
        outcome = recalc(path, check=True)
        if outcome.exit_code == 1:
            count += len(outcome.errors)
        elif outcome.exit_code != 0:
            raise RuntimeError(f"{path.name}: {outcome.errors}")
    return count


def compare(workload: str, files: int, pairs: int, work: Path) -> dict[str, float]:
    """Alternating pairs on ``files`` workbooks; prints and returns the figures."""
    (work / "pristine").mkdir()
    pristine = WORKLOADS[workload](work / "pristine", files)
    ratios, ours, theirs = [], [], []
    out = work / "lo-out"
    for _ in range(pairs):
        _fresh(pristine, work / "a")
        ours.append(xltools_run(work / "a"))
        copies = _fresh(pristine, work / "b")
        if out.exists():
            shutil.rmtree(out)
        theirs.append(libreoffice_run(copies, out, work / "profiles"))
        ratios.append(theirs[-1].seconds / ours[-1].seconds)
    outputs = sorted(out.glob("*.xlsx"))
    if len(outputs) != len(pristine):
        raise RuntimeError(f"LibreOffice wrote {len(outputs)} of {len(pristine)} files")
    differing = differing_cells(outputs)
    figures = {
        "median": statistics.median(ratios),
        "low": min(ratios),
        "high": max(ratios),
        "xltools_s": statistics.median(run.seconds for run in ours),
        "libreoffice_s": statistics.median(run.seconds for run in theirs),
        "xltools_mb": max(run.peak for run in ours) / 2**20,
        "libreoffice_mb": max(run.peak for run in theirs) / 2**20,
        "differing": differing,
    }
    print(f"{workload}: {files} workbooks, {pairs} alternating pairs, 2 processes a side")
    print(f"  xltools      median {figures['xltools_s']:8.2f} s   peak {figures['xltools_mb']:7.0f} MB")
    print(f"  LibreOffice  median {figures['libreoffice_s']:8.2f} s   peak {figures['libreoffice_mb']:7.0f} MB")
    print(f"  ratio        median {figures['median']:6.1f}x   min {figures['low']:.1f}x   max {figures['high']:.1f}x")
    print(f"  cells that differ   {differing}")
    return figures


def scaling(workload: str, sizes: list[int], work: Path) -> list[tuple[int, float]]:
    """xltools alone at each size: seconds per workbook (flat when the cost is linear)."""
    rows = []
    for size in sizes:
        (work / f"s{size}" / "pristine").mkdir(parents=True)
        folder = work / f"s{size}"
        pristine = WORKLOADS[workload](folder / "pristine", size)
        _fresh(pristine, folder / "run")
        run = xltools_run(folder / "run")
        rows.append((size, run.seconds / size))
        print(f"  {size:6d} workbooks  {run.seconds:8.2f} s  {run.seconds / size * 1000:7.2f} ms per workbook")
    return rows


def compile_bytecode() -> None:
    """Compile xltools' modules once, as installing it does: a run with PYTHONDONTWRITEBYTECODE set (as
    in some CI images) would otherwise compile every changed module again in each timed process."""
    compileall.compile_dir(Path(xltools.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> None:
    compile_bytecode()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--scaling", help="sizes for xltools alone, e.g. 100,1000,5000")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xltools-bench-") as tmp:
        if args.scaling:
            print(f"{args.workload}: xltools recalc DIR --jobs 2 at growing sizes")
            scaling(args.workload, [int(size) for size in args.scaling.split(",")], Path(tmp))
            return
        figures = compare(args.workload, args.files, args.pairs, Path(tmp))
    if figures["differing"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
