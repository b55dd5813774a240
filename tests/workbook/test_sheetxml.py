"""Reading sheet XML as bytes: every cell type, shared strings, implicit numbering, prefixes, chunking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltools.errors import Unreadable
from xltools.workbook import sheetxml
from xltools.workbook.limits import LIMITS
from xltools.workbook.sharedstrings import shared_strings
from xltools.workbook.sheetxml import (
    BadCell,
    Cell,
    Kept,
    Scanner,
    index,
    patterns,
    read_block,
    read_cell,
    read_window,
    value,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["nul", "en"]


def sheet(rows: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns}="{MAIN}">'
        f'<{p}dimension ref="A1:C3"/><{p}sheetData>{rows}</{p}sheetData><{p}pageMargins left="0.7"/></{p}worksheet>'
    ).encode()


def chunks(data: bytes, size: int) -> Iterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at : at + size]


def read(data: bytes, size: int = 1 << 20) -> dict[tuple[int, int], object]:
    cells = index(Scanner(chunks(data, size), "ark", LIMITS))
    return {key: value(cells.get(*key), STRINGS.__getitem__) for key in cells.cells}  # type: ignore[arg-type]


ROWS = (
    '<row r="1" spans="1:9">'
    '<c r="A1"><v>42.5</v></c>'
    '<c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c>'
    '<c r="D1" t="inlineStr"><is><t xml:space="preserve"> tekst &lt;1&gt; </t></is></c>'
    '<c r="E1" t="b"><v>1</v></c>'
    '<c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="G1" t="d"><v>2024-03-20T12:00:00</v></c>'
    '<c r="H1" s="3"/>'
    '<c r="I1"><f>SUM(A1:A2)</f><v></v></c>'
    "</row>"
)


@pytest.mark.parametrize("size", [1 << 20, 7, 1])
def test_every_cell_type_at_any_chunk_size(size: int) -> None:
    assert read(sheet(ROWS), size) == {
        (0, 0): 42.5,
        (0, 1): "en",
        (0, 2): "a&b",
        (0, 3): " tekst <1> ",
        (0, 4): True,
        (0, 5): "#DIV/0!",
        (0, 6): 45371.5,
        (0, 7): None,
        (0, 8): None,
    }


def test_formula_flags_include_shared_and_array_formulas() -> None:
    rows = (
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>2</v></c>'
        '<c r="B1"><f t="array" ref="B1:C2">{1,2;3,4}</f><v>1</v></c><c r="C1"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c><c r="B2"><v>3</v></c><c r="D2"><v>5</v></c></row>'
    )
    cells = index(Scanner([sheet(rows)], "ark", LIMITS))
    assert [cells.get(*key).formula for key in [(0, 0), (1, 0), (0, 1), (0, 2), (1, 1)]] == [True] * 5  # type: ignore[union-attr]
    assert cells.get(1, 3).formula is False  # type: ignore[union-attr]
    assert cells.get(1, 2).formula is True  # type: ignore[union-attr]  # inside the array, not written


def test_rows_and_cells_without_r_are_numbered_implicitly() -> None:
    rows = '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="C4"><v>3</v></c><c><v>4</v></c></row><row/>'
    assert read(sheet(rows)) == {(0, 0): 1.0, (0, 1): 2.0, (3, 2): 3.0, (3, 3): 4.0}


def test_prefixed_elements_and_whitespace_between_them() -> None:
    rows = '\n  <x:row r="2">\n    <x:c r="B2" t="inlineStr"><x:is><x:t>hej</x:t></x:is></x:c>\n  </x:row>\n'
    assert read(sheet(rows, "x")) == {(1, 1): "hej"}


def test_entities_and_excel_escapes_are_unescaped() -> None:
    rows = '<row r="1"><c r="A1" t="str"><v>&#198;&#xF8;&quot;&apos;_x000D_x_x005F_x0041_\r\n</v></c></row>'
    assert read(sheet(rows)) == {(0, 0): "Æø\"'\rx_x0041_\n"}


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ('<row r="2"/><row r="1"/>', "stigende orden"),
        ('<row r="1"><c r="B1"/><c r="A1"/></row>', "stigende orden"),
        ('<row r="1"><c r="A2"><v>1</v></c></row>', "står i række 1"),
        ('<row r="1"><c r="A1" t="str"><v>&xxe;</v></c></row>', "ukendt entitet"),
        ('<row r="1"><c r="A1" t="str"><v>a & b</v></c></row>', "&amp;"),
        ('<row r="1"><!-- <c r="A1"/> --></row>', "uventet indhold"),
        ('<row r="1"><c r="A1"><v>1</v></c>', "afkortet"),
        ('<row r="x"/>', "ugyldigt"),
    ],
)
def test_malformed_sheet_data_is_refused_not_guessed(rows: str, words: str) -> None:
    with pytest.raises(Unreadable, match=words):
        read(sheet(rows).replace(b"</sheetData>", b"</sheetData>" if "afkortet" not in words else b""))


def test_a_dtd_in_a_sheet_is_refused() -> None:
    data = sheet("").replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
    with pytest.raises(Unreadable, match="DTD"):
        Scanner([data], "ark", LIMITS)


def test_values_that_are_not_what_their_type_says_are_named() -> None:
    cells = index(Scanner([sheet('<row r="1"><c r="A1"><v>abc</v></c><c r="B1" t="s"><v>7</v></c></row>')], "", LIMITS))
    for col, words in ((0, "er ikke et tal"), (1, "delt tekst, der ikke findes")):
        with pytest.raises(BadCell, match=words):
            value(cells.get(0, col), STRINGS.__getitem__)  # type: ignore[arg-type]


def test_a_window_keeps_only_the_rows_from_the_one_asked_for() -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n}</v></c></row>' for n in range(1, 101))
    cells, last = read_window(Scanner(chunks(sheet(rows), 100), "ark", LIMITS), 10, budget=6)
    assert sorted(cells.cells) == [(row, col) for row in range(10, 13) for col in (0, 1)]
    assert last == 12
    _, last = read_window(Scanner([sheet(rows)], "ark", LIMITS), 95, budget=100)
    assert last == 1_048_576  # the window reached the end of the sheet


def test_shared_strings_join_rich_runs_and_leave_out_phonetic_runs() -> None:
    data = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="4" uniqueCount="4">'
        "<si><t>enkel</t></si>"
        '<si><r><rPr><b/><color rgb="FF0000"/></rPr><t>fed</t></r><r><t xml:space="preserve"> og tynd</t></r></si>'
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'
        "<si><t>&lt;b&gt; &amp; _x0009_</t></si><si><t/></si></sst>"
    ).encode()
    expected = ["enkel", "fed og tynd", "東京", "<b> & \t", ""]
    for size in (1 << 20, 5):
        assert shared_strings(chunks(data, size), "delt", LIMITS) == expected


RUN_TEXTS = st.sampled_from(
    ["enkel", "", " mellemrum ", "&lt;b&gt; &amp;", "_x0009_", "a\r\nb", "rPh", "Århus", "東京"]
)
BODIES = st.one_of(
    RUN_TEXTS.map(lambda text: f"<t>{text}</t>"),
    RUN_TEXTS.map(lambda text: f'<t xml:space="preserve">{text}</t>'),
    st.lists(RUN_TEXTS, min_size=1, max_size=3).map(lambda texts: "".join(f"<r><t>{t}</t></r>" for t in texts)),
    st.tuples(RUN_TEXTS, RUN_TEXTS).map(lambda pair: f'<t>{pair[0]}</t><rPh sb="0" eb="1"><t>{pair[1]}</t></rPh>'),
    st.sampled_from(["<t/>", "", "<t></t> ", "<t>a</t><t>b</t>"]),
)


@given(st.lists(BODIES, min_size=1, max_size=8), st.sampled_from(["", "x"]), st.sampled_from([1 << 20, 9]))
def test_shared_strings_read_as_their_runs_joined(bodies: list[str], prefix: str, size: int) -> None:
    """A string of one plain run (most of them) reads as every string reads: its runs' text joined,
    phonetic runs left out — at any chunk size and namespace prefix."""
    p = f"{prefix}:" if prefix else ""
    ns = f"xmlns:{prefix}" if prefix else "xmlns"
    prefixed = [body.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}") for body in bodies]
    items = "".join(f"<{p}si>{body}</{p}si>" if body else f"<{p}si/>" for body in prefixed)
    data = f'<?xml version="1.0"?><{p}sst {ns}="{MAIN}">{items}</{p}sst>'.encode()
    pats = patterns(p.encode())
    expected = [sheetxml.inline_text(body.encode(), pats, "delt") for body in prefixed]
    assert shared_strings(chunks(data, size), "delt", LIMITS) == expected


def test_shared_strings_are_counted_against_the_limit() -> None:
    data = f'<sst xmlns="{MAIN}">{"<si><t>x</t></si>" * 11}</sst>'.encode()
    with pytest.raises(Unreadable, match="over 10 delte tekster"):
        shared_strings([data], "delt", LIMITS.__class__(shared_strings=10))


def read_one_by_one(data: bytes) -> dict[tuple[int, int], Cell]:
    """The sheet read cell by cell with the general patterns only."""
    scanner = Scanner(iter([data]), "ark", LIMITS)
    return {
        (row.number, col): read_cell(scanner, match, None, row.number, col)
        for row in scanner.rows()
        for col, match in scanner.cells(row)
    }


def _arrays_one_by_one(data: bytes) -> list:
    """The ranges of the sheet's array formulas, recorded as reading cell by cell records them."""
    scanner, arrays = Scanner(iter([data]), "ark", LIMITS), []
    for row in scanner.rows():
        for col, match in scanner.cells(row):
            read_cell(scanner, match, arrays, row.number, col)
    return arrays


