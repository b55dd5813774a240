"""XlsxPackage on the byte layer: queued edits read back before saving, the identity of the version
read, a write of an untouched package, and cells of a sheet too large to index."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from tests.workbook.zips import rewrite
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import parse_cell

SHEET = "Ressourceberegner"


def test_queued_edits_are_read_back_and_written(capacity_copy: Path) -> None:
    row, col = parse_cell("H60")
    with XlsxPackage(capacity_copy) as package:
        package.set_formula(SHEET, row, col, "=B4*2", 2.0)
        package.set_constant(SHEET, *parse_cell("B4"), "=1+1")
        assert (package.value(SHEET, row, col), package.has_formula(SHEET, row, col)) == (2.0, True)
        assert (package.value(SHEET, 3, 1), package.has_formula(SHEET, 3, 1)) == ("=1+1", False)
        assert package.dirty
        package.save()
    with XlsxPackage(capacity_copy) as package:
        assert (package.value(SHEET, row, col), package.has_formula(SHEET, row, col)) == (2.0, True)
        assert (package.value(SHEET, 3, 1), package.has_formula(SHEET, 3, 1)) == ("=1+1", False)


def test_identity_is_the_version_read_and_an_untouched_write_keeps_every_member(capacity_copy: Path) -> None:
    status = os.stat(capacity_copy)
    out = io.BytesIO()
    with XlsxPackage(capacity_copy) as package:
        identity = package.identity
        assert not package.dirty
        package.write_to(out)
    assert (identity.device, identity.inode, identity.size, identity.mtime_ns) == (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
    )
    with zipfile.ZipFile(capacity_copy) as old, zipfile.ZipFile(out) as new:
        assert [(i.filename, i.CRC) for i in new.infolist()] == [(i.filename, i.CRC) for i in old.infolist()]


def test_a_sheet_too_large_to_index_is_read_in_windows(capacity_copy: Path, tmp_path: Path) -> None:
    """6 MB of extra rows: the sheet is streamed, and reading down it costs a pass per window."""

    def padded(data: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1000, 120_000))
        return data.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    path = rewrite(capacity_copy, tmp_path / "stor.xlsx", {"xl/worksheets/sheet1.xml": padded})
    with XlsxPackage(path) as package:
        assert package.value(SHEET, *parse_cell("B4")) == 330  # Borgere, the seed's input
        assert [package.value(SHEET, row, 0) for row in range(999, 119_999, 1000)] == list(range(1000, 120_000, 1000))
        assert package.value(SHEET, 120_005, 0) is None
