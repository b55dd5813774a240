"""Patching sheet XML in one pass: only the edited cells change, missing cells and rows go in order,
user text is never a formula, a typed-over computed cell is refused — and filling is linear in rows."""

from __future__ import annotations

import io
import re
import time
import zipfile
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.workbook.test_sheetxml import chunks, read, read_one_by_one, sheet
from xltools.errors import Invalid
from xltools.workbook.limits import LIMITS
from xltools.workbook.package import XlsxPackage
from xltools.workbook.sheetedits import Edit, Kind, Run, SheetPatch
from xltools.workbook.sheetpatch import apply, review
from xltools.workbook.sheetxml import CellLookup, Kept, Scanner, index, read_block

COLS = '<cols><col min="2" max="3" width="9" style="7" customWidth="1"/></cols>'


def patched(data: bytes, patch: SheetPatch, size: int = 1 << 20) -> bytes:
    """The sheet reviewed, then written, fed in chunks of ``size`` bytes."""
    found = review(
        partial(Scanner, chunks(data, size), "ark", LIMITS), "ark", patch, "Ark", lambda index: "delt", LIMITS, False
    )
    out = io.BytesIO()
    apply(Scanner(chunks(data, size), "ark", LIMITS), patch, found.changed, out)
    return out.getvalue()


def with_cols(data: bytes) -> bytes:
    return data.replace(b"<sheetData>", COLS.encode() + b"<sheetData>", 1)


def cell(data: bytes, ref: str) -> bytes:
    found = re.search(rb'<(?:x:)?c r="%s"[^>]*?(?:/>|>.*?</(?:x:)?c>)' % ref.encode(), data)
    assert found is not None, ref
    return found[0]


def test_cached_values_change_and_nothing_else() -> None:
    rows = '<row r="1" spans="1:2"><c r="A1" s="4"><f>B1*2</f><v>2</v></c><c r="B1"><v>1</v></c></row>'
    data = with_cols(sheet(rows))
    patch = SheetPatch()
    patch.put(0, 0, Edit(Kind.CACHED, "to"))
    new = patched(data, patch)
    assert cell(new, "A1") == b'<c r="A1" s="4" t="str"><f>B1*2</f><v>to</v></c>'
    assert new.replace(cell(new, "A1"), b"") == data.replace(cell(data, "A1"), b"")
    patch.put(0, 0, Edit(Kind.CACHED, 2.0))
    assert review(partial(Scanner, [data], "ark", LIMITS), "ark", patch, "Ark", str, LIMITS, report=True).changed == {}


def test_typed_text_is_an_inline_string_never_a_formula() -> None:
    data = with_cols(sheet('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'))
    patch = SheetPatch()
    patch.put(0, 0, Edit(Kind.TYPE, '=HYPERLINK("http://x")'))
    patch.put(0, 1, Edit(Kind.TYPE, " mellemrum & <tegn>\x01"))
    new = patched(data, patch)
    assert cell(new, "A1") == b'<c r="A1" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c>'
    assert cell(new, "B1") == (
        b'<c r="B1" s="7" t="inlineStr"><is><t xml:space="preserve"> mellemrum &amp; &lt;tegn&gt;_x0001_</t></is></c>'
    )
    assert read(new) == {(0, 0): '=HYPERLINK("http://x")', (0, 1): " mellemrum & <tegn>\x01"}
    etree.fromstring(new)  # still well-formed


def test_missing_cells_and_rows_are_inserted_in_order_with_the_column_style() -> None:
    rows = '<row r="2" spans="1:1"><c r="A2"><v>1</v></c><c r="D2"><v>4</v></c></row><row r="5"><c r="A5"/></row>'
    data = with_cols(sheet(rows))
    patch = SheetPatch()
    patch.add(Run(2, 0, [10.0, 20.0, 30.0, 40.0, 50.0, 60.0], Kind.FILL, "=A1*10"))
    new = patched(data, patch)
    assert re.findall(rb'<row r="(\d+)"', new) == [b"1", b"2", b"3", b"4", b"5", b"6"]
    assert re.findall(rb'<c r="([A-Z]+2)"', new) == [b"A2", b"C2", b"D2"]
    assert cell(new, "C2") == b'<c r="C2" s="7"><f>A1*10</f><v>20</v></c>'
    assert b'<row r="2" spans="1:4">' in new
    assert read(new)[(5, 2)] == 60.0


def test_inserting_before_implicitly_numbered_rows_and_cells_keeps_their_numbers() -> None:
    data = sheet("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>")
    patch = SheetPatch()
    patch.put(0, 0, Edit(Kind.TYPE, None))  # nothing to insert: row 1 keeps its form
    patch.put(1, 0, Edit(Kind.TYPE, 9.0))
    patch.put(0, 5, Edit(Kind.TYPE, 7.0))
    before = read(data)
    new = patched(data, patch)
    assert read(new) == {**before, (0, 0): None, (1, 0): 9.0, (0, 5): 7.0}
    data = sheet('<row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c></row><row><c r="A3"><v>3</v></c></row>')
    patch = SheetPatch()
    patch.put(0, 0, Edit(Kind.TYPE, "ny"))
    patch.put(1, 0, Edit(Kind.TYPE, "ny"))
    assert read(patched(data, patch)) == {(0, 0): "ny", (1, 0): "ny", (1, 1): 1.0, (1, 2): 2.0, (2, 0): 3.0}


