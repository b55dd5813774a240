"""Hostile and foreign files are refused as unreadable (exit 3, one Danish line) within seconds,
before anything is inflated, and the file is left as it was; untouched members are copied raw."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.workbook.zips import bomb, deadline, lie, rewrite
from xltools.errors import ExitCode, Unreadable
from xltools.recalc.engine import recalc
from xltools.workbook.container import Container
from xltools.workbook.limits import MIB, Limits

SHEET = "xl/worksheets/sheet1.xml"
REPORTING_DAY = date(2012, 12, 11)


def _refused(path: Path, *words: str) -> str:
    """Recalculate ``path``: it must be refused as unreadable with one line holding ``words``, in time,
    leaving the file byte for byte as it was."""
    data = path.read_bytes()
    with deadline():
        outcome = recalc(path, as_of=REPORTING_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE, outcome.errors
    (message,) = outcome.errors
    assert "\n" not in message and message.startswith(str(path))
    for word in words:
        assert word in message, message
    assert path.read_bytes() == data
    return message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ["filen er tom"]),
        (bytes(range(256)) * 40, ["ikke et .xlsx-regneark", "ukendt filformat"]),
        (b"Dato;Virksomhed;Antal\n01-12-2024;Blka;3\n", ["tekstfil", "CSV"]),
        ("\ufeffDato;Virksomhed\n".encode("utf-16"), ["tekstfil"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088), ["krypteret (adgangskode) eller gammelt .xls-format"]),
    ],
    ids=["empty", "binary", "csv", "utf16-text", "ole"],
)
def test_what_is_not_a_zip_is_named(tmp_path: Path, content: bytes, words: list[str]) -> None:
    path = tmp_path / "forkert.xlsx"
    path.write_bytes(content)
    _refused(path, *words)


def test_a_truncated_zip_is_damaged(capacity_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "afkortet.xlsx"
    path.write_bytes(capacity_template.read_bytes()[:5000])
    _refused(path, "beskadiget")


def test_other_packages_are_named(capacity_template: Path, tmp_path: Path) -> None:
    xlsb = rewrite(capacity_template, tmp_path / "binær.xlsx", {}, extra={"xl/workbook.bin": b"\x83\x01\x00"})
    _refused(xlsb, ".xlsb")
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")
    _refused(ods, ".ods")
    plain = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(plain, "w") as package:
        package.writestr("readme.txt", "hej")
    _refused(plain, "xl/workbook.xml mangler")


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/evil.xml", "xl\\..\\evil.xml", "C:/evil.xml"])
def test_member_names_outside_the_package_are_refused(capacity_template: Path, tmp_path: Path, name: str) -> None:
    path = rewrite(capacity_template, tmp_path / "sti.xlsx", {}, extra={name: b"<x/>"})
    _refused(path, "ulovligt navn")


@pytest.mark.parametrize("name", ["xl/workbook.xml", "XL/Workbook.xml"])
def test_duplicate_members_are_refused(capacity_template: Path, tmp_path: Path, name: str) -> None:
    """zipfile's infolist shows both entries, its name lookup only the last: which one is the workbook?"""
    path = rewrite(capacity_template, tmp_path / "dobbelt.xlsx", {}, extra={name: b"<workbook/>"})
    _refused(path, "findes to gange")


def test_encrypted_members_and_unknown_methods_are_refused(capacity_template: Path, tmp_path: Path) -> None:
    encrypted = rewrite(capacity_template, tmp_path / "krypteret.xlsx", {})
    lie(encrypted, "xl/styles.xml", flags=0x1)
    _refused(encrypted, "xl/styles.xml", "krypteret")
    bzip = tmp_path / "bzip.xlsx"
    with zipfile.ZipFile(capacity_template) as old, zipfile.ZipFile(bzip, "w", zipfile.ZIP_BZIP2) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    _refused(bzip, "ukendt metode (12)")


def test_too_many_members_are_refused_before_zipfile_reads_them(capacity_template: Path, tmp_path: Path) -> None:
    path = rewrite(capacity_template, tmp_path / "mange.xlsx", {}, extra={f"x/{n}.bin": b"" for n in range(5_001)})
    _refused(path, "5.0", "dele; højst 5.000")


def test_a_member_declaring_2_gb_is_refused_before_inflating(capacity_template: Path, tmp_path: Path) -> None:
    path = rewrite(capacity_template, tmp_path / "stor.xlsx", {})
    lie(path, SHEET, size=2 << 30)
    _refused(path, SHEET, "2.048 MiB udpakket; højst 256 MiB")


