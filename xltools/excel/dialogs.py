"""Asking the user where files are and where a new one goes — with Excel's own dialogs.

The dialogs live in the add-in's VBA (``macros/XltoolsDialogs.bas``: ``Application.GetSaveAsFilename``
and ``GetOpenFilename``, which Excel has on Windows and macOS alike) and are run through xlwings'
``app.macro``; paths come back as text, "" when the user cancels.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import count
from pathlib import Path
from typing import Any

import xlwings as xw

from xltools.errors import Refused
from xltools.excel.addin.config import ADDIN_NAME

SAVE_AS = "XltoolsDialogs.AskSaveAs"
OPEN = "XltoolsDialogs.AskOpen"
MACROS = (SAVE_AS, OPEN)
"""The add-in's VBA functions this module runs: each must exist in ``macros/`` (a test proves it)."""


def _run(book: Any, macro: str, *arguments: str) -> str:
    return str(book.app.macro(f"'{ADDIN_NAME}'!{macro}")(*arguments) or "")


def save_as(book: Any, suggested: Path, title: str) -> Path | None:
    """The path the user chose for a new file (``suggested`` offered first), or None if cancelled; a
    name typed without ``.xlsx`` gets it (Excel for Mac's dialog has no file type to add it)."""
    chosen = _run(book, SAVE_AS, str(suggested), title)
    if not chosen:
        return None
    path = _local(chosen)
    return path if path.suffix.casefold() == ".xlsx" else path.with_name(path.name + ".xlsx")


def open_files(book: Any, folder: Path, title: str) -> list[Path]:
    """The files the user chose, starting in ``folder`` (several may be chosen); [] if cancelled."""
    return [_local(line) for line in _run(book, OPEN, str(folder), title).splitlines() if line]


def _local(chosen: str) -> Path:
    """A path a dialog returned, refused unless it names a place in a folder on this computer (a web
    location picked in the dialog, or a relative name, would otherwise be read against Python's folder)."""
    path = Path(chosen)
    if not path.is_absolute() or not path.parent.is_dir():
        raise Refused(f"{chosen}: er ikke en mappe på denne computer – vælg en fil i en lokal mappe")
    return path


def folder_of(book: Any) -> Path:
    """Where the active workbook is saved — the dialogs start there; for a book never saved, or saved
    online (xlwings fails to map some to a local folder), the user's Documents folder, or home."""
    try:
        full = Path(str(book.fullname))
    except xw.XlwingsError:  # a OneDrive or SharePoint book xlwings cannot map to a local file
        full = Path()
    if full.is_absolute() and full.parent.is_dir():
        return full.parent
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def free_name(folder: Path, stem: str, taken: Collection[str] = ()) -> Path:
    """``folder/<stem>.xlsx``, or ``<stem> 2.xlsx``, ``<stem> 3.xlsx`` …: the first that does not exist
    and whose name is not in ``taken`` (case-folded names of books open in Excel), so a suggestion never
    names a file that would be refused."""
    for number in count(1):
        path = folder / (f"{stem}.xlsx" if number == 1 else f"{stem} {number}.xlsx")
        if not path.exists() and path.name.casefold() not in taken:
            return path
    raise AssertionError("unreachable")
