"""An .xlsx file opened as its zip package: read defined names and cells, queue edits, write them.

The file is read through a bounded ``Container`` (every limit checked before inflating). Small XML
parts — workbook, relationships, tables, charts, properties — are parsed safely into trees; sheets
are read as bytes (``sheetxml``): small ones indexed whole, large ones streamed for the rows asked.
Edits are queued per sheet and applied at save by one streaming pass each (``sheetpatch``); every
member that does not change keeps its compressed bytes, so formats, validations, names, macros and
other sheets survive byte for byte, and a recalculation costs a pass over the sheets it touches.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import IO, BinaryIO

from lxml import etree

from xltools.errors import Invalid, Unreadable
from xltools.messages import number, quote
from xltools.workbook import charts, sheetpatch, sheetxml
from xltools.workbook.container import Container, Writer
from xltools.workbook.files import Identity, create, replace
from xltools.workbook.limits import LIMITS, Limits
from xltools.workbook.refs import Area, cell_name, parse_cell
from xltools.workbook.safexml import parse
from xltools.workbook.sharedstrings import shared_strings
from xltools.workbook.sheetedits import Edit, Kind, Run, SheetPatch
from xltools.workbook.sheetpatch import Review
from xltools.workbook.sheetxml import Cell, Scanner, SheetCells
from xltools.workbook.values import CellKey, CellValue, format_number, same_value

__all__ = [
    "NS",
    "CellKey",
    "CellValue",
    "UnreadableWorkbook",
    "XlsxPackage",
    "format_number",
    "same_value",
    "type_values",
]

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": charts.CHART_NS,
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
WORKBOOK = "xl/workbook.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
CUSTOM = "docProps/custom.xml"

WINDOW_CELLS = 20_000
"""Cells of a large sheet kept from one pass: a tool reading down the sheet reads it in windows."""

UnreadableWorkbook = Unreadable
"""The file is not an .xlsx package xltools can read (the name older callers catch)."""


class XlsxPackage:
    """One workbook file; edits stay in memory until ``save`` (or ``write_to``)."""

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self._saved = False
        self._container = Container(self.path, limits)
        self.identity: Identity = self._container.identity
        self._trees: dict[str, etree._Element] = {}
        self._tree_bytes = 0
        self._changed: set[str] = set()
        self._strings: list[str] | None = None
        self._indexes: dict[str, SheetCells] = {}
        self._values: dict[Cell, CellValue] = {}
        """The value each spelling of a cell shows, worked out once: a small sheet's cells alike are one
        object (``Scanner.decoded``), and a Målstyring reads its week sheets' cells several times."""
        self._kept: dict[str, sheetxml.Kept] = {}
        self._windows: dict[str, tuple[int, int, SheetCells]] = {}
        self._patches: dict[str, SheetPatch] = {}
        self._reviews: dict[str, tuple[Review, bool]] = {}
        try:
            workbook = self._tree(WORKBOOK)
            self._sheet_parts = self._read_sheet_parts(workbook)
            self.defined_names = _read_defined_names(workbook)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> XlsxPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- parts ---------------------------------------------------------------------------

    def _tree(self, member: str) -> etree._Element:
        if member not in self._trees:
            if member not in self._container:
                raise Unreadable(f"{self._container.where(member)} mangler")
            self._tree_bytes += self._container.size(member)
            if self._tree_bytes > self.limits.trees_bytes:
                raise Unreadable(
                    f"{self.path}: XML-delene fylder over {number(self.limits.trees_bytes / (1 << 20))} MiB – afvist"
                )
            data = self._container.read(member, self.limits.tree_bytes)
            self._trees[member] = parse(data, self._container.where(member))
        return self._trees[member]

    def _read_sheet_parts(self, workbook: etree._Element) -> dict[str, str]:
        targets = {rel_id: target for rel_id, _, target in self._relationships(WORKBOOK)}
        parts = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", NS):
            target = targets.get(sheet.get("{%s}id" % NS["r"], ""))
            name = sheet.get("name", "")
            if target is None or target not in self._container:
                raise Unreadable(f"{self.path}: arket {quote(name)} mangler i pakken")
            parts[name] = target
        return parts

    def _relationships(self, member: str) -> list[tuple[str, str, str]]:
        """A part's relationships inside the package: (id, type, the member it points at)."""
        rels = posixpath.join(posixpath.dirname(member), "_rels", posixpath.basename(member) + ".rels")
        if rels not in self._container:
            return []
        found = []
        for rel in self._tree(rels).iterfind("rel:Relationship", NS):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(posixpath.dirname(member), target)
            found.append((rel.get("Id", ""), rel.get("Type", ""), posixpath.normpath(path)))
        return found

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheet_parts)

    def area(self, defined_name: str) -> Area | None:
        """Where a workbook-level defined name points (names are case-insensitive, as in Excel)."""
        return self.defined_names.get(defined_name.casefold())

    # -- cells -----------------------------------------------------------------------------

    def _part(self, sheet: str) -> str:
        """The zip member of a sheet; a sheet the workbook no longer has (deleted or renamed) is named."""
        part = self._sheet_parts.get(sheet)
        if part is None:
            raise Unreadable(f"{self.path}: arket {quote(sheet)} mangler (slettet eller omdøbt?)")
        return part

    def _scanner(self, sheet: str) -> Scanner:
        return Scanner(self._container.chunks(self._part(sheet)), self._where(sheet), self.limits)

    def _where(self, sheet: str) -> str:
        return f"{self.path}: arket {quote(sheet)}"

    def _small(self, sheet: str) -> bool:
        return self._container.size(self._part(sheet)) <= self.limits.sheet_index_bytes

    def _index(self, sheet: str) -> SheetCells | None:
        """Every cell of a small sheet, read once; None for a large one (read in windows)."""
        index = self._indexes.get(sheet)
        if index is None and self._small(sheet):
            index = self._indexes[sheet] = sheetxml.index(self._scanner(sheet))
        return index

    def _file_cell(self, sheet: str, row: int, col: int) -> Cell | None:
        """A cell as the file holds it: from the index of a small sheet; a large sheet is streamed and
        only a window of rows from the one asked for is kept (so reading down a sheet costs a pass
        per window, and the memory of one)."""
        index = self._index(sheet)
        if index is not None:
            return index.get(row, col)
        window = self._windows.get(sheet)
        if window is None or not window[0] <= row <= window[1]:
            cells, last = sheetxml.read_window(self._scanner(sheet), row, WINDOW_CELLS)
            window = self._windows[sheet] = (row, last, cells)
        return window[2].get(row, col)

    def _string(self, index: int) -> str:
        if self._strings is None:
            self._strings = self._shared_strings()
        return self._strings[index]

    def _shared_strings(self) -> list[str]:
        if SHARED_STRINGS not in self._container:
            return []
        self._container.check_size(SHARED_STRINGS, self.limits.shared_strings_bytes)
        where = self._container.where(SHARED_STRINGS)
        return shared_strings(self._container.chunks(SHARED_STRINGS), where, self.limits)

    def _pending(self, sheet: str, row: int, col: int) -> Edit | None:
        patch = self._patches.get(sheet)
        return patch.get(row, col) if patch is not None else None

    def value(self, sheet: str, row: int, col: int) -> CellValue:
        """The value a cell shows (its cached value if it holds a formula, queued edits included);
        None when blank."""
        edit = self._pending(sheet, row, col)
        if edit is not None:
            return edit.value
        return self._shown(sheet, row, col, self._file_cell(sheet, row, col))

    def block(
        self,
        sheet: str,
        first: tuple[int, int],
        last: tuple[int, int],
        table: bool = False,
        beside: range = range(0),
    ) -> list[list[CellValue]]:
        """The values of a rectangle row by row, as ``value`` gives them: a small sheet's straight from
        its index (a Målstyring reads parts of 53 week sheets several times, and their totals' formulas), a
        large one's in one pass over its rows. A small sheet's index is kept because the review of the
        computed values written back looks their cells up there instead of reading the sheet again (a
        500-row Brancheredskab: 11 % fewer instructions per recalculation); of a large one (or one whose
        index fails), the same rows' cells in the columns ``beside`` are kept for that review (a
        table's computed columns). Read as a ``table``, a cell holding an error value (#N/A, #DIV/0! …)
        is blank, as Excel hands a range to xlwings."""
        rows, cols = range(first[0], last[0] + 1), range(first[1], last[1] + 1)
        if sheet in self._patches:
            return [[self.value(sheet, row, col) for col in cols] for row in rows]
        try:
            index = self._index(sheet)
        except Unreadable:
            if not table:
                raise
            index = None  # a fault outside the table, which reading the table alone never meets (as before)
        if index is None:
            kept = sheetxml.Kept(first[0], last[0], beside) if beside else None
            block = sheetxml.read_block(self._scanner(sheet), (*first, *last), self._string, table, kept)
            if kept is not None:
                self._kept[sheet] = kept
            return block
        found, shown, known = index.cells.get, self._shown, self._values  # an array's range adds no value
        ignored = "e" if table else None

        def cell_value(row: int, col: int) -> CellValue:
            cell = found((row, col))
            if cell is None or cell.kind == ignored:
                return None
            seen = known.get(cell)
            if seen is None:  # not met yet (or shows nothing, which costs little to find again)
                seen = known[cell] = shown(sheet, row, col, cell)
            return seen

        return [[cell_value(row, col) for col in cols] for row in rows]

    def shows_error(self, sheet: str, row: int, col: int) -> bool:
        """Whether the cell, as the file holds it, shows an error value (#N/A, #DIV/0! …)."""
        cell = self._file_cell(sheet, row, col)
        return cell is not None and cell.kind == "e"

    def has_formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether a formula computes the cell (queued edits included)."""
        edit = self._pending(sheet, row, col)
        if edit is not None and edit.kind is not Kind.SHOW:
            return edit.kind is not Kind.TYPE
        cell = self._file_cell(sheet, row, col)
        if cell is None or not cell.formula:
            return False
        return edit is None or same_value(self._shown(sheet, row, col, cell), edit.value)  # kept if it shows it

    def _shown(self, sheet: str, row: int, col: int, cell: Cell | None) -> CellValue:
        if cell is None:
            return None
        try:
            return sheetxml.value(cell, self._string)
        except sheetxml.BadCell as bad:
            raise Unreadable(f"{sheetxml.cell_where(self._where(sheet), row, col)}: {bad}") from None

    # -- tables --------------------------------------------------------------------------

    def table(self, name: str) -> Area | None:
        """Where an Excel table (ListObject) sits, by its name, as the file says now."""
        found = self._table_part(name)
        return found[1] if found else None

    def table_shows_headers(self, name: str) -> bool:
        """Whether an Excel table's first row is its header row (Tabeldesign › Overskriftsrække)."""
        found = self._table_part(name)
        return found is not None and self._tree(found[0]).get("headerRowCount", "1").strip() != "0"

    def resize_table(self, name: str, last_row: int) -> None:
        """Let a table end at ``last_row``, as Excel does when a row is typed below it."""
        found = self._table_part(name)
        if found is None:
            raise KeyError(name)
        member, area = found
        ref = f"{cell_name(*area.first)}:{cell_name(last_row, area.last[1])}"
        root = self._tree(member)
        root.set("ref", ref)
        for autofilter in root.iterfind("m:autoFilter", NS):
            autofilter.set("ref", ref)
        self._changed.add(member)

    def _table_part(self, name: str) -> tuple[str, Area] | None:
        for sheet, part in self._sheet_parts.items():
            for _, kind, target in self._relationships(part):
                if not kind.endswith("/table"):
                    continue
                root = self._tree(target)
                if name.casefold() in (root.get("name", "").casefold(), root.get("displayName", "").casefold()):
                    return target, self._table_area(sheet, target, root.get("ref", ""))
        return None

    def _table_area(self, sheet: str, member: str, ref: str) -> Area:
        first, _, last = ref.partition(":")
        try:
            area = Area(sheet, parse_cell(first), parse_cell(last or first))
        except ValueError:
            raise Unreadable(f"{self._container.where(member)}: tabellens område {quote(ref)} er ugyldigt") from None
        rows, columns = area.last[0] - area.first[0], area.last[1] - area.first[1] + 1
        if rows > self.limits.table_rows:
            raise Unreadable(
                f"{self._container.where(member)}: tabellen har {number(rows)} rækker ({ref}); "
                f"højst {number(self.limits.table_rows)}"
            )
        if columns > self.limits.table_columns:
            raise Unreadable(
                f"{self._container.where(member)}: tabellen har {number(columns)} kolonner ({ref}); "
                f"højst {number(self.limits.table_columns)}"
            )
        return area

    # -- custom document properties -----------------------------------------------------

    def custom_properties(self) -> dict[str, str]:
        if CUSTOM not in self._container:
            return {}
        root = self._tree(CUSTOM)
        return {prop.get("name", ""): "".join(prop.itertext()).strip() for prop in root.iterfind("cp:property", NS)}

    def set_custom_property(self, name: str, value: str) -> None:
        """Update an existing text property (the builder creates them; other writers keep them)."""
        if CUSTOM not in self._container:
            return
        for prop in self._tree(CUSTOM).iterfind("cp:property", NS):
            if prop.get("name") == name and len(prop) and prop[0].text != value:
                prop[0].text = value
                self._changed.add(CUSTOM)

    # -- edits -----------------------------------------------------------------------------

    def _patch(self, sheet: str) -> SheetPatch:
        self._part(sheet)  # a sheet the workbook no longer has is named
        self._reviews.pop(sheet, None)
        return self._patches.setdefault(sheet, SheetPatch())

    def set_values(self, sheet: str, values: Mapping[tuple[int, int], CellValue]) -> None:
        """Queue new cached values of formula cells (a cell whose formula was typed over is refused)."""
        patch = self._patch(sheet)
        for (row, col), new in values.items():
            patch.put(row, col, Edit(Kind.CACHED, new))

    def show_values(self, sheet: str, values: Mapping[tuple[int, int], CellValue]) -> None:
        """Queue values the tool owns: typed into each cell that shows anything else (None clears)."""
        patch = self._patch(sheet)
        for (row, col), new in values.items():
            patch.put(row, col, Edit(Kind.SHOW, new))

    def set_column(
        self, sheet: str, col: int, first_row: int, values: Sequence[CellValue], formula: str | None = None
    ) -> None:
        """Queue a run of cells down ``col``: with ``formula``, a computed column — cached values, and
        the formula put into empty cells (a cell with a typed value is refused); without, values the
        tool owns (as ``show_values``)."""
        kind = Kind.FILL if formula is not None else Kind.SHOW
        self._patch(sheet).add(Run(col, first_row, values, kind, formula))

    def array_area(self, sheet: str, row: int, col: int) -> tuple[int, int, int, int] | None:
        """(first row, first col, last row, last col) of the array formula whose top-left cell is
        (``row``, ``col``), as the file holds it; None if no array formula starts there."""
        self._file_cell(sheet, row, col)
        cells = self._indexes[sheet] if self._small(sheet) else self._windows[sheet][2]
        return next((area for area in cells.arrays if area[:2] == (row, col)), None)

    def set_spill(self, sheet: str, row: int, col: int, grid: Sequence[Sequence[CellValue]]) -> None:
        """Queue a dynamic array's result: the anchor's range set to the result's size, its cells'
        cached values, and the cells of the previous, larger result cleared. A value typed where the
        result now reaches is refused, as Excel shows #SPILL! rather than write over it."""
        height, width = len(grid), len(grid[0])
        previous = self.array_area(sheet, row, col) or (row, col, row, col)
        old_height, old_width = previous[2] - row + 1, previous[3] - col + 1
        in_the_way = [
            f"{sheet}!{cell_name(r, c)}"
            for c in range(col, col + width)
            for r in range(row, row + height)
            if (r - row >= old_height or c - col >= old_width) and self.value(sheet, r, c) not in (None, "")
        ]
        if in_the_way:
            raise Invalid(
                *[
                    f"{where}: cellen står, hvor en beregnet liste skal vises – flyt eller slet den"
                    for where in in_the_way
                ]
            )
        patch = self._patch(sheet)
        for offset in range(max(width, old_width)):
            length = max(height if offset < width else 0, old_height if offset < old_width else 0)
            values = [grid[r][offset] if r < height and offset < width else None for r in range(length)]
            patch.add(Run(col + offset, row, values, Kind.SPILLED))
        ref = cell_name(row, col)
        if (height, width) != (1, 1):
            ref += f":{cell_name(row + height - 1, col + width - 1)}"
        patch.put(row, col, Edit(Kind.ANCHOR, grid[0][0], ref))

    def set_constant(self, sheet: str, row: int, col: int, value: float | str | None) -> None:
        """Type a value into a cell as a user would: text stays text, never a formula; None clears."""
        self._patch(sheet).put(row, col, Edit(Kind.TYPE, value))

    def set_formula(self, sheet: str, row: int, col: int, formula: str, value: CellValue) -> None:
        """Put one of our formulas, with its cached value, into a cell."""
        self._patch(sheet).put(row, col, Edit(Kind.FORMULA, value, formula))

    def _review(self, sheet: str, report: bool = False) -> Review:
        """What the queued edits change on ``sheet`` (one pass); refuses typed-over computed cells."""
        known = self._reviews.get(sheet)
        if known is None or (report and not known[1]):
            patch, index, kept = self._patches[sheet], self._indexes.get(sheet), self._kept.get(sheet)
            cells: sheetxml.CellLookup | None = None  # read already: not scanned again
            after = None
            if index is not None:
                cells = index.cells
            elif kept is not None and kept.covers(patch.spans()):
                cells, after = kept, kept.fault
            scanner, where = partial(self._scanner, sheet), self._where(sheet)
            review = sheetpatch.review(scanner, where, patch, sheet, self._string, self.limits, report, cells, after)
            known = self._reviews[sheet] = (review, report)
        return known[0]

    def stale(self) -> list[str]:
        """A line per queued cell whose file value differs (``--check``); nothing is written."""
        return [line for sheet in self._patches for line in self._review(sheet, report=True).stale]

    def refresh_chart_caches(
        self, values: Mapping[CellKey, CellValue], named: Mapping[str, Sequence[CellValue]] | None = None
    ) -> None:
        """Update the data caches of every chart series that shows one of ``values``' cells, or a
        defined name of ``named`` (its points)."""
        for member in self._chart_parts():
            where = self._container.where(member)
            if charts.refresh(self._tree(member), values, self.limits.chart_points, where, named or {}):
                self._changed.add(member)

    def chart_references(self) -> list[list[str]]:
        """The ranges each chart's series refer to, chart by chart, in document order."""
        return [charts.references(self._tree(member)) for member in sorted(self._chart_parts())]

    def resize_chart_ranges(self, sheet: str, first_row: int, last_row: int) -> None:
        """Make every chart series range on ``sheet`` that starts at ``first_row`` end at ``last_row``."""
        for member in self._chart_parts():
            if charts.resize(self._tree(member), sheet, first_row, last_row):
                self._changed.add(member)

    def _chart_parts(self) -> Iterator[str]:
        return (name for name in self._container.names if charts.CHART_PART.match(name))

    @property
    def dirty(self) -> bool:
        """Whether saving would change the file (each sheet with queued edits is reviewed once)."""
        return bool(self._changed) or any(self._review(sheet).changed for sheet in self._patches)

    # -- writing ---------------------------------------------------------------------------

    def save(self, target: Path | None = None, force: bool = False) -> list[str]:
        """Write atomically over the file that was opened, refused if another program changed it since
        (see ``files.replace``); with ``target``, create that new file instead. Returns notes (forced)."""
        if self._saved:
            raise RuntimeError(f"{self.path} was saved already; open it again to save again")
        if target is None:
            notes = replace(self.path, self.write_to, self.identity, force)
        else:
            notes = create(Path(target), self.write_to, inputs=(self.path,), force=force)
        self._saved = target is None
        return notes

    def write_to(self, stream: BinaryIO) -> None:
        """Write the new package to ``stream``: changed parts anew, every other member copied raw.
        Queued edits are reviewed first, so a refused cell stops the write before a byte is written."""
        reviews = {sheet: self._review(sheet) for sheet in self._patches}
        writers: dict[str, Writer] = {member: partial(self._write_tree, member) for member in self._changed}
        for sheet, review in reviews.items():
            if review.changed:
                writers[self._sheet_parts[sheet]] = partial(self._write_sheet, sheet, review)
        self._container.write_to(stream, writers)

    def _write_tree(self, member: str, out: IO[bytes]) -> None:
        out.write(etree.tostring(self._trees[member], xml_declaration=True, encoding="UTF-8", standalone=True))

    def _write_sheet(self, sheet: str, review: Review, out: IO[bytes]) -> None:
        sheetpatch.apply(self._scanner(sheet), self._patches[sheet], review.changed, out)


def _read_defined_names(workbook: etree._Element) -> dict[str, Area]:
    names = {}
    for name in workbook.iterfind("m:definedNames/m:definedName", NS):
        if name.get("localSheetId") is not None or not name.text:
            continue
        try:
            names[name.get("name", "").casefold()] = Area.parse(name.text)
        except ValueError:
            continue  # a constant or formula name: not a place in the sheet
    return names


def type_values(path: Path, values: Mapping[str, float | str | None]) -> None:
    """Type values into a workbook's named input cells, as a user would (demo data, tests, benchmarks)."""
    with XlsxPackage(Path(path)) as package:
        for name, value in values.items():
            area = package.area(name)
            if area is None:
                raise KeyError(f"{path}: no defined name {name}")
            package.set_constant(area.sheet, *area.first, value)
        package.save()
