"""``xltools upgrade``: a workbook made from an earlier template, rebuilt on the current one.

Each tool says how to read what its earlier versions hold; the new workbook replaces the old file
through the same safe write path as every command (still the file we read, not open elsewhere, owner
and mode kept), with the old file kept beside it as ``NAME.backup-<time>.xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from xltools.errors import Unreadable
from xltools.recalc.engine import check_version, identify, recalc
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.files import backup, check_writable, replace, via_path
from xltools.workbook.package import XlsxPackage


@dataclass
class Upgraded:
    """What ``upgrade`` did to one workbook: from which version to which, and where the old one is."""

    tool: str
    version: int | None
    current: int
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)


def upgrade(path: Path, now: datetime | None = None, force: bool = False) -> Upgraded:
    """Rebuild ``path`` on the current template if an earlier one made it; a current one is left alone."""
    path = Path(path)
    with XlsxPackage(path) as package:
        tool = identify(package)
        version = check_version(package, tool)
        current = TEMPLATE_VERSIONS[tool.name]
        if version == current:
            return Upgraded(tool.name, version, current)
        if version is None:
            raise Unreadable(f"{path}: skabelonversionen mangler (egenskaben xltools.version) – kan ikke opgraderes")
        if tool.name == "maalstyring":
            from xltools.goals import upgrade as goals

            found = goals.previous(package)
        elif tool.name == "ressourceberegner":
            from xltools.capacity import upgrade as capacity

            write = partial(capacity.write, inputs=capacity.previous(package))
        elif tool.name == "brancheredskab":
            from xltools.industry import upgrade as industry

            write = partial(industry.write, found=industry.previous(package))
        else:
            raise Unreadable(f"{path}: {tool.name} version {version} kan ikke opgraderes af denne xltools")
        identity = package.identity
    if tool.name == "maalstyring":
        from xltools.goals.rebuild import carry_over

        rebuilt = carry_over(path, found, now, force)
        return Upgraded(tool.name, version, current, rebuilt.backup, rebuilt.notes)
    check_writable(path, force)  # refused (open in Excel, linked, read-only) before a backup is made
    kept = backup(path, now)
    notes = replace(path, via_path(partial(_recalculated, write)), identity, force)
    return Upgraded(tool.name, version, current, kept, notes)


def _recalculated(write: Callable[[Path], None], path: Path) -> None:
    """``write`` the new workbook, then give it the cached values of the data it now holds (inputs that
    break a rule keep the template's values: the workbook shows the problem, and Excel computes)."""
    write(path)
    recalc(path)
