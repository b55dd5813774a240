"""The Brancheredskab stays right with no Python: what a team does in Excel for a week — type rows, fill
places, extend the lists with values that look like criteria, type a reporting date with a time of day —
is edited into the file as another program would (XML, every other part kept), recalculated only in
LibreOffice 25.2, and every formula cell must equal what ``xltools recalc`` computes for the same file.

LibreOffice fills a dynamic array's stored range and does not spill further, so where the result grows
the edit widens the stored range as Excel's re-spill would; that Excel spills by itself is not proven
here (README). The charts draw defined names: LibreOffice resolves each to exactly the listed
categories.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.engines import edits
from tests.engines.agreement import check_agreement, same
from tests.engines.cells import read_cells
from tests.engines.formulas import Area, cell_name
from tests.hostile.ooxml import NS, Package
from xltools.core.logic import serial
from xltools.industry.demo import demo_rows
from xltools.industry.layout import LIST_NAMES, spillings
from xltools.industry.lists import BRANCHER
from xltools.industry.workbook import build
from xltools.recalc import libreoffice
from xltools.recalc.engine import recalc

pytestmark = [pytest.mark.libreoffice]

AS_OF = date(2026, 11, 30)
TODAY = date(2026, 12, 7)
"""The day the team recalculates: a week after the typed reporting date."""
TYPED = serial(AS_OF) + 0.75
"""The reporting date typed with a time of day (18:00): ages are fractions of days, as in Excel."""
TRICKY = ("*", "Bygge?", "~Tilde", "<5", "<>Handel", "Handel*", ">0", "handel")
"""Industries a team might add whose text a SUMIFS criterion would read as an operator or a wildcard; the
last is an existing industry in other case (Excel's ``=`` matches it, so it shares "Handel"'s figure)."""
NEW = tuple(f"Ny branche {n}" for n in range(1, 42))
"""With TRICKY, 70 industries: more than the 60 rows version 1 had room for."""


def _row(day: float, industry: str, result: str, places: int, filled: int, company: str) -> dict[str, edits.CellInput]:
    return {
        "Dato": day,
        "Virksomhedens navn": company,
        "Virksomhedstype": industry,
        "Resultat af kontakt": result,
        "Jobfunktion": "Rengøring",
        "Antal pladser": places,
        "Antal besatte pladser": filled,
    }


def _respill(package: Package, sheet: str, anchor: str, height: int) -> None:
    """Widen an array formula's stored range to ``height`` rows, as Excel's re-spill would leave it."""
    cell = package.cell(sheet, anchor)
    formula = cell.find("m:f", NS)
    assert formula is not None and formula.get("t") == "array", (sheet, anchor)
    area = Area.parse(sheet, formula.get("ref", anchor))
    formula.set("ref", f"{anchor}:{cell_name(area.top + height - 1, area.right)}")


def _heights(path: Path) -> dict[tuple[str, str], int]:
    """Each array formula's stored height, by (sheet, anchor)."""
    cells = read_cells(path)
    found = {}
    for key, cell in cells.formulas.items():
        if cell.array and cell.anchor == cell.cell:
            area = Area.parse(cell.sheet, cell.array)
            found[key] = area.bottom - area.top + 1
    return found


