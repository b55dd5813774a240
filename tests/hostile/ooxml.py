"""Zip and XML tools for the hostile corpus, written for it and nothing else.

* ``Package`` opens a real workbook's members and edits them as a user or another program would
  (type a text, delete or rename a sheet, a name or a table); every member it was not told to change is
  written back with the same bytes.
* ``write_zip`` writes a package byte by byte, so a case can lie in its headers (declared sizes and
  CRCs), repeat or misname members, or declare zip64 sizes.
* ``bomb`` streams a deflate member of gigabytes from a few kilobytes of state: one compressed block
  repeated, its CRC-32 computed by arithmetic instead of by reading gigabytes.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"m": MAIN, "r": DOC_REL, "rel": PKG_REL, "c": CHART, "ct": TYPES}
_M = "{%s}" % MAIN
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MIB = 1 << 20
GIB = 1 << 30

# -- CRC-32 arithmetic ---------------------------------------------------------------------------
#
# Feeding a zero byte to CRC-32's register is a linear map over GF(2); a map is kept as the images of
# the 32 single-bit registers. Appending n zero bytes is that map to the n-th power, by squaring.

_POLY = 0xEDB88320
_TABLE = []
for _byte in range(256):
    _c = _byte
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    _TABLE.append(_c)
_ONE_ZERO_BYTE = [_TABLE[(1 << bit) & 0xFF] ^ ((1 << bit) >> 8) for bit in range(32)]


def _apply(linear_map: list[int], register: int) -> int:
    result, bit = 0, 0
    while register:
        if register & 1:
            result ^= linear_map[bit]
        register >>= 1
        bit += 1
    return result


def crc32_combine(first: int, second: int, second_length: int) -> int:
    """CRC-32 of A+B from crc32(A), crc32(B) and len(B), without the bytes."""
    power, register, n = _ONE_ZERO_BYTE, first, second_length
    while n:
        if n & 1:
            register = _apply(power, register)
        n >>= 1
        if n:
            power = [_apply(power, column) for column in power]
    return register ^ second


def crc32_repeat(crc: int, length: int, count: int) -> int:
    """CRC-32 of a block of ``length`` bytes (CRC ``crc``) repeated ``count`` times."""
    result, result_length = 0, 0  # crc32(b"") == 0
    power, power_length = crc, length
    while count:
        if count & 1:
            result = crc32_combine(result, power, power_length)
            result_length += power_length
        count >>= 1
        if count:
            power = crc32_combine(power, power, power_length)
            power_length *= 2
    return result


# -- member bodies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A member's data as stored: method, CRC, sizes, and its stored bytes as a stream of chunks."""

    method: int
    crc: int
    size: int
    compressed_size: int
    chunks: Callable[[], Iterator[bytes]]


def deflated(data: bytes, level: int = 6) -> Body:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return Body(zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), len(packed), lambda: iter((packed,)))


def stored(data: bytes) -> Body:
    return Body(zipfile.ZIP_STORED, zlib.crc32(data), len(data), len(data), lambda: iter((data,)))


def bomb(head: bytes, size: int, tail: bytes = b"", filler: bytes = b" ") -> Body:
    """A deflate member that inflates to ``head``, filler bytes and ``tail``: ``size`` bytes in all
    (rounded to whole MiB of filler). A full flush after each MiB lets one compressed MiB repeat."""
    block = (filler * (MIB // len(filler) + 1))[:MIB]
    count = max(1, (size - len(head) - len(tail)) // MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed_tail = compressor.compress(tail) + compressor.flush()
    crc = crc32_combine(zlib.crc32(head), crc32_repeat(zlib.crc32(block), MIB, count), MIB * count)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))

    def chunks() -> Iterator[bytes]:
        yield packed_head
        batch = packed_block * 64
        for _ in range(count // 64):
            yield batch
        yield packed_block * (count % 64)
        yield packed_tail

    total = len(head) + MIB * count + len(tail)
    packed = len(packed_head) + len(packed_block) * count + len(packed_tail)
    return Body(zipfile.ZIP_DEFLATED, crc, total, packed, chunks)


@dataclass(frozen=True)
class Entry:
    """One member as written: a name (any bytes-worthy text, even ``../x``) and a body; the declared
    size and CRC may lie."""

    name: str
    body: Body
    declared_size: int | None = None
    declared_crc: int | None = None
    date_time: tuple[int, int, int, int, int, int] = (2026, 1, 5, 0, 0, 0)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def write_zip(path: Path, entries: Iterable[Entry]) -> Path:
    """Write a zip file member by member (streamed), with zip64 fields where a size needs them."""
    central: list[bytes] = []
    with open(path, "wb") as out:
        for entry in entries:
            body = entry.body
            size = body.size if entry.declared_size is None else entry.declared_size
            crc = body.crc if entry.declared_crc is None else entry.declared_crc
            name = entry.name.encode("utf-8")
            flags = 0x800 if not entry.name.isascii() else 0
            wide = size >= 0xFFFFFFFF or body.compressed_size >= 0xFFFFFFFF
            version = 45 if wide else 20
            extra = struct.pack("<HHQQ", 1, 16, size, body.compressed_size) if wide else b""
            sizes = (0xFFFFFFFF, 0xFFFFFFFF) if wide else (body.compressed_size, size)
            time, date = _dos_time(entry.date_time)
            offset = out.tell()
            out.write(
                struct.pack("<IHHHHHIII", 0x04034B50, version, flags, body.method, time, date, crc, *sizes)
                + struct.pack("<HH", len(name), len(extra))
                + name
                + extra
            )
            for chunk in body.chunks():
                out.write(chunk)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    (3 << 8) | version,
                    version,
                    flags,
                    body.method,
                    time,
                    date,
                    crc,
                    *sizes,
                    len(name),
                    len(extra),
                    0,
                    0,
                    0,
                    0o100644 << 16,
                    offset,
                )
                + name
                + extra
            )
        start = out.tell()
        for record in central:
            out.write(record)
        length = out.tell() - start
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), length, start, 0))
    return path


