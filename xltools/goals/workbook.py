"""Building the Målstyring workbook: Forside, Opsætning, one sheet per ISO week, Data, Vejledning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.core.logic import serial
from xltools.goals import calculations as calc
from xltools.goals.environment import ArchiveRow, Registrations, environment
from xltools.goals.layout import (
    ARCHIVE,
    ARCHIVE_COLUMNS,
    AS_OF_NAME,
    BAGUD_CELL,
    BAGUD_NAME,
    DATA,
    EMPLOYEE_HEADER,
    FORAN_CELL,
    FORAN_NAME,
    FRONT,
    FRONT_AS_OF,
    FRONT_COLUMNS,
    FRONT_FIGURES_ROW,
    FRONT_TABLE_HEADER,
    GUIDE,
    INDICATOR_HEADER,
    SETUP,
    TOOL,
    VERSION,
    WEEK_FIRST_ROW,
    WEEK_IDS_ROW,
    WEEK_NAMES_ROW,
    WEEK_NUMBER_COLUMN,
    WEEK_SUB_ROW,
    WEEKS_NAME,
    WEIGHT_COLUMN,
    YEAR_CELL,
    YEAR_NAME,
    Layout,
    week_sheet,
)
from xltools.goals.setup import MAX_EMPLOYEES, Setup, default_setup, week_span
from xltools.workbook.build import house_formats, merge_text, new_workbook, write_blocks, write_guide
from xltools.workbook.refs import cell_name, column_letters, quote_sheet

FIGURE_LABELS = ("År", "Uger i året", "Uger gået", "Vægtede uger gået", "Vægtede uger i alt", "Andel af året")


def build(
    path: Path,
    as_of: date,
    setup: Setup | None = None,
    registrations: Registrations | None = None,
    archive: Sequence[ArchiveRow] = (),
    remarks: Mapping[int, str] | None = None,
) -> None:
    """Write the workbook for ``setup`` (default: the seed's team for ``as_of``'s year), with its
    registrations, the archived ones (``xltools rebuild``) and the weeks' remarks."""
    setup = setup or default_setup(as_of.year)
    registrations = registrations or {}
    layout = Layout(setup)
    workbook = new_workbook(path, TOOL, VERSION, "Målstyring", as_of)
    f = _formats(workbook)
    front = workbook.add_worksheet(FRONT)
    setup_sheet = workbook.add_worksheet(SETUP)
    weeks = {week: workbook.add_worksheet(week_sheet(week)) for week in range(1, setup.weeks + 1)}
    archive_sheet = workbook.add_worksheet(ARCHIVE)
    data = workbook.add_worksheet(DATA)
    guide = workbook.add_worksheet(GUIDE)

    _setup_sheet(workbook, setup_sheet, setup, layout, f)
    for week, sheet in weeks.items():
        _week_sheet(sheet, layout, week, registrations, (remarks or {}).get(week, ""), f)
    _archive_sheet(archive_sheet, archive, f)
    _data_sheet(workbook, data, layout, f)
    _front(workbook, front, layout, as_of, f)
    sheets = {FRONT: front, SETUP: setup_sheet, DATA: data, **{week_sheet(w): s for w, s in weeks.items()}}
    write_blocks(
        workbook,
        sheets,
        layout.blocks,
        environment(layout, registrations, as_of, archive),
        {"border": 1, "border_color": "#BFBFBF"},
    )
    _front_rules(front, layout, f)
    _chart(workbook, front, layout)
    write_guide(guide, GUIDE_TEXT, f)
    workbook.close()


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    add = workbook.add_format
    return {
        **house_formats(workbook),
        "center": add({"bold": True, "align": "center", "bg_color": "#DDEBF7", "border": 1}),
        "section": add({"bold": True, "bg_color": "#F2F2F2"}),
        "input": add({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False}),
        "input_antal": add(
            {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False, "num_format": "0"}
        ),
        "input_timer": add(
            {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False, "num_format": "0.0"}
        ),
        "input_percent": add(
            {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False, "num_format": "0%"}
        ),
        "input_date": add({"bg_color": "#FFF2CC", "border": 1, "locked": False, "num_format": "dd-mm-yyyy"}),
        "remark": add({"bg_color": "#FFF2CC", "border": 1, "locked": False, "text_wrap": True, "valign": "top"}),
        "bagud": add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "på sporet": add({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "foran": add({"bg_color": "#C6EFCE", "font_color": "#006100"}),
    }


def _setup_sheet(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, setup: Setup, layout: Layout, f: dict[str, Format]
) -> None:
    sheet.write_string(0, 1, "Opsætning – teamets egne indikatorer, medarbejdere og mål", f["title"])
    for (row, col), label, name, value, fmt in (
        (YEAR_CELL, "År", YEAR_NAME, setup.year, f["input"]),
        (BAGUD_CELL, "Bagud under (andel af tempoet)", BAGUD_NAME, setup.bagud, f["input_percent"]),
        (FORAN_CELL, "Foran fra (andel af tempoet)", FORAN_NAME, setup.foran, f["input_percent"]),
    ):
        sheet.write_string(row, col - 1, label, f["bold"])
        sheet.write_number(row, col, value, fmt)
        workbook.define_name(name, f"={quote_sheet(SETUP)}!{cell_name(row, col, absolute=True)}")
    sheet.write_string(EMPLOYEE_HEADER, 0, "Id", f["header"])
    sheet.write_string(EMPLOYEE_HEADER, 1, "Medarbejder", f["header"])
    for e in range(MAX_EMPLOYEES):
        row = layout.setup_employee_row(e)
        if e < len(setup.employees):
            sheet.write_string(row, 0, setup.employees[e].id, f["text"])
            sheet.write_string(row, 1, setup.employees[e].name, f["input"])
        else:
            sheet.write_blank(row, 1, None, f["input"])
    for col, header in enumerate(("Id", "Sektion", "Indikator", "Enhed", "Årsmål (beskæftigelsesplan)")):
        sheet.write_string(INDICATOR_HEADER, col, header, f["header"])
    for index, indicator in enumerate(setup.indicators):
        row = layout.setup_indicator_row(index)
        sheet.write_string(row, 0, indicator.id, f["text"])
        sheet.write_string(row, 1, indicator.section, f["input"])
        sheet.write_string(row, 2, indicator.name, f["input"])
        sheet.write_string(row, 3, indicator.unit, f["input"])
        if indicator.aarsmaal is None:
            sheet.write_blank(row, 4, None, f["input"])
        else:
            sheet.write_number(row, 4, indicator.aarsmaal, f["input"])
    last = layout.setup_indicator_row(len(setup.indicators) - 1)
    sheet.data_validation(INDICATOR_HEADER + 1, 3, last, 3, {"validate": "list", "source": ["antal", "timer"]})
    sheet.data_validation(INDICATOR_HEADER + 1, 4, last, 4, {
        "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
        "error_title": "Ugyldigt årsmål", "error_message": "Årsmålet skal være et tal på mindst 0 (tom: intet mål).",
    })  # fmt: skip
    sheet.write_string(EMPLOYEE_HEADER, WEEK_NUMBER_COLUMN, "Uge", f["header"])
    sheet.write_string(EMPLOYEE_HEADER, WEIGHT_COLUMN, "Vægt", f["header"])
    for week, weight in enumerate(setup.week_weights(), start=1):
        row = layout.setup_weight_row(week)
        sheet.write_number(row, WEEK_NUMBER_COLUMN, week, f["text"])
        sheet.write_number(row, WEIGHT_COLUMN, weight, f["input"])
    sheet.data_validation(EMPLOYEE_HEADER + 1, WEIGHT_COLUMN, layout.setup_weight_row(setup.weeks), WEIGHT_COLUMN, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
        "input_title": "Ugens vægt", "input_message": "1 = fuld arbejdsuge, 0 = ferieuge, 0,5 = halv uge.",
        "error_title": "Ugyldig vægt", "error_message": "Vægten skal være mellem 0 og 1.",
    })  # fmt: skip
    sheet.write_string(
        1, 4, "Tilføjer eller fjerner I medarbejdere eller indikatorer, skal arbejdsbogen bygges igen.", f["note"]
    )
    sheet.set_column(0, 0, 6, None, {"hidden": True})
    sheet.set_column(1, 2, 30)
    sheet.set_column(3, 4, 14)


def _week_sheet(
    sheet: Worksheet, layout: Layout, week: int, registrations: Registrations, remark: str, f: dict[str, Format]
) -> None:
    setup = layout.setup
    monday, sunday = week_span(setup.year, week)
    sheet.write_string(0, 2, f"MÅLSTYRING – ugeskema, uge {week} {setup.year}", f["title"])
    sheet.write_string(1, 2, f"{monday:%d-%m-%Y} – {sunday:%d-%m-%Y}", f["bold"])
    for e, employee in enumerate(setup.employees):
        col = layout.real_col(e)
        sheet.write_string(WEEK_IDS_ROW, col, employee.id, f["text"])
        merge_text(sheet, (WEEK_NAMES_ROW, col), (WEEK_NAMES_ROW, col + 1), employee.name, f["center"])
        sheet.write_string(WEEK_SUB_ROW, col, "Real", f["center"])
        sheet.write_string(WEEK_SUB_ROW, col + 1, "Mål", f["center"])
    total = layout.total_col
    sheet.merge_range(WEEK_NAMES_ROW, total, WEEK_NAMES_ROW, total + 1, "I alt", f["center"])
    sheet.write_string(WEEK_SUB_ROW, total, "Real", f["center"])
    sheet.write_string(WEEK_SUB_ROW, total + 1, "Mål", f["center"])
    sheet.write_string(WEEK_SUB_ROW, 2, "Indikator", f["header"])
    for row, name in layout.section_rows:
        sheet.write_string(row, 2, name, f["section"])
    for indicator in setup.indicators:
        row = layout.indicator_rows[indicator.id]
        sheet.write_string(row, 0, indicator.id, f["text"])
        sheet.write_string(row, 1, indicator.unit, f["text"])
        sheet.write_string(row, 2, indicator.name, f["text"])
        cell = f["input_timer"] if indicator.unit == "timer" else f["input_antal"]
        for e in range(len(setup.employees)):
            for kind, col in (("r", layout.real_col(e)), ("m", layout.real_col(e) + 1)):
                value = registrations.get((kind, week, indicator.id, e))
                if value is None:
                    sheet.write_blank(row, col, None, cell)
                else:
                    sheet.write_number(row, col, value, cell)
    remarks = layout.last_week_row + 2
    sheet.write_string(remarks, 2, "Bemærkninger", f["bold"])
    sheet.merge_range(remarks, 3, remarks + 2, total + 1, "", f["remark"])
    if remark:
        sheet.write_string(remarks, 3, remark, f["remark"])
    sheet.set_row(WEEK_IDS_ROW, None, None, {"hidden": True})
    sheet.set_column(0, 1, 6, None, {"hidden": True})
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, total + 1, 7)
    sheet.freeze_panes(WEEK_FIRST_ROW, 3)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)


