"""``xltools rebuild``: a Målstyring built anew from its own Opsætning, registrations carried by id."""

from __future__ import annotations

import argparse
from pathlib import Path

from xltools.cli.arguments import add_force
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="FIL.xlsx", help="en Målstyring, hvis Opsætning teamet har ændret")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import notes, say
    from xltools.goals.rebuild import rebuild

    result = rebuild(args.path, force=args.force)
    notes(result.notes)
    for line in result.lines(args.path):
        say(line)
    return 0


COMMAND = Command(
    name="rebuild",
    help="byg en Målstyring igen efter ændringer i Opsætning (gemmer en backup ved siden af)",
    description=(
        "Bygger arbejdsbogen igen ud fra dens egen Opsætning og fører hver registrering over efter id.\n"
        "Registreringer for fjernede medarbejdere eller indikatorer flyttes til Arkiv og tæller stadig med.\n"
        "Originalen gemmes ved siden af som NAVN.backup-ÅÅÅÅMMDD-TTMMSS.xlsx."
    ),
    writes="in_place",
    tools=frozenset({"maalstyring"}),
    add_arguments=_arguments,
    run=_run,
    example=("{workbook}",),
)
