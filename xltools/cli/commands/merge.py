"""``xltools merge``: several consultants' Brancheredskab files into one new workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from xltools.cli.arguments import add_force, add_report
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="SAMLET.xlsx", help="den nye, samlede Brancheredskab")
    parser.add_argument("inputs", nargs="+", type=Path, metavar="FIL.xlsx", help="Brancheredskab-filer (læses kun)")
    add_report(parser, "skriv flette-rapporten som JSON")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from xltools.cli.output import notes, say
    from xltools.cli.outputs import check_outputs, write_output
    from xltools.industry.merge import merge

    check_outputs([args.out, *([args.report] if args.report else [])], args.inputs, args.force)
    result = merge(args.out, args.inputs, date.today(), args.force)
    notes(result.notes)
    for line in result.lines(args.out):
        say(line)
    if args.report is not None:
        data = json.dumps(result.as_dict(), ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")
        notes(write_output(args.report, data, [*args.inputs, args.out], args.force))
    return 0


COMMAND = Command(
    name="merge",
    help="flet flere konsulenters Brancheredskab-filer til én ny fil",
    description=(
        "Rækker, der er ens i alle kolonner, tages med én gang (og tælles); rækker med samme dato,\n"
        "virksomhed, jobfunktion og resultat, men andre antal, tages alle med og listes som konflikter.\n"
        "Inddatafilerne læses kun; resultatet kan aldrig være en af dem."
    ),
    writes="new_file",
    tools=frozenset({"brancheredskab"}),
    add_arguments=_arguments,
    run=_run,
    example=("{out}", "{workbook}"),
)