def raw_member(path: Path, name: str) -> bytes:
    """A member's stored (compressed) bytes, as they sit in the file."""
    with zipfile.ZipFile(path) as package, open(path, "rb") as data:
        info = package.getinfo(name)
        data.seek(info.header_offset)
        header = data.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        data.seek(info.header_offset + 30 + name_length + extra_length)
        return data.read(info.compress_size)


# -- text as OOXML stores it -----------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def ooxml_text(text: str) -> str:
    """Text as Excel writes it into XML: characters XML cannot hold become ``_xHHHH_``."""
    return _NOT_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def plain_text(text: str) -> str:
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


# -- a workbook's members, edited --------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def split_ref(ref: str) -> tuple[str, int]:
    match = _CELL.match(ref.replace("$", ""))
    if not match:
        raise ValueError(ref)
    return match.group(1), int(match.group(2))


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quoted(sheet: str) -> str:
    """A sheet name as a formula refers to it."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass
class Package:
    """The members of a workbook file, in order; parsed XML is written back only where it changed."""

    members: dict[str, bytes]
    times: dict[str, tuple[int, int, int, int, int, int]] = field(default_factory=dict)
    _trees: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Package:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            return cls({i.filename: package.read(i) for i in infos}, {i.filename: i.date_time for i in infos})

    # -- members -------------------------------------------------------------------------------

    def data(self, name: str) -> bytes:
        if name in self._trees:
            self.members[name] = etree.tostring(
                self._trees.pop(name), xml_declaration=True, encoding="UTF-8", standalone=True
            )
        return self.members[name]

    def set(self, name: str, data: bytes) -> None:
        self._trees.pop(name, None)
        self.members[name] = data

    def delete(self, name: str) -> None:
        self._trees.pop(name, None)
        del self.members[name]

    def tree(self, name: str) -> etree._Element:
        if name not in self._trees:
            self._trees[name] = etree.fromstring(self.members[name], _PARSER)
        return self._trees[name]

    def keep_unchanged(self) -> list[str]:
        """Give every parsed member whose XML did not change its original bytes back (reading a member
        parses it, and a parsed member is otherwise written re-serialised); returns the members changed."""
        changed = []
        for name in list(self._trees):
            original = etree.fromstring(self.members[name], _PARSER)
            if etree.tostring(original, method="c14n") == etree.tostring(self._trees[name], method="c14n"):
                del self._trees[name]
            else:
                changed.append(name)
        return changed

    def replace_bytes(self, old: bytes, new: bytes, names: Iterable[str] | None = None) -> int:
        """Replace ``old`` by ``new`` in the given members (default: every XML part); returns the count."""
        count = 0
        for name in list(names if names is not None else self.members):
            if not name.endswith((".xml", ".rels")):
                continue
            data = self.data(name)
            if old in data:
                count += data.count(old)
                self.set(name, data.replace(old, new))
        return count

    def entries(self, bodies: dict[str, Body] | None = None) -> list[Entry]:
        bodies = bodies or {}
        return [
            Entry(
                name,
                bodies.get(name) or deflated(self.data(name)),
                date_time=self.times.get(name, (2026, 1, 5, 0, 0, 0)),
            )
            for name in self.members
        ]

    def save(self, path: Path, bodies: dict[str, Body] | None = None, extra: Iterable[Entry] = ()) -> Path:
        """Write the package; ``bodies`` replace members' data as stored, ``extra`` entries follow."""
        return write_zip(path, [*self.entries(bodies), *extra])

    # -- sheets, names, cells ------------------------------------------------------------------

    def sheets(self) -> dict[str, str]:
        """Sheet name → member, in tab order."""
        rels = {
            rel.get("Id"): rel.get("Target", "")
            for rel in self.tree("xl/_rels/workbook.xml.rels").iterfind("rel:Relationship", NS)
        }
        found = {}
        for sheet in self.tree("xl/workbook.xml").iterfind("m:sheets/m:sheet", NS):
            target = rels[sheet.get("{%s}id" % DOC_REL)]
            found[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return found

    def sheet_member(self, sheet: str) -> str:
        return self.sheets()[sheet]

    def defined_name(self, name: str) -> etree._Element | None:
        for element in self.tree("xl/workbook.xml").iterfind("m:definedNames/m:definedName", NS):
            if element.get("name") == name and element.get("localSheetId") is None:
                return element
        return None

    def name_target(self, name: str) -> tuple[str, str]:
        """(sheet, cell) a one-cell defined name points at."""
        element = self.defined_name(name)
        if element is None or not element.text:
            raise KeyError(name)
        sheet, _, cell = element.text.rpartition("!")
        if sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        return sheet, cell.replace("$", "").split(":")[0]

    def _strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.members:
            return []
        root = self.tree("xl/sharedStrings.xml")
        return [plain_text("".join(si.itertext())) for si in root.iterfind("m:si", NS)]

    def cell(self, sheet: str, ref: str) -> etree._Element:
        """The cell element at ``ref`` (created, in order, if the sheet has none)."""
        letters, row_number = split_ref(ref)
        data = self.tree(self.sheet_member(sheet)).find("m:sheetData", NS)
        row = None
        for candidate in data.iterfind("m:row", NS):
            number = int(candidate.get("r"))
            if number == row_number:
                row = candidate
                break
            if number > row_number:
                row = etree.Element(_M + "row", r=str(row_number))
                candidate.addprevious(row)
                break
        if row is None:
            row = etree.SubElement(data, _M + "row", r=str(row_number))
        row.attrib.pop("spans", None)
        for candidate in row.iterfind("m:c", NS):
            other = candidate.get("r", "")
            if other == f"{letters}{row_number}":
                return candidate
            if column_number(split_ref(other)[0]) > column_number(letters):
                cell = etree.Element(_M + "c", r=f"{letters}{row_number}")
                candidate.addprevious(cell)
                return cell
        return etree.SubElement(row, _M + "c", r=f"{letters}{row_number}")

    def value(self, sheet: str, ref: str) -> str | float | None:
        """What a cell shows (cached value for a formula), text decoded."""
        cell = self.cell(sheet, ref)
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return plain_text("".join(cell.find("m:is", NS).itertext()))
        v = cell.findtext("m:v", None, NS)
        if v is None:
            return None
        if kind == "s":
            return self._strings()[int(v)]
        if kind in ("str", "e"):
            return plain_text(v)
        if kind == "b":
            return float(v)
        return float(v)

    def find(self, sheet: str, text: str) -> list[str]:
        """Refs of the cells on ``sheet`` showing exactly ``text``."""
        strings = self._strings()
        found = []
        for cell in self.tree(self.sheet_member(sheet)).iterfind("m:sheetData/m:row/m:c", NS):
            kind = cell.get("t")
            if kind == "s" and strings[int(cell.findtext("m:v", "-1", NS))] == text:
                found.append(cell.get("r"))
            elif kind == "inlineStr" and plain_text("".join(cell.find("m:is", NS).itertext())) == text:
                found.append(cell.get("r"))
        return found

    def find_one(self, sheet: str, text: str) -> str:
        found = self.find(sheet, text)
        if len(found) != 1:
            raise KeyError(f"{sheet}: {text!r} found {len(found)} times")
        return found[0]

    def _clear(self, cell: etree._Element) -> None:
        for child in list(cell):
            cell.remove(child)
        cell.attrib.pop("t", None)

    def set_text(self, sheet: str, ref: str, text: str, shared: bool = True) -> None:
        """Type ``text`` into a cell as Excel saves it: a shared string (or an inline string)."""
        cell = self.cell(sheet, ref)
        self._clear(cell)
        if shared:
            root = self.tree("xl/sharedStrings.xml")
            index = len(root.findall("m:si", NS))
            item = etree.SubElement(etree.SubElement(root, _M + "si"), _M + "t")
            item.text = ooxml_text(text)
            item.set(XML_SPACE, "preserve")
            root.set("uniqueCount", str(index + 1))
            root.set("count", str(int(root.get("count", index)) + 1))
            cell.set("t", "s")
            etree.SubElement(cell, _M + "v").text = str(index)
        else:
            cell.set("t", "inlineStr")
            item = etree.SubElement(etree.SubElement(cell, _M + "is"), _M + "t")
            item.text = ooxml_text(text)
            item.set(XML_SPACE, "preserve")

    def set_number(self, sheet: str, ref: str, number: float) -> None:
        cell = self.cell(sheet, ref)
        self._clear(cell)
        etree.SubElement(cell, _M + "v").text = repr(float(number)).removesuffix(".0")

    def set_cached(self, sheet: str, ref: str, number: float) -> None:
        """Change a formula cell's cached value only (the file then looks stale)."""
        cell = self.cell(sheet, ref)
        assert cell.find("m:f", NS) is not None, f"{sheet}!{ref} holds no formula"
        for old in cell.findall("m:v", NS):
            cell.remove(old)
        cell.attrib.pop("t", None)
        etree.SubElement(cell, _M + "v").text = repr(float(number)).removesuffix(".0")

    # -- structure -----------------------------------------------------------------------------

    def formula_parts(self) -> list[str]:
        return [
            name
            for name in self.members
            if re.match(r"xl/(worksheets/sheet|charts/chart|tables/table)[^/]*\.xml$", name)
            or name == "xl/workbook.xml"
        ]

    def retarget(self, old: str, new: str) -> None:
        """Replace the sheet reference ``old!`` by ``new`` in every formula, name and chart series."""
        pattern = re.compile(r"(?<![\w'.])" + re.escape(quoted(old) + "!"))
        tags = (_M + "f", "{%s}f" % CHART, _M + "definedName", _M + "calculatedColumnFormula")
        for name in self.formula_parts():
            for element in self.tree(name).iter(*tags):
                if element.text and pattern.search(element.text):
                    element.text = pattern.sub(lambda _: new, element.text)

    def rename_sheet(self, old: str, new: str) -> None:
        """Rename a sheet as Excel does: references follow the new name."""
        for sheet in self.tree("xl/workbook.xml").iterfind("m:sheets/m:sheet", NS):
            if sheet.get("name") == old:
                sheet.set("name", new)
        self.retarget(old, quoted(new) + "!")

    def delete_sheet(self, name: str) -> None:
        """Delete a sheet as Excel does: references to it become #REF!, its own print names go."""
        member = self.sheet_member(name)
        workbook = self.tree("xl/workbook.xml")
        sheets = workbook.find("m:sheets", NS)
        position = [s.get("name") for s in sheets].index(name)
        element = sheets[position]
        rel_id = element.get("{%s}id" % DOC_REL)
        sheets.remove(element)
        for defined in workbook.iterfind("m:definedNames/m:definedName", NS):
            local = defined.get("localSheetId")
            if local is not None and int(local) == position:
                defined.getparent().remove(defined)
            elif local is not None and int(local) > position:
                defined.set("localSheetId", str(int(local) - 1))
        rels = self.tree("xl/_rels/workbook.xml.rels")
        for rel in rels.iterfind("rel:Relationship", NS):
            if rel.get("Id") == rel_id:
                rels.remove(rel)
        types = self.tree("[Content_Types].xml")
        for override in types.iterfind("ct:Override", NS):
            if override.get("PartName") == "/" + member:
                types.remove(override)
        self.delete(member)
        sheet_rels = member.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if sheet_rels in self.members:
            self.delete(sheet_rels)
        self.retarget(name, "#REF!")

    def rename_defined_name(self, old: str, new: str) -> None:
        """Rename a workbook-level name; formulas that use it follow, as in Excel's Name Manager."""
        element = self.defined_name(old)
        assert element is not None, old
        element.set("name", new)
        pattern = re.compile(r"(?<![\w.!\[])" + re.escape(old) + r"(?![\w(\[])")
        for name in self.formula_parts():
            for formula in self.tree(name).iter(_M + "f", _M + "calculatedColumnFormula", _M + "definedName"):
                if formula.text and formula is not element:
                    formula.text = pattern.sub(new, formula.text)

    def delete_defined_name(self, name: str) -> None:
        """Delete a workbook-level name; formulas that used it show #NAME? (they are left as they are)."""
        element = self.defined_name(name)
        assert element is not None, name
        element.getparent().remove(element)

    def add_member(self, name: str, data: bytes, content_type: tuple[str, str] | None = None) -> None:
        """A new member; ``content_type`` is (extension, type) for a Default entry."""
        self.set(name, data)
        if content_type:
            types = self.tree("[Content_Types].xml")
            extension, kind = content_type
            if not any(d.get("Extension") == extension for d in types.iterfind("ct:Default", NS)):
                etree.SubElement(types, "{%s}Default" % TYPES, Extension=extension, ContentType=kind)