def _archive_sheet(sheet: Worksheet, archive: Sequence[ArchiveRow], f: dict[str, Format]) -> None:
    for col, (_, header) in enumerate(ARCHIVE_COLUMNS):
        sheet.write_string(0, col, header, f["header"])
    for row, record in enumerate(archive, start=1):
        for col, (key, _) in enumerate(ARCHIVE_COLUMNS):
            value = record.get(key)
            if isinstance(value, (int, float)):
                sheet.write_number(row, col, value, f["text"])
            elif value is not None:
                sheet.write_string(row, col, str(value), f["text"])
    sheet.set_column(0, len(ARCHIVE_COLUMNS) - 1, 16)
    sheet.freeze_panes(1, 0)
    sheet.protect("", {"select_locked_cells": True, "autofilter": True, "sort": True})


def _data_sheet(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, f: dict[str, Format]) -> None:
    setup = layout.setup
    sheet.write_string(0, 0, "Uge", f["bold"])
    for week in range(1, setup.weeks + 1):
        sheet.write_number(0, week, week, f["bold"])
    workbook.define_name(WEEKS_NAME, f"={DATA}!$B$1:${column_letters(setup.weeks)}$1")
    sheet.write_string(1, 0, "Vægt", f["bold"])
    labels = {
        "real": "Real",
        "maal": "Mål",
        "count": "Registreringer",
        "empreal": "Real (antal)",
        "empmaal": "Mål (antal)",
    }
    for kind, first in layout.data_rows.items():
        if kind == "cumulative":
            names = [f"{what} {setup.indicators[i].id}" for i in layout.charted for what in ("Kumuleret", "Tempo")]
        else:
            ids = [i.id for i in setup.indicators] if kind in ("real", "maal") else [e.id for e in setup.employees]
            names = [f"{labels[kind]} {ident}" for ident in ids]
        for index, name in enumerate(names):
            sheet.write_string(first + index, 0, name, f["text"])
    sheet.hide()
    sheet.protect("")


