"""An .xlsx file opened as its zip package: read defined names and cells, patch cached values.

Only the parts that change are parsed and rewritten; every other member's compressed bytes are
copied unchanged, so formats, validations, names, macros and other sheets survive byte for byte,
and a recalculation costs milliseconds rather than a full load and save.
"""

from __future__ import annotations

import copy
import posixpath
import re
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from xltools.workbook.files import create, open_regular, replace
from xltools.workbook.refs import Area, cell_name, parse_cell

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
_M = "{%s}" % NS["m"]
_C = "{%s}" % NS["c"]
_CHART_PART = re.compile(r"^xl/charts/chart[^/]*\.xml$")
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, remove_blank_text=False)

CellValue = float | str | bool | None
CellKey = tuple[str, int, int]  # (sheet, row, col), zero-based


class UnreadableWorkbook(Exception):
    """The file is not an .xlsx package this tool can read."""


def format_number(value: float) -> str:
    """A cached number as Excel writes it: integers without a decimal point, else shortest repr."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


class XlsxPackage:
    """One workbook file; edits stay in memory until ``save``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._source, self.identity = open_regular(self.path)  # a FIFO or folder is refused, never read
        self._saved = False
        try:
            self._zip = zipfile.ZipFile(self._source)
            self._infos = {info.filename: info for info in self._zip.infolist()}
            self._trees: dict[str, etree._Element] = {}
            self._changed: set[str] = set()
            workbook = self._tree("xl/workbook.xml")
            self._sheet_parts = self._read_sheet_parts(workbook)
            self.defined_names = self._read_defined_names(workbook)
            self._strings: list[str] | None = None
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as error:
            self.close()
            raise UnreadableWorkbook(f"{path}: kan ikke læses som .xlsx ({error})") from error
        self._cell_index: dict[str, dict[tuple[int, int], etree._Element]] = {}

    def close(self) -> None:
        zip_file = getattr(self, "_zip", None)
        if zip_file is not None:
            zip_file.close()
        self._source.close()

    def __enter__(self) -> XlsxPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    def _tree(self, member: str) -> etree._Element:
        if member not in self._trees:
            self._trees[member] = etree.fromstring(self._zip.read(member), _PARSER)
        return self._trees[member]

    def _read_sheet_parts(self, workbook: etree._Element) -> dict[str, str]:
        rels = self._tree("xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iterfind("rel:Relationship", NS)}
        parts = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", NS):
            target = targets[sheet.get("{%s}id" % NS["r"])]
            member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts[sheet.get("name")] = posixpath.normpath(member)
        return parts

    @staticmethod
    def _read_defined_names(workbook: etree._Element) -> dict[str, Area]:
        names = {}
        for name in workbook.iterfind("m:definedNames/m:definedName", NS):
            if name.get("localSheetId") is not None or not name.text:
                continue
            try:
                names[name.get("name").casefold()] = Area.parse(name.text)
            except ValueError:
                continue  # a constant or formula name: not a place in the sheet
        return names

    def _read_shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self._infos:
            return []
        root = self._tree("xl/sharedStrings.xml")
        return ["".join(si.itertext()) for si in root.iterfind("m:si", NS)]

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheet_parts)

    def area(self, defined_name: str) -> Area | None:
        """Where a workbook-level defined name points (names are case-insensitive, as in Excel)."""
        return self.defined_names.get(defined_name.casefold())

    def _cells(self, sheet: str) -> dict[tuple[int, int], etree._Element]:
        if sheet not in self._cell_index:
            root = self._tree(self._sheet_parts[sheet])
            index: dict[tuple[int, int], etree._Element] = {}
            row_number = 0
            for row in root.iterfind("m:sheetData/m:row", NS):
                row_number = int(row.get("r") or row_number + 1)
                col = -1
                for cell in row.iterfind("m:c", NS):
                    ref = cell.get("r")
                    col = parse_cell(ref)[1] if ref else col + 1
                    index[(row_number - 1, col)] = cell
            self._cell_index[sheet] = index
        return self._cell_index[sheet]

    def value(self, sheet: str, row: int, col: int) -> CellValue:
        """The value a cell shows (its cached value if it holds a formula); None when blank."""
        cell = self._cells(sheet).get((row, col))
        if cell is None:
            return None
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find("m:is", NS)
            return "".join(inline.itertext()) if inline is not None else ""
        v = cell.find("m:v", NS)
        if v is None or v.text is None:
            return None
        if kind == "s":
            if self._strings is None:  # parsed on first use: large for big tables
                self._strings = self._read_shared_strings()
            return self._strings[int(v.text)]
        if kind in ("str", "e"):
            return v.text
        if kind == "b":
            return v.text == "1"
        return float(v.text)

    def table(self, name: str) -> Area | None:
        """Where an Excel table (ListObject) sits, by its name, as the file says now."""
        found = self._table_part(name)
        return found[1] if found else None

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
            rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if rels not in self._infos:
                continue
            for rel in self._tree(rels).iterfind("rel:Relationship", NS):
                if not rel.get("Type", "").endswith("/table"):
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target", "")))
                root = self._tree(target.lstrip("/"))
                if name.casefold() in (root.get("name", "").casefold(), root.get("displayName", "").casefold()):
                    first, _, last = root.get("ref", "").partition(":")
                    return target.lstrip("/"), Area(sheet, parse_cell(first), parse_cell(last or first))
        return None

    def has_formula(self, sheet: str, row: int, col: int) -> bool:
        cell = self._cells(sheet).get((row, col))
        return cell is not None and cell.find("m:f", NS) is not None

    # -- custom document properties -----------------------------------------------------

    def custom_properties(self) -> dict[str, str]:
        if "docProps/custom.xml" not in self._infos:
            return {}
        root = self._tree("docProps/custom.xml")
        return {prop.get("name"): "".join(prop.itertext()).strip() for prop in root.iterfind("cp:property", NS)}

    def set_custom_property(self, name: str, value: str) -> None:
        """Update an existing text property (the builder creates them; other writers keep them)."""
        if "docProps/custom.xml" not in self._infos:
            return
        root = self._tree("docProps/custom.xml")
        for prop in root.iterfind("cp:property", NS):
            if prop.get("name") == name and len(prop) and prop[0].text != value:
                prop[0].text = value
                self._changed.add("docProps/custom.xml")

    # -- writing ---------------------------------------------------------------------------

    def set_values(self, sheet: str, values: Mapping[tuple[int, int], CellValue]) -> int:
        """Write cached values of formula cells; returns how many differed from what was cached."""
        cells = self._cells(sheet)
        changed = 0
        for (row, col), new in values.items():
            cell = cells.get((row, col))
            if cell is None or cell.find("m:f", NS) is None:
                raise ValueError(f"{sheet}!{cell_name(row, col)} holds no formula")
            if same_value(self.value(sheet, row, col), new):
                continue
            _write_cached(cell, new)
            changed += 1
        if changed:
            self._changed.add(self._sheet_parts[sheet])
        return changed

    def set_constant(self, sheet: str, row: int, col: int, value: float | str | None) -> None:
        """Type a value into a cell as a user would: text stays text, never a formula; None clears."""
        cell = self._cell_for_writing(sheet, row, col)
        for child in list(cell):
            cell.remove(child)
        if value is None:
            cell.attrib.pop("t", None)
        elif isinstance(value, str):
            cell.set("t", "inlineStr")
            inline = etree.SubElement(cell, _M + "is")
            text = etree.SubElement(inline, _M + "t")
            text.text = value
            if value != value.strip():
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        else:
            cell.attrib.pop("t", None)
            etree.SubElement(cell, _M + "v").text = format_number(value)
        self._changed.add(self._sheet_parts[sheet])

    def set_formula(self, sheet: str, row: int, col: int, formula: str, value: CellValue) -> None:
        """Put one of our formulas, with its cached value, into an empty cell (a row Excel did not fill)."""
        cell = self._cell_for_writing(sheet, row, col)
        for child in list(cell):
            cell.remove(child)
        cell.attrib.pop("t", None)
        etree.SubElement(cell, _M + "f").text = formula.lstrip("=")
        _write_cached(cell, value)
        self._changed.add(self._sheet_parts[sheet])

    def _cell_for_writing(self, sheet: str, row: int, col: int) -> etree._Element:
        cells = self._cells(sheet)
        if (row, col) in cells:
            return cells[(row, col)]
        data = self._tree(self._sheet_parts[sheet]).find("m:sheetData", NS)
        rows = {int(r.get("r")): r for r in data.iterfind("m:row", NS)}
        row_element = rows.get(row + 1)
        if row_element is None:
            row_element = etree.Element(_M + "row", r=str(row + 1))
            later = [number for number in rows if number > row + 1]
            if later:
                rows[min(later)].addprevious(row_element)
            else:
                data.append(row_element)
        cell = etree.Element(_M + "c", r=cell_name(row, col))
        style = self._column_style(sheet, col)
        if style:
            cell.set("s", style)
        later_cells = [c for (r, c_col), c in cells.items() if r == row and c_col > col]
        if later_cells:
            min(later_cells, key=lambda c: parse_cell(c.get("r"))[1]).addprevious(cell)
        else:
            row_element.append(cell)
        cells[(row, col)] = cell
        return cell

    def _column_style(self, sheet: str, col: int) -> str | None:
        """The style a new cell in ``col`` gets in Excel: the column's default (a date format, say)."""
        root = self._tree(self._sheet_parts[sheet])
        for column in root.iterfind("m:cols/m:col", NS):
            if int(column.get("min", 0)) <= col + 1 <= int(column.get("max", 0)):
                return column.get("style")
        return None

    def refresh_chart_caches(self, values: Mapping[CellKey, CellValue]) -> None:
        """Update the data caches of every chart series that shows one of ``values``' cells."""
        for member in self._infos:
            if not _CHART_PART.match(member):
                continue
            root = self._tree(member)
            for ref in root.iter(_C + "numRef", _C + "strRef"):
                formula = ref.find("c:f", NS)
                try:
                    area = Area.parse(formula.text or "")
                except (ValueError, AttributeError):
                    continue
                points = [values.get((area.sheet, row, col)) for row, col in area.cells()]
                if any(point is not None for point in points) and _set_cache(ref, points):
                    self._changed.add(member)

    def chart_references(self) -> list[list[str]]:
        """The ranges each chart's series refer to, chart by chart, in document order."""
        charts = sorted(member for member in self._infos if _CHART_PART.match(member))
        return [[f.text or "" for f in self._tree(member).iter(_C + "f")] for member in charts]

    def resize_chart_ranges(self, sheet: str, first_row: int, last_row: int) -> None:
        """Make every chart series range on ``sheet`` that starts at ``first_row`` end at ``last_row``."""
        for member in self._infos:
            if not _CHART_PART.match(member):
                continue
            for formula in self._tree(member).iter(_C + "f"):
                try:
                    area = Area.parse(formula.text or "")
                except ValueError:
                    continue
                if area.sheet == sheet and area.first[0] == first_row and area.last[0] != last_row:
                    resized = Area(sheet, area.first, (last_row, area.last[1]))
                    formula.text = str(resized)
                    self._changed.add(member)

    @property
    def dirty(self) -> bool:
        return bool(self._changed)

    def save(self, target: Path | None = None, force: bool = False) -> list[str]:
        """Write atomically over the file that was opened, refused if another program changed it since
        (see ``files.replace``); with ``target``, create that new file instead. Returns notes (forced)."""
        if self._saved:
            raise RuntimeError(f"{self.path} was saved already; open it again to save again")
        if target is None:
            notes = replace(self.path, self._write, self.identity, force)
        else:
            notes = create(Path(target), self._write, inputs=(self.path,), force=force)
        self._saved = target is None
        return notes

    def _write(self, out: BinaryIO) -> None:
        with zipfile.ZipFile(out, "w") as new:
            for name, info in self._infos.items():
                if name in self._changed:
                    data = etree.tostring(self._trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
                    fresh = zipfile.ZipInfo(name, date_time=info.date_time)
                    fresh.compress_type = zipfile.ZIP_DEFLATED
                    fresh.external_attr = info.external_attr
                    new.writestr(fresh, data)
                else:
                    _copy_raw(self._zip, new, info)


def _copy_raw(source: zipfile.ZipFile, target: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member's compressed bytes without inflating and deflating them again.

    zipfile has no public raw copy; this uses the central directory's sizes and CRC, writes a
    local header without a data descriptor, and registers the entry for the central directory.
    """
    source.fp.seek(info.header_offset)  # type: ignore[union-attr]
    header = source.fp.read(30)  # type: ignore[union-attr]
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    source.fp.seek(info.header_offset + 30 + name_length + extra_length)  # type: ignore[union-attr]
    data = source.fp.read(info.compress_size)  # type: ignore[union-attr]
    entry = copy.copy(info)
    entry.flag_bits &= ~0x08  # sizes and CRC go in the local header
    entry.extra = b""
    entry.header_offset = target.fp.tell()  # type: ignore[union-attr]
    target.fp.write(entry.FileHeader())  # type: ignore[union-attr]
    target.fp.write(data)  # type: ignore[union-attr]
    target.filelist.append(entry)
    target.NameToInfo[entry.filename] = entry
    target.start_dir = target.fp.tell()  # type: ignore[union-attr]


def same_value(cached: CellValue, new: CellValue) -> bool:
    """Whether a cell's stored value already shows ``new`` (numbers to Excel's 15 digits; "" is blank)."""
    if new in (None, "") or cached in (None, ""):
        return new in (None, "") and cached in (None, "")
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        if not isinstance(cached, float):
            return False
        return format_number(cached) == format_number(new) or abs(cached - new) <= 1e-12 * max(1.0, abs(new))
    return cached == new


def type_values(path: Path, values: Mapping[str, float | str | None]) -> None:
    """Type values into a workbook's named input cells, as a user would (demo data, tests, benchmarks)."""
    with XlsxPackage(Path(path)) as package:
        for name, value in values.items():
            area = package.area(name)
            if area is None:
                raise KeyError(f"{path}: no defined name {name}")
            package.set_constant(area.sheet, *area.first, value)
        package.save()


def _write_cached(cell: etree._Element, value: CellValue) -> None:
    for old in cell.findall(_M + "v") + cell.findall(_M + "is"):
        cell.remove(old)
    if value is None:
        cell.attrib.pop("t", None)
        return
    v = etree.Element(_M + "v")
    if isinstance(value, bool):
        cell.set("t", "b")
        v.text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        cell.attrib.pop("t", None)
        v.text = format_number(value)
    else:
        cell.set("t", "str")
        v.text = str(value)
    formula = cell.find(_M + "f")
    formula.addnext(v)


def _set_cache(ref: etree._Element, points: list[CellValue]) -> bool:
    """Rewrite the cached points a chart series holds; None means "not ours", keep the old point.

    When every point is known the cache is rebuilt whole, so a resized range gets the right count.
    """
    numeric = ref.tag == _C + "numRef"
    cache_tag = _C + ("numCache" if numeric else "strCache")
    old = ref.find(cache_tag)
    existing = (
        {} if old is None else {int(pt.get("idx")): pt.findtext("c:v", None, NS) for pt in old.iterfind("c:pt", NS)}
    )
    texts: dict[int, str] = {}
    for index in range(len(points)):
        point = points[index]
        if point is None:
            if index in existing and existing[index] is not None:
                texts[index] = existing[index]  # type: ignore[assignment]
        elif point != "":
            texts[index] = format_number(point) if numeric and not isinstance(point, str) else str(point)
    count = str(len(points))
    if (
        old is not None
        and existing == texts
        and old.find("c:ptCount", NS) is not None
        and old.find("c:ptCount", NS).get("val") == count
    ):
        return False
    cache = etree.Element(cache_tag)
    if numeric:
        format_code = old.findtext("c:formatCode", "General", NS) if old is not None else "General"
        etree.SubElement(cache, _C + "formatCode").text = format_code
    etree.SubElement(cache, _C + "ptCount").set("val", count)
    for index, text in sorted(texts.items()):
        pt = etree.SubElement(cache, _C + "pt", idx=str(index))
        etree.SubElement(pt, _C + "v").text = text
    if old is not None:
        old.addprevious(cache)
        ref.remove(old)
    else:
        ref.append(cache)
    return True
