"""A worksheet's XML read as bytes: rows and cells found with compiled regexes, in one forward pass.

A sheet is fed in chunks and split into its head (up to ``<sheetData>``), its rows (each cut at its
``</row>``) and its tail. Rows and cells may lack ``r`` attributes (numbered implicitly, as the
format allows) and elements may carry a namespace prefix (``<x:c>``). Rows must ascend and cells
within a row too, as Excel and LibreOffice write them — anything else in ``<sheetData>`` is refused
rather than guessed at. No tree is built: a 100,000-row sheet takes the memory of one chunk, and
small sheets are indexed whole for random access.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple, Protocol

from xltools.errors import Unreadable
from xltools.messages import number, quote
from xltools.workbook.limits import Limits
from xltools.workbook.refs import cell_name, column_index, column_letters
from xltools.workbook.safexml import refuse_dtd
from xltools.workbook.values import CellValue

MAX_ROWS, MAX_COLS = 1_048_576, 16_384

_NAME = rb"[A-Za-z_][\w.-]*"
_ATTRS = rb"((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*"
_ATTRS_PLAIN = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*"
_ATTR = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_R_ATTR = re.compile(rb"\sr\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_T_ATTR = re.compile(rb"\st\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_R_FIRST = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
"""A cell's reference as Excel, LibreOffice, openpyxl and XlsxWriter write it: the first attribute."""
_SHEET_DATA = re.compile(rb"<((?:" + _NAME + rb":)?)sheetData" + _ATTRS + rb"(/?)>")
_CELL_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_][\w.-]*);|&")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_EPOCH = date(1899, 12, 30)
_KINDS = {kind.encode("ascii"): kind for kind in ("n", "s", "str", "inlineStr", "b", "e", "d")}


UsualParts = tuple[list[bytes], list[bytes], list[bytes | None], list[bytes | None], list[bytes | None]]
"""A usual row's cells column by column: letters, row digits, type, the ``<f`` start or None, value or None."""


class Row(NamedTuple):
    """One ``<row>`` element: its zero-based number, its bytes, and where its cells start and end."""

    number: int
    data: bytes
    cells_start: int
    cells_end: int
    attrs: bytes


class Cell(NamedTuple):
    """What a cell holds: its type (``t``), the text of its value, and whether a formula computes it."""

    kind: str
    text: str | None
    formula: bool


@cache
def patterns(prefix: bytes) -> Patterns:
    """The compiled patterns for one namespace prefix (``b""`` or ``b"x:"``)."""
    return Patterns(prefix)


