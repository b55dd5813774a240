"""The Grafer sheet: Real and Mål per section, and cumulative Real against the plan's pace for the
charted indicators — two charts to an A4 page, axes titled, weeks as "uge 5".

Titles and categories refer to cells (the Forside's labels, the Data sheet's week names), so a
renamed indicator or section is renamed in its chart too.
"""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from xltools.goals.layout import DATA, DATA_ROWS, FRONT, Layout
from xltools.workbook.printing import PrintArea, print_on_a4

CHART_SIZE = {"width": 900, "height": 270}
ROWS_PER_CHART, CHARTS_PER_PAGE = 16, 2  # 270 pixels are 13.5 rows of 20
PAGE_ROWS = ROWS_PER_CHART * CHARTS_PER_PAGE
COLUMNS = 14  # of the default width: a chart's 900 pixels


def write(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout) -> None:
    setup = layout.setup
    sheet.write_string(0, 0, f"Grafer – Målstyring {setup.year}", workbook.add_format({"bold": True, "font_size": 16}))
    charts = [_sections(workbook, layout)]
    units = {"antal": "Antal", "timer": "Timer"}
    for number, index in enumerate(layout.charted):
        row = layout.series_rows["cumulative"] + 2 * number
        line = workbook.add_chart({"type": "line"})
        for offset, name in ((0, "Real, kumuleret"), (1, "Tempo (planens mål til dato)")):
            line.add_series(
                {
                    "name": name,
                    "categories": [DATA, DATA_ROWS["ugenavn"], 1, DATA_ROWS["ugenavn"], setup.weeks],
                    "values": [DATA, row + offset, 1, row + offset, setup.weeks],
                    "line": {"dash_type": "dash"} if offset else {},
                }
            )
        line.set_title({"name": [FRONT, layout.front_table_header + 1 + index, 1]})
        line.set_x_axis({"name": "Uge", "interval_unit": 4})
        line.set_y_axis({"name": f"{units[setup.indicators[index].unit]}, kumuleret"})
        line.set_legend({"position": "bottom"})
        charts.append(line)
    for number, chart in enumerate(charts):
        chart.set_size(CHART_SIZE)
        sheet.insert_chart(_chart_row(number), 0, chart)
    pages = -(-len(charts) // CHARTS_PER_PAGE)
    sheet.set_h_pagebreaks([page * PAGE_ROWS for page in range(1, pages)])
    area = PrintArea((0, 0), (pages * PAGE_ROWS - 1, COLUMNS - 1), (8.43,) * COLUMNS)
    print_on_a4(sheet, area, landscape=True)


def _chart_row(number: int) -> int:
    """Two charts to a page, each page starting on a row of its own (a page break above it)."""
    page, place = divmod(number, CHARTS_PER_PAGE)
    return page * PAGE_ROWS + 1 + place * ROWS_PER_CHART


def _sections(workbook: xlsxwriter.Workbook, layout: Layout) -> xlsxwriter.chart.Chart:
    """Real and Mål to date per section (counts; the hours row is left out)."""
    first = layout.front_sections_row + 1
    last = first + len(layout.section_groups) - 2
    chart = workbook.add_chart({"type": "column"})
    for col, name in ((1, "Real til dato"), (2, "Mål til dato")):
        chart.add_series(
            {"name": name, "categories": [FRONT, first, 0, last, 0], "values": [FRONT, first, col, last, col]}
        )
    chart.set_title({"name": "Real og mål pr. sektion (antal)"})
    chart.set_x_axis({"name": "Sektion"})
    chart.set_y_axis({"name": "Antal til dato"})
    chart.set_legend({"position": "bottom"})
    return chart
