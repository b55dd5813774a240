"""Building the Målstyring workbook: Forside, Grafer, Opsætning, one sheet per ISO week, Arkiv, Data,
Vejledning — the sheets' fixed text, formats, validation and printing; the formulas come from ``blocks``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.goals import charts, front
from xltools.goals.blocks import Blocks
from xltools.goals.environment import ArchiveRow, environment
from xltools.goals.guide import GUIDE_TEXT
from xltools.goals.layout import (
    AARSMAAL_COL,
    ARCHIVE,
    ARCHIVE_COLUMNS,
    BAGUD_CELL,
    BAGUD_NAME,
    BUILT_NAMES,
    CHARTS,
    DATA,
    DATA_ROWS,
    EMPLOYEE_HEADER,
    EMPLOYEE_STATUS_COLUMN,
    FORAN_CELL,
    FORAN_NAME,
    FRONT,
    GUIDE,
    ID_COL,
    INDICATOR_HEADER,
    INDICATOR_HEADERS,
    INDICATOR_STATUS_COLUMN,
    NAME_COL,
    SECTION_COL,
    SETUP,
    SETUP_NAMES,
    SETUP_WARNING,
    TOOL,
    UNIT_COL,
    VERSION,
    WEEK_FIRST_COL,
    WEEK_FIRST_ROW,
    WEEK_IDS_ROW,
    WEEK_LABEL_COL,
    WEEK_NAMES_ROW,
    WEEK_NUMBER_COLUMN,
    WEEK_SUB_ROW,
    WEEK_UNIT_COL,
    WEEKS_NAME,
    WEIGHT_COLUMN,
    YEAR_CELL,
    YEAR_NAME,
    Layout,
    week_label,
    week_sheet,
)
from xltools.goals.setup import MAX_EMPLOYEES, UNITS, Setup, default_setup, week_span
from xltools.goals.validation import Cells, validate_week
from xltools.workbook.build import house_formats, new_workbook, write_blocks, write_guide
from xltools.workbook.printing import PrintArea, print_on_a4
from xltools.workbook.refs import cell_name, quote_sheet

BLOCK_FORMAT = {"border": 1, "border_color": "#BFBFBF"}
INPUT = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False}
DANGER = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}


def build(
    path: Path,
    as_of: date,
    setup: Setup | None = None,
    registrations: Cells | None = None,
    archive: Sequence[ArchiveRow] = (),
    remarks: Mapping[int, str] | None = None,
) -> None:
    """Write the workbook for ``setup`` (default: the seed's team for ``as_of``'s year; indicators of a
    section kept together), with its registrations, the archived ones (``xltools rebuild``) and the
    weeks' remarks."""
    setup = (setup or default_setup(as_of.year)).in_section_order()
    registrations = registrations or {}
    layout = Layout(setup, archived=len(archive))
    blocks = Blocks.of(layout)
    workbook = new_workbook(path, TOOL, VERSION, "Målstyring", as_of)
    f = _formats(workbook)
    sheets = {name: workbook.add_worksheet(name) for name in (FRONT, CHARTS, SETUP)}
    sheets |= {week_sheet(week): workbook.add_worksheet(week_sheet(week)) for week in range(1, setup.weeks + 1)}
    sheets |= {name: workbook.add_worksheet(name) for name in (ARCHIVE, DATA, GUIDE)}

    _setup_sheet(workbook, sheets[SETUP], layout, f)
    for week in range(1, setup.weeks + 1):
        _week_sheet(sheets[week_sheet(week)], layout, week, registrations, (remarks or {}).get(week, ""), f)
    _archive_sheet(sheets[ARCHIVE], archive, f)
    _data_sheet(workbook, sheets[DATA], layout, f)
    front.write(workbook, sheets[FRONT], layout, as_of, f)
    write_blocks(workbook, sheets, blocks.all, environment(blocks, registrations, as_of, archive), BLOCK_FORMAT)
    charts.write(workbook, sheets[CHARTS], layout)
    write_guide(sheets[GUIDE], GUIDE_TEXT, f)
    workbook.close()


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    add = workbook.add_format
    return {
        **house_formats(workbook),
        "center": add({"bold": True, "align": "center", "bg_color": "#DDEBF7", "border": 1}),
        "section": add({"bold": True, "bg_color": "#F2F2F2"}),
        "input": add(INPUT),
        "input_text": add({**INPUT, "num_format": "@"}),
        "input_antal": add({**INPUT, "num_format": "0"}),
        "input_timer": add({**INPUT, "num_format": "0.0"}),
        "input_percent": add({**INPUT, "num_format": "0 %"}),
        "input_date": add({**INPUT, "num_format": "dd-mm-yyyy"}),
        "remark": add({**INPUT, "text_wrap": True, "valign": "top"}),
        "danger": add(DANGER),
        "breach": add({**DANGER, "num_format": "General"}),
        "note_wrap": add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
        "warning_bar": add({"bold": True, "text_wrap": True, "valign": "vcenter", "font_color": "#9C0006"}),
    }


