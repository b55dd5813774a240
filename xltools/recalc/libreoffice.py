"""LibreOffice headless as a second, real spreadsheet engine: recalculate files and save the results.

Used by the tests (to prove the formulas we write compute what Python computes) and by the
benchmarks (as the baseline). LibreOffice recalculates an .xlsx on load only when its profile says
so (``OOXMLRecalcMode`` = 0, "always"); each call gets its own private profile because two running
instances cannot share one. One ``soffice`` start costs about a second, so files go in batches.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(folder: Path) -> Path:
    """A private LibreOffice user profile that recalculates every file it loads."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE, encoding="utf-8")
    return folder


def recalculate(paths: Sequence[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Open each file in LibreOffice, recalculate it and save it as .xlsx into ``out_dir``.

    A long batch can end early (seen here after some hundreds of files), so files left without output
    are given to a fresh process, for as long as each round makes progress. Returns the output paths,
    in input order.
    """
    return convert(paths, out_dir, "xlsx:Calc MS Excel 2007 XML", timeout)


def convert(paths: Sequence[Path], out_dir: Path, target: str, timeout: float = 600) -> list[Path]:
    """Open each file in LibreOffice (recalculating it) and save it into ``out_dir`` as ``target``, a
    ``--convert-to`` filter such as "pdf"; one ``soffice`` process per round. Returns the output paths."""
    executable = soffice()
    if executable is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "." + target.split(":", 1)[0]
    outputs = [out_dir / (Path(path).stem + suffix) for path in paths]
    pending = [Path(path) for path in paths]
    while pending:
        stderr = _convert(executable, pending, out_dir, target, timeout)
        left = [path for path in pending if not (out_dir / (path.stem + suffix)).exists()]
        if len(left) == len(pending):
            raise RuntimeError(f"LibreOffice wrote no output for {len(left)} file(s), e.g. {left[0]}: {stderr[-500:]}")
        pending = left
    return outputs


def command(executable: str, profile: Path, target: str, out_dir: Path, paths: Sequence[Path]) -> list[str]:
    """The ``soffice`` command that converts ``paths`` into ``out_dir`` as ``target`` with ``profile``."""
    return [
        executable,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        *map(str, paths),
    ]


def _convert(executable: str, paths: Sequence[Path], out_dir: Path, target: str, timeout: float) -> str:
    with tempfile.TemporaryDirectory(prefix="xltools-lo-") as profile_dir:
        profile = make_profile(Path(profile_dir))
        finished = subprocess.run(
            command(executable, profile, target, out_dir, paths),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return finished.stderr
