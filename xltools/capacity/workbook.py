"""Building the Ressourceberegner workbook (XlsxWriter) from its layout (``capacity.layout``): formats,
validation, the matrix's marking, the chart, printing and the Vejledning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.capacity import inputs as spec
from xltools.capacity.layout import (
    BEHOV_ROW,
    COLUMN_WIDTHS,
    GENERAL_ROW,
    GUIDE_SHEET,
    INPUT_ROWS,
    INTENSIVE_ROW,
    MATRIX_ROW,
    MATRIX_SIZE,
    PERCENT_FORMAT,
    SHEET,
    TOOL,
    VERSION,
    blocks,
    scenario_labels_ref,
)
from xltools.workbook.build import house_formats, merge_text, new_workbook, write_blocks, write_guide
from xltools.workbook.printing import PrintArea, print_on_a4
from xltools.workbook.refs import cell_name


def build(path: Path, as_of: date) -> None:
    """Write the template with the seed's worked example as its inputs and cached values."""
    workbook = new_workbook(path, TOOL, VERSION, "Ressourceberegner", as_of)
    sheet = workbook.add_worksheet(SHEET)
    guide = workbook.add_worksheet(GUIDE_SHEET)
    f = _formats(workbook)

    for col, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, "Ressourceberegner", f["title"])
    sheet.write(1, 0, "Kapacitetsudnyttelse – de gule felter kan redigeres", f["note"])
    sheet.freeze_panes(2, 0)

    for input_spec, row in INPUT_ROWS.items():
        name = input_spec.defined_name
        assert name
        number_format = PERCENT_FORMAT if input_spec.kind == "percent" else input_spec.number_format
        cell_format = workbook.add_format({**_INPUT, "num_format": number_format})
        sheet.write_string(row, 0, input_spec.label, f["label"])
        if input_spec.kind == "choice":
            merge_text(sheet, (row, 1), (row, 4), str(spec.DEFAULTS[name]), cell_format)
            source = "=" + scenario_labels_ref()
        else:
            sheet.write_number(row, 1, float(spec.DEFAULTS[name]), cell_format)
            source = None
        sheet.data_validation(row, 1, row, 1, input_spec.excel_validation(cell_name(row, 1), source))
        workbook.define_name(name, f"={SHEET}!{cell_name(row, 1, absolute=True)}")

    sheet.write_string(INPUT_ROWS[spec.ANDEL] + 1, 0, "Borgere med intensiveret indsats", f["label"])
    sheet.write_string(INPUT_ROWS[spec.UDEBLIVELSE] + 1, 0, "Samtaler pr. årsværk", f["label"])

    sheet.write_string(GENERAL_ROW - 2, 0, "Generelt for hele målgruppen", f["section"])
    _headers(sheet, GENERAL_ROW - 1, ["Frekvens", "Samtaler pr. borger pr. år", "Samtaler pr. år"], f)
    for i, (label, freq) in enumerate(spec.GENERAL_FREQUENCIES):
        sheet.write_string(GENERAL_ROW + i, 0, label, f["label"])
        sheet.write_number(GENERAL_ROW + i, 1, freq, f["constant"])

    sheet.write_string(INTENSIVE_ROW - 2, 0, "Intensiveret for en andel af målgruppen", f["section"])
    _headers(
        sheet,
        INTENSIVE_ROW - 1,
        [
            "Frekvens for den intensiverede indsats",
            "Samtaler pr. borger pr. år",
            "Antal intensive samtaler",
            "Antal rettidige samtaler",
            "Antal samtaler samlet",
        ],
        f,
    )
    for i, (label, freq) in enumerate(spec.INTENSIVE_FREQUENCIES):
        sheet.write_string(INTENSIVE_ROW + i, 0, label, f["label"])
        sheet.write_number(INTENSIVE_ROW + i, 1, freq, f["constant"])

    sheet.write_string(INPUT_ROWS[spec.SAMTALER_PR_DAG] - 1, 0, "Årsværk behov", f["section"])
    _headers(
        sheet,
        BEHOV_ROW - 1,
        ["Scenarie", "Samtaler pr. år", "Samtaler at booke", "Årsværk (præcist)", "Årsværk (rundet op)"],
        f,
    )
    for i, label in enumerate(spec.SCENARIOS):
        sheet.write_string(BEHOV_ROW + i, 0, label, f["label"])
    scenario_row = INPUT_ROWS[spec.SCENARIE]
    sheet.write_string(scenario_row + 1, 0, "Samtaler at booke i valgt scenarie", f["label"])
    sheet.write_string(scenario_row + 2, 0, "Årsværk i valgt scenarie (rundet op)", f["label"])

    rows, cols = MATRIX_SIZE
    sheet.write_string(MATRIX_ROW - 3, 0, "Årsværk", f["section"])
    sheet.write_string(
        MATRIX_ROW - 2, 0, "Samtaler pr. år ved samtaler pr. dag × årsværk. Grøn: nok til valgt scenarie.", f["note"]
    )
    sheet.merge_range(MATRIX_ROW - 2, 2, MATRIX_ROW - 2, 1 + cols, "Årsværk", f["header"])
    sheet.write_string(MATRIX_ROW - 1, 1, "Samtaler pr. dag", f["header"])
    for c in range(cols):
        sheet.write_number(MATRIX_ROW - 1, 2 + c, c + 1, f["header"])
    sheet.merge_range(MATRIX_ROW, 0, MATRIX_ROW + rows - 1, 0, "Antal samtaler pr. dag", f["label_center"])
    for r in range(rows):
        sheet.write_number(MATRIX_ROW + r, 1, r + 1, f["header"])

    computed = blocks()
    write_blocks(workbook, {SHEET: sheet}, computed, env=spec.DEFAULTS, base_format=_FORMULA)
    chosen = next(block for block in computed if block.name == "ValgtSamtaler")
    sheet.conditional_format(
        MATRIX_ROW,
        2,
        MATRIX_ROW + rows - 1,
        1 + cols,
        {
            "type": "cell",
            "criteria": ">=",
            "value": cell_name(*chosen.anchor, absolute=True),
            "format": f["enough"],
        },
    )
    _chart(workbook, sheet)
    sheet.protect("", {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True})
    print_on_a4(sheet, PrintArea((0, 0), (MATRIX_ROW + rows - 1, 1 + cols), COLUMN_WIDTHS[: 2 + cols]))
    write_guide(guide, GUIDE, f)
    workbook.close()


