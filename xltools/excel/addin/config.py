"""The add-in's xlwings configuration: the settings it ships, and the one line each machine adds.

xlwings' VBA (``GetConfig``) looks a setting up in this order; the first place that has the key wins:

1. a sheet ``xltools.conf`` in the active workbook;
2. the sheet ``xltools.conf`` inside the add-in — the build writes ``macros/xltools.conf`` there
   (``UDF Modules`` = ``xltools.excel.udfs``);
3. a file ``xltools.conf`` beside the active workbook;
4. the user's file ``%USERPROFILE%\\.xltools\\xltools.conf`` (macOS:
   ``~/Library/Containers/com.microsoft.Excel/Data/xltools.conf``) — ``xltools addin install`` puts
   the interpreter there (``INTERPRETER_WIN``/``INTERPRETER_MAC``: the Python that has xltools, and
   beside it the xlwings DLL the add-in's VBA names);
5. the default.

A key in the add-in's sheet hides the user's file even when its value is empty, so the sheet holds
only what is the same on every machine; what differs per machine lives in the user's file. Keys are
compared without regard to case (the sheet's are upper-cased by xlwings). Both places use xlwings'
file format, one ``"KEY","value"`` line per setting, as VBA's ``Write #`` writes and ``Input #`` reads.
"""

from __future__ import annotations

import csv
import io
import locale
import os
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO

from xltools.errors import Refused
from xltools.workbook import files as safe_files

PROJECT_NAME = "xltools"
"""xlwings' ``PROJECT_NAME`` in the add-in's VBA: it names the sheet, the files and the user's folder."""
ADDIN_NAME = f"{PROJECT_NAME}.xlam"
"""The add-in's file name, which is also how Excel names it when its macros are run from Python."""
SHEET = f"{PROJECT_NAME}.conf"
UDF_MODULES = "UDF Modules"

Settings = list[tuple[str, str]]


def parse(text: str) -> Settings:
    """The ``(key, value)`` pairs of an xlwings configuration file's text."""
    settings: Settings = []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) != 2:
            raise ValueError(f"an xlwings setting is one key and one value, not {row!r}")
        settings.append((row[0], row[1]))
    return settings


def render(settings: Sequence[tuple[str, str]], newline: str) -> str:
    """Settings as xlwings' configuration file lines."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=newline).writerows(settings)
    return out.getvalue()


def addin_settings() -> Settings:
    """What the add-in's ``xltools.conf`` sheet holds: ``macros/xltools.conf``."""
    return parse((files(__package__) / "macros" / SHEET).read_text(encoding="utf-8"))


def value(settings: Sequence[tuple[str, str]], key: str) -> str | None:
    """A setting's value; keys compare without case, as in xlwings."""
    return next((found for name, found in settings if name.casefold() == key.casefold()), None)


def udf_modules(settings: Sequence[tuple[str, str]]) -> list[str]:
    """The Python modules whose UDFs the add-in carries (``UDF Modules``, ``;``-separated)."""
    modules = [name.strip() for name in (value(settings, UDF_MODULES) or "").split(";") if name.strip()]
    if not modules:
        raise ValueError(f"{SHEET} names no {UDF_MODULES}")
    return modules


def user_file(system: str, home: Path) -> Path:
    """Where xlwings' VBA reads the user's ``xltools.conf`` (``system``: ``"win32"`` or ``"darwin"``)."""
    if system == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / SHEET
    return home / f".{PROJECT_NAME}" / SHEET


def interpreter_key(system: str) -> str:
    return "INTERPRETER_MAC" if system == "darwin" else "INTERPRETER_WIN"


def set_user_interpreter(path: Path, system: str, interpreter: str) -> str | None:
    """Point the user's file at ``interpreter``, keeping every other setting; returns the old value.

    The file is written in the machine's ANSI encoding (VBA's ``Input #`` reads it so) with the
    platform's line ends, as ``xlwings config create`` writes it, and replaced safely.
    """
    key = interpreter_key(system)
    encoding = locale.getpreferredencoding(False)
    newline = "\n" if system == "darwin" else "\r\n"
    settings: Settings = []
    identity: safe_files.Identity | None = None
    if os.path.lexists(path):
        source, identity = safe_files.open_regular(path)
        with source:
            try:
                settings = parse(source.read().decode(encoding, errors="replace"))
            except (ValueError, csv.Error):
                raise Refused(f'{path}: er ikke en xlwings-indstillingsfil ("NØGLE","værdi" pr. linje)') from None
    old = value(settings, key)
    kept = [(name, found) for name, found in settings if name.casefold() != key.casefold()]
    try:
        data = render([(key, interpreter), *kept], newline).encode(encoding)
    except UnicodeEncodeError:
        raise Refused(
            f"{path}: stien {interpreter} kan ikke skrives i tegnsættet {encoding}, som Excel læser"
        ) from None

    def write(out: BinaryIO) -> None:
        out.write(data)

    if identity is None:
        os.makedirs(path.parent, exist_ok=True)
        safe_files.create(path, write)
    else:
        safe_files.replace(path, write, identity)
    return old