def test_a_computed_cell_with_a_typed_value_is_refused() -> None:
    rows = '<row r="12"><c r="O12"><v>5</v></c><c r="P12"><f>1</f><v>1</v></c></row>'
    patch = SheetPatch()
    patch.add(Run(14, 11, [1.0], Kind.FILL, "=1"))
    patch.add(Run(15, 11, [1.0], Kind.FILL, "=1"))
    with pytest.raises(Invalid) as refused:
        review(partial(Scanner, [sheet(rows)], "ark", LIMITS), "ark", patch, "Registrering", str, LIMITS, report=False)
    assert refused.value.messages == ["Registrering!O12: beregnet kolonne er overskrevet"]


def test_stale_cells_are_reported_one_line_each_and_then_counted() -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><f>1</f><v>0</v></c></row>' for n in range(1, 151))
    patch = SheetPatch()
    patch.add(Run(0, 0, [1.0] * 150, Kind.CACHED))
    found = review(partial(Scanner, [sheet(rows)], "ark", LIMITS), "ark", patch, "Ark", str, LIMITS, report=True)
    assert found.stale[0] == "Ark!A1: gemt 0, beregnet 1"
    assert found.stale[-1] == "… og 50 celler mere" and len(found.stale) == 101
    assert found.changed == {row: 1 for row in range(150)}


def test_prefixed_sheets_get_prefixed_cells_and_an_empty_sheet_gets_rows() -> None:
    data = sheet('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>', "x")
    patch = SheetPatch()
    patch.put(0, 1, Edit(Kind.FORMULA, 2.0, "=A1*2"))
    new = patched(data, patch)
    assert cell(new, "B1") == b'<x:c r="B1"><x:f>A1*2</x:f><x:v>2</x:v></x:c>'
    empty = sheet("").replace(b"<sheetData></sheetData>", b"<sheetData/>")
    new = patched(empty, patch)
    assert b'<sheetData><row r="1"><c r="B1"><f>A1*2</f><v>2</v></c></row></sheetData>' in new


_CELL_BODIES = (
    "",  # an empty cell: only a style
    "<v>1</v>",
    "<v>2</v>",
    "<f>1+1</f><v>2</v>",
    "<f>A1</f>",  # a formula without a cached value
    '<f t="array" ref="A1:B2">X</f><v>1</v>',
    '<f t="shared" ref="A1:A3" si="0">1+1</f><v>2</v>',
    '<f t="shared" si="0"/><v>2</v>',  # Excel's filled-down formula
    '<f aca="false">1+1</f><v>2</v>',  # as LibreOffice saves it
)
_CELL_TYPES = ("", ' t="s"', ' t="str"', ' t="e"', ' t="b"')
_EDIT_VALUES = st.sampled_from([None, 1.0, 2.0, "delt", "2", True, "#N/A"])
_EDITS = st.builds(
    Edit,
    st.sampled_from([kind for kind in Kind if kind is not Kind.ANCHOR]),
    _EDIT_VALUES,
    st.sampled_from([None, "=1"]),
)


@st.composite
def _sheets_and_edits(draw: st.DrawFn) -> tuple[bytes, SheetPatch]:
    """A small sheet of every kind of cell (typed, computed, blank, array), in usual and odd spellings,
    and edits of every kind on its cells and beyond them."""
    rows = []
    for row in draw(st.sets(st.integers(1, 5), max_size=5)):
        cells = []
        for col in sorted(draw(st.sets(st.sampled_from("ABCD"), max_size=4))):
            body, kind = draw(st.sampled_from(_CELL_BODIES)), draw(st.sampled_from(_CELL_TYPES))
            kind = "" if kind == ' t="s"' and "<v>" not in body else kind  # only a number indexes a text
            odd = draw(st.booleans())  # ``t`` before ``r``: read cell by cell, not as a usual row
            start = f'<c{kind} r="{col}{row}"' if odd else f'<c r="{col}{row}"{kind}'
            cells.append(f"{start}/>" if not body else f"{start}>{body}</c>")
        rows.append((row, f'<row r="{row}">{"".join(cells)}</row>'))
    patch = SheetPatch()
    for (row, col), edit in draw(st.dictionaries(st.tuples(st.integers(0, 6), st.integers(0, 4)), _EDITS)).items():
        patch.put(row, col, edit)
    return sheet("".join(text for _, text in sorted(rows))), patch


def _outcome(data: bytes, patch: SheetPatch, cells: CellLookup | None) -> object:
    try:
        found = review(
            partial(Scanner, [data], "ark", LIMITS), "ark", patch, "Ark", lambda n: "delt", LIMITS, True, cells
        )
    except Invalid as refused:
        return refused.messages
    return found.changed, found.stale


