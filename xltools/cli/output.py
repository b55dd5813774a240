"""What the commands print: one line per message, on stdout for results and stderr for problems.

Every line is made printable first — a control character or a file name that is not UTF-8 from a
user's file cannot break a line, a terminal or a CI log — and written even to a terminal whose
encoding lacks a character. Lines are flushed at once, so stdout and stderr interleave in a log.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from xltools.messages import escape

MOST_LINES = 20
"""Messages shown per workbook or command; the rest are counted (the JSON report has them all)."""


def printable(text: str) -> str:
    """``text`` on one line: control characters and undecodable bytes of a file name as escapes."""
    return "".join(char if char.isprintable() else escape(char) for char in text)


def _write(stream: TextIO, line: str) -> None:
    text = printable(line) + "\n"
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal in Latin-1 or ASCII: show what it cannot as escapes
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def say(line: str) -> None:
    """A result, on stdout."""
    _write(sys.stdout, line)


def complain(line: str) -> None:
    """A problem, a warning or a note, on stderr."""
    _write(sys.stderr, line)


def notes(lines: Iterable[str]) -> None:
    """What the write path did because it was forced."""
    for line in lines:
        complain(f"bemærk: {line}")


def limited(lines: list[str], most: int = MOST_LINES) -> list[str]:
    """The first ``most`` lines, and a count of the rest."""
    if len(lines) <= most:
        return lines
    return [*lines[:most], f"… og {len(lines) - most} mere"]
