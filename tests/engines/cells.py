"""Every formula cell of every sheet, read from an .xlsx file's XML: where, formula text, cached value.

The agreement test compares the values three engines left in three files; each file is read the same way,
from its raw XML (no spreadsheet library in between, so nothing converts dates or hides an error).
A value is typed as the file types it: a number, text, a boolean, an error, or blank. A formula that
caches ``""`` (``t="str"`` with an empty value, or an empty ``<v/>``) counts as blank, as Excel shows it.
The cells of an array formula's range belong to it: each carries the anchor's formula and its own value.
Shared formulas are expanded: each cell gets its own text, moved from the master as Excel moves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lxml import etree

from tests.engines.formulas import Area, cell_name, cell_position, shift
from tests.hostile.ooxml import NS, Package, plain_text

Kind = Literal["number", "text", "bool", "error", "blank"]
_M = "{%s}" % NS["m"]


@dataclass(frozen=True)
class CellValue:
    """A cell's value as the file stores it; ``data`` is a float, str, bool, the error's text, or None."""

    kind: Kind
    data: float | str | bool | None = None

    def __str__(self) -> str:
        if self.kind == "blank":
            return "(blank)"
        if self.kind == "number":
            assert isinstance(self.data, float)
            return repr(int(self.data)) if self.data.is_integer() and abs(self.data) < 1e15 else repr(self.data)
        if self.kind == "bool":
            return "TRUE" if self.data else "FALSE"
        if self.kind == "error":
            return str(self.data)
        return repr(self.data)

    @property
    def python(self) -> float | str | bool | None:
        """The value as Python judges a cell: a float, str, bool or None; errors are their text."""
        return None if self.kind == "blank" else self.data


BLANK = CellValue("blank")


@dataclass(frozen=True)
class FormulaCell:
    """One cell computed by a formula: the formula is the anchor's for the cells of an array range."""

    sheet: str
    cell: str
    formula: str
    value: CellValue
    array: str | None = None
    """The range of the array formula this cell belongs to (``A2:A7``), None for an ordinary formula."""
    anchor: str | None = None
    """The cell holding the formula text; differs from ``cell`` only inside an array range."""

    @property
    def where(self) -> str:
        """The cell as a formula names it: ``'Uge 1'!B4``."""
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{self.cell}"


@dataclass
class Cells:
    """What a workbook file holds in its cells: formula cells, and the value of every cell."""

    formulas: dict[tuple[str, str], FormulaCell]
    values: dict[tuple[str, str], CellValue]
    sheets: list[str]

    def value(self, sheet: str, cell: str) -> CellValue:
        """The value of any cell; blank when the file has none."""
        return self.values.get((sheet, cell), BLANK)


def shared_strings(package: Package) -> list[str]:
    """The shared strings; rich-text runs joined, phonetic runs (``rPh``) left out."""
    if "xl/sharedStrings.xml" not in package.members:
        return []
    strings = []
    for item in package.tree("xl/sharedStrings.xml").iterfind("m:si", NS):
        parts = [t.text or "" for t in item.iterfind("m:t", NS)]
        parts += [t.text or "" for t in item.iterfind("m:r/m:t", NS)]
        strings.append(plain_text("".join(parts)))
    return strings


def _number(text: str) -> CellValue:
    number = float(text)
    return CellValue("number", number) if math.isfinite(number) else CellValue("error", "#NUM!")


def cell_value(cell: etree._Element, strings: list[str]) -> CellValue:
    """The typed value of one ``<c>`` element."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = cell.find("m:is", NS)
        text = "".join(t.text or "" for t in item.iter(_M + "t")) if item is not None else ""
        return CellValue("text", plain_text(text)) if text else BLANK
    raw = cell.findtext("m:v", None, NS)
    if raw is None or raw == "":
        return BLANK
    if kind == "s":
        text = strings[int(raw)]
        return CellValue("text", text) if text else BLANK
    if kind == "str":
        return CellValue("text", plain_text(raw))
    if kind == "b":
        return CellValue("bool", raw.strip() in ("1", "true"))
    if kind == "e":
        return CellValue("error", raw)
    if kind == "d":
        return CellValue("text", raw)  # an ISO date as text: no engine here writes it
    return _number(raw)


def read_cells(path: Path | Package) -> Cells:
    """Read every cell of every sheet (chart sheets have none): values, and formulas with their ranges."""
    package = path if isinstance(path, Package) else Package.read(Path(path))
    strings = shared_strings(package)
    formulas: dict[tuple[str, str], FormulaCell] = {}
    values: dict[tuple[str, str], CellValue] = {}
    sheets = []
    for sheet, member in package.sheets().items():
        sheets.append(sheet)
        if member not in package.members or "worksheets/" not in member:
            continue
        masters: dict[str, tuple[str, str]] = {}
        arrays: list[tuple[Area, str, str]] = []
        pending_shared: list[tuple[str, str, CellValue]] = []
        for cell in package.tree(member).iterfind("m:sheetData/m:row/m:c", NS):
            ref = cell.get("r")
            value = cell_value(cell, strings)
            values[(sheet, ref)] = value
            element = cell.find("m:f", NS)
            if element is None:
                continue
            kind = element.get("t", "normal")
            text = element.text or ""
            if kind == "shared":
                index = element.get("si", "")
                if text:
                    masters[index] = (ref, text)
                else:
                    pending_shared.append((ref, index, value))
                    continue
            if kind == "array":
                array = element.get("ref", ref)
                arrays.append((Area.parse(sheet, array), ref, text))
                formulas[(sheet, ref)] = FormulaCell(sheet, ref, text, value, array, ref)
                continue
            formulas[(sheet, ref)] = FormulaCell(sheet, ref, text, value)
        for ref, index, value in pending_shared:
            master, text = masters[index]
            (row, column), (master_row, master_column) = cell_position(ref), cell_position(master)
            formulas[(sheet, ref)] = FormulaCell(
                sheet, ref, shift(text, row - master_row, column - master_column), value
            )
        for area, anchor, text in arrays:
            for row, column in area.cells():
                ref = cell_name(row, column)
                if ref != anchor:
                    value = values.get((sheet, ref), BLANK)
                    formulas[(sheet, ref)] = FormulaCell(sheet, ref, text, value, area.a1(absolute=False), anchor)
    return Cells(formulas, values, sheets)


def read_formula_cells(path: Path) -> list[FormulaCell]:
    """Every formula cell of every sheet, in sheet order and then in file order."""
    return list(read_cells(path).formulas.values())
