"""The ``xltools`` command line: build, recalc, merge, goals, rebuild, rollover, demo — in Danish.

``main`` parses the command line, runs one command and returns its exit code (see
``xltools.errors.ExitCode``); it never lets a traceback reach the user: a failure is printed as its
Danish lines, anything unexpected as one line naming an internal error (4). ``run`` is the program
(``xltools`` and ``python -m xltools``): ``main``, then the process ends with its code. ``COMMANDS``
lists every command, so tests can run each one. Each command imports its implementation only when it runs:
``xltools --help`` loads neither pandas, lxml nor XlsxWriter.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import NoReturn

from xltools import __version__
from xltools.cli.command import Command
from xltools.cli.commands import addin, build, demo, goals, merge, rebuild, recalc, rollover, upgrade
from xltools.cli.output import complain, limited
from xltools.cli.parser import COMMAND, DanishParser
from xltools.errors import ExitCode
from xltools.templates import TEMPLATE_VERSIONS

__all__ = ["COMMANDS", "Command", "main", "run"]

COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        build.COMMAND,
        recalc.COMMAND,
        merge.COMMAND,
        goals.COMMAND,
        rebuild.COMMAND,
        rollover.COMMAND,
        upgrade.COMMAND,
        demo.COMMAND,
        addin.COMMAND,
    )
}


def version() -> str:
    """The package version and each tool's template version."""
    templates = ", ".join(f"{tool} {number}" for tool, number in TEMPLATE_VERSIONS.items())
    return f"xltools {__version__} (skabeloner: {templates})"


def exit_codes() -> str:
    """The exit-code table, for the help pages."""
    return "slutkoder:\n" + "\n".join(f"  {int(code):>3}  {code.meaning}" for code in ExitCode)


def parsers() -> tuple[DanishParser, dict[str, DanishParser]]:
    """The top parser (for ``xltools --help``) and one parser per command."""
    top = DanishParser(
        prog="xltools",
        description="Regnearksværktøjer til jobcentre: Ressourceberegner, Brancheredskab og Målstyring.",
        epilog=exit_codes(),
    )
    top.add_argument(
        "--version", action="version", version=version(), help="vis versionerne af xltools og skabelonerne"
    )
    choices = top.add_subparsers(title="kommandoer", metavar=COMMAND, parser_class=DanishParser)
    own = {}
    for command in COMMANDS.values():
        own[command.name] = choices.add_parser(
            command.name, help=command.help, description=command.description, epilog=exit_codes()
        )
        command.add_arguments(own[command.name])
    return top, own


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``xltools`` with ``argv`` (default: the process's arguments); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    top, own = parsers()
    try:
        command, args = _parse(top, own, argv)
    except SystemExit as stop:  # --help, --version, or a usage error already printed
        return stop.code if isinstance(stop.code, int) else ExitCode.USAGE
    try:
        return int(command.run(args))
    except KeyboardInterrupt:
        complain(f"xltools {command.name}: afbrudt med Ctrl+C")
        return ExitCode.INTERRUPTED
    except Exception as error:  # every failure is one Danish line per problem, never a traceback
        from xltools.errors import as_failure

        failure = as_failure(error)
        for message in limited(failure.messages):
            complain(f"xltools {command.name}: {message}")
        return failure.exit_code


def run() -> NoReturn:
    """The ``xltools`` program: ``main`` on the process's arguments, then exit with its code.

    What the command built (a layout's expression trees, the modules' caches) is left to the end of the
    process as it is: the interpreter's last cycle collection would otherwise walk and free it object by
    object — ≈0.2 s of a one-year Målstyring recalc, ≈40 ms of any run with NumPy loaded — for memory the
    operating system takes back at once. Every command has closed, synced and renamed what it wrote
    before ``main`` returns; ``atexit`` handlers run as usual."""
    code = main()
    gc.freeze()
    sys.exit(code)


def _parse(top: DanishParser, own: dict[str, DanishParser], argv: list[str]) -> tuple[Command, argparse.Namespace]:
    """The command and its arguments; options and paths may come in any order after the command."""
    if not argv:
        top.fail(f"vælg en kommando: {', '.join(COMMANDS)}")
    first = argv[0]
    if first.startswith("-"):
        top.parse_args(argv[:1])  # -h, --version; anything else is an unknown option
        top.fail(f"vælg en kommando: {', '.join(COMMANDS)}")
    if first not in COMMANDS:
        from xltools.messages import quote

        top.fail(f"ukendt kommando {quote(first)} – vælg en af: {', '.join(COMMANDS)}")
    return COMMANDS[first], own[first].parse_intermixed_args(argv[1:])
