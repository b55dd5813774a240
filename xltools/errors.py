"""How a command can end, as exit codes and as the failures that carry the user's messages.

Every failure holds one Danish line per problem; the CLI prints them and exits with the failure's
code, the batch report records them, and a worker process hands them back intact (failures pickle).
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """The exit codes of every ``xltools`` command (documented in the README)."""

    OK = 0
    STALE = 1
    """``--check``: cached values differ from a recomputation (like ``black --check``)."""
    INVALID = 2
    """Invalid input: the messages name sheet, cell, rule and value."""
    UNREADABLE = 3
    """Not a workbook xltools can read: broken, too large, another format, another tool or version."""
    INTERNAL = 4
    """A fault in xltools itself; never a user's mistake."""
    REFUSED = 5
    """xltools refused to write, to protect a user's data (file changed, open, linked, read-only, exists)."""
    USAGE = 64
    """The command line itself is wrong (EX_USAGE)."""


class Failure(Exception):
    """A command cannot go on; ``messages`` say why, one Danish line each."""

    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)

    def __str__(self) -> str:
        return "; ".join(self.messages)

    def __reduce__(self) -> tuple[type[Failure], tuple[str, ...]]:
        return type(self), tuple(self.messages)


class Stale(Failure):
    exit_code = ExitCode.STALE


class Invalid(Failure):
    exit_code = ExitCode.INVALID


class Unreadable(Failure):
    exit_code = ExitCode.UNREADABLE


class Refused(Failure):
    exit_code = ExitCode.REFUSED


class Usage(Failure):
    exit_code = ExitCode.USAGE
