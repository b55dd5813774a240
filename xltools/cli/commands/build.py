"""``xltools build``: the workbook templates, into a folder that is xltools' own."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from xltools.cli.arguments import add_as_of, add_force
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("workbooks"),
        metavar="MAPPE",
        help="mappen til skabelonerne (standard: workbooks)",
    )
    add_as_of(parser, "opgørelsesdatoen for de gemte værdier (standard: skabelonernes faste dato)")
    add_force(parser)


def build_templates(folder: Path, as_of: date | None = None, force: bool = False) -> list[Path]:
    """Build every tool's template into xltools' own ``folder`` (see ``own_folder``); same code, same bytes."""
    from xltools.cli.output import notes
    from xltools.tools import TOOLS
    from xltools.workbook import own_folder
    from xltools.workbook.build import TEMPLATE_DATE
    from xltools.workbook.files import via_path

    own_folder.claim(folder)
    paths = []
    for tool in TOOLS.values():
        writer = via_path(partial(_built, tool.build, as_of or TEMPLATE_DATE))
        notes(own_folder.write(folder, tool.template, writer, force))
        paths.append(folder / tool.template)
    return paths


def _built(build: Callable[[Path, date], None], as_of: date, path: Path) -> None:
    build(path, as_of)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import say

    for path in build_templates(args.out, args.as_of, args.force):
        say(f"bygget: {path}")
    return 0


COMMAND = Command(
    name="build",
    help="byg skabelonerne (samme kode giver de samme bytes)",
    description=(
        "Bygger hvert værktøjs skabelon i MAPPE. Mappen skal være ny, tom eller lavet af xltools (den har\n"
        "filen .xltools-mappe); en mappe med andet indhold afvises, og intet slettes."
    ),
    writes="folder",
    tools=frozenset(),
    add_arguments=_arguments,
    run=_run,
    example=("--out", "{out}"),
)
