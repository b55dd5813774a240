"""An .xlsx file as a bounded zip container: checked before a byte is inflated, read in bounded chunks.

Opening checks what the file is (a zip, not an old .xls, a CSV or an .xlsb named .xlsx) and what its
central directory declares — number of members, their names, encryption, compression method and
inflated sizes — against ``Limits``, all before inflating anything. A member is inflated only when a
reader asks for it, in chunks, after its compression ratio is checked; Python's zipfile never yields
more than the declared size (a member that inflates to more fails its CRC check), so a lying size
cannot take more memory than it declares. Writing copies every untouched member's compressed bytes.
"""

from __future__ import annotations

import copy
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, BinaryIO

from xltools.errors import Unreadable
from xltools.messages import number, quote
from xltools.workbook.files import open_regular
from xltools.workbook.limits import LIMITS, MIB, Limits
from xltools.workbook.safexml import refuse_dtd

CHUNK = 1 << 20
"""Bytes inflated (or copied) at a time."""

Writer = Callable[[IO[bytes]], None]
"""Writes a member's new (inflated) bytes to the stream it is given."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_TEXT_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


# -- the container ---------------------------------------------------------------------------


PROLOG = 4096
"""Bytes of an XML part read at opening to look for a DTD in its prolog."""


class Container:
    """The members of one .xlsx file, in their order, read within ``limits``."""

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self._file, self.identity = open_regular(self.path)
        try:
            self._check_kind(self._file.read(8))
            self._check_directory()
            try:
                self._zip = zipfile.ZipFile(self._file)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
                raise Unreadable(f"{self.path}: er beskadiget (zip-arkivet er afkortet eller ødelagt)") from None
            self._infos = self._zip.infolist()
            self._check_members()
            self._by_name = {info.filename: info for info in self._infos}
            self._check_format()
            self._check_prologs()
        except BaseException:
            self._file.close()
            raise

    def close(self) -> None:
        zip_file = getattr(self, "_zip", None)
        if zip_file is not None:
            zip_file.close()
        self._file.close()

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def where(self, name: str) -> str:
        """A member named for a message: the file, then the part."""
        return f"{self.path}: delen {quote(name)}"

    # -- checks before inflating ---------------------------------------------------------

    def _check_kind(self, head: bytes) -> None:
        if not head:
            raise Unreadable(f"{self.path}: filen er tom")
        if head.startswith(_OLE):
            raise Unreadable(f"{self.path}: er krypteret (adgangskode) eller gammelt .xls-format – gem som .xlsx")
        if head.startswith(_ZIP_STARTS):
            return
        self._file.seek(0)
        if _looks_like_text(self._file.read(4096)):
            raise Unreadable(f"{self.path}: er en tekstfil (fx CSV), ikke et .xlsx-regneark – gem den som .xlsx")
        raise Unreadable(f"{self.path}: er ikke et .xlsx-regneark (ukendt filformat)")

    def _check_directory(self) -> None:
        """The end record's member count and directory size, before zipfile builds an object per entry."""
        count, size = _directory_extent(self._file, self.identity.size)
        if count is None:
            raise Unreadable(f"{self.path}: er beskadiget (zip-arkivet er afkortet eller ødelagt)")
        if count > self.limits.members:
            raise Unreadable(f"{self.path}: har {number(count)} dele; højst {number(self.limits.members)}")
        if size > self.limits.directory_bytes:
            raise Unreadable(
                f"{self.path}: zip-indholdsfortegnelsen fylder {_mb(size)}; højst {_mb(self.limits.directory_bytes)} "
                "– afvist"
            )

    def _check_members(self) -> None:
        limits = self.limits
        if len(self._infos) > limits.members:
            raise Unreadable(f"{self.path}: har {number(len(self._infos))} dele; højst {number(limits.members)}")
        seen: set[str] = set()
        total = 0
        for info in self._infos:
            name = info.filename
            parts = name.split("/")
            if not name or name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or "\\" in name:
                raise Unreadable(f"{self.where(name)} har et ulovligt navn – afvist")
            if name.casefold() in seen:
                raise Unreadable(f"{self.where(name)} findes to gange – afvist")
            seen.add(name.casefold())
            if info.flag_bits & 0x1:
                raise Unreadable(f"{self.where(name)} er krypteret – afvist")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unreadable(f"{self.where(name)} er pakket med en ukendt metode ({info.compress_type}) – afvist")
            if info.file_size > limits.member_bytes:
                raise _too_large(self.where(name), info.file_size, limits.member_bytes)
            if info.header_offset + info.compress_size > self.identity.size:
                raise Unreadable(f"{self.where(name)} er beskadiget (rækker ud over filens slutning)")
            total += info.file_size
        if total > limits.total_bytes:
            raise _too_large(str(self.path) + ":", total, limits.total_bytes)

    def _check_format(self) -> None:
        if "xl/workbook.bin" in self._by_name:
            raise Unreadable(f"{self.path}: er en binær Excel-projektmappe (.xlsb) – gem den som .xlsx")
        if "content.xml" in self._by_name and "mimetype" in self._by_name:
            raise Unreadable(f"{self.path}: er et OpenDocument-regneark (.ods) – gem det som .xlsx")
        if "xl/workbook.xml" not in self._by_name:
            raise Unreadable(f"{self.path}: er et zip-arkiv, men ikke et .xlsx-regneark (xl/workbook.xml mangler)")

    def _check_prologs(self) -> None:
        """Refuse a DTD in any XML part, read by a command or not: OOXML never declares one, so a
        file that does is hostile (entity expansion, external entities) whichever part holds it."""
        for info in self._infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                refuse_dtd(self._head(info), self.where(info.filename))

    def _head(self, info: zipfile.ZipInfo) -> bytes:
        """The first bytes of a member: its XML declaration and prolog, where a DTD would stand."""
        try:
            with self._zip.open(info) as member:
                return member.read(PROLOG)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise Unreadable(f"{self.where(info.filename)} er beskadiget ({error})") from None

    # -- members -------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Every member's name, in the archive's order."""
        return [info.filename for info in self._infos]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def size(self, name: str) -> int:
        """A member's declared inflated size."""
        return self._by_name[name].file_size

    def check_size(self, name: str, limit: int) -> None:
        """Refuse a member that declares more than ``limit`` inflated bytes."""
        size = self._by_name[name].file_size
        if size > limit:
            raise _too_large(self.where(name), size, limit)

    def read(self, name: str, limit: int) -> bytes:
        """A whole member, refused if it declares more than ``limit`` bytes."""
        self.check_size(name, limit)
        return b"".join(self.chunks(name))

    def chunks(self, name: str, size: int = CHUNK) -> Iterator[bytes]:
        """A member's inflated bytes, ``size`` at a time, never more than it declares."""
        info = self._by_name[name]
        if info.file_size > self.limits.ratio_from and info.file_size > self.limits.ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise Unreadable(
                f"{self.where(name)} er pakket {number(ratio)}:1 (en zip-bombe?); højst {self.limits.ratio}:1 – afvist"
            )
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(size):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise Unreadable(f"{self.where(name)} er beskadiget ({error})") from None

    # -- writing -------------------------------------------------------------------------

    def write_to(self, stream: BinaryIO, changed: Mapping[str, Writer]) -> None:
        """A new package on ``stream``: the members in ``changed`` written anew (deflated as they are
        written), every other member's compressed bytes copied as they are — same names, same order."""
        with zipfile.ZipFile(stream, "w") as new:
            for info in self._infos:
                write = changed.get(info.filename)
                if write is None:
                    self._copy_raw(info, new)
                    continue
                fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                fresh.external_attr = info.external_attr
                with new.open(fresh, "w") as entry:
                    write(entry)

    def _copy_raw(self, info: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
        """Copy one member's compressed bytes without inflating them.

        zipfile has no public raw copy: this reads the local header, writes a fresh one without a data
        descriptor (sizes and CRC from the central directory) and registers the entry for the new
        central directory.
        """
        source = self._file
        source.seek(info.header_offset)
        header = source.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise Unreadable(f"{self.where(info.filename)} er beskadiget (lokalt hoved mangler)")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if source.read(name_length) != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise Unreadable(f"{self.where(info.filename)} er beskadiget (navnet i det lokale hoved er et andet)")
        source.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        out = target.fp
        assert out is not None
        entry = copy.copy(info)
        entry.flag_bits &= ~0x08  # sizes and CRC go in the local header
        entry.extra = b""
        entry.header_offset = out.tell()
        out.write(entry.FileHeader())
        left = info.compress_size
        while left:
            chunk = source.read(min(left, CHUNK))
            if not chunk:
                raise Unreadable(f"{self.where(info.filename)} er beskadiget (afkortet)")
            out.write(chunk)
            left -= len(chunk)
        target.filelist.append(entry)
        target.NameToInfo[entry.filename] = entry
        target.start_dir = out.tell()


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith(_TEXT_STARTS):
        return True
    if b"\x00" in sample:
        return False
    printable = sum(1 for byte in sample if byte >= 0x20 or byte in b"\t\r\n")
    return printable >= 0.95 * len(sample)


def _directory_extent(handle: BinaryIO, file_size: int) -> tuple[int | None, int]:
    """(members, central directory bytes) as the end record says, or (None, 0) if there is none."""
    tail_size = min(file_size, _END.size + 0xFFFF)
    handle.seek(file_size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return None, 0
    fields = _END.unpack_from(tail, at)
    count, size = fields[4], fields[5]
    if count == 0xFFFF or size == 0xFFFFFFFF or fields[6] == 0xFFFFFFFF:
        locator_at = file_size - tail_size + at - _END64_LOCATOR.size
        if locator_at < 0:
            return None, 0
        handle.seek(locator_at)
        locator = _END64_LOCATOR.unpack(handle.read(_END64_LOCATOR.size))
        if locator[0] != b"PK\x06\x07" or locator[2] + _END64.size > file_size:
            return None, 0
        handle.seek(locator[2])
        record = _END64.unpack(handle.read(_END64.size))
        if record[0] != b"PK\x06\x06":
            return None, 0
        count, size = record[7], record[8]
    return count, size


def _too_large(where: str, size: int, limit: int) -> Unreadable:
    return Unreadable(f"{where} fylder {_mb(size)} udpakket; højst {_mb(limit)} – afvist")


def _mb(size: int) -> str:
    return f"{number(size / MIB, 1 if size < 10 * MIB else 0)} MiB"
