"""``xltools rollover``: next year's Målstyring with the same Opsætning and empty weeks."""

from __future__ import annotations

import argparse
from pathlib import Path

from xltools.cli.arguments import add_force, year
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="FIL.xlsx", help="årets Målstyring (læses kun)")
    parser.add_argument("--year", type=year, required=True, metavar="ÅR", help="det nye år")
    parser.add_argument("--out", type=Path, required=True, metavar="NY.xlsx", help="den nye arbejdsbog")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    from xltools.cli.output import notes, say
    from xltools.cli.outputs import check_outputs
    from xltools.goals.recalc import rollover

    check_outputs([args.out], [args.path], args.force)
    notes(rollover(args.path, args.year, args.out, args.force))
    say(f"{args.out}: Målstyring {args.year} med opsætningen fra {args.path}")
    return 0


COMMAND = Command(
    name="rollover",
    help="start næste års Målstyring med samme Opsætning og tomme uger",
    description=(
        "Laver en ny arbejdsbog for ÅR med årets medarbejdere, indikatorer, årsmål og tærskler; ugernes\n"
        "vægte sættes til 1, og ugerne er tomme. Den gamle arbejdsbog læses kun."
    ),
    writes="new_file",
    tools=frozenset({"maalstyring"}),
    add_arguments=_arguments,
    run=_run,
    example=("{workbook}", "--year", "2027", "--out", "{out}"),
)
