"""``xltools rebuild``: a new Målstyring from the workbook's own (edited) Opsætning.

Every registration is carried over by the ids of its employee and indicator. Registrations whose
employee or indicator was removed — or whose week the new year lacks — move to the Arkiv sheet and
keep counting in the team's totals (the work was done). The original stays beside the new file as
``<name>.backup-<timestamp>.xlsx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xltools.goals.layout import AS_OF_NAME, WEEK_UNIT_COL, Layout, week_sheet
from xltools.goals.read import built_layout, check_week_sheets, read_archive, read_registrations, read_setup
from xltools.goals.setup import Setup, with_new_ids
from xltools.goals.workbook import build
from xltools.workbook.files import Identity, check_writable, replace, via_path
from xltools.workbook.files import backup as backup_file
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.values import CellValue


@dataclass
class Rebuilt:
    backup: Path
    carried: int
    archived: int
    notes: list[str]
    """What the write path did when forced."""


def _remarks(package: XlsxPackage, layout: Layout) -> dict[int, str]:
    found = {}
    for week in range(1, layout.setup.weeks + 1):
        value = package.value(week_sheet(week), layout.remarks_row, WEEK_UNIT_COL)
        if value is not None and str(value).strip():
            found[week] = str(value).strip()
    return found


@dataclass
class Previous:
    """What a Målstyring holds that a new build must carry over: the setup its week sheets were built
    with, its registrations (keyed by kind, week, indicator id and that setup's employee index), remarks,
    archived rows, a typed reporting date, and the setup to build next."""

    identity: Identity
    built: Setup
    found: dict[tuple[str, int, str, int], float]
    remarks: dict[int, str]
    archive: list[dict[str, Any]]
    typed_date: CellValue
    new: Setup


def typed_as_of(package: XlsxPackage) -> CellValue:
    """The reporting date a team typed over ``=TODAY()``, or None."""
    area = package.area(AS_OF_NAME)
    if area is None or package.has_formula(area.sheet, *area.first):
        return None
    return package.value(area.sheet, *area.first)


def next_setup(package: XlsxPackage, built: Setup, archive: list[dict[str, Any]]) -> Setup:
    """The workbook's own Opsætning, new rows given ids never used before in this workbook."""
    taken = {e.id for e in built.employees} | {i.id for i in built.indicators}
    taken |= {str(row.get(key)) for row in archive for key in ("medarbejder_id", "indikator_id")}
    return with_new_ids(read_setup(package), taken)


def _previous(package: XlsxPackage) -> Previous:
    old = built_layout(package)
    check_week_sheets(package, old)
    found = read_registrations(package, old)
    archive = read_archive(package)
    return Previous(
        package.identity,  # a save in Excel while we rebuild makes the rebuild refuse
        old.setup,
        found,
        _remarks(package, old),
        archive,
        typed_as_of(package),
        next_setup(package, old.setup, archive),
    )


def rebuild(path: Path, now: datetime | None = None, force: bool = False) -> Rebuilt:
    """Rebuild ``path`` from its own Opsætning in place, keeping a backup beside it; a file open in
    Excel, linked or read-only is refused unless ``force``."""
    path = Path(path)
    with XlsxPackage(path) as package:
        previous = _previous(package)
    return carry_over(path, previous, now, force)


def carry_over(path: Path, previous: Previous, now: datetime | None = None, force: bool = False) -> Rebuilt:
    """Build ``path`` anew from ``previous.new`` with every registration carried over by id — those of
    removed employees or indicators, or of weeks the year lacks, to Arkiv — keeping a backup beside it."""
    new, built = previous.new, previous.built
    employees = {e.id: index for index, e in enumerate(new.employees)}
    indicators = {i.id for i in new.indicators}
    registrations: dict[tuple[str, int, str, int], float] = {}
    leftovers: dict[tuple[int, str, str], dict[str, Any]] = {}
    for (kind, week, indicator_id, e), value in previous.found.items():
        employee = built.employees[e]
        if indicator_id in indicators and employee.id in employees and week <= new.weeks:
            registrations[(kind, week, indicator_id, employees[employee.id])] = value
            continue
        indicator = next(i for i in built.indicators if i.id == indicator_id)
        row = leftovers.setdefault(
            (week, indicator_id, employee.id),
            {
                "uge": float(week),
                "sektion": indicator.section,
                "indikator": indicator.name,
                "enhed": indicator.unit,
                "medarbejder": employee.name,
                "indikator_id": indicator_id,
                "medarbejder_id": employee.id,
                "fjernet": "nej" if indicator_id in indicators else "ja",
            },
        )
        row["real" if kind == "r" else "maal"] = value

    def write(temporary: Path) -> None:
        archived = [*previous.archive, *leftovers.values()]
        build(temporary, date.today(), new, registrations, archived, previous.remarks)
        if isinstance(previous.typed_date, float):  # a team's fixed reporting date stays fixed…
            type_values(temporary, {AS_OF_NAME: previous.typed_date})
            from xltools.recalc.engine import recalc  # the engine knows every tool: imported only here

            recalc(temporary)  # …and the cached figures are as of that date

    check_writable(path, force)  # refused (open in Excel, linked, read-only) before a backup is made
    backup = backup_file(path, now)
    notes = replace(path, via_path(write), previous.identity, force)
    return Rebuilt(backup, len(registrations), len(leftovers), notes)