def _setup_sheet(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, f: dict[str, Format]) -> None:
    setup = layout.setup
    sheet.write_string(0, 1, "Opsætning – teamets egne indikatorer, medarbejdere og mål", f["title"])
    sheet.merge_range(
        1,
        1,
        1,
        WEIGHT_COLUMN,
        "Omdøb frit: navnene følger med på ugearkene med det samme. Tilføjer, fjerner eller flytter I medarbejdere "
        "eller indikatorer, viser Status det – kør da xltools rebuild eller knappen »Genopbyg efter ændret opsætning«.",
        f["note_wrap"],
    )
    sheet.set_row(1, 30)
    for (row, col), label, name, value, fmt in (
        (YEAR_CELL, "År", YEAR_NAME, setup.year, f["input"]),
        (BAGUD_CELL, "Bagud under (andel af tempoet)", BAGUD_NAME, setup.bagud, f["input_percent"]),
        (FORAN_CELL, "Foran fra (andel af tempoet)", FORAN_NAME, setup.foran, f["input_percent"]),
    ):
        sheet.write_string(row, col - 1, label, f["bold"])
        sheet.write_number(row, col, value, fmt)
        workbook.define_name(name, f"={quote_sheet(SETUP)}!{cell_name(row, col, absolute=True)}")
    sheet.merge_range(*SETUP_WARNING, SETUP_WARNING[0], SETUP_WARNING[1] + 4, "", f["warning_bar"])
    sheet.set_row(SETUP_WARNING[0], 30)
    for col, header in enumerate(("Id", "Medarbejder", "Status")):
        sheet.write_string(EMPLOYEE_HEADER, col, header, f["header"])
    for e in range(MAX_EMPLOYEES):
        row = layout.setup_employee_row(e)
        if e < len(setup.employees):
            sheet.write_string(row, 0, setup.employees[e].id, f["text"])
            sheet.write_string(row, 1, setup.employees[e].name, f["input_text"])
        else:
            sheet.write_blank(row, 1, None, f["input_text"])
    for col, header in enumerate((*INDICATOR_HEADERS, "Status")):
        sheet.write_string(INDICATOR_HEADER, col, header, f["header"])
    for index in range(layout.indicator_capacity):
        row = layout.setup_indicator_row(index)
        if index < len(setup.indicators):
            indicator = setup.indicators[index]
            sheet.write_string(row, ID_COL, indicator.id, f["text"])
            texts = ((SECTION_COL, indicator.section), (NAME_COL, indicator.name), (UNIT_COL, indicator.unit))
            for col, text in texts:
                sheet.write_string(row, col, text, f["input_text"])
            if indicator.aarsmaal is not None:
                sheet.write_number(row, AARSMAAL_COL, indicator.aarsmaal, f["input"])
            else:
                sheet.write_blank(row, AARSMAAL_COL, None, f["input"])
        else:
            for col in (SECTION_COL, NAME_COL, UNIT_COL):
                sheet.write_blank(row, col, None, f["input_text"])
            sheet.write_blank(row, AARSMAAL_COL, None, f["input"])
    for key, name in SETUP_NAMES.items():
        top, bottom = layout.setup_column_area(key)
        workbook.define_name(name, f"={quote_sheet(SETUP)}!{cell_name(*top, True)}:{cell_name(*bottom, True)}")
    first, last = layout.setup_indicator_row(0), layout.setup_indicator_row(layout.indicator_capacity - 1)
    sheet.data_validation(first, UNIT_COL, last, UNIT_COL, {
        "validate": "list", "source": list(UNITS),
        "error_title": "Ugyldig enhed", "error_message": "Enheden skal være antal eller timer.",
    })  # fmt: skip
    sheet.data_validation(first, AARSMAAL_COL, last, AARSMAAL_COL, {
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
    notice = {"type": "formula", "format": f["danger"]}
    for (row, col), rows in (
        (SETUP_WARNING, 1),
        ((EMPLOYEE_HEADER + 1, EMPLOYEE_STATUS_COLUMN), MAX_EMPLOYEES),
        ((INDICATOR_HEADER + 1, INDICATOR_STATUS_COLUMN), layout.indicator_capacity),
        ((YEAR_CELL[0], YEAR_CELL[1] + 1), 1),
    ):
        sheet.conditional_format(row, col, row + rows - 1, col, {**notice, "criteria": f'={cell_name(row, col)}<>""'})
    sheet.set_column(0, 0, 6, None, {"hidden": True})
    sheet.set_column(1, 2, 30)
    sheet.set_column(3, 4, 14)
    sheet.set_column(5, 5, 26)
    sheet.set_column(6, 6, 3)
    sheet.set_column(7, 8, 7)
    widths = (30, 30, 14, 14, 26, 3, 7, 7)
    print_on_a4(sheet, PrintArea((0, 1), (last, WEIGHT_COLUMN), widths))


def _week_sheet(
    sheet: Worksheet, layout: Layout, week: int, registrations: Cells, remark: str, f: dict[str, Format]
) -> None:
    setup = layout.setup
    monday, sunday = week_span(setup.year, week)
    sheet.write_string(0, WEEK_LABEL_COL, f"Målstyring – ugeskema, {week_label(week)} {setup.year}", f["title"])
    sheet.write_string(1, WEEK_LABEL_COL, f"{monday:%d-%m-%Y} – {sunday:%d-%m-%Y}", f["bold"])
    for e, employee in enumerate(setup.employees):
        col = layout.real_col(e)
        sheet.write_string(WEEK_IDS_ROW, col, employee.id, f["text"])
        sheet.merge_range(WEEK_NAMES_ROW, col, WEEK_NAMES_ROW, col + 1, "", f["center"])
        sheet.write_string(WEEK_SUB_ROW, col, "Real", f["center"])
        sheet.write_string(WEEK_SUB_ROW, col + 1, "Mål", f["center"])
    total = layout.total_col
    sheet.merge_range(WEEK_NAMES_ROW, total, WEEK_NAMES_ROW, total + 1, "I alt", f["center"])
    sheet.write_string(WEEK_SUB_ROW, total, "Real", f["center"])
    sheet.write_string(WEEK_SUB_ROW, total + 1, "Mål", f["center"])
    sheet.write_string(WEEK_SUB_ROW, WEEK_LABEL_COL, "Indikator", f["header"])
    sheet.write_string(WEEK_SUB_ROW, WEEK_UNIT_COL, "Enhed", f["header"])
    for row, _ in layout.section_rows:
        for col in range(WEEK_UNIT_COL, total + 2):
            sheet.write_blank(row, col, None, f["section"])
    for indicator in setup.indicators:
        row = layout.indicator_rows[indicator.id]
        sheet.write_string(row, 0, indicator.id, f["text"])
        sheet.write_string(row, 1, indicator.unit, f["text"])
        cell = f["input_timer"] if indicator.unit == "timer" else f["input_antal"]
        for e in range(len(setup.employees)):
            for kind, col in (("r", layout.real_col(e)), ("m", layout.real_col(e) + 1)):
                value = registrations.get((kind, week, indicator.id, e))
                if isinstance(value, float):
                    sheet.write_number(row, col, value, cell)
                elif value is None:
                    sheet.write_blank(row, col, None, cell)
                else:
                    sheet.write_string(row, col, str(value), cell)
    validate_week(sheet, layout, f["breach"])
    remarks = layout.remarks_row
    sheet.write_string(remarks, WEEK_LABEL_COL, "Bemærkninger", f["bold"])
    sheet.merge_range(remarks, WEEK_UNIT_COL, remarks + 2, total + 1, "", f["remark"])
    if remark:
        sheet.write_string(remarks, WEEK_UNIT_COL, remark, f["remark"])
    sheet.set_row(WEEK_IDS_ROW, None, None, {"hidden": True})
    sheet.set_column(0, 1, 6, None, {"hidden": True})
    sheet.set_column(WEEK_LABEL_COL, WEEK_LABEL_COL, 30)
    sheet.set_column(WEEK_UNIT_COL, total - 1, 7)
    sheet.set_column(total, total + 1, 8)
    sheet.freeze_panes(WEEK_FIRST_ROW, WEEK_FIRST_COL)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    widths = (30, *(7,) * (total - WEEK_UNIT_COL), 8, 8)
    area = PrintArea((0, WEEK_LABEL_COL), (remarks + 2, total + 1), widths)
    print_on_a4(
        sheet,
        area,
        landscape=True,
        repeat_columns=(WEEK_LABEL_COL, WEEK_UNIT_COL),
        repeat_rows=(WEEK_NAMES_ROW, WEEK_SUB_ROW),
        rows=remarks + 3,
    )


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
    sheet.set_column(0, len(ARCHIVE_COLUMNS) - 1, 14)
    sheet.freeze_panes(1, 0)
    sheet.protect("", {"select_locked_cells": True, "autofilter": True, "sort": True})
    area = PrintArea((0, 0), (max(len(archive), 1), len(ARCHIVE_COLUMNS) - 1), (14,) * len(ARCHIVE_COLUMNS))
    print_on_a4(sheet, area, repeat_rows=(0, 0))


def _data_sheet(workbook: xlsxwriter.Workbook, sheet: Worksheet, layout: Layout, f: dict[str, Format]) -> None:
    """The week numbers and labels, the structure the week sheets were built with (defined names the
    Status formulas and ``xltools`` read), and the labels of the series rows."""
    setup = layout.setup
    weeks = range(1, setup.weeks + 1)
    starts = {group[0].id for _, group in setup.sections()}
    lists: dict[str, tuple[str, list[str | float]]] = {
        "uge": ("Uge", [float(w) for w in weeks]),
        "vaegt": ("Vægt", []),
        "ugenavn": ("Ugenavn", [week_label(w) for w in weeks]),
        "ugyldige": ("Ugyldige registreringer", []),
        "aar": ("Bygget til år", [float(setup.year)]),
        "medarbejder_id": ("Medarbejder-id", [e.id for e in setup.employees]),
        "medarbejder": ("Medarbejder (ved bygning)", [e.name for e in setup.employees]),
        "medarbejder_mangler": ("Mangler i Opsætning", []),
        "indikator_id": ("Indikator-id", [i.id for i in setup.indicators]),
        "indikator": ("Indikator (ved bygning)", [i.name for i in setup.indicators]),
        "sektion": ("Sektion (ved bygning)", [i.section for i in setup.indicators]),
        "enhed": ("Enhed", [i.unit for i in setup.indicators]),
        "sektionsstart": ("Sektion begynder", [1.0 if i.id in starts else 0.0 for i in setup.indicators]),
        "indikator_mangler": ("Mangler i Opsætning", []),
        "forskelle": ("Forskelle i alt", []),
        "graf_id": ("Indikatorer i graferne", [setup.indicators[i].id for i in layout.charted]),
    }
    names = {**BUILT_NAMES, "uge": WEEKS_NAME, "ugenavn": "DataUgenavne"}
    for key, (label, values) in lists.items():
        row = DATA_ROWS[key]
        sheet.write_string(row, 0, label, f["bold"])
        for col, value in enumerate(values, start=1):
            if isinstance(value, float):
                sheet.write_number(row, col, value, f["text"])
            else:
                sheet.write_string(row, col, value, f["text"])
        if key in names and values:
            last = cell_name(row, len(values), absolute=True)
            workbook.define_name(names[key], f"={DATA}!{cell_name(row, 1, absolute=True)}:{last}")
    labels = {
        "real": "Real",
        "maal": "Mål",
        "count": "Registreringer",
        "empreal": "Real (antal)",
        "empmaal": "Mål (antal)",
    }
    for kind, first in layout.series_rows.items():
        if kind == "cumulative":
            ids = [setup.indicators[i].id for i in layout.charted]
            names_ = [f"{what} {ident}" for ident in ids for what in ("Kumuleret", "Tempo")]
        else:
            ids = [i.id for i in setup.indicators] if kind in ("real", "maal") else [e.id for e in setup.employees]
            names_ = [f"{labels[kind]} {ident}" for ident in ids]
        for index, name in enumerate(names_):
            sheet.write_string(first + index, 0, name, f["text"])
    sheet.set_column(0, 0, 24)
    sheet.hide()  # no print area: LibreOffice would print a hidden sheet that has one, Excel never does
    sheet.protect("")
