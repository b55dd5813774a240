"""Excel's ROUND and ROUNDUP in Python, so Python and the spreadsheet agree to the last digit.

Excel rounds half away from zero on the decimal value it shows (15 significant digits), while
Python's round() rounds half to even on the binary value. Working on ``repr(x)`` as a Decimal
gives the decimal reading Excel and LibreOffice use.
"""

from decimal import ROUND_HALF_UP, ROUND_UP, Context, Decimal

import numpy as np

_EXACT = Context(prec=1000)
"""Enough digits for any float at any number of decimals Excel allows: the default 28 refused
ROUND(1E+27; 1)."""


def _quantize(x: float, digits: int, mode: str) -> float:
    exponent = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(exponent, rounding=mode, context=_EXACT))


def excel_round(x: float, digits: int = 0) -> float:
    """ROUND(x; digits): half away from zero, like Excel (not banker's rounding)."""
    return _quantize(x, digits, ROUND_HALF_UP)


def excel_roundup(x: float, digits: int = 0) -> float:
    """ROUNDUP(x; digits): away from zero."""
    return _quantize(x, digits, ROUND_UP)


_NEAR = 1e-9
"""How close (in units of the last kept digit) a value must come to a rounding boundary to be rounded
one by one through its decimal reading rather than by binary arithmetic."""


_NOISE = 2.0**-49
"""How far, relative to its size, a scaled value may lie from its decimal reading scaled: the reading
is within half a unit in the last place of the value, the multiplication adds as much; 8 times that."""


def excel_round_array(values: np.ndarray, digits: int, up: bool = False) -> np.ndarray:
    """ROUND (or ROUNDUP) of a column, element for element equal to ``excel_round``/``excel_roundup``.

    Away from a boundary (a half for ROUND, a whole number for ROUNDUP) binary arithmetic gives the same
    digits as the decimal reading, and a whole number stays as it is; to 0 decimals they agree
    everywhere. Values within ``_NEAR`` or their own binary noise of a boundary, or too large to scale
    exactly, go through the exact scalar function; values not finite stay as they are."""
    values = np.asarray(values, dtype=float)
    scale = 10.0**digits
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(values) * scale
        whole = np.floor(scaled)
        fraction = scaled - whole
        near = np.maximum(_NEAR, scaled * _NOISE)
        if up:
            result = np.copysign(np.where(fraction > 0, whole + 1, whole), values) / scale
            doubtful = (fraction < near) | (fraction > 1 - near)
        else:
            result = np.copysign(np.where(fraction >= 0.5, whole + 1, whole), values) / scale
            doubtful = np.abs(fraction - 0.5) < near
        doubtful |= ~(scaled < 2.0**52)
        if digits == 0:  # scaled by 1, exactly: a value's shortest decimal reading lies on its side of
            doubtful[:] = False  # every half and whole number, so the binary digits decide as it does
        if digits >= 0:  # a whole number keeps its value at any number of decimals (often beyond 2**52)
            whole_numbers = values == np.floor(values)
            result[whole_numbers] = values[whole_numbers]
            doubtful &= ~whole_numbers
    finite = np.isfinite(values)
    result[~finite] = values[~finite]
    exact = excel_roundup if up else excel_round
    for index in np.flatnonzero(doubtful & finite):
        result[index] = exact(float(values[index]), digits)
    return result
