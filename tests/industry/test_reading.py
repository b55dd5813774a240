"""The file's table read as Excel hands a range to xlwings: an error value is blank, a shared text that
does not exist is refused by name; a caller's DataFrame values (NumPy scalars, pandas' NA) read as
the cells they stand for."""

from __future__ import annotations

import random
import re
import shutil
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.engines.cells import read_cells
from tests.industry.conftest import SEED_DAY, SEED_ROWS, workbook_with
from tests.workbook.zips import rewrite
from xltools.errors import ExitCode
from xltools.industry.layout import HEADERS, LISTS, TABLE
from xltools.industry.recalc import read_kontakter
from xltools.industry.rows import validate_rows
from xltools.industry.workbook import DEFAULT_LISTS
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage
from xltools.workbook.refs import column_letters
from xltools.workbook.sheetxml import Scanner
from xltools.workbook.source import FileSource

REGISTRERING, LISTER = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet5.xml"
TABLE_PART = "xl/tables/table1.xml"


def _with_cell(source: Path, target: Path, member: str, ref: str, cell: str) -> Path:
    """``source`` with the cell ``ref`` of ``member`` written as ``cell``."""

    def replaced(data: bytes) -> bytes:
        pattern = rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
        new, count = re.subn(pattern, cell.encode(), data, count=1)
        assert count == 1, ref
        return new

    return rewrite(source, target, {member: replaced})


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    return workbook_with(tmp_path / "seed.xlsx", SEED_ROWS, SEED_DAY)


def test_an_error_value_in_the_table_is_blank(seeded: Path, tmp_path: Path) -> None:
    path = _with_cell(seeded, tmp_path / "fejl.xlsx", REGISTRERING, "B3", '<c r="B3" t="e"><v>#REF!</v></c>')
    with XlsxPackage(path) as package:
        table = FileSource(package).table(TABLE)
    assert table is not None and table.rows[0][1] is None and table.rows[1][1] == "Blka"
    assert read_kontakter(path, SEED_DAY)["virksomhed"].tolist() == [None, "Blka"]


def test_an_error_value_ends_a_list(seeded: Path, tmp_path: Path) -> None:
    path = _with_cell(seeded, tmp_path / "liste.xlsx", LISTER, "A4", '<c r="A4" t="e"><v>#N/A</v></c>')
    with XlsxPackage(path) as package, XlsxPackage(seeded) as whole:
        listed, full = FileSource(package).column(LISTS, 0, 1), FileSource(whole).column(LISTS, 0, 1)
    assert listed == full[:2] and len(full) > 3


