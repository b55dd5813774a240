"""A sheet's queued edits checked and applied in streaming passes over its XML.

``review`` walks the sheet once and notes which cells would change and why, refusing a computed
cell that holds a typed value; ``apply`` walks it again and writes the new XML as it goes: only the
changed cells are rewritten, missing cells and rows are inserted in order, and every other byte —
rows without changes, everything outside ``<sheetData>`` — is copied as it is. Both are linear in
rows and cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import IO

from xltools.errors import Invalid, Unreadable
from xltools.messages import number, quote
from xltools.workbook.limits import Limits
from xltools.workbook.refs import cell_name, column_letters
from xltools.workbook.sheetedits import Edit, Kind, SheetPatch
from xltools.workbook.sheetxml import (
    BadCell,
    Cell,
    CellLookup,
    Patterns,
    Row,
    Scanner,
    attribute,
    attributes,
    cell_where,
    read_cell,
    value,
)
from xltools.workbook.values import CellValue, format_number, same_value, xml_string

FLUSH = 1 << 20
"""Bytes of new XML collected before they are handed to the output stream."""

_TYPE_ATTR = re.compile(rb"\s+t\s*=\s*(?:\"[^\"]*\"|'[^']*')")
_SPANS_ATTR = re.compile(rb"\s+spans\s*=\s*(?:\"[^\"]*\"|'[^']*')")


@dataclass
class Review:
    """What the edits change: per row, the columns whose cells change (one bit each), and — when
    asked — a line per changed cell."""

    changed: dict[int, int] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    stale_count: int = 0


Strings = Callable[[int], str]


def review(
    open_scanner: Callable[[], Scanner],
    where: str,
    patch: SheetPatch,
    sheet: str,
    strings: Strings,
    limits: Limits,
    report: bool,
    cells: CellLookup | None = None,
    after: Unreadable | None = None,
) -> Review:
    """Compare the edits with the sheet (one pass, nothing written); raise ``Invalid`` if a computed
    cell holds a typed value. Given the sheet's ``cells`` as read already (``sheetxml.index``, or the
    cells a table's read kept), they are looked up instead — the sheet (``open_scanner``) is not read
    again — unless an edit needs an array's range as written (``Kind.ANCHOR``); ``after`` is what the
    sheet after those cells is refused for, raised where the pass would have met it. ``where`` names
    the sheet in messages."""
    reviewer = _Reviewer(open_scanner, where, patch, sheet, strings, limits, report)
    if cells is None or patch.anchored:
        reviewer.walk()
    else:
        reviewer.look_up(cells)
        if after is not None:
            raise after
    return reviewer.finish()


def apply(scanner: Scanner, patch: SheetPatch, changed: Mapping[int, int], out: IO[bytes]) -> None:
    """Write the sheet to ``out`` with the cells ``review`` found changed rewritten or inserted; every
    other byte is copied as it is."""
    _Writer(scanner, patch, changed, out).walk()


class _Walk:
    """One pass over a sheet's rows in order; rows with edits go to ``existing``, rows the sheet lacks
    to ``missing`` at their place."""

    def __init__(self, open_scanner: Callable[[], Scanner], patch: SheetPatch) -> None:
        self._open_scanner, self.patch = open_scanner, patch

    @cached_property
    def scanner(self) -> Scanner:
        """The sheet, opened when the pass first needs it (a review that looks its cells up never does)."""
        return self._open_scanner()

    @cached_property
    def pats(self) -> Patterns:
        return self.scanner.patterns

    def visit(self) -> list[int]:
        raise NotImplementedError

    def existing(self, row: Row) -> bytes | None:
        """The row's new bytes, or None to keep it."""
        raise NotImplementedError

    def missing(self, row: int) -> bool:
        """Handle a row the sheet lacks; True if one is written there."""
        raise NotImplementedError

    def emit(self, data: bytes) -> None:
        """Pass on output (a review writes nothing)."""

    def walk(self) -> None:
        scanner = self.scanner
        head = scanner.head
        if scanner.closed and self.patch:
            head = head[:-2] + b">"  # <sheetData/> opened for new rows
        self.emit(head)
        pending = iter(self.visit())
        upcoming = next(pending, None)
        renumber = False
        for row in scanner.rows():
            while upcoming is not None and upcoming < row.number:
                renumber |= self.missing(upcoming)
                upcoming = next(pending, None)
            data = row.data
            if upcoming == row.number:
                upcoming = next(pending, None)
                data = self.existing(row) or data
            if renumber and attribute(row.attrs, b"r") is None:
                data = _with_row_number(data, row, self.pats)  # a row inserted before it would shift it
            renumber = False
            self.emit(data)
        while upcoming is not None:
            self.missing(upcoming)
            upcoming = next(pending, None)
        if scanner.closed and self.patch:
            self.emit(b"</" + self.pats.prefix + b"sheetData>")
        for chunk in scanner.tail():
            self.emit(chunk)