def _front(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, as_of: date, f: dict[str, Format]) -> None:
    sheet.write_string(0, 0, f"Målstyring {layout.setup.year} – forside", f["title"])
    sheet.write_string(FRONT_AS_OF[0], 0, "Opgørelsesdato", f["bold"])
    sheet.write_formula(*FRONT_AS_OF, "=TODAY()", f["input_date"], serial(as_of))
    workbook.define_name(AS_OF_NAME, f"={FRONT}!{cell_name(*FRONT_AS_OF, absolute=True)}")
    sheet.write_string(FRONT_AS_OF[0], 2, "Standard: =I DAG(). Skriv en dato for en fast opgørelse.", f["note"])
    for offset, label in enumerate(FIGURE_LABELS):
        sheet.write_string(FRONT_FIGURES_ROW + offset, 0, label, f["bold"])
    sheet.write_string(
        FRONT_TABLE_HEADER - 1,
        0,
        "Indikatorer: Opfyldelse er mod teamets egne ugemål; Status er mod beskæftigelsesplanens tempo.",
        f["note"],
    )
    for col, header in enumerate(FRONT_COLUMNS):
        sheet.write_string(FRONT_TABLE_HEADER, col, header, f["header"])
    sheet.set_row(FRONT_TABLE_HEADER, 45)
    sections = layout.front_sections_row
    for col, header in enumerate(("Sektion (antal)", "Real til dato", "Mål til dato")):
        sheet.write_string(sections, col, header, f["header"])
    for offset, label in enumerate(layout.section_labels, start=1):
        sheet.write_string(sections + offset, 0, label, f["text"])
    for col, header in enumerate(
        ("Medarbejder", "Real til dato (antal)", "Mål til dato (antal)", "Uger uden registrering")
    ):
        sheet.write_string(layout.front_employees_row, col, header, f["header"])
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 9, 13)
    sheet.freeze_panes(FRONT_TABLE_HEADER + 1, 2)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _front_rules(sheet: Worksheet, layout: Layout, f: dict[str, Format]) -> None:
    first, last = FRONT_TABLE_HEADER + 1, FRONT_TABLE_HEADER + len(layout.setup.indicators)
    for status in calc.STATUSES:
        sheet.conditional_format(
            first, 9, last, 9, {"type": "cell", "criteria": "==", "value": f'"{status}"', "format": f[status]}
        )