class Patterns:
    """Regexes for the elements of ``<sheetData>`` written with one namespace prefix."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.row_start = re.compile(rb"<" + p + rb"row" + _ATTRS + rb"(/?)>")
        self.row_end = re.compile(rb"</" + p + rb"row\s*>")
        self.data_end = re.compile(rb"</" + p + rb"sheetData\s*>")
        self.cell = re.compile(
            rb"<" + p + rb"c" + _ATTRS + rb"(?:/>|>((?:[^<]+|<(?!/" + p + rb"c\s*>))*)</" + p + rb"c\s*>)"
        )
        self.usual_cell = re.compile(_usual_cell(prefix, ("attrs", "body")))
        """A cell as Excel, LibreOffice, openpyxl and XlsxWriter mostly write it, matched as ``cell`` would
        match it (the same groups), only faster; anything else is left to ``cell``."""
        self.usual_parts = re.compile(_usual_cell(prefix, ("letters", "digits", "kind", "formula", "raw")))
        """The usual cell with its reference, type, formula flag and value as groups (``Scanner.usual``)."""
        self.cell_with_ref = b"<" + prefix + b'c r="'
        self.extension = re.compile(rb"<" + p + rb"extLst\b.*?</" + p + rb"extLst\s*>", re.S)
        self.formula_open = b"<" + prefix + b"f"
        self.content = re.compile(
            rb"\s*(?:(<" + p + rb"f" + _ATTRS_PLAIN + rb"(?:/>|>[^<]*</" + p + rb"f\s*>))\s*)?"
            rb"(?:<" + p + rb"v" + _ATTRS_PLAIN + rb"(?:/>|>([^<]*)</" + p + rb"v\s*>))?"
        )
        self.formula = re.compile(rb"<" + p + rb"f" + _ATTRS + rb"(?:/>|>([^<]*)</" + p + rb"f\s*>)")
        self.value = re.compile(rb"<" + p + rb"v" + _ATTRS + rb"(?:/>|>([^<]*)</" + p + rb"v\s*>)")
        self.inline = re.compile(rb"<" + p + rb"is" + _ATTRS + rb"(?:/>|>(.*?)</" + p + rb"is\s*>)", re.S)
        self.text = re.compile(rb"<" + p + rb"t" + _ATTRS + rb"(?:/>|>([^<]*)</" + p + rb"t\s*>)")
        self.shared_string = re.compile(rb"<" + p + rb"si" + _ATTRS + rb"(?:/>|>(.*?)</" + p + rb"si\s*>)", re.S)
        self.shared_string_end = b"</" + prefix + b"si>"
        self.phonetic = re.compile(rb"<" + p + rb"rPh\b.*?</" + p + rb"rPh\s*>", re.S)


_USUAL_FORMULA_ATTRS = (
    rb'(?: t="shared"| ref="[A-Z0-9:$]{1,40}"| si="[0-9]{1,9}"| aca="[a-z01]{1,5}"| ca="[a-z01]{1,5}")*'
)
"""What else a usual ``<f>`` may say: a shared formula's group (Excel writes a filled-down formula once,
its other cells ``<f t="shared" si="0"/>``) and LibreOffice's ``aca="false"``; never an array formula,
whose range only the cell-by-cell reading records."""


def _usual_cell(prefix: bytes, groups: tuple[str, ...]) -> bytes:
    """The pattern of a cell written the usual way: ``r`` first, then ``s`` and ``t``, an ``<f>`` that
    is no array formula and a plain ``<v>``; the parts named in ``groups`` captured, in the order they occur."""
    p = re.escape(prefix)

    def part(name: str, pattern: bytes) -> bytes:
        return (b"(" if name in groups else b"(?:") + pattern + b")"

    start = part("formula", b"<" + p + b"f" + _USUAL_FORMULA_ATTRS)  # its start: a flag
    formula = b"(?:" + start + b"(?:/>|>[^<]*</" + p + b"f>))?"
    value = b"(?:<" + p + b"v>" + part("raw", b"[^<]*") + b"</" + p + b"v>)?"
    reference = part("letters", b"[A-Z]{1,3}") + part("digits", b"[0-9]{1,7}")
    kind = b'(?: t="' + part("kind", b"[a-zA-Z]{1,9}") + b'")?'
    attrs = part("attrs", b' r="' + reference + b'"(?: s="[0-9]{1,9}")?' + kind)
    return b"<" + p + b"c" + attrs + b"(?:/>|>" + part("body", formula + value) + b"</" + p + b"c>)"


def attributes(attrs: bytes) -> dict[bytes, bytes]:
    """An element's attributes by name (values as written, still escaped)."""
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(attrs)}


def attribute(attrs: bytes, name: bytes) -> bytes | None:
    for m in _ATTR.finditer(attrs):
        if m[1] == name:
            return m[2] if m[2] is not None else m[3]
    return None


def text(raw: bytes, where: str) -> str:
    """Element text as the user sees it: UTF-8 decoded, line ends normalised, entities and Excel's
    ``_xHHHH_`` escapes replaced. An entity the format does not define is refused."""
    if raw.isdigit() or (raw.isascii() and b"&" not in raw and b"_x" not in raw and b"\r" not in raw):
        return raw.decode("ascii")  # most cells: digits, a shared string's number, plain words
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"{where}: teksten er ikke gyldig UTF-8") from None
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in value:
        value = _ENTITY.sub(lambda match: _entity(match, where), value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value)
    return value


def _entity(match: re.Match[str], where: str) -> str:
    name = match[1]
    if name is None:
        raise Unreadable(f"{where}: et &-tegn er ikke skrevet som &amp;")
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        if 0 < code <= 0x10FFFF:
            return chr(code)
    elif name in _NAMED:
        return _NAMED[name]
    raise Unreadable(f"{where}: ukendt entitet &{name[:20]}; – afvist")


def _found(match: re.Match[bytes] | None) -> bytes | None:
    if match is None:
        return None
    return match[1] if match[1] is not None else match[2]