FORMULAS_WITH_ATTRIBUTES = (
    '<f t="shared" si="0"/>',
    '<f t="shared" ref="A1:A3" si="0">A1*2</f>',
    '<f si="0" t="shared"/>',
    '<f aca="false">A1</f>',
    '<f ca="1"/>',
    '<f t="array" ref="A1:B2">{1,2}</f>',
    '<f t="array" aca="false" ref="A1">1</f>',
    '<f t="dataTable" ref="A1:B2" dt2D="1" r1="C1"/>',
)
"""Excel's shared formulas, LibreOffice's ``aca``, volatile, array and data-table formulas."""

CELL_SPELLINGS = st.tuples(
    st.sampled_from(["", ' s="4"']),
    st.sampled_from(["", ' t="n"', ' t="s"', ' t="str"', ' t="b"', ' t="e"', ' t="inlineStr"', ' t="d"', ' t="x"']),
    st.sampled_from(["", "<f>SUM(A1:A2)</f>", "<f></f>", "<f/>", "<f>A1&amp;B1</f>", *FORMULAS_WITH_ATTRIBUTES]),
    st.sampled_from(
        ["", "<v>1.5</v>", "<v></v>", "<v>a&amp;b_x000D_</v>", "<v>2024-03-20</v>", "<v>0</v>", "<v>1</v>"]
        + ["<v>7</v>", "<v> 2 </v>", "<v>1_0</v>", "<v>١</v>", "<v>&#49;</v>", "<v>_x0031_</v>", "<v>-1e3</v>"]
    ),
    st.sampled_from(["", " ", "<is><t>x</t></is>"]),
    st.booleans(),
)