def _headers(sheet: Worksheet, row: int, labels: list[str], f: dict[str, Format]) -> None:
    sheet.set_row(row, 30)
    for col, label in enumerate(labels):
        sheet.write_string(row, col, label, f["header"])


def _chart(workbook: xlsxwriter.Workbook, sheet: Worksheet) -> None:
    chart = workbook.add_chart({"type": "bar"})
    last = BEHOV_ROW + len(spec.SCENARIOS) - 1
    for col, name in ((1, "Samtaler pr. år"), (2, "Samtaler at booke")):
        chart.add_series(
            {
                "name": name,
                "categories": [SHEET, BEHOV_ROW, 0, last, 0],
                "values": [SHEET, BEHOV_ROW, col, last, col],
            }
        )
    chart.set_title({"name": "Samtaler pr. år pr. scenarie"})
    chart.set_y_axis({"reverse": True, "name": "Scenarie"})
    chart.set_x_axis({"num_format": "#,##0", "name": "Samtaler pr. år"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 360})
    sheet.insert_chart(2, 5, chart, {"x_offset": 20})


_INPUT = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "locked": False}
_FORMULA = {"bg_color": "#F2F2F2", "border": 1, "border_color": "#BFBFBF"}


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    add = workbook.add_format
    return {
        **house_formats(workbook),
        "section": add({"bold": True, "font_size": 12, "font_color": "#1F4E79", "bottom": 1}),
        "label": add({"text_wrap": False}),
        "label_center": add({"bold": True, "valign": "vcenter", "text_wrap": True}),
        "constant": add({"num_format": "0", "border": 1, "border_color": "#BFBFBF"}),
        "enough": add({"bg_color": "#C6EFCE", "font_color": "#006100"}),
    }


