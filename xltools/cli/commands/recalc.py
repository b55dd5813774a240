"""``xltools recalc``: recompute workbooks and folders of workbooks — one bad file never stops the rest."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.cli.arguments import add_as_of, add_force, add_report, jobs
from xltools.cli.command import Command
from xltools.errors import ExitCode

if TYPE_CHECKING:
    from xltools.recalc.engine import Outcome


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="STI", help="regneark eller mapper med regneark")
    parser.add_argument(
        "--check", action="store_true", help="ændr intet; slut med 1, hvis gemte værdier afviger fra en ny beregning"
    )
    add_report(parser, "skriv en JSON-rapport med hvert regnearks resultat (skrives altid, også ved fejl)")
    parser.add_argument(
        "--junit", type=Path, metavar="FIL.xml", help="skriv en JUnit-rapport til CI (GitLab, GitHub, Azure DevOps)"
    )
    add_as_of(parser, "opgørelsesdato (standard: i dag; med --check den dato, værdierne blev beregnet for)")
    parser.add_argument(
        "--jobs", type=jobs, default=0, metavar="N", help="antal processer til mange filer (standard 0: én pr. kerne)"
    )
    parser.add_argument("--fail-fast", action="store_true", help="stop efter det første regneark med problemer")
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    import os
    import time
    from datetime import datetime

    from xltools.cli.output import complain, say
    from xltools.cli.outputs import check_outputs
    from xltools.cli.progress import progress
    from xltools.recalc.batch import Interrupted, recalc_many
    from xltools.recalc.discovery import expand

    found = expand(args.paths)
    for folder in found.empty:
        complain(f"bemærk: {folder}: ingen .xlsx- eller .xlsm-filer i mappen")
    for problem in found.problems:
        complain(problem)
    outputs = [path for path in (args.report, args.junit) if path is not None]
    check_outputs(outputs, found.files, args.force)  # refused before any workbook is touched

    started, clock = datetime.now().astimezone(), time.perf_counter()
    interrupted = False
    with progress(len(found.files), args.check) as shown:
        try:
            outcomes = recalc_many(
                found.files,
                check=args.check,
                as_of=args.as_of,
                jobs=args.jobs or os.cpu_count() or 1,
                force=args.force,
                fail_fast=args.fail_fast,
                on_outcome=shown,
            )
        except Interrupted as stop:
            outcomes, interrupted = stop.outcomes, True
    seconds = time.perf_counter() - clock

    say(_summary(outcomes, seconds, args.check) + (" – afbrudt med Ctrl+C" if interrupted else ""))
    codes = [int(outcome.exit_code) for outcome in outcomes if outcome.exit_code is not None]
    code = max([*codes, ExitCode.UNREADABLE if found.problems else ExitCode.OK])
    if args.report is not None:
        from xltools.recalc.reports import json_report

        code = max(code, _write_report(args.report, json_report(outcomes), found.files, args.force))
    if args.junit is not None:
        from xltools.recalc.reports import junit_report  # with the XML library, which only a report needs

        code = max(code, _write_report(args.junit, junit_report(outcomes, seconds, started), found.files, args.force))
    return ExitCode.INTERRUPTED if interrupted else code


def _summary(outcomes: list[Outcome], seconds: float, check: bool) -> str:
    """One line for the whole batch: how many, how long, and how they ended."""
    from xltools.messages import number

    ran = [outcome for outcome in outcomes if outcome.ran]
    problems = sum(not outcome.ok for outcome in ran)
    if check:
        counts = f"{number(len(ran) - problems)} i orden"
    else:
        written = sum(outcome.written for outcome in ran)
        counts = f"{number(written)} genberegnet, {number(len(ran) - problems - written)} uændrede"
    line = (
        f"{number(len(outcomes))} regneark på {number(round(seconds, 2))} s: {counts}, {number(problems)} med problemer"
    )
    if len(ran) < len(outcomes):
        line += f", {number(len(outcomes) - len(ran))} ikke kørt"
    return line


def _write_report(path: Path, data: bytes, inputs: list[Path], force: bool) -> int:
    """Write one report; a refusal is printed and returned as its code, so the other report is still written."""
    from xltools.cli.output import complain, notes
    from xltools.cli.outputs import write_output
    from xltools.errors import as_failure

    try:
        notes(write_output(path, data, inputs, force))
    except Exception as error:
        failure = as_failure(error)
        for message in failure.messages:
            complain(f"xltools recalc: {message}")
        return failure.exit_code
    return ExitCode.OK


COMMAND = Command(
    name="recalc",
    help="genberegn regneark og mapper med regneark (også i CI)",
    description=(
        "Genberegner de gemte værdier i hvert regneark og rører intet andet i filen. Mapper gennemsøges for\n"
        ".xlsx og .xlsm (ikke ejer-, låse-, midlertidige og backupfiler). Et regneark med problemer stopper\n"
        "ikke de andre; opsummeringen og rapporterne kommer altid, og den værste slutkode vinder."
    ),
    writes="in_place",
    tools=None,
    add_arguments=_arguments,
    run=_run,
    example=("{workbook}", "--report", "{out}"),
)