def cell_column(attrs: bytes, row: int, previous: int, where: str) -> int:
    """A cell's zero-based column: from its ``r`` attribute, else the one after ``previous``."""
    usual = _R_FIRST.match(attrs)
    if usual is not None and int(usual[2]) - 1 == row:
        col = _column(usual[1])
        if previous < col < MAX_COLS:
            return col
    ref = _found(_R_ATTR.search(attrs))
    if ref is None:
        col = previous + 1
    else:
        match = _CELL_REF.fullmatch(ref.strip())
        if match is None or int(match[2]) - 1 != row:
            raise Unreadable(f"{where}: cellen {quote(ref.decode('utf-8', 'replace'))} står i række {row + 1}")
        col = _column(match[1])
    if col <= previous or col >= MAX_COLS:
        raise Unreadable(f"{where}: cellerne i række {row + 1} står ikke i stigende orden")
    return col


def _skip_space(data: bytes, pos: int, end: int) -> int:
    while pos < end and data[pos] in b" \t\r\n":
        pos += 1
    return pos


@cache
def _letters(col: int) -> bytes:
    return column_letters(col).encode("ascii")


@cache
def _column(letters: bytes) -> int:
    return column_index(letters.decode("ascii"))


# -- splitting a sheet into head, rows and tail -------------------------------------------------


