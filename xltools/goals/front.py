"""The Forside's fixed parts: labels, headers, the reporting date, status colours and printing.

Status colours read without a legend: bagud red, på sporet green, foran blue (clearly not the same
green), "ingen mål" and "–" grey. A warning bar and the count of invalid registrations turn red when
there is something to do.
"""

from __future__ import annotations

from datetime import date

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.core.logic import serial
from xltools.goals import calculations as calc
from xltools.goals.layout import (
    AS_OF_NAME,
    FIGURE_LABELS,
    FRONT,
    FRONT_AS_OF,
    FRONT_COLUMNS,
    FRONT_CURRENT_WEEK,
    FRONT_FIGURES_ROW,
    FRONT_INVALID,
    FRONT_LINKS_ROW,
    FRONT_WARNING,
    FRONT_WIDTHS,
    HOURS_LABEL,
    Layout,
)
from xltools.goals.validation import INVALID_NOTE
from xltools.workbook.printing import PrintArea, print_on_a4
from xltools.workbook.refs import cell_name

STATUS_COLOURS = {
    calc.BAGUD: {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True},
    calc.PAA_SPORET: {"bg_color": "#C6EFCE", "font_color": "#006100"},
    calc.FORAN: {"bg_color": "#9BC2E6", "font_color": "#1F3864", "bold": True},
    calc.INGEN_MAAL: {"font_color": "#808080", "italic": True},
    calc.FOR_TIDLIGT: {"font_color": "#808080", "italic": True},
}


def write(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, as_of: date, f: dict[str, Format]) -> None:
    sheet.write_string(0, 0, f"Målstyring {layout.setup.year} – forside", f["title"])
    sheet.merge_range(*FRONT_WARNING, FRONT_WARNING[0], len(FRONT_COLUMNS) - 1, "", f["warning_bar"])
    sheet.write_string(FRONT_AS_OF[0], 0, "Opgørelsesdato", f["bold"])
    sheet.write_formula(*FRONT_AS_OF, "=TODAY()", f["input_date"], serial(as_of))
    workbook.define_name(AS_OF_NAME, f"={FRONT}!{cell_name(*FRONT_AS_OF, absolute=True)}")
    sheet.write_string(FRONT_AS_OF[0], 2, "Standard: =I DAG(). Skriv en dato for en fast opgørelse.", f["note"])
    for offset, label in enumerate(FIGURE_LABELS):
        sheet.write_string(FRONT_FIGURES_ROW + offset, 0, label, f["bold"])
    sheet.write_string(FRONT_INVALID[0], 0, "Ugyldige registreringer", f["bold"])
    sheet.write_string(FRONT_INVALID[0], 2, f"{INVALID_NOTE} – rettes i de røde celler på ugearkene", f["note"])
    sheet.write_string(FRONT_CURRENT_WEEK[0], 0, "Gå til aktuel uge", f["bold"])
    sheet.write_string(FRONT_CURRENT_WEEK[0], 2, "ugen med opgørelsesdatoen – klik på linket", f["note"])
    sheet.write_string(FRONT_LINKS_ROW - 1, 0, "Gå til en uge:", f["bold"])
    header = layout.front_table_header
    sheet.write_string(
        header - 1,
        0,
        "Indikatorer: Opfyldelse er mod teamets egne ugemål; Status er mod beskæftigelsesplanens tempo.",
        f["note"],
    )
    for col, text in enumerate(FRONT_COLUMNS):
        sheet.write_string(header, col, text, f["header"])
    sheet.set_row(header, 45)
    sections = layout.front_sections_row
    for col, text in enumerate(("Sektion (antal)", "Real til dato", "Mål til dato")):
        sheet.write_string(sections, col, text, f["header"])
    sheet.write_string(sections + len(layout.section_groups), 0, HOURS_LABEL, f["text"])
    employees = layout.front_employees_row
    for col, text in enumerate(
        ("Medarbejder", "Real til dato (antal)", "Mål til dato (antal)", "Uger uden registrering")
    ):
        sheet.write_string(employees, col, text, f["header"])
    _rules(workbook, sheet, layout, f)
    for col, width in enumerate(FRONT_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    last = employees + len(layout.setup.employees)
    print_on_a4(sheet, PrintArea((0, 0), (last, len(FRONT_COLUMNS) - 1), FRONT_WIDTHS), landscape=True)


def _rules(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, f: dict[str, Format]) -> None:
    """Status colours, and red where the Forside asks for something to be done."""
    first = layout.front_table_header + 1
    last = first + len(layout.setup.indicators) - 1
    status = len(FRONT_COLUMNS) - 1
    for word, colours in STATUS_COLOURS.items():
        sheet.conditional_format(
            first, status, last, status,
            {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": workbook.add_format(colours)},
        )  # fmt: skip
    warning = cell_name(*FRONT_WARNING)
    sheet.conditional_format(
        *FRONT_WARNING,
        FRONT_WARNING[0],
        status,
        {"type": "formula", "criteria": f'=${warning}<>""', "format": f["danger"]},
    )
    sheet.conditional_format(
        *FRONT_INVALID, *FRONT_INVALID, {"type": "cell", "criteria": ">", "value": 0, "format": f["danger"]}
    )