@pytest.fixture(scope="module")
def week_in_excel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo Brancheredskab after a week in Excel: a typed reporting date with a time, 70 industries,
    new rows in them (open, filled, without opening, one dated after the reporting date), one row's
    places filled — and the dynamic arrays' stored ranges as Excel would leave them."""
    folder = tmp_path_factory.mktemp("excel-week")
    path = folder / "brancheredskab.xlsx"
    build(path, AS_OF, demo_rows(AS_OF), typed_as_of=TYPED)
    old = _heights(path)
    with edits.editing(path) as package:
        edits.extend_list(package, "Lister", "A", [*TRICKY, *NEW], first_row=2)
        rows = [
            _row(serial(AS_OF) - 20, "*", "Ordinær åbning", 3, 1, "Stjernen A/S"),
            _row(serial(AS_OF) - 9, "Bygge?", "Praktikplads", 2, 0, "Spørgsmål ApS"),
            _row(serial(AS_OF) - 3, "~Tilde", "Ingen åbning", 0, 0, "Tilde & Co"),
            _row(serial(AS_OF) - 1, "<5", "Løntilskud", 1, 0, "Mindre end fem"),
            _row(serial(AS_OF) - 2, "<>Handel", "Ordinær åbning", 4, 4, "Lighedstegn"),
            _row(serial(AS_OF) - 6, "handel", "Ordinær åbning", 2, 0, "Små bogstaver"),
            _row(serial(AS_OF) - 40, "Ny branche 41", "Ingen åbning", 0, 0, "Stjernen A/S"),
            _row(serial(AS_OF) + 3, "Ny branche 7", "Ordinær åbning", 5, 0, "Fremtiden"),
            _row(serial(AS_OF) - 7, "Handel*", "Ordinær åbning", 1, 0, "Sidste række"),
            _row(serial(AS_OF) - 12, "Industri", "Ingen åbning", 0, 0, "STJERNEN A/S"),
        ]
        edits.append_table_rows(package, "Kontakter", rows, formulas=True)
        first_data = edits.table(package, "Kontakter").area.top + 1
        edits.set_value(package, "Registrering", cell_name(first_data, 12), 0)  # the oldest row: nothing filled
    # the heights Excel would spill to: what xltools computes for the edited file
    expected = folder / "expected.xlsx"
    shutil.copyfile(path, expected)
    outcome = recalc(expected, today=lambda: TODAY)
    assert outcome.exit_code == 0, outcome.errors
    new = _heights(expected)
    with edits.editing(path) as package:
        for (sheet, anchor), height in new.items():
            if height != old.get((sheet, anchor)):
                _respill(package, sheet, anchor, height)
    return path


@pytest.fixture(scope="module")
def results(week_in_excel: Path, tmp_path_factory: pytest.TempPathFactory, soffice: str) -> tuple[Path, Path]:
    """(LibreOffice's recalculation of the edited file, xltools' recalculation of it)."""
    folder = tmp_path_factory.mktemp("excel-week-results")
    ours = folder / "xltools.xlsx"
    shutil.copyfile(week_in_excel, ours)
    assert recalc(ours, today=lambda: TODAY).exit_code == 0
    (theirs,) = libreoffice.recalculate([week_in_excel], folder / "libreoffice")
    return theirs, ours


def test_every_formula_cell_libreoffice_computes_equals_xltools(results: tuple[Path, Path]) -> None:
    theirs, ours = (read_cells(path) for path in results)
    assert len(ours.formulas) > 1500
    differing = [
        f"{sheet}!{cell}: LibreOffice {theirs.value(sheet, cell)}, xltools {ours.value(sheet, cell)}"
        for (sheet, cell) in ours.formulas
        if not same(theirs.value(sheet, cell), ours.value(sheet, cell))
    ]
    assert not differing, "\n".join(differing[:20])


def test_overblik_lists_the_typed_rows_oldest_first(results: tuple[Path, Path]) -> None:
    theirs = read_cells(results[0])
    names, days = [], []
    row = 6
    while (value := theirs.value("Overblik", f"A{row}").python) not in (None, ""):
        days.append(value)
        names.append(theirs.value("Overblik", f"B{row}").python)
        row += 1
    assert days == sorted(days)
    assert {"Stjernen A/S", "Spørgsmål ApS", "Mindre end fem", "Små bogstaver", "Sidste række"} <= set(names)
    assert "Lighedstegn" not in names  # every place filled
    assert "Fremtiden" not in names  # dated after the reporting date
    assert theirs.value("Overblik", "B3").python == len(names)


