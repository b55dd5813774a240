"""Which files a batch covers: the files named, and the workbooks in the folders named.

In a folder, sub-folders included: ``.xlsx`` and ``.xlsm`` files in name order — not the owner files
Excel and LibreOffice keep beside an open workbook (``~$…``, ``.~lock.…#``), xltools' temporaries
(``.~xltools-…``), its backups (``*.backup-YYYYmmdd-HHMMSS*.xlsx``) or hidden files and folders.
A file reached twice (named and in a folder, or through a link) is covered once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xltools.errors import as_failure

SUFFIXES = (".xlsx", ".xlsm")
_BACKUP = re.compile(r".*\.backup-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.xls[xm]", re.IGNORECASE | re.DOTALL)


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)
    """Folders named that hold no workbook."""
    problems: list[str] = field(default_factory=list)
    """Folders that could not be searched, one Danish line each."""


def is_workbook(name: str) -> bool:
    """Whether a file of this name in a folder is a workbook to recalculate."""
    return name.lower().endswith(SUFFIXES) and not name.startswith(("~$", ".")) and not _BACKUP.fullmatch(name)


def expand(paths: Sequence[Path]) -> Found:
    """The files to recalculate for ``paths``: files as given, folders searched."""
    found = Found()
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    for path in map(Path, paths):
        if not path.is_dir():
            add(path)
            continue
        before = len(found.files)
        for folder, folders, names in os.walk(path, onerror=lambda error: found.problems.append(_line(error))):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in sorted(names):
                if is_workbook(name):
                    add(Path(folder) / name)
        if len(found.files) == before:
            found.empty.append(path)
    return found


def _line(error: OSError) -> str:
    return f"mappen kan ikke gennemsøges: {as_failure(error).messages[0]}"
