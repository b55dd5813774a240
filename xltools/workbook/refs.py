"""A1 references: parse and format cell and range references, with sheet names quoted as Excel does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@cache
def column_letters(col: int) -> str:
    """Zero-based column index → letters (0 → A, 26 → AA); remembered, as formulas name the same few
    columns thousands of times."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def cell_name(row: int, col: int, absolute: bool = False) -> str:
    """Zero-based (row, col) → "C12" (or "$C$12")."""
    dollar = "$" if absolute else ""
    return f"{dollar}{column_letters(col)}{dollar}{row + 1}"


def parse_cell(text: str) -> tuple[int, int]:
    """ "C12" or "$C$12" → zero-based (row, col)."""
    match = _CELL.match(text)
    if not match:
        raise ValueError(f"not a cell reference: {text!r}")
    return int(match.group(2)) - 1, column_index(match.group(1))


def quote_sheet(sheet: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Area:
    """A rectangular range on one sheet, zero-based and inclusive."""

    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]

    @classmethod
    def parse(cls, text: str) -> Area:
        """ "'My sheet'!$A$1:$B$3" → Area; raises ValueError for anything else."""
        sheet_part, sep, cells = text.strip().lstrip("=").rpartition("!")
        if not sep:
            raise ValueError(f"no sheet in reference: {text!r}")
        if sheet_part.startswith("'") and sheet_part.endswith("'"):
            sheet_part = sheet_part[1:-1].replace("''", "'")
        first, _, last = cells.partition(":")
        return cls(sheet_part, parse_cell(first), parse_cell(last or first))

    def cells(self) -> list[tuple[int, int]]:
        """Every cell, row by row."""
        return [
            (row, col)
            for row in range(self.first[0], self.last[0] + 1)
            for col in range(self.first[1], self.last[1] + 1)
        ]

    def __str__(self) -> str:
        first = cell_name(*self.first, absolute=True)
        last = cell_name(*self.last, absolute=True)
        cells = first if first == last else f"{first}:{last}"
        return f"{quote_sheet(self.sheet)}!{cells}"
