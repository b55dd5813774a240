"""How a batch shows its progress: a bar on a person's terminal, one line per workbook in a log.

A bar (rich, imported only then) when stderr is a terminal and ``CI`` is not set; it redraws only
when a workbook finishes, so no thread runs while worker processes start. Anywhere else, a line per
workbook as it finishes — what CI logs and ``grep`` want.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from xltools.cli.output import complain, limited, printable, say
from xltools.errors import ExitCode

if TYPE_CHECKING:
    from xltools.recalc.engine import Outcome


def headline(outcome: Outcome, check: bool) -> str:
    """What happened to the workbook, in a few Danish words, and its path."""
    if outcome.exit_code is None:
        what = "ikke kørt"
    elif outcome.exit_code != ExitCode.OK:
        what = outcome.exit_code.label
    elif check:
        what = "i orden"
    else:
        what = "genberegnet" if outcome.written else "uændret (værdierne passer)"
    return f"{what}: {outcome.path}"


def show(outcome: Outcome, check: bool, prefix: str = "") -> None:
    """The workbook's headline and problems (stdout if it is fine, stderr if not), and its notes (stderr)."""
    write = say if outcome.ok else complain
    write(prefix + headline(outcome, check))
    for line in limited(outcome.errors):
        write(f"  {line}")
    for note in outcome.notes:
        complain(f"  bemærk: {note}")


class Lines:
    """One line per workbook as it finishes, numbered: stdout if it is fine, stderr if not."""

    def __init__(self, total: int, check: bool) -> None:
        self.total, self.check, self.done = total, check, 0

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        show(outcome, self.check, f"[{self.done}/{self.total}] ")


class Bar:
    """A progress bar on stderr; workbooks with problems or notes are printed above it."""

    def __init__(self, total: int, check: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.check = check
        self.console = Console(stderr=True, soft_wrap=True, highlight=False)
        self.bar = Progress(
            TextColumn("kontrollerer" if check else "genberegner"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console,
            auto_refresh=False,
            transient=True,
        )
        self.task = self.bar.add_task("", total=total)

    def __enter__(self) -> Bar:
        self.bar.start()
        self.bar.refresh()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()

    def __call__(self, outcome: Outcome) -> None:
        if not outcome.ok or outcome.notes:
            lines = [headline(outcome, self.check), *[f"  {line}" for line in limited(outcome.errors)]]
            for line in lines + [f"  bemærk: {note}" for note in outcome.notes]:
                self.console.print(printable(line), markup=False)
        self.bar.advance(self.task)
        self.bar.refresh()


def progress(total: int, check: bool) -> Lines | Bar:
    """A bar for a person at a terminal, lines for a log."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return Bar(total, check)
    return Lines(total, check)