class Scanner:
    """One forward pass over a sheet's XML, given in chunks; holds at most one row beyond a chunk."""

    def __init__(self, chunks: Iterable[bytes], where: str, limits: Limits) -> None:
        self.where = where
        self._limits = limits
        self._chunks = iter(chunks)
        self._buffer = b""
        self._pos = 0
        self.head, self.prefix, self.closed = self._read_head()
        self.patterns = patterns(self.prefix)
        self._alike: dict[tuple[bytes | None, bool, bytes | None], Cell] = {}

    def _more(self) -> bool:
        """Append the next chunk, dropping what was consumed; False at the end of the sheet."""
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self._buffer = self._buffer[self._pos :] + chunk
        self._pos = 0
        return True

    def _need_more(self, what: str) -> None:
        if len(self._buffer) - self._pos > self._limits.row_bytes:
            raise Unreadable(f"{self.where}: {what} er over {self._limits.row_bytes // (1 << 20)} MiB – afvist")
        if not self._more():
            raise Unreadable(f"{self.where}: arket er afkortet")

    def _read_head(self) -> tuple[bytes, bytes, bool]:
        if not self._more():
            raise Unreadable(f"{self.where}: arket er tomt")
        if self._buffer.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise Unreadable(f"{self.where}: arket er gemt i UTF-16; xltools læser kun UTF-8")
        while (match := _SHEET_DATA.search(self._buffer)) is None:
            self._need_more("arkets start")
        head = self._buffer[: match.end()]
        refuse_dtd(head, self.where)
        self._pos = match.end()
        return head, match[1], bool(match[3])

    def rows(self) -> Iterator[Row]:
        """The rows in order, numbered zero-based (implicitly where ``r`` is missing); stops at
        ``</sheetData>``, leaving the tail."""
        if self.closed:
            return
        pats = self.patterns
        row_tag, end_tag = b"<" + pats.prefix + b"row", b"</" + pats.prefix + b"row>"
        previous = -1
        count = 0
        while True:
            buffer = self._buffer
            pos = self._pos = _skip_space(buffer, self._pos, len(buffer))
            start = pats.row_start.match(buffer, pos)
            if start is None:
                if pats.data_end.match(buffer, pos):
                    return
                if buffer.find(b">", pos) < 0:
                    self._need_more("en række")
                    continue
                raise Unreadable(f"{self.where}: uventet indhold efter række {previous + 1}")
            cells_start = start.end()
            if start[2]:
                cells_end = stop = cells_start
            else:
                cells_end = buffer.find(end_tag, cells_start)
                if cells_end < 0:
                    odd = pats.row_end.search(buffer, cells_start)  # "</row >": legal, never seen
                    if odd is None:
                        self._need_more("en række")
                        continue
                    cells_end = odd.start()
                    stop = odd.end()
                else:
                    stop = cells_end + len(end_tag)
                if buffer.find(row_tag, cells_start, cells_end) >= 0:
                    raise Unreadable(f"{self.where}: række {previous + 2} er ikke afsluttet")
            self._pos = stop
            previous = self._row_number(start[1], previous)
            count += 1
            if count > self._limits.sheet_rows:
                raise Unreadable(f"{self.where} har over {number(self._limits.sheet_rows)} rækker – afvist")
            yield Row(previous, buffer[pos:stop], cells_start - pos, cells_end - pos, start[1])

    def _row_number(self, attrs: bytes, previous: int) -> int:
        if attrs.startswith(b' r="') and (close := attrs.find(b'"', 4)) > 4 and attrs[4:close].isdigit():
            row = int(attrs[4:close]) - 1
        elif (number := attribute(attrs, b"r")) is None:
            row = previous + 1
        elif number.strip().isdigit():
            row = int(number) - 1
        else:
            raise Unreadable(f"{self.where}: rækkenummer {quote(number.decode('utf-8', 'replace'))} er ugyldigt")
        if row <= previous or row >= MAX_ROWS:
            raise Unreadable(f"{self.where}: rækkerne står ikke i stigende orden (række {row + 1})")
        return row

    def tail(self) -> Iterator[bytes]:
        """Everything after the rows (``</sheetData>`` onwards), in chunks."""
        yield self._buffer[self._pos :]
        self._buffer, self._pos = b"", 0
        yield from self._chunks

    def cells(self, row: Row) -> Iterator[tuple[int, re.Match[bytes]]]:
        """A row's cells with their zero-based columns, in order."""
        pats, data, end = self.patterns, row.data, row.cells_end
        pos, col = row.cells_start, -1
        usual, general = pats.usual_cell.match, pats.cell.match
        while pos < end:
            match = usual(data, pos, end) or general(data, pos, end)
            if match is None:
                skipped = _skip_space(data, pos, end)
                if skipped >= end:
                    break
                if skipped > pos:
                    pos = skipped
                    continue
                extension = pats.extension.match(data, pos, end)
                if extension is None:
                    raise Unreadable(f"{self.where}: uventet indhold i række {row.number + 1}")
                pos = extension.end()
                continue
            col = cell_column(match[1], row.number, col, self.where)
            yield col, match
            pos = match.end()

    def usual_cells(self, row: Row, wanted: Container[int] | None = None) -> dict[tuple[int, int], Cell] | None:
        """A row's cells (those at the ``wanted`` columns, if given) decoded at once when every one of them
        is written the usual way (``usual_cell``, nothing between them); None otherwise, and the caller
        reads them one by one with ``cells``."""
        parts = self.usual(row)
        if parts is None:
            return None
        found: dict[tuple[int, int], Cell] = {}
        number = row.number
        previous, line = -1, b"%d" % (number + 1)
        column, decoded, alike = _column, self.decoded, self._alike.get
        for letters, digits, kind, formula, raw in zip(*parts, strict=True):
            col = column(letters)
            if digits != line or not previous < col < MAX_COLS:
                return None  # misnumbered or out of order: ``cells`` says which
            previous = col
            if wanted is not None and col not in wanted:
                continue
            cell = alike((kind, formula is not None, raw))  # most cells: a spelling met before, no call
            found[(number, col)] = cell if cell is not None else decoded(kind, formula, raw)
        return found

    def decoded(self, kind: bytes | None, formula: bytes | None, raw: bytes | None) -> Cell:
        """A cell written the usual way, from its type, the ``<f`` start (if any) and raw value
        (``usual``): decoded once per spelling met in this sheet, like cells sharing one object (a
        computed column repeats few values) — up to ``_ALIKE`` spellings at a time."""
        key = (kind, formula is not None, raw)
        cell = self._alike.get(key)
        if cell is None:
            decoded = _KINDS.get(kind, "?") if kind else "n"
            if not raw or decoded == "inlineStr":
                text_value = None
            else:
                text_value = raw.decode("ascii") if raw.isdigit() else text(raw, self.where)  # most: no call
            if len(self._alike) >= _ALIKE:
                self._alike.clear()
            cell = self._alike[key] = _new_tuple(Cell, (decoded, text_value, formula is not None))
        return cell

    def usual(self, row: Row) -> UsualParts | None:
        """A row's cells as five lists — column letters, row digits, type, the ``<f`` start if a formula computes
        the cell, value (None where absent) — when every cell is written the usual way (``usual_cell``,
        nothing between them); else None. One regex pass: the row split at its cells, nothing left
        between them, also hands over their parts column by column."""
        parts: list[Any] = self.patterns.usual_parts.split(row.data[row.cells_start : row.cells_end])
        if any(parts[0::6]):
            return None
        return parts[1::6], parts[2::6], parts[3::6], parts[4::6], parts[5::6]

    def locate(self, row: Row, cols: Iterable[int]) -> dict[int, re.Match[bytes]] | None:
        """The cells at ``cols``, found by their exact reference when all of them start with their
        ``r`` attribute (as Excel, LibreOffice, openpyxl and XlsxWriter write them); else None, and
        the caller parses the whole row with ``cells`` (which also finds where missing cells go).

        A raw ``<`` is always markup in XML, so ``<c r="P12"`` can only be that cell's start tag."""
        pats, data, start, end = self.patterns, row.data, row.cells_start, row.cells_end
        found = {}
        number = b"%d" % (row.number + 1)
        usual, general = pats.usual_cell.match, pats.cell.match
        for col in cols:
            at = data.find(pats.cell_with_ref + _letters(col) + number + b'"', start, end)
            match = (usual(data, at, end) or general(data, at, end)) if at >= 0 else None
            if match is None:
                return None
            found[col] = match
        return found


