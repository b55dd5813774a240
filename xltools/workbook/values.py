"""Cell values as a workbook stores them: how numbers are written, and when two values are the same."""

from __future__ import annotations

import re

CellValue = float | str | bool | None
CellKey = tuple[str, int, int]  # (sheet, row, col), zero-based


def format_number(value: float) -> str:
    """A cached number as Excel writes it: integers without a decimal point, else shortest repr."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def same_value(cached: CellValue, new: CellValue) -> bool:
    """Whether a cell's stored value already shows ``new`` (numbers to Excel's 15 digits; "" is blank)."""
    if type(cached) is type(new) and cached == new and cached != "":
        return True
    if new in (None, "") or cached in (None, ""):
        return new in (None, "") and cached in (None, "")
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        if not isinstance(cached, float):
            return False
        # Equal text as Excel writes it (``format_number``) is equal numbers or, beyond what the tolerance
        # decides, two NaNs: checked as that, without writing either number out.
        return abs(cached - new) <= 1e-12 * max(1.0, abs(new)) or (cached != cached and new != new)
    return cached == new


_XML_UNSAFE = re.compile(r"[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\r|_(?=x[0-9A-Fa-f]{4}_)")


def xml_string(text: str) -> str:
    """Text as a spreadsheet part holds it: characters XML cannot carry (control characters, a carriage
    return) as Excel's ``_xHHHH_`` escape, and a literal ``_xHHHH_`` protected as ``_x005F_xHHHH_``."""
    if _XML_UNSAFE.search(text):
        return _XML_UNSAFE.sub(lambda match: f"_x{ord(match[0]):04X}_", text)
    return text