@settings(max_examples=300, deadline=None)
@given(_sheets_and_edits())
def test_reviewing_from_cells_read_already_kept_or_a_usual_row_at_once_decides_as_cell_by_cell(
    case: tuple[bytes, SheetPatch],
) -> None:
    data, patch = case
    from_index = _outcome(data, patch, index(Scanner([data], "ark", LIMITS)).cells)
    in_one_pass = _outcome(data, patch, None)
    assert from_index == in_one_pass == _outcome(data, patch, read_one_by_one(data))
    kept = Kept(0, 6, range(5))  # as a large sheet's table read keeps them, beside the column it reads
    read_block(Scanner([data], "ark", LIMITS), (0, 5, 6, 5), lambda n: "delt", False, kept)
    assert _outcome(data, patch, kept) == in_one_pass


@pytest.mark.parametrize("size", [1, 13, 1 << 20])
def test_chunk_boundaries_do_not_matter(size: int) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><f>1</f><v>{n}</v></c><c r="C{n}"/></row>' for n in range(1, 40, 3))
    patch = SheetPatch()
    patch.add(Run(1, 0, [float(n) for n in range(40)], Kind.FILL, "=ROW()"))
    patch.put(3, 0, Edit(Kind.CACHED, "x"))
    new = patched(sheet(rows), patch, size)
    assert new == patched(sheet(rows), patch)
    assert read(new)[(3, 0)] == "x" and read(new)[(38, 1)] == 38.0


def _fill_time(template: Path, tmp_path: Path, rows: int) -> float:
    """Rows appended to the Kontakter table as another program would (no computed cells), then the
    four computed columns filled over every row: the CPU time of the review and the write (not the
    wall clock, which other work on the machine stretches)."""
    path = tmp_path / f"fill{rows}.xlsx"
    _append_rows(template, path, rows)
    with XlsxPackage(path) as package:
        table = package.table("Kontakter")
        assert table is not None
        count = table.last[0] - table.first[0]
        assert count == rows + 2
        start = time.process_time()
        for col in range(14, 18):
            package.set_column(table.sheet, col, table.first[0] + 1, [float(n) for n in range(count)], "=ROW()")
        assert package.dirty
        out = io.BytesIO()
        package.write_to(out)
        elapsed = time.process_time() - start
    with zipfile.ZipFile(out) as written:
        data = written.read("xl/worksheets/sheet1.xml")
    last = data[data.rindex(b"<row ") : data.index(b"</sheetData>")]
    excel_row = 2 + count
    assert re.fullmatch(
        rb'<row r="%d">.*<c r="R%d"><f>ROW\(\)</f><v>%d</v></c></row>' % (excel_row, excel_row, count - 1), last
    )
    return elapsed


def _append_rows(template: Path, target: Path, rows: int) -> None:
    with zipfile.ZipFile(template) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                first = 1 + max(int(number) for number in re.findall(rb'<row r="(\d+)"', data))
                added = "".join(
                    f'<row r="{n}"><c r="A{n}"><v>45000</v></c><c r="B{n}" t="inlineStr"><is><t>Ny {n}</t></is></c>'
                    f'<c r="H{n}" t="inlineStr"><is><t>Handel</t></is></c></row>'
                    for n in range(first, first + rows)
                )
                data = data.replace(b"</sheetData>", added.encode() + b"</sheetData>")
            elif info.filename == "xl/tables/table1.xml":
                data = re.sub(rb'ref="A2:R(\d+)"', lambda m: b'ref="A2:R%d"' % (int(m[1]) + rows), data)
            new.writestr(info, data)


def test_filling_computed_columns_is_linear_in_rows(industry_template: Path, tmp_path: Path) -> None:
    small = min(_fill_time(industry_template, tmp_path, 4_000) for _ in range(2))
    large = _fill_time(industry_template, tmp_path, 40_000)
    assert small < 2.0, small
    assert large < 20 * small, (small, large)  # 10× the rows: linear ≈10×, quadratic ≈100× (15× flaked once)


def test_kept_cells_cover_a_patch_only_where_every_edit_lies_among_them() -> None:
    patch = SheetPatch()
    patch.add(Run(3, 2, [1.0, 2.0, 3.0, 4.0], Kind.FILL, "=1"))  # rows 2–5 of column 3
    patch.add(Run(2, 0, [], Kind.FILL, "=1"))  # no rows: nothing to cover
    patch.put(7, 1, Edit(Kind.CACHED, 1.0))
    assert sorted(patch.spans()) == [(1, 7, 7), (3, 2, 5)]
    assert Kept(0, 7, [1, 3]).covers(patch.spans())
    assert Kept(2, 7, [1, 3]).covers(patch.spans())
    assert not Kept(0, 6, [1, 3]).covers(patch.spans())  # row 7 beyond
    assert not Kept(3, 7, [1, 3]).covers(patch.spans())  # the run starts above
    assert not Kept(0, 7, [3]).covers(patch.spans())  # column 1 not kept
