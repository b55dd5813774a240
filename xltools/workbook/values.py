"""Cell values as a workbook stores them: how numbers are written, and when two values are the same."""

from __future__ import annotations

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
        return format_number(cached) == format_number(new) or abs(cached - new) <= 1e-12 * max(1.0, abs(new))
    return cached == new
