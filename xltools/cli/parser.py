"""argparse in Danish: "brug:", "argumenter", "tilvalg", and one line for a wrong command line.

argparse prints English and exits 2; here every message that can reach a user is Danish, on one
line — ``xltools recalc: --jobs: … (se xltools recalc --help)`` — and the exit code is 64 (EX_USAGE).
argparse's own messages are translated by the table below; the type functions of ``arguments``
raise Danish messages themselves.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from xltools.cli.output import complain
from xltools.errors import ExitCode
from xltools.messages import LONGEST_QUOTE

COMMAND = "<kommando>"
USAGE = "brug: "

_TRANSLATIONS = [
    (r"unrecognized arguments: (?P<a>.*)", "ukendt tilvalg eller argument: {a}"),
    (r"the following arguments are required: (?P<a>.*)", "mangler {a}"),
    (r"argument (?P<a>\S+): invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)", "{a}: ukendt valg {v} (vælg {c})"),
    (r"argument (?P<a>\S+): expected one argument", "{a} skal efterfølges af en værdi"),
    (r"argument (?P<a>\S+): expected at least one argument", "{a} skal efterfølges af mindst én værdi"),
    (r"argument (?P<a>\S+): expected at most one argument", "{a} tager højst én værdi"),
    (r"argument (?P<a>\S+): expected (?P<n>\d+) arguments", "{a} skal efterfølges af {n} værdier"),
    (r"argument (?P<a>\S+): ignored explicit argument (?P<v>.*)", "{a} tager ingen værdi (fik {v})"),
    (r"argument (?P<a>\S+): invalid \S+ value: (?P<v>.*)", "{a}: ugyldig værdi {v}"),
    (r"argument (?P<a>\S+): not allowed with argument (?P<b>.*)", "{a} kan ikke bruges sammen med {b}"),
    (r"ambiguous option: (?P<a>\S+) could match (?P<b>.*)", "{a} er tvetydigt (kan være {b})"),
    (r"argument (?P<a>\S+): (?P<m>.*)", "{a}: {m}"),  # a Danish message from a type function
]


def danish(message: str) -> str:
    """argparse's English ``message`` in Danish."""
    for pattern, text in _TRANSLATIONS:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return text.format(**{key: _short(value) for key, value in match.groupdict().items()})
    return f"ugyldig kommandolinje ({message})"


def _short(text: str, limit: int = 2 * LONGEST_QUOTE) -> str:
    """A part of the command line as a message repeats it: a pasted novel does not flood the log."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DanishFormatter(argparse.RawDescriptionHelpFormatter):
    """Help with "brug:" for "usage:"; descriptions and epilogs keep their own line breaks."""

    def add_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class DanishParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Danish, and whose errors exit 64 on one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DanishFormatter)
        kwargs.setdefault("allow_abbrev", False)  # --rep is not --report: a script says what it means
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="vis denne hjælp og stop")

    def parse_known_intermixed_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self.usage is None:  # argparse would cut len("usage: ") characters off our "brug: " line
            self.usage = self.format_usage()[len(USAGE) :]
        return super().parse_known_intermixed_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        """argparse found the command line wrong: say so in Danish, and stop with 64."""
        self.fail(danish(message))

    def fail(self, message: str) -> NoReturn:
        """Stop with one Danish line naming what is wrong and where the help is."""
        complain(f"{self.prog}: {message} (se {self.prog} --help)")
        raise SystemExit(ExitCode.USAGE)
