"""How a command can end, as exit codes and as the failures that carry the user's messages.

Every failure holds one Danish line per problem; the CLI prints them and exits with the failure's
code, the batch report records them, and a worker process hands them back intact (failures pickle).
"""

from __future__ import annotations

import errno
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
    INTERRUPTED = 130
    """Stopped with Ctrl+C (128 + SIGINT, as a shell reports it); what was finished is reported."""

    @property
    def label(self) -> str:
        """A few Danish words for a workbook's line in a batch: "ugyldige inddata"."""
        return LABELS[self]

    @property
    def meaning(self) -> str:
        """The Danish line of the exit-code table (``--help`` and the README)."""
        return MEANINGS[self]


LABELS = {
    ExitCode.OK: "i orden",
    ExitCode.STALE: "forældede værdier",
    ExitCode.INVALID: "ugyldige inddata",
    ExitCode.UNREADABLE: "kan ikke læses",
    ExitCode.INTERNAL: "intern fejl",
    ExitCode.REFUSED: "afvist",
    ExitCode.USAGE: "forkert kommandolinje",
    ExitCode.INTERRUPTED: "afbrudt",
}
MEANINGS = {
    ExitCode.OK: "i orden: værdierne er skrevet, eller de var allerede rigtige",
    ExitCode.STALE: "--check: de gemte værdier afviger fra en ny beregning; intet er ændret",
    ExitCode.INVALID: "ugyldige inddata: beskeden nævner ark, celle, regel og værdi; filen er uændret",
    ExitCode.UNREADABLE: (
        "kan ikke læses: ikke en .xlsx-fil, ikke et xltools-regneark, lavet med en nyere xltools, et navn mangler,"
        " eller styresystemet nægter (filen findes ikke, adgang nægtet, disken er fuld)"
    ),
    ExitCode.INTERNAL: "intern fejl i xltools – rapportér den med filen",
    ExitCode.REFUSED: (
        "afvist for at beskytte dine data: filen er ændret undervejs, åben i Excel eller LibreOffice, linket eller"
        " skrivebeskyttet, eller resultatfilen findes allerede eller er en af inddatafilerne (--force tillader det"
        " meste, aldrig at overskrive en inddatafil)"
    ),
    ExitCode.USAGE: "forkert kommandolinje: et ukendt tilvalg, et manglende argument eller en ugyldig værdi",
    ExitCode.INTERRUPTED: "afbrudt med Ctrl+C; det, der blev færdigt, er rapporteret",
}


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


class Internal(Failure):
    exit_code = ExitCode.INTERNAL


_OS_REASONS = {
    errno.ENOENT: "findes ikke",
    errno.EACCES: "adgang nægtet",
    errno.EPERM: "adgang nægtet",
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "din diskkvote er brugt op",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.EISDIR: "er en mappe",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ELOOP: "for mange symbolske links",
    errno.EMFILE: "for mange åbne filer",
    errno.EIO: "læse- eller skrivefejl på disken",
}


def as_failure(error: BaseException) -> Failure:
    """Any exception as a failure with one Danish line: a failure as it is; a file xltools cannot open
    or an operating-system error as unreadable (3); anything else as an internal error (4, never 1)."""
    from xltools.workbook.package import UnreadableWorkbook  # lxml: imported only once something failed

    if isinstance(error, Failure):
        return error
    if isinstance(error, UnreadableWorkbook):
        return Unreadable(str(error))
    if isinstance(error, OSError):
        reason = (
            _OS_REASONS.get(error.errno or 0) or f"styresystemet melder {errno.errorcode.get(error.errno or 0, 'fejl')}"
        )
        return Unreadable(f"{error.filename}: {reason}" if error.filename else reason)
    return Internal(f"intern fejl i xltools ({type(error).__name__}) – rapportér det med filen")
