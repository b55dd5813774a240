"""Excel's ROUND and ROUNDUP in Python, so Python and the spreadsheet agree to the last digit.

Excel rounds half away from zero on the decimal value it shows (15 significant digits), while
Python's round() rounds half to even on the binary value. Working on ``repr(x)`` as a Decimal
gives the decimal reading Excel and LibreOffice use.
"""

from decimal import ROUND_HALF_UP, ROUND_UP, Decimal


def _quantize(x: float, digits: int, mode: str) -> float:
    exponent = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(exponent, rounding=mode))


def excel_round(x: float, digits: int = 0) -> float:
    """ROUND(x; digits): half away from zero, like Excel (not banker's rounding)."""
    return _quantize(x, digits, ROUND_HALF_UP)


def excel_roundup(x: float, digits: int = 0) -> float:
    """ROUNDUP(x; digits): away from zero."""
    return _quantize(x, digits, ROUND_UP)
