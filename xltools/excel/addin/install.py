"""``xltools addin install``: build the add-in against this machine's xlwings and put it where Excel
opens add-ins at every start.

The add-in's VBA names the xlwings DLL of one xlwings version, which xlwings' Windows wheel installs
beside the Python that has it; so the add-in is built here, from the installed xlwings, and the
user's ``xltools.conf`` is pointed at this Python (see ``config``).

Excel opens every file in its startup folder: the add-in goes there under its own name only, an
add-in of another name is never touched, a file of our name that is not ours is refused, and our
own older ``xltools.xlam`` is kept as a backup in the build folder — not in the startup folder,
where Excel would open the backup too.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from xltools.errors import Refused
from xltools.excel.addin import config, xlwings_vba
from xltools.excel.addin.build import ADDIN_NAME, PROPERTY_ADDIN, build
from xltools.workbook import files
from xltools.workbook.package import UnreadableWorkbook, XlsxPackage

WINDOWS_STARTUP = r"%APPDATA%\Microsoft\Excel\XLSTART"
MAC_OFFICE = Path("Library") / "Group Containers" / "UBF8T346G9.Office"
MAC_STARTUP = MAC_OFFICE / "User Content.localized" / "Startup.localized" / "Excel"
_MAC_CONTENT = ("User Content.localized", "User Content")
"""Finder hides ``.localized``; some installations' folders have it, others not."""


def install(build_dir: Path, target: Path | None = None) -> list[str]:
    """Build ``xltools.xlam`` into ``build_dir`` and copy it into ``target`` (default: Excel's
    startup folder); returns Danish lines saying what was done.

    Off Windows and macOS, without a ``target``, nothing is copied and the lines say where it would
    go. Raises ``Refused`` when the add-in cannot be placed safely.
    """
    build_dir = Path(build_dir)
    version = xlwings_vba.installed_version()
    built = build(build_dir / ADDIN_NAME)
    lines = [f"Tilføjelsesprogrammet er bygget: {built} (til xlwings {version})"]
    system = sys.platform
    if target is None:
        if system not in ("win32", "darwin"):
            return lines + [
                f"Excel kører ikke her ({platform.system()}), så {ADDIN_NAME} er ikke kopieret nogen steder.",
                f"På Windows ville det blive kopieret til {WINDOWS_STARTUP}\\{ADDIN_NAME}.",
                f"På macOS ville det blive kopieret til ~/{MAC_STARTUP.as_posix()}/{ADDIN_NAME}.",
            ]
        target = startup_folder(system, Path.home(), os.environ)
    lines += place(built, Path(target), build_dir / "backup")
    if system in ("win32", "darwin"):
        lines += _connect_python(system, version)
    return lines


def startup_folder(system: str, home: Path, environ: Mapping[str, str]) -> Path:
    """The folder whose files Excel opens at every start, for this user (``Application.StartupPath``)."""
    if system == "win32":
        appdata = environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if system == "darwin":
        office = home / MAC_OFFICE
        for content in _MAC_CONTENT:
            for startup in ("Startup.localized", "Startup"):
                if (office / content / startup / "Excel").is_dir():
                    return office / content / startup / "Excel"
        for content in _MAC_CONTENT:
            if (office / content).is_dir():
                startup = "Startup.localized" if content.endswith(".localized") else "Startup"
                return office / content / startup / "Excel"
        raise Refused(f"Excels startmappe findes ikke under {office} – start Excel én gang, og kør igen")
    raise Refused(f"Excel findes ikke til {platform.system()}; angiv selv en mappe at kopiere til")


def place(built: Path, folder: Path, backups: Path) -> list[str]:
    """Copy ``built`` into ``folder`` under its own name; an older xltools add-in there is backed up
    into ``backups`` first. Returns what was done."""
    target = folder / built.name
    data = built.read_bytes()

    def write(out: BinaryIO) -> None:
        out.write(data)

    if not os.path.lexists(target):
        folder.mkdir(parents=True, exist_ok=True)
        files.create(target, write)
        return [f"Kopieret til {target}; Excel åbner det ved næste start."]
    if not _is_ours(target):
        raise Refused(f"{target}: findes allerede og er ikke xltools' tilføjelsesprogram – intet er ændret")
    source, identity = files.open_regular(target)
    with source:
        if source.read() == data:
            return [f"{target} er allerede denne udgave – intet er ændret."]
    copy = _backup(target, backups)
    files.replace(target, write, identity)
    return [
        f"Den tidligere udgave er gemt som {copy}.",
        f"Erstattet: {target}; Excel åbner den nye udgave ved næste start (luk Excel først, hvis det kører).",
    ]


def _is_ours(path: Path) -> bool:
    try:
        with XlsxPackage(path) as package:
            return PROPERTY_ADDIN in package.custom_properties()
    except UnreadableWorkbook:
        return False


def _backup(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        copy = folder / f"{path.stem}.backup-{stamp}{'' if number == 1 else f'-{number}'}{path.suffix}"
        try:
            with open(copy, "xb") as out, open(path, "rb") as source:
                shutil.copyfileobj(source, out)
        except FileExistsError:
            continue
        shutil.copystat(path, copy)
        return copy
    raise Refused(f"{folder}: for mange sikkerhedskopier med samme tidsstempel – intet er ændret")


def _connect_python(system: str, version: str) -> list[str]:
    """Point the user's ``xltools.conf`` at this Python, and say what else Excel needs to reach it."""
    settings = config.user_file(system, Path.home())
    old = config.set_user_interpreter(settings, system, sys.executable)
    key = config.interpreter_key(system)
    if old in (None, sys.executable):
        lines = [f"{settings}: {key} = {sys.executable}"]
    else:
        lines = [f"{settings}: {key} ændret fra {old} til {sys.executable}"]
    if system == "win32":
        dll = f"xlwings64-{version}.dll"
        python = Path(sys.executable).parent
        if not any((folder / dll).is_file() for folder in (python, python.parent)):
            lines.append(
                f"Advarsel: {dll} findes ikke ved siden af {sys.executable}; geninstallér xlwings=={version}"
                " med pip, så Excel kan kalde Python."
            )
    else:
        lines.append("Kør én gang 'xlwings runpython install', så Excel på macOS må starte Python.")
    return lines