@given(CELL_SPELLINGS, st.sampled_from(["", "x"]))
def test_a_cell_matched_the_usual_way_is_matched_as_the_general_pattern_matches_it(cell: tuple, prefix: str) -> None:
    """What the writer rewrites from a usual match (its attributes and body) is what the general match gives."""
    style, kind, formula, raw, extra, closed = cell
    p = f"{prefix}:" if prefix else ""
    inner = (formula + raw + extra).replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
    data = (
        f'<{p}c r="B7"{style}{kind}/>' if closed and not inner else f'<{p}c r="B7"{style}{kind}>{inner}</{p}c>'
    ).encode()
    pats = patterns(p.encode())
    usual, general = pats.usual_cell.match(data), pats.cell.match(data)
    assert general is not None
    if usual is not None:
        assert (usual.span(), usual[1], usual[2]) == (general.span(), general[1], general[2])
    if "array" in formula or "dataTable" in formula:
        assert usual is None  # its range is recorded cell by cell


@given(st.lists(st.lists(CELL_SPELLINGS, max_size=5), min_size=1, max_size=4), st.sampled_from(["", "x"]))
def test_rows_written_the_usual_way_read_as_every_row_reads(rows: list[list[tuple]], prefix: str) -> None:
    """The one-match-per-row reading of the usual spelling gives exactly what reading cell by cell gives."""
    p = f"{prefix}:" if prefix else ""
    xml = ""
    for r, cells in enumerate(rows, 1):
        xml += f'<{p}row r="{r}">'
        for c, (style, kind, formula, raw, extra, closed) in enumerate(cells):
            attrs = f' r="{"ABCDE"[c]}{r}"{style}{kind}'
            inner = (formula + raw + extra).replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
            xml += f"<{p}c{attrs}/>" if closed and not inner else f"<{p}c{attrs}>{inner}</{p}c>"
        xml += f"</{p}row>"
    data = sheet(xml, prefix)
    cells = read_one_by_one(data)
    indexed = index(Scanner(iter([data]), "ark", LIMITS))
    assert indexed.cells == cells
    assert indexed.arrays == _arrays_one_by_one(data)  # an array formula's range is never lost
    expected: list[list[object]] = [[None] * 4 for _ in range(len(rows) + 1)]  # rows 1… and one after
    try:
        for (row, col), cell in cells.items():
            if col < 4:
                expected[row][col] = value(cell, STRINGS.__getitem__)
    except (BadCell, IndexError):
        with pytest.raises(Unreadable):
            read_block(Scanner(iter([data]), "ark", LIMITS), (0, 0, len(rows), 3), STRINGS.__getitem__)
        return
    beside = Kept(0, len(rows), [4])
    found = read_block(Scanner(iter([data]), "ark", LIMITS), (0, 0, len(rows), 3), STRINGS.__getitem__, False, beside)
    assert found == expected  # a table read whole gives each cell's value, columns 0–3 of rows 1…n+1
    lines = range(len(rows) + 1)  # and keeps the cells beside them as they are
    assert [beside.get((row, 4)) for row in lines] == [cells.get((row, 4)) for row in lines]


def test_kept_cells_spelled_alike_are_one_object_and_stay_right_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """A computed column repeats few values: 100,000 rows keep a few hundred cell objects, not one each
    (≈50 MB more at 100,000 rows); past the bound of spellings the cells are still the ones reading
    cell by cell gives."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="str"><f>X</f><v>{"rød" if n % 2 else n}</v></c></row>'
        for n in range(1, 9)
    )
    data = sheet(rows)
    kept = Kept(0, 7, [1])
    read_block(Scanner([data], "ark", LIMITS), (0, 0, 7, 0), STRINGS.__getitem__, False, kept)
    assert kept.get((0, 1)) is kept.get((2, 1)) is kept.get((6, 1))  # every "rød": one object
    expected = read_one_by_one(data)
    assert [kept.get((row, 1)) for row in range(8)] == [expected[(row, 1)] for row in range(8)]
    monkeypatch.setattr(sheetxml, "_ALIKE", 2)  # every third spelling starts the memory afresh
    small = Kept(0, 7, [1])
    read_block(Scanner([data], "ark", LIMITS), (0, 0, 7, 0), STRINGS.__getitem__, False, small)
    assert [small.get((row, 1)) for row in range(8)] == [expected[(row, 1)] for row in range(8)]