@pytest.mark.parametrize("index", ["-1", "9" * 4400])
def test_a_shared_text_that_does_not_exist_is_refused_by_name(seeded: Path, tmp_path: Path, index: str) -> None:
    cell = f'<c r="B3" t="s"><v>{index}</v></c>'
    path = _with_cell(seeded, tmp_path / "tekst.xlsx", REGISTRERING, "B3", cell)
    outcome = recalc(path, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE, outcome.errors
    assert "celle B3: henviser til en delt tekst, der ikke findes" in outcome.errors[0]


def test_a_dataframes_numpy_scalars_and_missing_values_read_as_cells() -> None:
    records = [
        {**SEED_ROWS[0], "pladser": np.int64(5), "besatte": np.int64(2), "cvr": pd.NA, "lukket": pd.NaT},
        {**SEED_ROWS[1], "adresse": np.datetime64("NaT"), "pladser": np.float64(3.0)},
    ]
    rows = validate_rows(records, DEFAULT_LISTS, date(2012, 12, 4))
    assert rows["pladser"].tolist() == [5, 3] and rows["cvr"].tolist() == [None, None]
    assert rows["lukket"].tolist() == [None, None] and rows["adresse"].tolist() == [None, None]


def test_a_fault_outside_the_table_stops_nothing_and_a_fault_inside_it_is_named(seeded: Path, tmp_path: Path) -> None:
    """The table is read from the sheet's index (which the review of the computed columns then uses),
    but the index reads the whole sheet: a row it cannot read outside the table falls back to reading
    the table alone, as xltools always did — only a fault inside the table refuses the file."""
    junk = '<c r="A1"><v>1</v></c><junk/>'
    outside = _with_cell(seeded, tmp_path / "udenfor.xlsx", REGISTRERING, "A1", junk)
    outcome = recalc(outside, as_of=SEED_DAY + timedelta(days=9))
    assert outcome.exit_code == ExitCode.OK, outcome.errors
    inside = _with_cell(seeded, tmp_path / "inde.xlsx", REGISTRERING, "K3", '<c r="K3"><v>1</v></c><junk/>')
    outcome = recalc(inside, as_of=SEED_DAY + timedelta(days=9))
    assert outcome.exit_code == ExitCode.UNREADABLE and "uventet indhold i række 3" in outcome.errors[0]


def test_a_table_without_its_entry_columns_is_refused_by_name(seeded: Path, tmp_path: Path) -> None:
    narrowed = rewrite(
        seeded, tmp_path / "smal.xlsx", {TABLE_PART: lambda data: re.sub(rb'ref="A2:R', b'ref="A2:K', data)}
    )
    outcome = recalc(narrowed, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE, outcome.errors
    assert outcome.errors == [
        f"{narrowed}: Registrering!L2: tabellen Kontakter mangler kolonnen 'Antal besatte pladser' her – sæt den ind"
        " igen efter 'Antal pladser'"
    ]


def columns_named(source: Path, target: Path, names: list[str]) -> Path:
    """``source`` with the table's columns named ``names`` — in its part and its header row, as Excel keeps
    them — and as wide: what a column deleted, inserted, moved or renamed in Excel leaves."""

    def table_part(data: bytes) -> bytes:
        columns = "".join(f'<tableColumn id="{n}" name="{name}"/>' for n, name in enumerate(names, 1))
        data = re.sub(
            rb"<tableColumns .*?</tableColumns>",
            f'<tableColumns count="{len(names)}">{columns}</tableColumns>'.encode(),
            data,
        )
        last = column_letters(len(names) - 1).encode()
        return re.sub(rb'ref="A2:[A-Z]+', b'ref="A2:' + last, data)

    def sheet(data: bytes) -> bytes:
        cells = "".join(
            f'<c r="{column_letters(col)}2" t="inlineStr"><is><t>{name}</t></is></c>' for col, name in enumerate(names)
        )
        return re.sub(rb'(<row r="2"[^>]*>).*?</row>', lambda row: row[1] + cells.encode() + b"</row>", data, count=1)

    return rewrite(source, target, {TABLE_PART: table_part, REGISTRERING: sheet})


HEADERS_IN_ORDER = list(HEADERS.values())


@pytest.mark.parametrize(
    ("names", "cell", "found", "wanted"),
    [
        # CVR-nummer deleted, a column of the team's own added at the end: every later column would shift
        ([*HEADERS_IN_ORDER[:2], *HEADERS_IN_ORDER[3:], "Noter"], "C2", "hedder 'Adresse'", "CVR-nummer"),
        # a column of the team's own inserted before the computed ones: they would be written into it
        ([*HEADERS_IN_ORDER[:14], "Noter", *HEADERS_IN_ORDER[14:]], "O2", "hedder 'Noter'", "Alder (dage)"),
        # two columns swapped
        ([*HEADERS_IN_ORDER[:10], HEADERS_IN_ORDER[11], HEADERS_IN_ORDER[10], *HEADERS_IN_ORDER[12:]], "K2",
         "hedder 'Antal besatte pladser'", "Antal pladser"),
        # a header cleared
        ([*HEADERS_IN_ORDER[:4], "", *HEADERS_IN_ORDER[5:]], "E2", "har ingen overskrift", "Telefonnummer"),
    ],
)  # fmt: skip
def test_columns_out_of_the_templates_order_are_refused_at_the_first_header_that_differs(
    seeded: Path, tmp_path: Path, names: list[str], cell: str, found: str, wanted: str
) -> None:
    path = columns_named(seeded, tmp_path / "flyttet.xlsx", names)
    before = path.read_bytes()
    outcome = recalc(path, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE, outcome.errors
    position = HEADERS_IN_ORDER.index(wanted) + 1
    assert outcome.errors == [
        f"{path}: Registrering!{cell}: tabellen Kontakters kolonne {position} {found}, men skal hedde '{wanted}' – "
        "sæt en slettet kolonne ind igen, giv en omdøbt sit navn tilbage, og flyt egne kolonner hen efter 'Uge'"
    ]
    assert path.read_bytes() == before  # nothing written


def test_the_header_cells_are_what_counts_where_another_program_left_the_table_part_behind(
    seeded: Path, tmp_path: Path
) -> None:
    """A column inserted by a program that does not update the table (openpyxl's insert_cols): the sheet
    shows the team's column where the computed Alder (dage) stands in the table part."""
    path = _with_cell(
        seeded, tmp_path / "indsat.xlsx", REGISTRERING, "O2", '<c r="O2" t="inlineStr"><is><t>Noter</t></is></c>'
    )
    outcome = recalc(path, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE
    assert outcome.errors[0].startswith(f"{path}: Registrering!O2: tabellen Kontakters kolonne 15 hedder 'Noter'")


def test_a_table_without_its_header_row_is_refused(seeded: Path, tmp_path: Path) -> None:
    """Tabeldesign › Overskriftsrække turned off: the first row would be read as the header and dropped."""
    hidden = rewrite(
        seeded,
        tmp_path / "uden.xlsx",
        {TABLE_PART: lambda data: data.replace(b"<table ", b'<table headerRowCount="0" ', 1)},
    )
    outcome = recalc(hidden, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.UNREADABLE
    assert outcome.errors == [
        f"{hidden}: tabellen Kontakter viser ikke sin overskriftsrække – slå Overskriftsrække til igen under"
        " Tabeldesign"
    ]


def test_headers_in_other_letters_and_a_teams_own_column_after_the_template_s_are_read(
    seeded: Path, tmp_path: Path
) -> None:
    decomposed = unicodedata.normalize("NFD", HEADERS_IN_ORDER[16])  # Å as A and a ring, as some keyboards type it
    names = [HEADERS_IN_ORDER[0].upper(), *HEADERS_IN_ORDER[1:16], decomposed, HEADERS_IN_ORDER[17], "Noter"]
    path = columns_named(seeded, tmp_path / "egen.xlsx", names)
    outcome = recalc(path, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.OK, outcome.errors
    assert read_kontakter(path, SEED_DAY)["pladser"].tolist() == [5, 3]


def test_a_count_too_large_to_add_up_is_refused_by_row(seeded: Path, tmp_path: Path) -> None:
    path = _with_cell(seeded, tmp_path / "stor.xlsx", REGISTRERING, "K4", '<c r="K4"><v>1E+27</v></c>')
    outcome = recalc(path, as_of=SEED_DAY)
    assert outcome.exit_code == ExitCode.INVALID, outcome.errors
    assert outcome.errors == [
        "Registrering række 4, kolonne Antal pladser: skal være højst 9.223.372.036.854.775.807 — fundet: 1e+27"
    ]


def test_a_large_sheets_computed_columns_are_reviewed_from_its_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet too large to index is read in one pass for the table; the computed columns' cells met on
    the way are kept, so the review of the values written back does not read the sheet again — and it
    decides as the review from the index does: the same file written, a typed-over cell refused by name."""
    seed = workbook_with(tmp_path / "seed.xlsx", SEED_ROWS, SEED_DAY, fixed_date=False)
    later = SEED_DAY + timedelta(days=9)
    indexed, large = tmp_path / "indekseret.xlsx", tmp_path / "stor.xlsx"
    shutil.copy(seed, indexed)
    shutil.copy(seed, large)
    typed = _with_cell(seed, tmp_path / "skrevet.xlsx", REGISTRERING, "P4", '<c r="P4"><v>5</v></c>')
    assert recalc(indexed, as_of=later).written
    monkeypatch.setattr(XlsxPackage, "_small", lambda self, sheet: False)
    passes: Counter[str] = Counter()
    rows = Scanner.rows
    monkeypatch.setattr(Scanner, "rows", lambda self: passes.update([self.where.rsplit(" ", 1)[-1]]) or rows(self))
    outcome = recalc(large, as_of=later)
    assert outcome.exit_code == ExitCode.OK and outcome.written, outcome.errors
    assert large.read_bytes() == indexed.read_bytes()
    # the header row (a read that stops there), the table read, then the write: no pass of its own for the review
    assert passes["'Registrering'"] == 3
    outcome = recalc(typed, as_of=later)
    assert (outcome.exit_code, outcome.errors) == (
        ExitCode.INVALID,
        ["Registrering!P4: beregnet kolonne er overskrevet"],
    )


def _as_shared_formulas(data: bytes) -> bytes:
    """The computed columns (O–R) as Excel writes a filled-down formula: once, in the first row's cell
    with the group's range, and ``<f t="shared" si="…"/>`` in the others."""
    rows = [int(row) for row in re.findall(rb'<c r="O([0-9]+)"[^>]*><f>', data)]
    first, last = min(rows), max(rows)

    def shared(match: re.Match[bytes]) -> bytes:
        col, row, si = match[1], int(match[2]), b"OPQR".index(match[1])
        cell_start = match[0][: match.start(3) - match.start()]
        if row == first:
            return b'%s<f t="shared" ref="%s%d:%s%d" si="%d">%s</f>' % (cell_start, col, first, col, last, si, match[4])
        return b'%s<f t="shared" si="%d"/>' % (cell_start, si)

    return re.sub(rb'<c r="([OPQR])([0-9]+)"[^>]*>(<f>)([^<]*)</f>', shared, data)


def test_computed_columns_saved_as_shared_formulas_recalculate_alike_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's shared formulas are read and patched a row at a time, as the plain spelling is (not cell
    by cell), and give the same values."""
    seed = workbook_with(tmp_path / "seed.xlsx", SEED_ROWS, SEED_DAY, fixed_date=False)
    plain = Path(shutil.copy(seed, tmp_path / "plain.xlsx"))
    shared = rewrite(seed, tmp_path / "shared.xlsx", {REGISTRERING: _as_shared_formulas})
    assert zipfile.ZipFile(shared).read(REGISTRERING).count(b'<f t="shared" si="') == 4 * (len(SEED_ROWS) - 1)
    cell_by_cell: Counter[str] = Counter()
    cells = Scanner.cells
    monkeypatch.setattr(Scanner, "cells", lambda self, row: cell_by_cell.update([self.where]) or cells(self, row))
    later = SEED_DAY + timedelta(days=9)
    for path in (plain, shared):
        outcome = recalc(path, as_of=later)
        assert outcome.exit_code == ExitCode.OK and outcome.written, outcome.errors
    assert not [where for where in cell_by_cell if "Registrering" in where]
    assert read_cells(shared).values == read_cells(plain).values


def _after_rows(extra: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", extra.encode() + b"</sheetData>", 1)


@pytest.mark.parametrize("large", [False, True], ids=["index-fails", "large"])
def test_the_table_read_that_keeps_computed_cells_meets_every_fault_the_review_met(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """Where the table's one read keeps the computed columns' cells for the review (a large sheet, or one
    whose index fails), that read goes on to the sheet's end as the review's own pass did: rows out of
    order after the table refuse the file before a typed-over cell is named, a cut-off sheet is refused
    under --check too — and a user's column after the computed ones is never judged."""
    if large:
        monkeypatch.setattr(XlsxPackage, "_small", lambda self, sheet: False)
    later = SEED_DAY + timedelta(days=9)
    rows = '<row r="20"><c r="A20"><v>1</v></c></row><row r="15"><c r="A15"><v>1</v></c></row>'
    typed = _with_cell(seeded, tmp_path / "skrevet.xlsx", REGISTRERING, "P4", '<c r="P4"><v>5</v></c>')
    disordered = rewrite(typed, tmp_path / "orden.xlsx", {REGISTRERING: _after_rows(rows)})
    outcome = recalc(disordered, as_of=later)
    assert outcome.exit_code == ExitCode.UNREADABLE
    assert outcome.errors[0].endswith("arket 'Registrering': rækkerne står ikke i stigende orden (række 15)")

    def cut_off(data: bytes) -> bytes:
        return data[: data.index(b"</sheetData>")] + b'<row r="9"><c r="A9"><v>1</v>'

    truncated = rewrite(seeded, tmp_path / "afkortet.xlsx", {REGISTRERING: cut_off})
    outcome = recalc(truncated, check=True, as_of=later)
    assert outcome.exit_code == ExitCode.UNREADABLE and outcome.errors[0].endswith("'Registrering': arket er afkortet")

    def widened(data: bytes) -> bytes:
        data = re.sub(rb'ref="A2:R', b'ref="A2:S', data).replace(
            b'<tableColumns count="18">', b'<tableColumns count="19">'
        )
        return data.replace(b"</tableColumns>", b'<tableColumn id="19" name="Noter"/></tableColumns>')

    for note in ('<c r="S3" t="inlineStr"><is><t>a&bogus;b</t></is></c>', '<c r="S3" t="str"><v>a&bogus;b</v></c>'):
        noted = rb"\1" + note.encode() + rb"</row>"  # an entity XML does not know, in a note of the user's
        user_column = rewrite(
            seeded,
            tmp_path / "noter.xlsx",
            {TABLE_PART: widened, REGISTRERING: partial(re.sub, rb'(<row r="3".*?)</row>', noted, count=1)},
        )
        outcome = recalc(user_column, as_of=later)
        assert (outcome.exit_code, outcome.errors) == (ExitCode.OK, []), note


def _wrong_crc(path: Path, member: str) -> Path:
    """``path`` with ``member``'s CRC-32 wrong in the central directory: found only by inflating it all."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == member.encode():
            data[at + 16 : at + 20] = bytes(byte ^ 0xFF for byte in data[at + 16 : at + 20])
            path.write_bytes(bytes(data))
            return path
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(member)


@pytest.mark.parametrize("large", [False, True], ids=["index-fails", "large"])
def test_a_fault_after_the_table_is_the_reviews_to_meet_not_the_reads(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """The table's read notes a fault after the table (rows out of order, a part that fails its CRC)
    without refusing: a read-only command (the table for merge) reads the file as before, an invalid
    row is still named first, and the review refuses the fault where its own pass met it."""
    if large:
        monkeypatch.setattr(XlsxPackage, "_small", lambda self, sheet: False)
    later = SEED_DAY + timedelta(days=9)
    rows = '<row r="20"><c r="A20"><v>1</v></c></row><row r="15"><c r="A15"><v>1</v></c></row>'
    disordered = rewrite(seeded, tmp_path / "orden.xlsx", {REGISTRERING: _after_rows(rows)})
    tail = b'<extLst><ext uri="{x}"><x:y xmlns:x="urn:x">' + random.Random(0).randbytes(1 << 20).hex().encode()
    tail += b"</x:y></ext></extLst></worksheet>"  # 2 MiB after the rows: beyond the first chunk the read inflates
    long = rewrite(seeded, tmp_path / "lang.xlsx", {REGISTRERING: lambda data: data.replace(b"</worksheet>", tail)})
    faults = {disordered: "rækkerne står ikke i stigende orden (række 15)"}
    if large:  # a small sheet's index reads no further than its rows (the write pass meets the CRC)
        faults[long] = "beskadiget (Bad CRC-32"
    for path, fault in faults.items():
        invalid = _with_cell(path, tmp_path / f"ugyldig-{path.name}", REGISTRERING, "K3", '<c r="K3"><v>-2</v></c>')
        if path is long:
            path, invalid = _wrong_crc(path, REGISTRERING), _wrong_crc(invalid, REGISTRERING)
        assert len(read_kontakter(path, SEED_DAY)) == 2
        outcome = recalc(invalid, as_of=later)
        assert outcome.exit_code == ExitCode.INVALID, outcome.errors
        assert outcome.errors[0].startswith("Registrering række 3, kolonne Antal pladser: skal være et helt tal")
        outcome = recalc(path, check=True, as_of=later)
        assert outcome.exit_code == ExitCode.UNREADABLE and fault in outcome.errors[0], outcome.errors
