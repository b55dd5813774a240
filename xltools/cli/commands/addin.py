"""``xltools addin``: build the Excel add-in ``xltools.xlam`` from its text sources, or install it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from pathlib import Path

from xltools.cli.arguments import add_force
from xltools.cli.command import Command

_MISSING = "tilføjelsesprogrammet kræver pakkerne i xltools[addin] – installér med: pip install 'xltools[addin]'"


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=("build", "install"), metavar="HANDLING", help="build: byg filen; install: byg og installér"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("xltools.xlam"),
        metavar="FIL.xlam",
        help="build: filen (standard: xltools.xlam)",
    )
    parser.add_argument(
        "--target",
        type=Path,
        metavar="MAPPE",
        help="install: mappen Excel åbner tilføjelsesprogrammer fra (standard: Excels startmappe)",
    )
    add_force(parser)


def _build_into(build: Callable[[Path], Path], path: Path) -> None:
    build(path)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import notes, say
    from xltools.cli.outputs import check_outputs
    from xltools.errors import Usage
    from xltools.workbook.files import create, via_path

    try:
        from xltools.excel.addin.build import build
        from xltools.excel.addin.install import install
    except ModuleNotFoundError:
        raise Usage(_MISSING) from None
    if args.action == "install":
        folder = Path.home() / ".xltools" / "addin"
        folder.mkdir(parents=True, exist_ok=True)
        for line in install(folder, args.target):
            say(line)
        return 0
    check_outputs([args.out], [], args.force)
    notes(create(args.out, via_path(partial(_build_into, build)), force=args.force))
    say(f"bygget: {args.out}")
    return 0


COMMAND = Command(
    name="addin",
    help="byg eller installér Excel-tilføjelsesprogrammet xltools.xlam (båndet og funktionerne)",
    description=(
        "build bygger xltools.xlam af tekstkilderne i macros/ (samme kilder giver de samme bytes);\n"
        "install bygger det mod den installerede xlwings og lægger det i Excels startmappe (Windows og macOS)."
    ),
    writes="new_file",
    tools=frozenset(),
    add_arguments=_arguments,
    run=_run,
    example=("build", "--out", "{out}"),
)
