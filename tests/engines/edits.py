"""Edits "as another program would": change cells in a workbook's XML and keep every other part.

A user's file is not always saved by Excel: another program may type a value, append a row to a table,
extend a list or rename a text. These edits work on the package's XML directly (``tests.hostile.ooxml``'s
``Package``): every member they do not touch is written back byte for byte, so dynamic-array metadata,
tables, charts, validations and custom properties survive. openpyxl is not used, because it drops parts.

Cached values of formulas are left as they were: after an edit the file is stale, as it is after a
program that does not calculate, and the engines or ``xltools recalc`` compute it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tests.engines.cells import cell_value, shared_strings
from tests.engines.formulas import Area, cell_name, cell_position
from tests.engines.gnumeric import Table, read_tables
from tests.hostile.ooxml import DOC_REL, NS, PKG_REL, TYPES, Package, column_letters, column_number, ooxml_text

_M = "{%s}" % NS["m"]
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Formula:
    """A formula to write into a cell (text without ``=``), with no cached value, or as an array formula."""

    text: str
    array: bool = False


CellInput = float | int | str | bool | None | Formula
"""What a cell can be given: a number, a text (an inline string), a boolean, None (blank) or a formula."""


@contextmanager
def editing(path: Path, out: Path | None = None) -> Iterator[Package]:
    """Open ``path``'s package for editing; on leaving, it is saved to ``out`` (default: ``path``), every
    member whose XML did not change with its original bytes."""
    package = Package.read(path)
    yield package
    package.keep_unchanged()
    package.save(out or path)


def _clear(cell: etree._Element) -> None:
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)


def set_value(package: Package, sheet: str, ref: str, value: CellInput) -> None:
    """Type ``value`` into ``sheet!ref`` (the cell's style stays): a number, a text as an inline string,
    a boolean, a formula, or None to empty the cell."""
    cell = package.cell(sheet, ref)
    _clear(cell)
    if value is None:
        return
    if isinstance(value, Formula):
        formula = etree.SubElement(cell, _M + "f")
        formula.text = value.text
        if value.array:
            formula.set("t", "array")
            formula.set("ref", ref)
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, _M + "v").text = "1" if value else "0"
        return
    if isinstance(value, (int, float)):
        etree.SubElement(cell, _M + "v").text = repr(float(value)).removesuffix(".0")
        return
    cell.set("t", "inlineStr")
    text = etree.SubElement(etree.SubElement(cell, _M + "is"), _M + "t")
    text.text = ooxml_text(value)
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _grow_dimension(package: Package, sheet: str, area: Area) -> None:
    root = package.tree(package.sheet_member(sheet))
    dimension = root.find("m:dimension", NS)
    if dimension is None:
        return
    current = Area.parse(sheet, dimension.get("ref", "A1"))
    grown = Area(
        sheet,
        min(current.top, area.top),
        min(current.left, area.left),
        max(current.bottom, area.bottom),
        max(current.right, area.right),
    )
    dimension.set("ref", grown.a1(absolute=False))


def table(package: Package, name: str) -> Table:
    """The table called ``name`` (case-insensitive)."""
    return read_tables(package)[name.casefold()]


def append_table_rows(
    package: Package,
    name: str,
    rows: Sequence[Mapping[str, CellInput]],
    formulas: bool = False,
) -> list[int]:
    """Append rows below a table as Excel does when a row is typed under it: the cells are written (by
    column name), the table's ``ref`` and its autoFilter grow, and each new cell takes the style of the
    cell above. Calculated columns are left empty — Excel fills them by itself — unless ``formulas``,
    which writes the column's calculated formula into each new row as Excel saves it. Returns the rows."""
    found = table(package, name)
    if found.totals_rows:
        raise NotImplementedError(f"table {found.name} has a totals row; rows are inserted above it in Excel")
    root = package.tree(found.member)
    calculated = {}
    for offset, column in enumerate(root.iterfind("m:tableColumns/m:tableColumn", NS)):
        text = column.findtext("m:calculatedColumnFormula", None, NS)
        if text:
            calculated[found.area.left + offset] = text
    by_name = {column.casefold(): found.area.left + offset for offset, column in enumerate(found.columns)}
    last = found.area.bottom
    written = []
    for values in rows:
        unknown = [key for key in values if key.casefold() not in by_name]
        if unknown:
            raise KeyError(f"table {found.name} has no column {unknown[0]!r}")
        last += 1
        for column in range(found.area.left, found.area.right + 1):
            above = package.cell(found.sheet, cell_name(last - 1, column))
            cell = package.cell(found.sheet, cell_name(last, column))
            if above.get("s") and not cell.get("s"):
                cell.set("s", above.get("s", "0"))
        for key, value in values.items():
            set_value(package, found.sheet, cell_name(last, by_name[key.casefold()]), value)
        if formulas:
            for column, text in calculated.items():
                set_value(package, found.sheet, cell_name(last, column), Formula(text))
        written.append(last)
    grown = Area(found.sheet, found.area.top, found.area.left, last, found.area.right)
    root.set("ref", grown.a1(absolute=False))
    auto_filter = root.find("m:autoFilter", NS)
    if auto_filter is not None:
        auto_filter.set("ref", grown.a1(absolute=False))
    _grow_dimension(package, found.sheet, grown)
    return written


def _shown(package: Package, cell: etree._Element) -> object:
    return cell_value(cell, shared_strings(package)).python


def extend_list(
    package: Package, sheet: str, column: str, values: Sequence[CellInput], first_row: int = 1
) -> list[str]:
    """Write ``values`` below the last filled cell of ``column`` (from ``first_row``), as a user extends a
    list of choices on a sheet. Returns the cells written."""
    number = column_number(column.upper())
    last = first_row - 1
    for cell in package.tree(package.sheet_member(sheet)).iterfind("m:sheetData/m:row/m:c", NS):
        row, col = cell_position(cell.get("r", "A1"))
        if col == number and row >= first_row and _shown(package, cell) not in (None, ""):
            last = max(last, row)
    refs = []
    for offset, value in enumerate(values, start=1):
        ref = f"{column_letters(number)}{last + offset}"
        set_value(package, sheet, ref, value)
        refs.append(ref)
    _grow_dimension(
        package,
        sheet,
        Area.parse(sheet, f"{column_letters(number)}{first_row}:{refs[-1]}") if refs else Area.parse(sheet, "A1"),
    )
    return refs


def rename_text(package: Package, sheet: str, old: str, new: str) -> list[str]:
    """Replace the text of every cell on ``sheet`` that shows exactly ``old`` (not formulas) by ``new``,
    as a user retypes a label. A shared string becomes a new shared string; returns the cells changed."""
    strings = shared_strings(package)
    changed = []
    for cell in package.tree(package.sheet_member(sheet)).iterfind("m:sheetData/m:row/m:c", NS):
        if cell.find("m:f", NS) is not None:
            continue
        if cell_value(cell, strings).python == old:
            ref = cell.get("r", "A1")
            if cell.get("t") == "s":
                package.set_text(sheet, ref, new, shared=True)
            else:
                set_value(package, sheet, ref, new)
            changed.append(ref)
    return changed


def add_sheet(package: Package, name: str) -> str:
    """Add an empty worksheet called ``name`` after the others (workbook, relationships and content types
    updated); returns its member name."""
    numbers = [int(m[len("xl/worksheets/sheet") : -4]) for m in package.members if m.startswith("xl/worksheets/sheet")]
    member = f"xl/worksheets/sheet{max(numbers, default=0) + 1}.xml"
    package.add_member(
        member,
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS["m"]}" xmlns:r="{DOC_REL}"><sheetData/></worksheet>'
        ).encode(),
    )
    rels = package.tree("xl/_rels/workbook.xml.rels")
    ids = {rel.get("Id") for rel in rels}
    rel_id = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
    etree.SubElement(
        rels, "{%s}Relationship" % PKG_REL, Id=rel_id, Type=WORKSHEET_REL, Target=member.removeprefix("xl/")
    )
    sheets = package.tree("xl/workbook.xml").find("m:sheets", NS)
    sheet_id = max((int(s.get("sheetId", "0")) for s in sheets), default=0) + 1
    element = etree.SubElement(sheets, _M + "sheet", name=name, sheetId=str(sheet_id))
    element.set("{%s}id" % DOC_REL, rel_id)
    types = package.tree("[Content_Types].xml")
    etree.SubElement(types, "{%s}Override" % TYPES, PartName="/" + member, ContentType=WORKSHEET_TYPE)
    return member
