"""How much of a workbook file xltools is willing to read: bounds a real team's file never meets.

A hostile or broken file (a zip bomb, a whole-column chart range, a billion rows) hits one of these
at once and is refused as unreadable, before it can take minutes or gigabytes. Every bound sits in
one typed object so a caller (a test, a later settings layer) can tighten or loosen them together.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The bounds, with the reasoning for each default.

    The largest legitimate file we plan for is a Brancheredskab with 100,000 rows: ≈193 MB of sheet
    XML (the computed columns' formulas make a row ≈1.9 kB), ≈30 MB of shared strings, ≈12 MB on disk.
    """

    members: int = 5_000
    """Zip members. Excel writes a few per sheet, chart and image; a workbook with 100 sheets, 100
    charts and 500 pictures has under 1,500."""

    directory_bytes: int = 5 * MIB
    """Bytes of the zip's central directory, checked before Python's zipfile reads it (it builds an
    object per entry): 5,000 entries with names of up to ~1,000 bytes."""

    member_bytes: int = 256 * MIB
    """Declared inflated size of any one member: the 100,000-row sheet (193 MB) fits, with a third
    to spare; sheets are streamed, so this bounds time, not memory."""

    total_bytes: int = 640 * MIB
    """Declared inflated size of all members together: two sheets at the limit plus the rest."""

    ratio: int = 250
    """Largest compression ratio of a member over ``ratio_from`` bytes that xltools inflates. Sheet
    XML deflates 10–40×, even long runs of empty formatted cells stay under 100×; a zip bomb is
    1,000× (deflate's maximum is 1,032×)."""

    ratio_from: int = 1 * MIB
    """Members smaller than this are not held to ``ratio`` (tiny XML parts compress very well)."""

    tree_bytes: int = 4 * MIB
    """One part parsed whole into an XML tree (workbook, relationships, table, chart, properties, and
    the styles a dense reader loads): a tree takes 20–30× its text in memory. The Brancheredskab's
    largest chart has 40 kB; a chart of 12 series × 5,000 points has ≈2.5 MB."""

    trees_bytes: int = 8 * MIB
    """All parts parsed into trees together (≈250 MB of trees at most): a file's charts add up."""

    sheet_index_bytes: int = 4 * MIB
    """Sheets up to this size are indexed whole for reading cells (a 4 MB sheet of small cells
    indexes into ~40 MB in under a second); larger ones are streamed, keeping the rows asked for."""

    row_bytes: int = 16 * MIB
    """The XML of one row (or of a sheet's start before its rows): 16,384 cells of 1 kB each."""

    shared_strings: int = 2_000_000
    """Shared strings: the 100,000-row file has ≈500,000; two million Python strings take ~150 MB."""

    shared_strings_bytes: int = 64 * MIB
    """The shared strings part, inflated: ≈25 MB in the 100,000-row file."""

    table_rows: int = 250_000
    """Rows of an Excel table (ListObject): a table over whole columns (1,048,576 rows) is refused."""

    sheet_rows: int = 300_000
    """Rows written in one sheet xltools reads (a table at its limit, plus room): each pass over a
    sheet costs time per row, so a sheet padded with a million empty rows is refused."""

    chart_points: int = 10_000
    """Points of one chart series range: the charts show at most a few hundred categories."""

    table_columns: int = 64
    """Columns of an Excel table read whole (the Kontakter table has 18): a table is read as a full
    rectangle, so one over every column (16,384) is refused."""

    messages: int = 100
    """Problems of one kind named one per line before the rest are counted in a last line."""


LIMITS = Limits()
"""The bounds every reader uses unless given others."""
