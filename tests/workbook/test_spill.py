"""A dynamic array's result written at its current size: the anchor's range follows the result, the
cells of a longer previous result are cleared, a value typed where the result now reaches is refused
(Excel shows #SPILL! there rather than write over it), and chart series over a defined name get the
result's points."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from lxml import etree

from xltools.errors import Invalid
from xltools.workbook import charts
from xltools.workbook.package import XlsxPackage

SHEET = "xl/worksheets/sheet1.xml"


def _build(path: Path, typed_below: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Ark")
    sheet.write_column("A1", ["b", "a", "c"])
    sheet.write_dynamic_array_formula("C1:C3", "=_xlfn._xlws.SORT(A1:A3)", None, "a")
    sheet.write_string("C2", "b")
    sheet.write_string("C3", "c")
    sheet.write_string("D1", "beside")
    if typed_below:
        sheet.write_string("C6", "typed by a user")
    book.close()
    return path


def _sheet(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(SHEET).decode()


def _cells(path: Path, col: int) -> dict[int, object]:
    """Row number → the value a cell of column ``col`` shows, for the first ten rows that show one."""
    with XlsxPackage(path) as package:
        found = {row + 1: package.value("Ark", row, col) for row in range(10)}
    return {row: value for row, value in found.items() if value not in (None, "")}


def _spill(path: Path, values: list[str]) -> None:
    with XlsxPackage(path) as package:
        package.set_spill("Ark", 0, 2, [[value] for value in values])
        package.save()


def test_a_longer_result_widens_the_range_and_keeps_the_anchor_and_its_metadata(tmp_path: Path) -> None:
    path = _build(tmp_path / "a.xlsx")
    _spill(path, ["a", "b", "c", "d", "e"])
    xml = _sheet(path)
    anchor = re.search(r'<c r="C1"[^>]*>.*?</c>', xml)
    assert anchor is not None
    assert 'cm="1"' in anchor[0] and '<f t="array" ref="C1:C5">_xlfn._xlws.SORT(A1:A3)</f>' in anchor[0]
    assert _cells(path, 2) == {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    assert 'r="C4" t="str"' in xml  # a cached value, not a typed text
    assert _cells(path, 3) == {1: "beside"}


def test_a_shorter_result_clears_the_rest_of_the_previous_range(tmp_path: Path) -> None:
    path = _build(tmp_path / "a.xlsx")
    _spill(path, ["a", "b", "c", "d", "e"])
    _spill(path, ["x"])
    assert '<f t="array" ref="C1">' in _sheet(path)
    assert _cells(path, 2) == {1: "x"}


def test_a_value_where_the_result_now_reaches_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = _build(tmp_path / "a.xlsx", typed_below=True)
    data = path.read_bytes()
    with XlsxPackage(path) as package, pytest.raises(Invalid, match="Ark!C6"):
        package.set_spill("Ark", 0, 2, [[str(n)] for n in range(8)])
    assert path.read_bytes() == data


def test_a_check_reports_a_range_of_another_size_as_stale(tmp_path: Path) -> None:
    path = _build(tmp_path / "a.xlsx")
    with XlsxPackage(path) as package:
        package.set_spill("Ark", 0, 2, [["a"], ["b"], ["c"]])
        assert package.stale() == []
    with XlsxPackage(path) as package:
        package.set_spill("Ark", 0, 2, [["a"], ["b"], ["c"], ["d"]])
        assert any("listen er gemt over C1:C3, beregnet til C1:C4" in line for line in package.stale())


def test_a_series_over_a_defined_name_gets_the_points_given_for_that_name() -> None:
    chart = etree.fromstring(
        f'<c:chartSpace xmlns:c="{charts.CHART_NS}"><c:ser>'
        "<c:cat><c:strRef><c:f>[0]!Brancher</c:f></c:strRef></c:cat>"
        '<c:val><c:numRef><c:f>[0]!Tal</c:f><c:numCache><c:ptCount val="1"/></c:numCache></c:numRef></c:val>'
        "</c:ser></c:chartSpace>"
    )
    changed = charts.refresh(chart, {}, 100, "test", {"BRANCHER": ["Industri", "Handel"], "Tal": [3.0, 0.0]})
    assert changed
    points = [pt.findtext(f"{{{charts.CHART_NS}}}v") for pt in chart.iter(f"{{{charts.CHART_NS}}}pt")]
    assert points == ["Industri", "Handel", "3", "0"]
    counts = [count.get("val") for count in chart.iter(f"{{{charts.CHART_NS}}}ptCount")]
    assert counts == ["2", "2"]
