"""``xltools upgrade``: workbooks made from an earlier template, rebuilt on the current one."""

from __future__ import annotations

import argparse
from pathlib import Path

from xltools.cli.arguments import add_force
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", type=Path, nargs="+", metavar="FIL.xlsx", help="arbejdsbøger fra en ældre skabelon")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import complain, limited, notes, say
    from xltools.errors import as_failure
    from xltools.recalc.upgrade import upgrade

    worst = 0
    for path in args.paths:  # one workbook that cannot be upgraded never stops the others
        try:
            done = upgrade(path, force=args.force)
        except Exception as error:
            failure = as_failure(error)
            for message in limited(failure.messages):
                complain(f"xltools upgrade: {message}")
            worst = max(worst, int(failure.exit_code))
            continue
        notes(done.notes)
        if done.backup is None:
            say(f"{path}: allerede skabelon version {done.current} – intet ændret")
        else:
            say(
                f"{path}: opgraderet fra skabelon version {done.version} til {done.current}; alle data ført over;"
                f" originalen er gemt som {done.backup.name}"
            )
    return worst


COMMAND = Command(
    name="upgrade",
    help="byg arbejdsbøger fra en ældre skabelon om til den nye (gemmer en backup ved siden af)",
    description=(
        "Bygger hver arbejdsbog om på den nyeste skabelon og fører alle brugerens data over: indtastninger,\n"
        "rækker, registreringer, bemærkninger, Arkiv og en indtastet opgørelsesdato. En arbejdsbog, der\n"
        "allerede er på den nyeste skabelon, røres ikke. Originalen gemmes ved siden af som\n"
        "NAVN.backup-ÅÅÅÅMMDD-TTMMSS.xlsx."
    ),
    writes="in_place",
    tools=None,
    add_arguments=_arguments,
    run=_run,
    example=("{workbook}",),
)
