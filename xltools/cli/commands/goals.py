"""``xltools goals``: weekly Mål from each Årsmål, only into empty Mål cells; then a recalculation."""

from __future__ import annotations

import argparse
from pathlib import Path

from xltools.cli.arguments import add_as_of, add_force
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="FIL.xlsx", help="en Målstyring")
    add_as_of(parser, "opgørelsesdato for genberegningen (standard: i dag)")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import complain, notes, say
    from xltools.cli.progress import show
    from xltools.errors import ExitCode
    from xltools.goals.breakdown import fill_goals
    from xltools.recalc.engine import recalc

    ready = recalc(args.path, check=True, as_of=args.as_of)  # the whole workbook reads and validates first
    if ready.exit_code not in (ExitCode.OK, ExitCode.STALE):
        show(ready, check=False)
        return int(ready.exit_code or 0)
    result = fill_goals(args.path, args.force)
    notes(result.notes)
    for line in result.lines():
        say(line)
    for warning in result.warnings:
        complain(f"advarsel: {warning}")
    outcome = recalc(args.path, as_of=args.as_of, force=args.force)
    show(outcome, check=False)
    return int(outcome.exit_code or 0)


COMMAND = Command(
    name="goals",
    help="fordel hvert årsmål på ugernes tomme Mål-celler (indtastede mål bevares)",
    description=(
        "Fordeler det, der er tilbage af hvert årsmål efter de indtastede mål, på de tomme Mål-celler i uger\n"
        "med vægt over 0 – i forhold til vægtene og ligeligt på medarbejderne – og genberegner derefter."
    ),
    writes="in_place",
    tools=frozenset({"maalstyring"}),
    add_arguments=_arguments,
    run=_run,
    example=("{workbook}",),
)
