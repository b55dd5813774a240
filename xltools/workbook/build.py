"""Deterministic XlsxWriter workbooks: fixed timestamps and the xltools document properties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.core.expr import Value
from xltools.templates import PROPERTY_AS_OF, PROPERTY_TOOL, PROPERTY_VERSION
from xltools.workbook.layout import Block, Placements, Spilling, formula
from xltools.workbook.printing import PrintArea, print_on_a4
from xltools.workbook.values import xml_string

GUIDE_WIDTH = 90
"""A Vejledning's one column, in characters: fits portrait A4 at 100 %, so no program has to scale it
(LibreOffice printed a 110-character column cut off at the page's right edge)."""

TEMPLATE_DATE = date(2026, 1, 5)
"""The reporting date the committed templates' cached values are computed for."""


def new_workbook(path: Path, tool: str, version: str, title: str, as_of: date) -> xlsxwriter.Workbook:
    """A workbook whose bytes depend only on what is written into it."""
    workbook = xlsxwriter.Workbook(str(path))
    fixed = datetime(as_of.year, as_of.month, as_of.day)
    workbook.set_properties({"title": title, "author": "xltools", "company": "Jobcenter", "created": fixed})
    workbook.set_custom_property(PROPERTY_TOOL, tool)
    workbook.set_custom_property(PROPERTY_VERSION, version)
    workbook.set_custom_property(PROPERTY_AS_OF, as_of.isoformat())
    workbook.set_calc_mode("auto")
    return workbook


def write_blocks(
    workbook: xlsxwriter.Workbook,
    sheets: Mapping[str, Worksheet],
    blocks: Sequence[Block],
    env: Mapping[str, Value],
    base_format: Mapping[str, object],
) -> None:
    """Write every block's formulas with their cached values, and name each block's range; a node that
    must be an array formula (``Expr.array_formula``) is written as one, cell by cell."""
    placements = Placements(blocks)
    formats = _Formats(workbook, base_format)
    for block in blocks:
        sheet = sheets[block.sheet]
        placed = placements.on(block.sheet)
        top, left = block.anchor
        for row, col, expr in block.cells():
            value = expr.evaluate(env)
            cell_format = formats.get(block.number_format(col - left, row - top), block.style)
            text = formula(expr, row, col, placed)
            if isinstance(value, str):
                value = xml_string(value)  # XlsxWriter escapes control characters in strings, not in <v>
            if expr.array_formula:
                sheet.write_array_formula(row, col, row, col, text, cell_format, value)
            else:
                sheet.write_formula(row, col, text, cell_format, value)
        workbook.define_name(block.name, "=" + str(block.area))


def write_spillings(
    workbook: xlsxwriter.Workbook,
    sheets: Mapping[str, Worksheet],
    spillings: Sequence[Spilling],
    env: Mapping[str, Value],
    base_format: Mapping[str, object],
) -> dict[str, list[list[Value]]]:
    """Write each dynamic array over its current result's range with cached values, and define the
    names that follow a result's length; returns each result by name."""
    formats = _Formats(workbook, base_format)
    results: dict[str, list[list[Value]]] = {}
    for spilling in spillings:
        sheet = sheets[spilling.sheet]
        grid = results[spilling.name] = spilling.values(env)
        top, left = spilling.anchor
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                cell_format = formats.get(spilling.number_format(c))
                if (r, c) == (0, 0):
                    last = (top + len(grid) - 1, left + len(row) - 1)
                    text = "=" + spilling.expr.render()
                    cached = xml_string(value) if isinstance(value, str) else value
                    sheet.write_dynamic_array_formula(top, left, *last, text, cell_format, cached)
                elif isinstance(value, str):
                    sheet.write_string(top + r, left + c, value, cell_format)
                else:
                    sheet.write_number(top + r, left + c, value, cell_format)
        if spilling.rows is not None:
            workbook.define_name(spilling.name, spilling.definition())
    return results


class _Formats:
    """One XlsxWriter format per number format and style, added on first use (a format per cell would
    fill the workbook's styles)."""

    def __init__(self, workbook: xlsxwriter.Workbook, base: Mapping[str, object]) -> None:
        self.workbook, self.base = workbook, base
        self._made: dict[tuple[str, tuple[tuple[str, object], ...]], Format] = {}

    def get(self, number_format: str, style: tuple[tuple[str, object], ...] = ()) -> Format:
        key = (number_format, style)
        if key not in self._made:
            self._made[key] = self.workbook.add_format({**self.base, **dict(style), "num_format": number_format})
        return self._made[key]


def merge_text(sheet: Worksheet, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Format) -> None:
    """A merged cell showing ``text`` as text: ``merge_range`` alone would write "=…" as a live formula."""
    sheet.merge_range(*first, *last, "", fmt)
    sheet.write_string(*first, text, fmt)


def house_formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    """The formats every xltools workbook shares: title, note, header, text, bold, wrapped text.

    The guide lines (``write_guide``) use the names title, bold and wrap."""
    add = workbook.add_format
    return {
        "title": add({"bold": True, "font_size": 16, "font_color": "#1F4E79"}),
        "note": add({"italic": True, "font_color": "#595959"}),
        "header": add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}),
        "text": add({}),
        "bold": add({"bold": True}),
        "wrap": add({"text_wrap": True, "valign": "top"}),
    }


def write_guide(sheet: Worksheet, lines: Sequence[tuple[str, str]], formats: Mapping[str, Format]) -> None:
    """A Vejledning sheet: one line of text per row, each in its named format, protected, on A4."""
    sheet.set_column(0, 0, GUIDE_WIDTH)
    for row, (style, text) in enumerate(lines):
        sheet.write_string(row, 0, text, formats[style])
    sheet.protect("", {"select_locked_cells": True})
    print_on_a4(sheet, PrintArea((0, 0), (len(lines) - 1, 0), (GUIDE_WIDTH,)), landscape=False)