def test_a_member_inflating_past_its_declared_size_fails_its_crc(tmp_path: Path) -> None:
    """What xltools relies on: zipfile stops at the declared size and then fails the CRC check."""
    path = bomb(tmp_path / "lyver.zip", "data.bin", 64 * MIB)
    lie(path, "data.bin", size=100_000)
    yielded = 0
    with zipfile.ZipFile(path) as archive, archive.open("data.bin") as member:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            while chunk := member.read(4096):
                yielded += len(chunk)
    assert 90_000 < yielded <= 100_000


def test_a_lying_member_is_refused_in_bounded_memory(capacity_template: Path, tmp_path: Path) -> None:
    """The sheet declares 200 kB but inflates to 64 MiB: read in chunks, it costs one chunk of memory."""
    path = bomb(tmp_path / "lyver.xlsx", SHEET, 64 * MIB, base=capacity_template)
    lie(path, SHEET, size=200_000)
    tracemalloc.start()
    try:
        with Container(path) as container, pytest.raises(Unreadable, match="beskadiget"):
            b"".join(container.chunks(SHEET))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB
    _refused(path, "beskadiget")


@pytest.mark.parametrize(
    ("member", "size"),
    [
        (SHEET, 200 * MIB),
        ("xl/sharedStrings.xml", 60 * MIB),
        ("xl/charts/chart1.xml", 3 * MIB),
        ("docProps/custom.xml", 3 * MIB),
    ],
)
def test_a_zip_bomb_in_a_part_xltools_reads_is_refused(
    industry_template: Path, tmp_path: Path, member: str, size: int
) -> None:
    path = bomb(tmp_path / "bombe.xlsx", member, size, base=industry_template)
    _refused(path, member, "zip-bombe")


@pytest.mark.parametrize(
    ("member", "size", "limit"),
    [("xl/sharedStrings.xml", 80 * MIB, "64 MiB"), ("xl/charts/chart1.xml", 5 * MIB, "4,0 MiB")],
)
def test_parts_read_whole_have_smaller_bounds(
    industry_template: Path, tmp_path: Path, member: str, size: int, limit: str
) -> None:
    path = bomb(tmp_path / "stor.xlsx", member, size, base=industry_template)
    _refused(path, member, f"højst {limit} – afvist")


def test_a_zip_bomb_in_a_part_xltools_never_reads_is_copied_raw(
    industry_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 MiB of nothing in a picture: never inflated, its compressed bytes carried over unchanged."""
    path = bomb(tmp_path / "billede.xlsx", "xl/media/image1.png", 200 * MIB, base=industry_template)
    before = _raw(path, "xl/media/image1.png")
    inflated: list[str] = []
    chunks = Container.chunks

    def spy(self: Container, name: str, size: int = 1 << 20) -> object:
        inflated.append(name)
        return chunks(self, name, size)

    monkeypatch.setattr(Container, "chunks", spy)
    with deadline():
        outcome = recalc(path, as_of=REPORTING_DAY)
    assert (outcome.exit_code, outcome.written) == (ExitCode.OK, True), outcome.errors
    assert SHEET in inflated and "xl/media/image1.png" not in inflated
    assert _raw(path, "xl/media/image1.png") == before


def test_limits_are_one_settings_object(capacity_template: Path) -> None:
    with pytest.raises(Unreadable, match="dele; højst 10"):
        Container(capacity_template, Limits(members=10))
    with Container(capacity_template, Limits()) as container:
        assert container.identity.size == capacity_template.stat().st_size
        assert "xl/workbook.xml" in container.names


def test_written_packages_keep_every_untouched_member_raw(capacity_template: Path) -> None:
    out = io.BytesIO()
    with Container(capacity_template) as container:
        container.write_to(out, {"docProps/app.xml": lambda stream: stream.write(b"<Properties/>")})
        names = container.names
    with zipfile.ZipFile(capacity_template) as old, zipfile.ZipFile(out) as new:
        assert new.namelist() == names
        assert new.read("docProps/app.xml") == b"<Properties/>"
        for info in old.infolist():
            if info.filename != "docProps/app.xml":
                assert new.getinfo(info.filename).CRC == info.CRC
                assert new.read(info.filename) == old.read(info)


def _raw(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive, open(path, "rb") as handle:
        info = archive.getinfo(name)
        handle.seek(info.header_offset + 26)
        skip = int.from_bytes(handle.read(2), "little") + int.from_bytes(handle.read(2), "little")
        handle.seek(info.header_offset + 30 + skip)
        return handle.read(info.compress_size)
