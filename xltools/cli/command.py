"""One ``xltools`` command as the parser, ``main`` and the tests see it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Writes = Literal["in_place", "new_file", "folder"] | None
"""What a command writes: the workbook it is given, a new file, files in a folder, or nothing."""


@dataclass(frozen=True)
class Command:
    """A command's name, its Danish help, what it writes, its arguments and how it runs.

    ``run`` imports what it needs when it runs, so ``xltools --help`` stays fast; it returns the exit
    code, and a failure it raises is printed and turned into its code by ``main``.

    ``example`` is a typical command line after the command's name, with two placeholders:
    ``{workbook}`` — an existing workbook the command reads, or changes in place — and ``{out}`` — a
    path that does not exist yet, for the new file, report or folder the command makes.
    ``example_argv`` fills them in, so a test can run every command on a workbook of its choosing.
    """

    name: str
    help: str
    """One Danish line for the list of commands."""
    description: str
    """The Danish text at the top of ``xltools NAME --help``."""
    writes: Writes
    tools: frozenset[str] | None
    """The tools whose workbooks the command takes: None any, an empty set none (build, demo)."""
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    example: tuple[str, ...]

    def example_argv(self, workbook: Path, out: Path) -> list[str]:
        """``main``'s argv for a typical run on ``workbook`` with ``out`` as the new output path."""
        return [self.name, *(part.format(workbook=workbook, out=out) for part in self.example)]
