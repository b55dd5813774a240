"""``xltools rebuild``: a new Målstyring from the workbook's own (edited) Opsætning.

Every registration is carried over by the ids of its employee and indicator. Registrations whose
employee or indicator was removed — or whose week the new year lacks — move to the Arkiv sheet and
keep counting in the team's totals (the work was done). The original stays beside the new file as
``<name>.backup-<timestamp>.xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xltools.goals.layout import AS_OF_NAME, WEEK_UNIT_COL, Layout, week_sheet
from xltools.goals.read import built_layout, check_week_sheets, read_archive, read_registrations, read_setup
from xltools.goals.setup import Setup, with_new_ids
from xltools.goals.workbook import build
from xltools.messages import number
from xltools.workbook.files import Identity, check_writable, create, replace, via_path
from xltools.workbook.files import backup as backup_file
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.refs import cell_name
from xltools.workbook.source import FileSource, Source
from xltools.workbook.values import CellValue


@dataclass
class Rebuilt:
    backup: Path | None
    """The original's copy beside it, when the file was rebuilt in place."""
    carried: int
    archived: int
    notes: list[str]
    """What the write path did when forced."""
    formulas: tuple[str, ...] = ()
    """Registration cells a formula computed: carried over as the numbers they showed."""

    def lines(self, path: Path) -> list[str]:
        """What was done to ``path``, in Danish: one line, and one more when formulas became numbers."""
        kept = f"; originalen er gemt som {self.backup.name}" if self.backup else ""
        lines = [
            f"{path}: bygget igen; {number(self.carried)} registreringer ført over,"
            f" {number(self.archived)} flyttet til Arkiv{kept}"
        ]
        if self.formulas:
            shown = ", ".join(self.formulas[:FORMULAS_NAMED]) + (" …" if len(self.formulas) > FORMULAS_NAMED else "")
            cells = "1 celle" if len(self.formulas) == 1 else f"{number(len(self.formulas))} celler"
            lines.append(f"{cells} med en formel er ført over som det tal, de viste: {shown}")
        return lines


FORMULAS_NAMED = 5
"""Cells named in the summary's line about formulas carried over as numbers."""


def _remarks(source: Source, layout: Layout) -> dict[int, str]:
    found = {}
    cell = (layout.remarks_row, WEEK_UNIT_COL)
    for week in range(1, layout.setup.weeks + 1):
        [[value]] = source.block(week_sheet(week), cell, cell)
        if value is not None and str(value).strip():
            found[week] = str(value).strip()
    return found


@dataclass
class Previous:
    """What a Målstyring holds that a new build must carry over: the setup its week sheets were built
    with, its registrations (keyed by kind, week, indicator id and that setup's employee index), remarks,
    archived rows, a typed reporting date, and the setup to build next. ``identity`` is the version of
    the file that was read (None for the book open in Excel)."""

    identity: Identity | None
    built: Setup
    found: dict[tuple[str, int, str, int], float]
    remarks: dict[int, str]
    archive: list[dict[str, Any]]
    typed_date: CellValue
    new: Setup
    formulas: tuple[str, ...] = ()
    """Registration cells a formula computes (``Uge 3!E9``): the new file gets the numbers they show."""


def typed_as_of(source: Source) -> CellValue:
    """The reporting date a team typed over ``=TODAY()``, or None."""
    cell = source.named_cell(AS_OF_NAME)
    return None if cell is None or cell.formula else cell.value


def next_setup(source: Source, built: Setup, archive: list[dict[str, Any]]) -> Setup:
    """The workbook's own Opsætning, new rows given ids never used before in this workbook."""
    taken = {e.id for e in built.employees} | {i.id for i in built.indicators}
    taken |= {str(row.get(key)) for row in archive for key in ("medarbejder_id", "indikator_id")}
    return with_new_ids(read_setup(source), taken)


def previous(source: Source, identity: Identity | None = None) -> Previous:
    """Everything ``source`` — the file, or the book open in Excel — holds that a rebuild carries over."""
    old = built_layout(source)
    check_week_sheets(source, old)
    found = read_registrations(source, old)
    archive = read_archive(source)
    return Previous(
        identity,
        old.setup,
        found,
        _remarks(source, old),
        archive,
        typed_as_of(source),
        next_setup(source, old.setup, archive),
        _formulas(source, old),
    )


def _formulas(source: Source, layout: Layout) -> tuple[str, ...]:
    """The Real and Mål cells of every week that a formula computes, named as a user finds them."""
    if not layout.setup.employees or not layout.setup.indicators:
        return ()
    rows = set(layout.indicator_rows.values())
    first = (min(rows), layout.real_col(0))
    last = (layout.last_week_row, layout.real_col(len(layout.setup.employees) - 1) + 1)
    return tuple(
        f"{week_sheet(week)}!{cell_name(row, col)}"
        for week in range(1, layout.setup.weeks + 1)
        for row, col in source.formula_cells(week_sheet(week), first, last)
        if row in rows
    )


def rebuild(path: Path, now: datetime | None = None, force: bool = False) -> Rebuilt:
    """Rebuild ``path`` from its own Opsætning in place, keeping a backup beside it; a file open in
    Excel, linked or read-only is refused unless ``force``."""
    path = Path(path)
    with XlsxPackage(path) as package:
        found = previous(FileSource(package), package.identity)  # a save in Excel meanwhile: refused
    return carry_over(path, found, now, force)


def rebuild_as(out: Path, found: Previous) -> Rebuilt:
    """A new file ``out`` built from ``found`` (read from the book open in Excel); an existing file is
    never overwritten, and the book and its file stay as they are."""
    write, carried, archived = _carried(found)
    return Rebuilt(None, carried, archived, create(out, via_path(write)), found.formulas)


def carry_over(path: Path, found: Previous, now: datetime | None = None, force: bool = False) -> Rebuilt:
    """Build ``path`` anew from ``found`` in place, keeping a backup beside it."""
    assert found.identity is not None, "a file rebuilt in place was read from the file"
    write, carried, archived = _carried(found)
    check_writable(path, force)  # refused (open in Excel, linked, read-only) before a backup is made
    backup = backup_file(path, now)
    notes = replace(path, via_path(write), found.identity, force)
    return Rebuilt(backup, carried, archived, notes, found.formulas)


def _carried(previous: Previous) -> tuple[Callable[[Path], None], int, int]:
    """The build of ``previous.new`` with every registration carried over by id — those of removed
    employees or indicators, or of weeks the year lacks, to Arkiv — and the counts carried and archived."""
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

    return write, len(registrations), len(leftovers)
