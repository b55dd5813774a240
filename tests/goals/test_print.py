"""The Målstyring looks right and prints on A4: every sheet has a print area, a footer and a scale of at
least 60 %; number formats never show a trailing separator; charts have axis titles and Danish week
names; LibreOffice prints each week on one page."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.goals.engines import sheet_parts
from xltools.goals.layout import CHARTS, DATA, FRONT, week_sheet
from xltools.goals.setup import default_setup
from xltools.goals.workbook import build
from xltools.recalc.libreoffice import make_profile, soffice
from xltools.workbook.build import TEMPLATE_DATE
from xltools.workbook.printing import FOOTER, MIN_SCALE, column_pixels, page_width_pixels
from xltools.workbook.refs import Area

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
DEFAULT_WIDTH = 8.43


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print") / "maalstyring.xlsx"
    build(path, TEMPLATE_DATE)
    return path


def _print_areas(path: Path) -> dict[str, Area]:
    with zipfile.ZipFile(path) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    sheets = [sheet.get("name") for sheet in workbook.iter(f"{M}sheet")]
    return {
        sheets[int(name.get("localSheetId"))]: Area.parse(name.text)
        for name in workbook.iter(f"{M}definedName")
        if name.get("name") == "_xlnm.Print_Area"
    }


def _widths(root: etree._Element, first: int, last: int) -> list[float]:
    """Widths (characters) of the columns first…last (zero-based) that print (hidden ones do not)."""
    widths = {col: DEFAULT_WIDTH for col in range(first, last + 1)}
    for col in root.iter(f"{M}col"):
        for index in range(int(col.get("min")) - 1, int(col.get("max"))):
            if index in widths:
                widths[index] = 0.0 if col.get("hidden") == "1" else float(col.get("width"))
    return [width for width in widths.values() if width]


@pytest.mark.parametrize("employees", [8, 20])
def test_every_sheet_prints_on_a4_with_a_footer_and_at_least_60_percent(tmp_path: Path, employees: int) -> None:
    path = tmp_path / "m.xlsx"
    build(path, TEMPLATE_DATE, default_setup(2026, employees))
    areas = _print_areas(path)
    parts = {sheet: part for sheet, part in sheet_parts(path).items() if sheet != DATA}  # hidden: never printed
    assert set(areas) == set(parts)
    with zipfile.ZipFile(path) as archive:
        for sheet, part in parts.items():
            root = etree.fromstring(archive.read(part))
            setup = root.find(f"{M}pageSetup")
            assert setup.get("paperSize") == "9", sheet
            assert root.findtext(f"{M}headerFooter/{M}oddFooter") == FOOTER, sheet
            landscape = setup.get("orientation") == "landscape"
            fits = root.find(f"{M}sheetPr/{M}pageSetUpPr") is not None
            if fits:
                widths = _widths(root, areas[sheet].first[1], areas[sheet].last[1])
                width = sum(column_pixels(w) for w in widths)
                assert page_width_pixels(landscape) / width * 100 >= MIN_SCALE, sheet
            else:
                assert int(setup.get("scale", "100")) >= MIN_SCALE, sheet
    if employees == 20:  # 40 Real and Mål columns do not fit one page wide at 60 %: labels repeat instead
        with zipfile.ZipFile(path) as archive:
            week = etree.fromstring(archive.read(parts[week_sheet(1)]))
            assert week.find(f"{M}pageSetup").get("scale") == str(MIN_SCALE)
        assert "'Uge 1'!$C:$D" in zipfile.ZipFile(path).read("xl/workbook.xml").decode()


def test_no_number_format_shows_a_trailing_separator(template: Path) -> None:
    with zipfile.ZipFile(template) as archive:
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    codes = [fmt.get("formatCode") for fmt in styles.iter(f"{M}numFmt")]
    assert "#,##0" in codes and "#,##0.0" in codes and "0 %" in codes
    for code in codes:
        unquoted = re.sub(r'"[^"]*"', "", code)
        assert not re.search(r"\.#", unquoted), code  # "#,##0.#" shows 44 as "44,"


def test_charts_have_axis_titles_and_danish_week_names(template: Path) -> None:
    with zipfile.ZipFile(template) as archive:
        charts = [etree.fromstring(archive.read(name)) for name in archive.namelist() if name.startswith("xl/charts/")]
    assert len(charts) == 6  # sections, and the five largest Årsmål
    for chart in charts:
        axes = [axis for tag in ("catAx", "valAx") for axis in chart.iter(f"{C}{tag}")]
        assert len(axes) == 2 and all(axis.find(f"{C}title") is not None for axis in axes)
        assert chart.find(f"{C}chart/{C}title") is not None
    lines = [chart for chart in charts if chart.find(f".//{C}lineChart") is not None]
    for chart in lines:
        categories = chart.find(f".//{C}cat/{C}strRef")
        assert categories.findtext(f"{C}f").startswith("Data!$B$3:")
        points = [point.findtext(f"{C}v") for point in categories.iter(f"{C}pt")]
        assert points[:2] == ["uge 1", "uge 2"] and points[-1] == "uge 53"
        assert chart.find(f"{C}chart/{C}title/{C}tx/{C}strRef/{C}f").text.startswith(f"{FRONT}!$B$")  # follows renames


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")
def test_libreoffice_prints_each_week_on_one_page(template: Path, tmp_path: Path) -> None:
    executable = soffice()
    assert executable
    profile = make_profile(tmp_path / "profile")
    subprocess.run(
        [executable, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(template)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "maalstyring.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    footers = re.findall(r"^\s*(.+?) – side \d+ af \d+\s*$", text, flags=re.M)
    pages = {sheet: footers.count(sheet) for sheet in footers}
    assert all(pages[week_sheet(week)] == 1 for week in range(1, 54))
    assert pages[FRONT] <= 2 and pages[CHARTS] == 3
