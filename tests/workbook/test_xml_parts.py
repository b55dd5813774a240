"""The XML parts xltools reads are not trusted: a DTD (entity expansion, external entities) is refused in
every one of them, and ranges over whole columns — in a chart, a table or a sheet's cells — are refused
before they cost minutes or gigabytes. Each within 10 seconds, the file left as it was."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workbook.zips import DOCTYPES, deadline, rewrite, with_doctype
from xltools.errors import ExitCode, Unreadable
from xltools.recalc.engine import recalc
from xltools.workbook.limits import Limits
from xltools.workbook.package import XlsxPackage
from xltools.workbook.safexml import parse

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

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


def test_a_table_over_whole_columns_is_refused(industry_copy: Path, tmp_path: Path) -> None:
    def whole_columns(data: bytes) -> bytes:
        return re.sub(rb'ref="A2:R\d+"', b'ref="A2:R1048576"', data)

    path = rewrite(industry_copy, tmp_path / "tabel.xlsx", {"xl/tables/table1.xml": whole_columns})
    _refused(path, "tabellen har 1.048.574 rækker", "højst 250.000")


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


def test_cells_far_apart_are_refused_before_a_dense_reader_allocates_them(industry_copy: Path, tmp_path: Path) -> None:
    """python-calamine allocates the whole rectangle around a sheet's cells: A1 to XFD1048576 is 17
    billion cells. The shape is checked first."""

    def far_cell(data: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        return data.replace(b"</sheetData>", far, 1)

    path = rewrite(industry_copy, tmp_path / "langt.xlsx", {"xl/worksheets/sheet5.xml": far_cell})  # Lister
    _refused(path, "'Lister'", "celler (A1:XFD1048576)")


def test_a_far_reference_inside_a_near_row_is_refused_before_a_dense_reader_allocates_it(
    industry_copy: Path, tmp_path: Path
) -> None:
    """python-calamine places a cell by its own reference, not by the row that holds it: a cell CZ60000
    written inside row 1 makes it allocate 6 million cells (XFD1048576 would be 17 billion)."""

    def far_cell(data: bytes) -> bytes:
        return data.replace(b"</row>", b'<c r="CZ60000"><v>1</v></c></row>', 1)

    path = rewrite(industry_copy, tmp_path / "langt.xlsx", {"xl/worksheets/sheet5.xml": far_cell})  # Lister
    _refused(path, "'Lister'", "celler (A1:CZ60000)")


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (b'<c r="CZ0"><v>1</v></c>', ("cellen 'CZ0' står i række 1",)),
        (b'<c r="CZ1" t="b"><v>7</v></c>', ("har en celle, der ikke kan læses", "boolean")),
        (b'<c r="CZ1" t="s"><v>999999</v></c>', ("har en celle, der ikke kan læses", "shared strings")),
        (b'<c r="CZ1" t="e"><v>#FOO</v></c>', ("har en celle, der ikke kan læses", "#FOO")),
    ],
)
def test_a_cell_the_dense_reader_refuses_is_named_not_an_internal_error(
    industry_copy: Path, tmp_path: Path, cell: bytes, words: tuple[str, ...]
) -> None:
    """Cells xltools never reads itself, but python-calamine does when it reads the sheet whole."""

    def odd_cell(data: bytes) -> bytes:
        return data.replace(b"</row>", cell + b"</row>", 1)

    path = rewrite(industry_copy, tmp_path / "celle.xlsx", {"xl/worksheets/sheet5.xml": odd_cell})  # Lister
    _refused(path, "'Lister'", *words)


_GRID_LIMIT = 60
"""Cells the property below lets python-calamine allocate; its sheets reach row 40 and column AD."""


@st.composite
def _sheet_data(draw: st.DrawFn) -> tuple[str, str]:
    """Rows of cells written every way a file may: with the row's reference, another row's, none at
    all; rows with and without numbers; with or without a namespace prefix."""
    prefix = draw(st.sampled_from(["", "x:"]))
    rows = []
    number = 0
    for _ in range(draw(st.integers(0, 5))):
        number += draw(st.integers(1, 12))
        cells = []
        for letters in sorted(draw(st.sets(st.sampled_from(["A", "B", "E", "Z", "AD"]), max_size=3)), key=len):
            ref = draw(st.sampled_from(["same", "other", "none"]))
            row = number if ref == "same" else draw(st.integers(1, 40))
            attribute = "" if ref == "none" else f' r="{letters}{row}"'
            cells.append(f"<{prefix}c{attribute}><{prefix}v>1</{prefix}v></{prefix}c>")
        numbered = f' r="{number}"' if draw(st.booleans()) else ""
        rows.append(f"<{prefix}row{numbered}>{''.join(cells)}</{prefix}row>")
    return prefix, "".join(rows)


@given(_sheet_data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_sheet_passing_the_grid_check_fits_what_calamine_allocates(
    tmp_path: Path, sheet_data: tuple[str, str]
) -> None:
    """The check before python-calamine reads a sheet whole bounds what it then allocates (it reads
    from A1 to the farthest cell, placing each cell by its own reference), or the file is refused."""
    from python_calamine import CalamineError, CalamineWorkbook

    prefix, rows = sheet_data
    namespace = f"xmlns:{prefix[:-1]}" if prefix else "xmlns"
    xml = f'<{prefix}worksheet {namespace}="{MAIN}"><{prefix}sheetData>{rows}</{prefix}sheetData></{prefix}worksheet>'
    path = rewrite(_one_sheet_book(), tmp_path / "ark.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})
    try:
        with XlsxPackage(path, Limits(grid_cells=_GRID_LIMIT)) as package:
            package.check_grid("S")
    except Unreadable:
        return  # refused: nothing is allocated
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    except CalamineError:
        return  # refused by calamine itself (named, not an internal error: see above)
    if sheet.end is not None:
        assert (sheet.end[0] + 1) * (sheet.end[1] + 1) <= _GRID_LIMIT, rows


@cache
def _one_sheet_book() -> Path:
    book = openpyxl.Workbook()
    book.active.title = "S"
    path = Path(tempfile.mkdtemp(prefix="xltools-grid-")) / "base.xlsx"
    book.save(path)
    return path