def _chart(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout) -> None:
    first = layout.front_sections_row + 1
    last = first + len(layout.section_labels) - 1
    chart = workbook.add_chart({"type": "column"})
    for col, name in ((1, "Real til dato"), (2, "Mål til dato")):
        chart.add_series(
            {"name": name, "categories": [FRONT, first, 0, last, 0], "values": [FRONT, first, col, last, col]}
        )
    chart.set_title({"name": "Real og mål pr. sektion"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 320})
    sheet.insert_chart(1, 11, chart)
    weeks = layout.setup.weeks
    for number, index in enumerate(layout.charted):
        row = layout.data_rows["cumulative"] + 2 * number
        line = workbook.add_chart({"type": "line"})
        for offset, name in ((0, "Real, kumuleret"), (1, "Tempo (planens mål til dato)")):
            line.add_series(
                {
                    "name": name,
                    "categories": [DATA, 0, 1, 0, weeks],
                    "values": [DATA, row + offset, 1, row + offset, weeks],
                    "line": {"dash_type": "dash"} if offset else {},
                }
            )
        line.set_title({"name": layout.setup.indicators[index].name})
        line.set_x_axis({"name": "Uge", "interval_unit": 4})
        line.set_legend({"position": "bottom"})
        line.set_size({"width": 620, "height": 280})
        sheet.insert_chart(18 + 15 * number, 11, line)


GUIDE_TEXT: tuple[tuple[str, str], ...] = (
    ("title", "Vejledning – Målstyring"),
    (
        "wrap",
        "Teamet registrerer hver uge, hvad hver medarbejder har nået (Real), og evt. ugens mål (Mål), på fanen for "
        "ugen. Forsiden viser årets registreringer mod målene i beskæftigelsesplanen.",
    ),
    ("bold", "Opsætning"),
    (
        "wrap",
        "Teamet definerer sine indikatorer sammen med lederen: sektion, navn, enhed (antal eller timer) og årsmål fra "
        "beskæftigelsesplanen. Ugevægte: 1 = fuld arbejdsuge, 0 = ferieuge, 0,5 = halv uge – "
        "tempoet følger det rigtige arbejdsår.",
    ),
    ("bold", "Forsiden"),
    (
        "wrap",
        "Real og Mål til dato summerer de uger, der er gået pr. opgørelsesdatoen. Opfyldelse sammenligner med teamets "
        "egne ugemål. Status sammenligner med planens tempo: bagud under 90 %, foran fra 110 % "
        "(kan ændres i Opsætning).",
    ),
    ("bold", "Opmærksomhedspunkter"),
    (
        "wrap",
        "Afsæt tid i kalenderen til registreringen, og følg op fast – lederen gerne med de første gange. "
        "Efter to-tre uger drøfter teamet, om antallet er tilstrækkeligt i forhold til målene.",
    ),
)
