"""The XML parts xltools reads are not trusted: a DTD (entity expansion, external entities) is refused in
every one of them, and ranges over whole columns — in a chart, a table or a sheet's cells — are refused
before they cost minutes or gigabytes. Each within 10 seconds, the file left as it was."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.workbook.zips import DOCTYPES, deadline, rewrite, with_doctype
from xltools.errors import ExitCode, Unreadable
from xltools.recalc.engine import recalc
from xltools.workbook.safexml import parse

PARTS_READ = [
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/custom.xml",
    "xl/worksheets/sheet1.xml",  # Registrering
    "xl/worksheets/sheet3.xml",  # Overblik
    "xl/worksheets/_rels/sheet1.xml.rels",
    "xl/tables/table1.xml",
    "xl/sharedStrings.xml",
    "xl/charts/chart1.xml",
]


def _refused(path: Path, *words: str) -> str:
    data = path.read_bytes()
    with deadline():
        outcome = recalc(path, as_of=date(2012, 12, 11))
    assert outcome.exit_code == ExitCode.UNREADABLE, outcome.errors
    (message,) = outcome.errors
    for word in words:
        assert word in message, message
    assert path.read_bytes() == data
    return message


def test_every_part_listed_is_read_by_a_recalculation(industry_copy: Path) -> None:
    """The list below is the parts a recalculation reads: breaking any of them stops it."""
    for part in PARTS_READ:
        broken = rewrite(industry_copy, industry_copy.with_name("broken.xlsx"), {part: b"<?xml version='1.0'?><x"})
        assert recalc(broken, as_of=date(2012, 12, 11)).exit_code == ExitCode.UNREADABLE, part


@pytest.mark.parametrize("kind", sorted(DOCTYPES))
@pytest.mark.parametrize("part", PARTS_READ)
def test_a_dtd_is_refused_in_every_part_read(industry_copy: Path, tmp_path: Path, part: str, kind: str) -> None:
    path = rewrite(industry_copy, tmp_path / "dtd.xlsx", {part: with_doctype(kind)})
    _refused(path, "indeholder en DTD – afvist")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_parse_refuses_a_dtd_before_the_parser_sees_it(encoding: str) -> None:
    text = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(Unreadable, match="DTD"):
        parse(text.encode(encoding), "del")
    assert parse(b"<x>1</x>", "del").text == "1"


def test_a_chart_series_over_whole_columns_is_refused(industry_copy: Path, tmp_path: Path) -> None:
    def whole_column(data: bytes) -> bytes:
        return data.replace(b"[0]!DiagramAabne<", b"Statistik!$B$1:$B$1048576<")

    path = rewrite(industry_copy, tmp_path / "diagram.xlsx", {"xl/charts/chart1.xml": whole_column})
    _refused(path, "xl/charts/chart1.xml", "1.048.576 punkter; højst 10.000")


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        (b"A2:R1048576", ("tabellen har 1.048.574 rækker", "højst 250.000")),  # whole columns
        (b"A2:XFD\\1", ("tabellen har 16.384 kolonner", "højst 64")),  # every column, its rows kept
    ],
)
def test_a_table_over_whole_columns_or_every_column_is_refused(
    industry_copy: Path, tmp_path: Path, ref: bytes, words: tuple[str, ...]
) -> None:
    def widened(data: bytes) -> bytes:
        return re.sub(rb'ref="A2:R(\d+)"', b'ref="' + ref + b'"', data)

    path = rewrite(industry_copy, tmp_path / "tabel.xlsx", {"xl/tables/table1.xml": widened})
    _refused(path, *words)


def test_a_sheet_padded_with_a_million_empty_rows_is_refused(industry_copy: Path, tmp_path: Path) -> None:
    def padded(data: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"/>' % number for number in range(30, 1_048_577))
        return data.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    path = rewrite(industry_copy, tmp_path / "rækker.xlsx", {"xl/worksheets/sheet5.xml": padded})  # Lister
    _refused(path, "'Lister' har over 300.000 rækker")


def test_many_charts_are_bounded_together(industry_copy: Path, tmp_path: Path) -> None:
    """Each chart is small, but a package of 300 of them would be gigabytes of trees."""
    with zipfile.ZipFile(industry_copy) as package:
        chart = package.read("xl/charts/chart3.xml") + b" " * 40_000
    extra = {f"xl/charts/chart{number}.xml": chart for number in range(4, 300)}
    path = rewrite(industry_copy, tmp_path / "diagrammer.xlsx", {}, extra=extra)
    _refused(path, "XML-delene fylder over 8 MiB")


LISTER = "xl/worksheets/sheet5.xml"
_FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
HOSTILE_CELLS = {  # what replaces the first "</row>" (or "</sheetData>") of Lister, and what xltools says
    "a far cell": (_FAR, ""),
    "a far reference in row 1": (b'<c r="XFD1048576"><v>1</v></c></row>', "cellen 'XFD1048576' står i række 1"),
    "two references": (b'<c r="CZ1" r="XFD1048576"><v>1</v></c></row>', ""),
    "an end of the cells in a comment": (
        b'<c r="CZ1"><v>1</v><!-- </sheetData> --></c></row><row r="1048575"><c r="XFD1048575"><v>1</v></c></row>',
        "rækkerne står ikke i stigende orden (række 2)",
    ),
    "a reference to row 0": (b'<c r="CZ0"><v>1</v></c></row>', "cellen 'CZ0' står i række 1"),
    "a bad truth value": (b'<c r="CZ1" t="b"><v>7</v></c></row>', ""),
    "a missing shared text": (b'<c r="CZ1" t="s"><v>999999</v></c></row>', ""),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_CELLS))
def test_cells_written_oddly_or_far_away_cost_nothing(industry_copy: Path, tmp_path: Path, case: str) -> None:
    """The sheets are read by one reader, which keeps only the cells it meets: a cell at XFD1048576, a
    reference naming another row, two references, a comment holding ``</sheetData>`` — each once made
    a second, dense reader (python-calamine) allocate billions of cells. A cell the tool never reads
    is not judged; one it reads that breaks the format is refused by name."""
    new, refusal = HOSTILE_CELLS[case]
    end = b"</sheetData>" if new.endswith(b"</sheetData>") else b"</row>"
    path = rewrite(industry_copy, tmp_path / "celle.xlsx", {LISTER: lambda data: data.replace(end, new, 1)})
    if refusal:
        _refused(path, "'Lister'", refusal)
        return
    with deadline():
        outcome = recalc(path, as_of=date(2012, 12, 11))
    assert outcome.exit_code == ExitCode.OK, outcome.errors
