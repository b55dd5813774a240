"""Values in messages as a Dane reads them: numbers with Danish separators, long texts cut short.

Messages quote what a user typed so they can find it; a 32,767-character cell or a value with
control characters must not flood a terminal or a CI log, so quoted text is cut and made printable.
"""

from __future__ import annotations

import math
from datetime import date, datetime

LONGEST_QUOTE = 60
"""Characters of a user's value a message quotes before cutting it with "…"."""
SMALLEST, LARGEST = 1e-9, 1e15
"""Numbers outside this range are shown in scientific notation rather than as a wall of digits."""


def number(value: float, decimals: int | None = None) -> str:
    """A number as a Dane writes it: 3.300, -5, 43,5 (``decimals`` fixes the digits after the comma)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "uendelig" if math.isinf(value) else "ikke et tal"
    if decimals is None and value and not SMALLEST <= abs(value) < LARGEST:
        return f"{value:.6g}".replace(".", ",")  # 1e+300, 1,5e-12: digits a person can read
    if decimals is None:
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float) -> str:
    """A share as a percentage: 1.3 → "130 %", 0.295 → "29,5 %"."""
    return f"{number(round(share * 100, 6))} %"


def escape(char: str) -> str:
    """A character a message cannot show, as an escape: a control character as ``\\x1b``, a byte of a
    file name that is not UTF-8 (kept by Python as a lone surrogate) as that byte, ``\\xff``."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quote(value: object, limit: int = LONGEST_QUOTE) -> str:
    """A user's value for a message: numbers the Danish way, dates as dd-mm-åååå, text in quotes
    with control characters escaped and long text cut with "…"; nothing at all as "(tom)"."""
    if value is None:
        return "(tom)"
    if isinstance(value, bool):
        return "SAND" if value else "FALSK"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    printable = text if text.isprintable() else "".join(char if char.isprintable() else escape(char) for char in text)
    if len(printable) > limit:
        printable = printable[: limit - 1] + "…"
    return f"'{printable}'"