# -- reading cells ---------------------------------------------------------------------------------


Area = tuple[int, int, int, int]
"""(first row, first col, last row, last col), zero-based and inclusive."""


class SheetCells:
    """Cells read from a sheet, by (row, col); array formulas' ranges count as formula cells."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], Cell] = {}
        self.arrays: list[Area] = []

    def get(self, row: int, col: int) -> Cell | None:
        cell = self.cells.get((row, col))
        if cell is not None and not cell.formula and self.in_array(row, col):
            return cell._replace(formula=True)
        if cell is None and self.in_array(row, col):
            return Cell("n", None, True)
        return cell

    def in_array(self, row: int, col: int) -> bool:
        for top, left, bottom, right in self.arrays:
            if top <= row <= bottom and left <= col <= right:
                return True
        return False


def read_cell(scanner: Scanner, match: re.Match[bytes], arrays: list[Area] | None, row: int, col: int) -> Cell:
    """Decode one matched cell; an array formula's range is added to ``arrays`` when given."""
    pats, where = scanner.patterns, scanner.where
    kind_bytes = _found(_T_ATTR.search(match[1])) if b"t" in match[1] else None
    kind = _KINDS.get(kind_bytes, "?") if kind_bytes is not None else "n"
    body = match[2] or b""
    content = pats.content.match(body)
    formula: bytes | None = content[1] if content is not None else None
    raw = content[2] if content is not None else None
    if formula is None and pats.formula_open in body:  # not in the order the format gives
        found = pats.formula.search(body)
        formula = found[0] if found is not None else None
        value_found = pats.value.search(body)
        raw = value_found[2] if value_found is not None else None
    if arrays is not None and formula is not None and b"array" in formula:
        start = pats.formula.match(formula)
        if start is not None and attribute(start[1], b"t") == b"array":
            arrays.append(_area(attribute(start[1], b"ref"), row, col))
    if kind == "inlineStr":
        inline = pats.inline.search(body)
        value = None if inline is None else inline_text(inline[2] or b"", pats, where)
    else:
        value = text(raw, where) if raw else None
    return Cell(kind, value, formula is not None)


def inline_text(body: bytes, pats: Patterns, where: str) -> str:
    """The text of an ``<is>`` or ``<si>``: its ``<t>`` runs joined, phonetic runs (``<rPh>``) left out."""
    if b"rPh" in body:
        body = pats.phonetic.sub(b"", body)
    return "".join(text(match[2] or b"", where) for match in pats.text.finditer(body))


def _area(ref: bytes | None, row: int, col: int) -> Area:
    first, _, last = (ref or b"").partition(b":")
    top = _CELL_REF.fullmatch(first.replace(b"$", b""))
    bottom = _CELL_REF.fullmatch((last or first).replace(b"$", b""))
    if top is None or bottom is None:
        return row, col, row, col
    return int(top[2]) - 1, _column(top[1]), int(bottom[2]) - 1, _column(bottom[1])


