"""Folders xltools fills with files it makes (``build``, ``demo``): its own folders, and only those.

A folder is xltools' own when xltools created it, or found it empty, and left the marker file
``.xltools-mappe`` in it. There xltools writes, and replaces, the files it makes. A folder with other
content and no marker is refused: xltools never deletes a folder, nor a file it did not make.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from xltools.errors import Refused
from xltools.workbook.files import Writer, check_writable, create

MARKER = ".xltools-mappe"
MARKER_TEXT = (
    "Denne mappe er lavet af xltools. Her skriver og erstatter xltools de filer, det selv laver\n"
    "(xltools build og xltools demo). Læg ikke egne filer her – slet denne fil, hvis mappen ikke skal\n"
    "være xltools' længere.\n"
)


def is_own(folder: Path) -> bool:
    """Whether ``folder`` carries xltools' marker (a regular file, not a link to one elsewhere)."""
    try:
        return stat.S_ISREG(os.lstat(Path(folder) / MARKER).st_mode)
    except OSError:
        return False


def claim(folder: Path) -> None:
    """Make ``folder`` xltools' own: create it, or mark it if empty; refused if it holds other things."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if not folder.is_dir():
            raise Refused(f"{folder}: findes og er ikke en mappe – vælg en anden mappe") from None
        if is_own(folder):
            return
        with os.scandir(folder) as entries:
            if next(entries, None) is not None:
                raise Refused(
                    f"{folder}: mappen er ikke tom og er ikke lavet af xltools – vælg en ny eller tom mappe;"
                    " intet er skrevet eller slettet"
                ) from None
    create(folder / MARKER, _write_marker)


def _write_marker(out: BinaryIO) -> None:
    out.write(MARKER_TEXT.encode("utf-8"))


def write(folder: Path, name: str, writer: Writer, force: bool = False) -> list[str]:
    """Write, or replace, the file ``name`` in xltools' own ``folder`` atomically; returns notes.

    A file there that is open in Excel or LibreOffice, linked or read-only is refused unless ``force``.
    """
    path = Path(folder) / name
    check_writable(path, force)
    return create(path, writer, force=True)
