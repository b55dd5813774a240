"""Print layout of the three templates: pages per sheet as LibreOffice prints them, and each sheet's scale.

One LibreOffice run prints the three templates to PDF. The report (``-s``) lists every sheet's pages and
effective scale. No sheet prints below 60 %, and every page's footer names its sheet.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.engines.conftest import TEMPLATES
from tests.engines.printing import PrintLayout, hidden_sheets, page_texts, print_layouts, render_pages
from tests.hostile.ooxml import Package

pytestmark = pytest.mark.libreoffice

MINIMUM_SCALE = 0.60
NAMES = [path.name for path in TEMPLATES]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, PrintLayout]:
    """The three templates printed to PDF in one LibreOffice run, by file name."""
    found = print_layouts(TEMPLATES, tmp_path_factory.mktemp("print"))
    return {layout.workbook.name: layout for layout in found}


@pytest.mark.parametrize("name", NAMES)
def test_pages_and_scale_per_sheet(layouts: dict[str, PrintLayout], name: str) -> None:
    layout = layouts[name]
    print("\n" + layout.summary())
    hidden = hidden_sheets(Package.read(layout.workbook))
    assert all(page.sheet for page in layout.pages), "a page no sheet's bookmark covers"
    assert sum(item.pages for item in layout.sheets) == len(layout.pages)
    for item in layout.sheets:
        if item.sheet in hidden:
            assert item.hidden and item.pages == 0, item.sheet
        elif item.scale is not None:
            assert item.pages >= 1, f"{item.sheet} has content but printed no page"
            assert 0.1 <= item.scale.value <= 1.0


@pytest.mark.parametrize("name", NAMES)
def test_no_sheet_prints_below_60_percent(layouts: dict[str, PrintLayout], name: str) -> None:
    small = [
        f"{item.sheet}: {item.scale}"
        for item in layouts[name].sheets
        if item.scale is not None and item.scale.value < MINIMUM_SCALE
    ]
    assert not small


@pytest.mark.parametrize("name", NAMES)
def test_every_page_footer_names_its_sheet(layouts: dict[str, PrintLayout], name: str) -> None:
    unnamed = [
        f"page {page.number} ({page.sheet}): {page.footer!r}"
        for page in layouts[name].pages
        if not page.footer_names_sheet
    ]
    assert not unnamed


GUIDES = {
    "ressourceberegner.xlsx": "xltools.capacity.workbook:GUIDE",
    "brancheredskab.xlsx": "xltools.industry.workbook:GUIDE_TEXT",
    "maalstyring.xlsx": "xltools.goals.guide:GUIDE_TEXT",
}


@pytest.mark.parametrize("name", NAMES)
def test_every_word_of_the_vejledning_is_on_its_printed_pages(layouts: dict[str, PrintLayout], name: str) -> None:
    """Text cut off at the page's edge is missing from the PDF's text (pdftotext keeps only what is on
    the page), so each guide line must be found whole in the Vejledning pages' text."""
    module, _, attribute = GUIDES[name].partition(":")
    lines = getattr(importlib.import_module(module), attribute)
    layout = layouts[name]
    texts = page_texts(layout.pdf)
    printed = " ".join(" ".join(texts[page.number - 1].split()) for page in layout.pages if page.sheet == "Vejledning")
    missing = [text for _, text in lines if " ".join(text.split()) not in printed]
    assert printed and not missing, missing[:2]


def test_pages_render_as_png_for_a_human_look(layouts: dict[str, PrintLayout], tmp_path: Path) -> None:
    layout = layouts["ressourceberegner.xlsx"]
    images = render_pages(layout.pdf, tmp_path)
    assert len(images) == len(layout.pages)
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)