def _read_row(scanner: Scanner, row: Row, found: SheetCells) -> int:
    """Add a row's cells to ``found`` — in one regex pass when they are written the usual way, else one by
    one — and return how many there were."""
    usual = scanner.usual_cells(row)
    if usual is not None:
        found.cells.update(usual)
        return len(usual)
    count = 0
    for col, match in scanner.cells(row):
        found.cells[(row.number, col)] = read_cell(scanner, match, found.arrays, row.number, col)
        count += 1
    return count


def read_block(
    scanner: Scanner,
    area: Area,
    strings: Callable[[int], str],
    blank_errors: bool = False,
    beside: Kept | None = None,
) -> list[list[CellValue]]:
    """The values of the cells in ``area`` row by row, as ``value`` gives them (None where blank, and
    where a cell holds an error value if ``blank_errors``), read in one pass over the sheet: a whole
    table at once. A usual row is decoded from one regex pass (``Scanner.usual``; a number or a shared
    string straight from its bytes); any other row cell by cell. The same rows' cells at ``beside``'s
    columns are kept there as the file holds them (the computed columns the review will look up), and
    the rest of the sheet is read as the review's own pass would read it, keeping the fault it meets
    there for the review to raise: the table read alone never refused it."""
    top, left, bottom, right = area
    width = right - left + 1
    where = scanner.where
    block: list[list[CellValue]] = []
    kept = beside.columns if beside is not None else {}
    rows = scanner.rows()
    for row in rows:
        number = row.number
        if number < top:
            continue
        if number > bottom:
            break
        block.extend([None] * width for _ in range(number - top - len(block)))
        values: list[CellValue] = [None] * width
        line, col = b"%d" % (number + 1), -1
        try:
            parts = scanner.usual(row)
            usual = parts is not None
            cells = zip(*parts, strict=True) if parts is not None else ()
            for letters, digits, kind, formula, raw in cells:
                previous, col = col, _column(letters)
                if digits != line or col <= previous or col >= MAX_COLS:
                    usual = False  # misnumbered or out of order: read cell by cell, which says so
                    break
                if left <= col <= right:
                    if raw and not (blank_errors and kind == b"e"):
                        values[col - left] = _plain(kind, raw, strings, where)
                elif col in kept:
                    try:
                        kept[col][number - top] = scanner.decoded(kind, formula, raw)
                    except Unreadable as refused:  # raised when the cell is looked up
                        kept[col][number - top] = refused
            if not usual:
                values = [None] * width  # the kept cells are all met again
                for col, match in scanner.cells(row):
                    if left <= col <= right:
                        cell = read_cell(scanner, match, None, number, col)
                        values[col - left] = None if blank_errors and cell.kind == "e" else value(cell, strings)
                    elif col in kept:
                        try:
                            kept[col][number - top] = read_cell(scanner, match, None, number, col)
                        except Unreadable as refused:  # raised when the cell is looked up
                            kept[col][number - top] = refused
        except BadCell as bad:
            raise Unreadable(f"{cell_where(where, number, col)}: {bad}") from None
        block.append(values)
    block.extend([None] * width for _ in range(bottom - top + 1 - len(block)))
    if beside is not None:
        beside.fault = _fault_in_rest(rows, scanner)
    return block


_ALIKE = 4096
"""Spellings of usual cells a ``Scanner`` keeps decoded at a time: a computed column holds few
(statuses, ages, counts), so 100,000 rows keep a few hundred cell objects, not 400,000."""


def _fault_in_rest(rows: Iterator[Row], scanner: Scanner) -> Unreadable | None:
    """What the rest of a sheet (its remaining rows, then its end, inflated to the last byte) would be
    refused for, or None."""
    try:
        for _ in rows:
            pass
        for _ in scanner.tail():
            pass
    except Unreadable as fault:
        return fault
    return None


class CellLookup(Protocol):
    """Cells read already, by (row, col): a sheet's index, or the cells ``read_block`` kept."""

    def get(self, key: tuple[int, int], /) -> Cell | None: ...