class _Reviewer(_Walk):
    """Decides every edit against the cell it meets, and notes what changes and what is refused."""

    def __init__(
        self,
        open_scanner: Callable[[], Scanner],
        where: str,
        patch: SheetPatch,
        sheet: str,
        strings: Strings,
        limits: Limits,
        report: bool,
    ) -> None:
        super().__init__(open_scanner, patch)
        self.where, self.sheet, self.strings, self.limits, self.report = where, sheet, strings, limits, report
        self.result = Review()
        self.problems: list[str] = []
        self.problem_count = 0

    def visit(self) -> list[int]:
        return self.patch.rows()

    def finish(self) -> Review:
        if self.problems:
            more = self.problem_count - len(self.problems)
            raise Invalid(*self.problems, *([f"… og {number(more)} celler mere"] if more else []))
        if self.result.stale_count > len(self.result.stale):
            self.result.stale.append(f"… og {number(self.result.stale_count - len(self.result.stale))} celler mere")
        return self.result

    def look_up(self, cells: CellLookup) -> None:
        """Decide every edit against the cell ``cells`` hold at its place, in the order ``walk`` meets them."""
        for row in self.patch.rows():
            self._judge(row, self.patch.edits(row), cells)

    def existing(self, row: Row) -> None:
        edits = self.patch.edits(row.number)
        anchor = self.patch.anchored and any(edit.kind is Kind.ANCHOR for edit in edits.values())
        usual = None if anchor else self.scanner.usual_cells(row, edits)
        if usual is not None:  # a row written the usual way, taken apart in one regex pass
            self._judge(row.number, edits, usual)
            return None
        located = self.scanner.locate(row, edits)
        if located is None:
            located = {col: match for col, match in self.scanner.cells(row) if col in edits}
        cells = {
            (row.number, col): read_cell(self.scanner, match, None, row.number, col) for col, match in located.items()
        }
        self._judge(row.number, edits, cells, located)
        return None

    def missing(self, row: int) -> bool:
        self._judge(row, self.patch.edits(row), {})
        return False

    def _judge(
        self,
        row: int,
        edits: Mapping[int, Edit],
        cells: CellLookup,
        matches: Mapping[int, re.Match[bytes]] | None = None,
    ) -> None:
        """Decide a row's edits against its ``cells`` (and, for an array's anchor, their ``matches``)."""
        mask = 0
        for col, edit in edits.items():
            if self._changes(row, col, edit, cells.get((row, col)), matches.get(col) if matches else None):
                mask |= 1 << col
        if mask:
            self.result.changed[row] = mask

    def _changes(self, row: int, col: int, edit: Edit, cell: Cell | None, match: re.Match[bytes] | None = None) -> bool:
        """Whether ``edit`` changes the cell; notes stale values and refused cells on the way."""
        formula = cell is not None and cell.formula
        shown = self._shown(row, col, cell)
        kind = edit.kind
        if kind is Kind.ANCHOR:
            if not formula:
                self._problem(row, col, "formlen er overskrevet – skriv ikke i beregnede celler")
                return False
            ref = _array_ref(match, self.pats) if match is not None else None
            if ref != edit.formula:
                self._stale(row, col, f"listen er gemt over {ref or cell_name(row, col)}, beregnet til {edit.formula}")
                return True
            kind = Kind.CACHED
        if kind is Kind.SPILLED:
            if formula:
                self._problem(row, col, "en formel står, hvor en beregnet liste skal vises – slet den")
                return False
            kind = Kind.CACHED if not same_value(shown, edit.value) else kind
            if kind is Kind.SPILLED:
                return False
            self._differs(row, col, shown, edit.value)
            return True
        if kind is Kind.FILL and not formula:
            if shown is not None:
                self._problem(row, col, "beregnet kolonne er overskrevet")
                return False
            self._stale(row, col, "formlen mangler")
            return True
        if kind is Kind.CACHED and not formula:
            self._problem(row, col, "formlen er overskrevet – skriv ikke i beregnede celler")
            return False
        if kind is Kind.CACHED or kind is Kind.FILL or kind is Kind.SHOW:
            if same_value(shown, edit.value):
                return False
            self._differs(row, col, shown, edit.value)
            return True
        if kind is Kind.TYPE:
            return formula or not _holds(cell, shown, edit.value)
        return True

    def _shown(self, row: int, col: int, cell: Cell | None) -> CellValue:
        if cell is None:
            return None
        try:
            return value(cell, self.strings)
        except BadCell as bad:
            raise Unreadable(f"{cell_where(self.where, row, col)}: {bad}") from None

    def _problem(self, row: int, col: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < self.limits.messages:
            self.problems.append(f"{self.sheet}!{cell_name(row, col)}: {message}")

    def _differs(self, row: int, col: int, shown: CellValue, computed: CellValue) -> None:
        """A cached value that differs from the computed one; its line is written only when reporting
        (``--check``), as a recalculation changes thousands of cells without a word."""
        if self.report:
            self._stale(row, col, f"gemt {quote(shown)}, beregnet {quote(computed)}")

    def _stale(self, row: int, col: int, message: str) -> None:
        if self.report:
            self.result.stale_count += 1
            if len(self.result.stale) < self.limits.messages:
                self.result.stale.append(f"{self.sheet}!{cell_name(row, col)}: {message}")


class _Writer(_Walk):
    """Writes the sheet with the changed cells rendered anew, in chunks of about ``FLUSH`` bytes."""

    def __init__(self, scanner: Scanner, patch: SheetPatch, changed: Mapping[int, int], out: IO[bytes]) -> None:
        super().__init__(lambda: scanner, patch)
        self.changed, self.out = changed, out
        self.styles = _column_styles(scanner.head, self.pats)
        self._pieces: list[bytes] = []
        self._size = 0

    def visit(self) -> list[int]:
        return sorted(self.changed)

    def walk(self) -> None:
        super().walk()
        self.out.write(b"".join(self._pieces))

    def emit(self, data: bytes) -> None:
        self._pieces.append(data)
        self._size += len(data)
        if self._size >= FLUSH:
            self.out.write(b"".join(self._pieces))
            self._pieces, self._size = [], 0

    def _edits(self, row: int) -> dict[int, Edit]:
        mask = self.changed[row]
        return {col: edit for col, edit in self.patch.edits(row).items() if mask >> col & 1}

    def missing(self, row: int) -> bool:
        cells = [self._new_cell(row, col, edit) for col, edit in self._edits(row).items()]
        p = self.pats.prefix
        self.emit(b'<%srow r="%d">%s</%srow>' % (p, row + 1, b"".join(cells), p))
        return True

    def existing(self, row: Row) -> bytes:
        edits = self._edits(row.number)
        data = row.data
        located = self.scanner.locate(row, edits)
        if located is None:
            return self._parsed(row, edits)
        pieces, cursor = [], 0
        for col, match in sorted(located.items(), key=lambda item: item[1].start()):
            pieces += [data[cursor : match.start()], self._cell(row.number, col, edits[col], match)]
            cursor = match.end()
        pieces.append(data[cursor:])
        return b"".join(pieces)

    def _parsed(self, row: Row, edits: dict[int, Edit]) -> bytes:
        """The slow path: every cell parsed, missing cells inserted in column order."""
        data = row.data
        existing = list(self.scanner.cells(row))
        present = {col for col, _ in existing}
        new = [(col, self._new_cell(row.number, col, edit)) for col, edit in edits.items() if col not in present]
        pieces = [_with_spans(data[: row.cells_start], row.attrs, present | {col for col, _ in new})]
        cursor, inserted = row.cells_start, iter(new)
        upcoming = next(inserted, None)
        for col, match in existing:
            renumber = False
            while upcoming is not None and upcoming[0] < col:
                pieces.append(upcoming[1])
                upcoming, renumber = next(inserted, None), True
            pieces.append(data[cursor : match.start()])
            written = self._cell(row.number, col, edits[col], match) if col in edits else match[0]
            if renumber and attribute(match[1], b"r") is None:
                written = _with_cell_ref(written, row.number, col, self.pats)  # its column would shift
            pieces.append(written)
            cursor = match.end()
        while upcoming is not None:
            pieces.append(upcoming[1])
            upcoming = next(inserted, None)
        pieces.append(data[cursor:])
        return b"".join(pieces)

    def _new_cell(self, row: int, col: int, edit: Edit) -> bytes:
        """A cell the row lacks, with the column's default style."""
        p = self.pats.prefix
        style = self.styles.get(col)
        attrs = b' r="%s%d"' % (_letters(col), row + 1) + (b' s="%s"' % style if style else b"")
        if edit.kind is Kind.FILL or edit.kind is Kind.FORMULA:
            kind_attr, content = _cached(edit.value, p)
            content = b"<%sf>%s</%sf>%s" % (p, _escape((edit.formula or "").lstrip("=")), p, content)
        elif edit.kind is Kind.SPILLED:
            kind_attr, content = _cached(edit.value, p)
        else:
            kind_attr, content = _typed(edit.value, p)
        attrs += b' t="%s"' % kind_attr if kind_attr else b""
        return b"<%sc%s>%s</%sc>" % (p, attrs, content, p) if content else b"<%sc%s/>" % (p, attrs)

    def _cell(self, row: int, col: int, edit: Edit, match: re.Match[bytes]) -> bytes:
        """A cell rewritten: a kept formula with a new cached value, or new content; its other
        attributes (style, metadata) and any extension stay."""
        p = self.pats.prefix
        attrs, body = match[1], match[2] or b""
        kind = edit.kind
        keeps = kind is Kind.CACHED or kind is Kind.FILL or kind is Kind.ANCHOR
        found = self.pats.formula.search(body) if keeps else None
        if found is not None:
            formula = found[0] if kind is not Kind.ANCHOR else _with_array_ref(found[0], edit.formula or "")
        elif kind is Kind.FILL or kind is Kind.FORMULA:
            formula = b"<%sf>%s</%sf>" % (p, _escape((edit.formula or "").lstrip("=")), p)
        else:
            formula = b""
        extension = self.pats.extension.search(body) if b"extLst" in body else None
        kind_attr, content = _cached(edit.value, p) if formula or kind is Kind.SPILLED else _typed(edit.value, p)
        attrs = _TYPE_ATTR.sub(b"", attrs, count=1) + (b' t="%s"' % kind_attr if kind_attr else b"")
        inner = formula + content + (extension[0] if extension is not None else b"")
        return b"<%sc%s>%s</%sc>" % (p, attrs, inner, p) if inner else b"<%sc%s/>" % (p, attrs)


_REF_ATTR = re.compile(rb"(\sref\s*=\s*)(?:\"[^\"]*\"|'[^']*')")


def _array_ref(match: re.Match[bytes], pats: Patterns) -> str | None:
    """The range an array formula's cell says its result covers ("A5:I40"), or None."""
    found = pats.formula.search(match[2] or b"")
    start = pats.formula.match(found[0]) if found is not None else None
    ref = attribute(start[1], b"ref") if start is not None else None
    if ref is None:
        return None
    first, _, last = ref.decode("ascii", "replace").replace("$", "").partition(":")
    return first if last in ("", first) else f"{first}:{last}"  # LibreOffice writes "A5:A5" for one cell


def _with_array_ref(formula: bytes, ref: str) -> bytes:
    """An array formula's ``<f>`` with its range set to ``ref``."""
    new = ref.encode("ascii")
    if _REF_ATTR.search(formula):
        return _REF_ATTR.sub(lambda m: m[1] + b'"' + new + b'"', formula, count=1)
    name_end = formula.index(b"f") + 1  # an ordinary formula another program wrote: an array formula again
    return formula[:name_end] + b' t="array" ref="' + new + b'"' + _TYPE_ATTR.sub(b"", formula[name_end:], count=1)


def _holds(cell: Cell | None, shown: CellValue, new: CellValue) -> bool:
    """Whether a cell already holds ``new`` as a typed value of the same type."""
    if new is None or new == "":
        return shown is None or shown == ""
    if cell is None:
        return False
    if isinstance(new, bool):
        return cell.kind == "b" and shown == new
    if isinstance(new, (int, float)):
        return cell.kind == "n" and same_value(shown, new)
    return cell.kind in ("s", "str", "inlineStr") and shown == new


def _cached(new: CellValue, p: bytes) -> tuple[bytes, bytes]:
    """(t attribute, <v>) for a formula's cached value."""
    if new is None:
        return b"", b""
    if isinstance(new, bool):
        return b"b", b"<%sv>%d</%sv>" % (p, new, p)
    if isinstance(new, (int, float)):
        if not math.isfinite(new):
            return b"e", b"<%sv>#NUM!</%sv>" % (p, p)
        return b"", b"<%sv>%s</%sv>" % (p, format_number(new).encode("ascii"), p)
    return b"str", b"<%sv>%s</%sv>" % (p, _escape(new), p)


def _typed(new: CellValue, p: bytes) -> tuple[bytes, bytes]:
    """(t attribute, content) for a typed value: text is always an inline string, never a formula."""
    if isinstance(new, str):
        space = b' xml:space="preserve"' if new != new.strip() or "\n" in new or "  " in new else b""
        return b"inlineStr", b"<%sis><%st%s>%s</%st></%sis>" % (p, p, space, _escape(new), p, p)
    return _cached(new, p)


def _escape(text: str) -> bytes:
    """Text for XML: markup characters escaped, characters XML cannot hold as Excel's ``_xHHHH_``."""
    text = xml_string(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return text.encode("utf-8", "surrogatepass")


def _column_styles(head: bytes, pats: Patterns) -> dict[int, bytes]:
    """Each column's default style from ``<cols>``: the style Excel gives a new cell there."""
    styles: dict[int, bytes] = {}
    tag = re.compile(rb"<" + re.escape(pats.prefix) + rb"col\b([^>]*)>")
    for match in tag.finditer(head):
        found = attributes(match[1])
        style = found.get(b"style")
        try:
            first, last = int(found.get(b"min", b"0")), int(found.get(b"max", b"0"))
        except ValueError:
            continue
        if style and style != b"0" and 1 <= first <= last:
            for col in range(first - 1, min(last, 16_384)):
                styles[col] = style
    return styles


def _with_row_number(data: bytes, row: Row, pats: Patterns) -> bytes:
    """A row that was numbered implicitly, given its number (a row inserted before it would shift it)."""
    at = 1 + len(pats.prefix) + 3
    return data[:at] + b' r="%d"' % (row.number + 1) + data[at:]


def _with_cell_ref(cell: bytes, row: int, col: int, pats: Patterns) -> bytes:
    at = 1 + len(pats.prefix) + 1
    return cell[:at] + b' r="%s%d"' % (_letters(col), row + 1) + cell[at:]


@cache
def _letters(col: int) -> bytes:
    return column_letters(col).encode("ascii")


def _with_spans(start_tag: bytes, attrs: bytes, cols: set[int]) -> bytes:
    """A row's start tag with its optional ``spans`` hint widened to the cells it now has."""
    if b"spans" not in attrs or not cols:
        return start_tag
    spans = b' spans="%d:%d"' % (min(cols) + 1, max(cols) + 1)
    return start_tag.replace(attrs, _SPANS_ATTR.sub(b"", attrs, count=1) + spans, 1)