def test_statistik_counts_every_listed_industry_literally(results: tuple[Path, Path]) -> None:
    theirs = read_cells(results[0])
    labels, open_places = [], []
    for row in range(5, 5 + len(BRANCHER) + len(TRICKY) + len(NEW) + 1):
        labels.append(theirs.value("Statistik", f"A{row}").python)
        open_places.append(theirs.value("Statistik", f"B{row}").python)
    assert labels[-1] is None and labels[:-1] == [*BRANCHER, *TRICKY, *NEW]
    figures = dict(zip(labels, open_places, strict=True))
    assert figures["*"] == 2 and figures["Bygge?"] == 2 and figures["<5"] == 1 and figures["Handel*"] == 1
    assert figures["~Tilde"] == 0 and figures["<>Handel"] == 0  # no opening / every place filled
    assert figures["handel"] == figures["Handel"] >= 2  # Excel's = compares text case-insensitively
    without = {
        theirs.value("Statistik", f"A{row}").python: theirs.value("Statistik", f"E{row}").python for row in range(5, 75)
    }
    assert without["~Tilde"] == 1 and without["Ny branche 41"] == 1
    companies = {}
    for row in range(5, 200):
        name = theirs.value("Statistik", f"AP{row}").python
        if name in (None, ""):
            break
        companies[name] = theirs.value("Statistik", f"AQ{row}").python
    assert companies["Stjernen A/S"] == 2 and "STJERNEN A/S" not in companies  # UNIQUE ignores case, as =
    assert list(companies.values()) == sorted(companies.values(), reverse=True)


def test_the_charts_draw_names_that_libreoffice_resolves_to_the_listed_categories(
    week_in_excel: Path, tmp_path: Path, soffice: str
) -> None:
    package = Package.read(week_in_excel)
    formulas = [
        element.text or ""
        for member in package.members
        if re.fullmatch(r"xl/charts/chart\d+\.xml", member)
        for element in package.tree(member).iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}f")
    ]
    series = [text for text in formulas if not re.fullmatch(r"Statistik!\$[A-Z]+\$4", text)]  # series names
    assert series and all(text.startswith("[0]!") for text in series), series
    names = sorted({text.removeprefix("[0]!") for text in series})
    proof = tmp_path / "names.xlsx"
    with edits.editing(week_in_excel, proof) as edited:
        edits.add_sheet(edited, "Bevis")
        for row, name in enumerate(names, start=1):
            edits.set_value(edited, "Bevis", f"A{row}", edits.Formula(f"ROWS({name})"))
            edits.set_value(edited, "Bevis", f"B{row}", edits.Formula(f"INDEX({name},ROWS({name}))"))
        edits.set_value(edited, "Bevis", "C1", edits.Formula(f"ROWS({LIST_NAMES['Virksomhedstype']})"))
    (recalculated,) = libreoffice.recalculate([proof], tmp_path / "out")
    cells = read_cells(recalculated)
    listed = len(BRANCHER) + len(TRICKY) + len(NEW)
    assert cells.value("Bevis", "C1").python == listed
    for row, name in enumerate(names, start=1):
        assert cells.value("Bevis", f"A{row}").python == listed, name
        last = cells.value("Bevis", f"B{row}").python
        assert last not in (None, "") and not str(last).startswith("#"), (name, last)
    assert {spilling.name for spilling in spillings() if spilling.rows} >= set(names)


def test_gnumeric_agrees_where_it_can(results: tuple[Path, Path], tmp_path: Path, gnumeric_installed: str) -> None:
    (agreement,) = check_agreement([results[1]], tmp_path)
    print("\n" + agreement.summary())
    assert not agreement.disagreements, agreement.summary()


def test_no_formula_holds_a_text_longer_than_excel_allows(results: tuple[Path, Path]) -> None:
    """Excel refuses a string literal over 255 characters in a formula; no user text is ever one."""
    for path in results:
        for cell in read_cells(path).formulas.values():
            literals = re.findall(r'"((?:[^"]|"")*)"', cell.formula)
            assert all(len(text.replace('""', '"')) <= 255 for text in literals), (cell.where, cell.formula[:80])
            assert not any(name in cell.formula for name in ("Stjernen", "Bygge?", "Tilde")), cell.where