class Kept:
    """Cells of some columns over a run of rows, as ``read_block`` met them beside the values it read:
    what the review of a large sheet's computed columns looks up instead of a second pass."""

    def __init__(self, top: int, bottom: int, cols: Iterable[int]) -> None:
        self.top, self.bottom = top, bottom
        self.columns: dict[int, list[Cell | Unreadable | None]] = {col: [None] * (bottom - top + 1) for col in cols}
        """Each column's cells from ``top`` down; a cell that could not be decoded holds why, which
        only a look-up raises (as the review's own pass decodes only the cells it judges)."""
        self.fault: Unreadable | None = None
        """What the sheet after the kept rows is refused for (rows out of order, cut off, damaged):
        the review raises it after judging the kept cells, where its own pass would have met it."""

    def covers(self, spans: Iterable[tuple[int, int, int]]) -> bool:
        """Whether every (column, first row, last row) of ``spans`` lies among the kept cells."""
        return all(col in self.columns and self.top <= first <= last <= self.bottom for col, first, last in spans)

    def get(self, key: tuple[int, int]) -> Cell | None:
        """The cell at a place among the kept ones (see ``covers``); None where the sheet has none."""
        row, col = key
        found = self.columns[col][row - self.top]
        if isinstance(found, Unreadable):
            raise found
        return found


_new_tuple = tuple.__new__  # a Cell without NamedTuple's own __new__: one call less per cell


def _plain(kind: bytes | None, raw: bytes, strings: Callable[[int], str], where: str) -> CellValue:
    """``value`` of a usual cell from its type and raw value: a shared string's digits and a plain
    number without the detour through ``Cell``; anything else (and every refusal) through ``value``."""
    if kind == b"s" and raw.isdigit():
        try:
            return strings(int(raw))
        except (ValueError, IndexError):  # over 4,300 digits, or no such text: worded by ``value``
            pass
    elif not kind:
        try:
            return float(raw)  # what parses as bytes reads the same decoded; the rest is worded by ``value``
        except ValueError:
            pass
    decoded = _KINDS.get(kind, "?") if kind else "n"
    return value(Cell(decoded, text(raw, where) if decoded != "inlineStr" else None, False), strings)


def index(scanner: Scanner) -> SheetCells:
    """Every cell of a (small) sheet."""
    found = SheetCells()
    for row in scanner.rows():
        _read_row(scanner, row, found)
    return found


def read_window(scanner: Scanner, first: int, budget: int) -> tuple[SheetCells, int]:
    """The cells from row ``first`` on, until ``budget`` cells are read (whole rows), and the last row
    the window covers; earlier rows are skipped unread except for array formulas reaching down."""
    found = SheetCells()
    count = 0
    for row in scanner.rows():
        if row.number < first:
            if b"array" in row.data:
                for col, match in scanner.cells(row):
                    if b"array" in match[0]:
                        read_cell(scanner, match, found.arrays, row.number, col)
            continue
        if count >= budget:
            return found, row.number - 1
        count += _read_row(scanner, row, found)
    return found, MAX_ROWS


class BadCell(ValueError):
    """A cell whose value cannot be read; the caller names the cell (``cell_where``)."""


def cell_where(where: str, row: int, col: int) -> str:
    """A cell named for a message, after the file and sheet."""
    return f"{where}, celle {cell_name(row, col)}"


def value(cell: Cell, strings: Callable[[int], str]) -> CellValue:
    """The value a cell shows: its cached value if a formula computes it; None when blank."""
    raw = cell.text
    if raw is None:
        return None
    kind = cell.kind
    if kind == "inlineStr" or kind == "str" or kind == "e":
        return raw
    if kind == "s":
        try:
            index = int(raw)
            if index < 0:
                raise IndexError(index)  # -1 would be the last text
            return strings(index)
        except (ValueError, IndexError):
            raise BadCell(f"henviser til en delt tekst, der ikke findes ({quote(raw)})") from None
    if kind == "b":
        return raw.strip() == "1"
    if kind == "d":
        return _serial(raw)
    if kind != "n":
        raise BadCell("har en ukendt celletype")
    try:
        return float(raw)
    except ValueError:
        raise BadCell(f"{quote(raw)} er ikke et tal") from None


def _serial(raw: str) -> float:
    """An ISO 8601 date cell (``t="d"``) as Excel's serial number."""
    try:
        moment = datetime.fromisoformat(raw.strip().rstrip("Z"))
    except ValueError:
        raise BadCell(f"{quote(raw)} er ikke en dato") from None
    days = (moment.date() - _EPOCH).days
    return days + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
