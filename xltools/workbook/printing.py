"""Printing on A4: a print area, the orientation the width needs, fit to the page width — never below
60 % — and a footer naming the sheet and the page on every sheet.

Excel decides the final scale when it prints; the width is estimated here the way Excel measures
columns (a character of Calibri 11 is 7 pixels, plus 5 pixels of padding), so a sheet that would need
less than 60 % to fit one page wide prints at 60 % over more pages instead, with its label columns
repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

FOOTER = "&A – side &P af &N"
"""Sheet name, page number and page count, e.g. "Uge 5 – side 1 af 1"."""
MIN_SCALE = 60
A4 = 9
_MARGIN_INCHES = 0.7  # left and right, as Excel's "Normal" margins
_MARGIN_INCHES_TOP_BOTTOM = 0.75
_ROW_PIXELS = 20  # the default row height, 15 points
_PIXELS_PER_INCH = 96
_A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class PrintArea:
    """The cells to print (zero-based, inclusive) and the widths of the columns that show (characters)."""

    first: tuple[int, int]
    last: tuple[int, int]
    widths: Sequence[float]


def column_pixels(width: float) -> int:
    """A column's width on screen and paper, in pixels, from its width in characters."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def page_width_pixels(landscape: bool) -> float:
    """The printable width of an A4 page between the margins."""
    return (_A4_INCHES[landscape] - 2 * _MARGIN_INCHES) * _PIXELS_PER_INCH


def page_height_pixels(landscape: bool) -> float:
    """The printable height of an A4 page between the margins."""
    return (_A4_INCHES[not landscape] - 2 * _MARGIN_INCHES_TOP_BOTTOM) * _PIXELS_PER_INCH


def fit_scale(widths: Sequence[float], landscape: bool) -> float:
    """The scale (1 = 100 %) at which the columns fill exactly one page width."""
    return page_width_pixels(landscape) / sum(column_pixels(width) for width in widths)


def print_on_a4(
    sheet: Worksheet,
    area: PrintArea,
    landscape: bool | None = None,
    repeat_columns: tuple[int, int] | None = None,
    repeat_rows: tuple[int, int] | None = None,
    rows: int | None = None,
) -> int:
    """Set up ``sheet`` for A4: portrait if the columns fit it at 100 %, else landscape (unless given);
    fit to one page wide when that needs at least 60 % — and to one page in all when ``rows`` rows of
    default height fit at that scale too — else a fixed 60 % with ``repeat_columns`` on every page.
    Returns the estimated scale in percent."""
    if landscape is None:
        landscape = fit_scale(area.widths, landscape=False) < 1
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.print_area(*area.first, *area.last)
    sheet.set_footer(FOOTER)
    if repeat_rows is not None:
        sheet.repeat_rows(*repeat_rows)
    scale = fit_scale(area.widths, landscape)
    if scale * 100 >= MIN_SCALE:
        tall = page_height_pixels(landscape) / (rows * _ROW_PIXELS) if rows else 0.0
        if tall * 100 >= MIN_SCALE:
            sheet.fit_to_pages(1, 1)
            return min(100, int(min(scale, tall) * 100))
        sheet.fit_to_pages(1, 0)
        return min(100, int(scale * 100))
    sheet.set_print_scale(MIN_SCALE)
    if repeat_columns is not None:
        sheet.repeat_columns(*repeat_columns)
    return MIN_SCALE