GUIDE: tuple[tuple[str, str], ...] = (
    ("title", "Vejledning – Ressourceberegner"),
    (
        "wrap",
        "Ressourceberegneren viser, hvor mange samtaler et scenarie giver pr. år, og hvor mange "
        "årsværk der skal til. Den er et ledelsesredskab og en baggrund for dialogen om, hvordan "
        "arbejdsdagen kan tilrettelægges.",
    ),
    ("bold", "Sådan bruger du arket"),
    ("wrap", "1. Udfyld de gule felter øverst. Kun de gule felter kan redigeres; resten er formler."),
    ("wrap", "2. Aflæs samtaler pr. år for hele målgruppen og for den intensiverede indsats."),
    ("wrap", '3. Vælg samtaler pr. dag og evt. udeblivelse under "Årsværk behov" og aflæs årsværk for hvert scenarie.'),
    (
        "wrap",
        "4. Vælg et scenarie: Årsværk-tabellen markerer med grønt de kombinationer af samtaler pr. "
        "dag og årsværk, der giver kapacitet nok.",
    ),
    ("bold", "Felterne"),
    ("wrap", "Antal borgere: antal ledige borgere i målgruppen (helt tal, mindst 0)."),
    ("wrap", "Antal dage med samtaler: dage pr. uge med samtaler (1-5)."),
    (
        "wrap",
        "Antal uger pr. årsværk: typisk 43-44, når ferie, interne møder og opkvalificering er trukket fra (1-52).",
    ),
    (
        "wrap",
        "Andel med behov for intensiveret indsats: prioriteringsafhængig, fx andelen af borgere tilbage i "
        "overlevelseskurven efter 39 uger (0-100 %).",
    ),
    ("wrap", "Samtaler pr. dag pr. medarbejder: hvor mange samtaler en medarbejder holder på en samtaledag (1-20)."),
    (
        "wrap",
        "Udeblivelse: andel af bookede samtaler, hvor borgeren ikke kommer (0-90 %). Samtaler at booke = "
        "samtaler, der skal holdes / (1 - udeblivelse).",
    ),
    ("bold", "Opmærksomhedspunkter"),
    (
        "wrap",
        "Beregningerne giver kun en indikation af det forventede ressourceforbrug. Der skal også være tid til "
        "administration, telefon og mails, ekstra samtaler m.v. – arbejd ikke helt stringent efter tallene.",
    ),
    (
        "wrap",
        "Nogle samtaler tager længere tid end andre. Sørg for fleksibilitet i systematikken, så der løbende "
        "kan rettes til.",
    ),
    (
        "wrap",
        "Borgere i den intensive gruppe afrundes til hele personer (0,5 rundes op). Årsværk (rundet op) er "
        "det hele antal årsværk, der rækker.",
    ),
    ("bold", "Uden Python"),
    (
        "wrap",
        "Alt på arket virker i Excel uden Python: alle tal er almindelige Excel-formler, felternes regler er "
        "Excels datavalidering, og markeringen i Årsværk-tabellen er betinget formatering.",
    ),
    (
        "wrap",
        "Med xltools kan tallene genberegnes og kontrolleres uden Excel (xltools recalc), og med "
        "tilføjelsesprogrammet xltools.xlam kan funktionerne CAPACITY, FTE_NEEDED og YEARLY_CONVERSATIONS "
        "bruges i egne celler (kun Excel til Windows). En kollega uden tilføjelsesprogrammet ser #NAVN? i de "
        "celler – arkets egne formler bruger dem ikke.",
    ),
    ("bold", "Excel-versioner"),
    (
        "wrap",
        "Arket bruger kun formler, som alle Excel-versioner fra Excel 2010 kender, og regner ens i Excel 2021 "
        "og Microsoft 365, i ældre Excel og i LibreOffice.",
    ),
)
