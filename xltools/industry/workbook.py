"""Building the Brancheredskab workbook: the Kontakter table, Overblik, Statistik, Diagrammer, Lister.

The builder takes rows (none for the template), so the demo, the tests and ``xltools merge`` build
complete workbooks whose every computed cell carries its value. User text is written with the string
writer: "=HYPERLINK(…)" or "+45 12 34 56 78" stay text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from xltools.core.expr import Ref
from xltools.core.logic import serial
from xltools.industry import calculations as calc
from xltools.industry import lists as defaults
from xltools.industry.layout import (
    AS_OF_CELL,
    AS_OF_NAME,
    CHARTS,
    COMPUTED,
    ENTRY,
    GUIDE,
    HEADER_ROW,
    LIST_COLUMNS,
    LIST_NAMES,
    LISTS,
    OVERVIEW,
    OVERVIEW_COLUMNS,
    OVERVIEW_HEADER_ROW,
    STAMP_CELL,
    STATS,
    STATS_FIRST_ROW,
    STATS_HEADER_ROW,
    STATUS_COLUMN,
    TABLE,
    TOOL,
    VERSION,
    WEEKS,
    row_exprs,
    stats_blocks,
    table_col,
)
from xltools.industry.rows import COLUMNS, ENTRY_GROUPS
from xltools.industry.summary import Summary, summarise
from xltools.workbook.build import house_formats, new_workbook, write_blocks, write_guide
from xltools.workbook.printing import PrintArea, print_on_a4
from xltools.workbook.refs import cell_name

ENTRY_ROWS_WITH_RULES = 20_000
"""Rows below the header that carry data validation and colours (the table may grow into them)."""

DEFAULT_LISTS: dict[str, tuple[str, ...]] = {
    "Virksomhedstype": defaults.BRANCHER,
    "Jobfunktion": defaults.JOBFUNKTIONER,
    "Resultat af kontakt": defaults.RESULTATER,
}


def build(
    path: Path,
    as_of: date,
    rows: pd.DataFrame | None = None,
    lists: Mapping[str, Sequence[str]] = DEFAULT_LISTS,
) -> None:
    """Write the workbook with ``rows`` (validated Kontakter rows) and cached values as of ``as_of``."""
    rows = rows if rows is not None else pd.DataFrame(columns=[column.key for column in COLUMNS])
    summary = summarise(rows, lists, as_of)
    workbook = new_workbook(path, TOOL, VERSION, "Brancheredskab", as_of)
    f = _formats(workbook)
    entry = workbook.add_worksheet(ENTRY)
    charts = workbook.add_worksheet(CHARTS)
    overview = workbook.add_worksheet(OVERVIEW)
    stats = workbook.add_worksheet(STATS)
    lister = workbook.add_worksheet(LISTS)
    guide = workbook.add_worksheet(GUIDE)

    _lists(workbook, lister, lists, f)
    _entry(workbook, entry, rows, summary, f)
    _overview(workbook, overview, summary, as_of, f)
    env = summary.env(lists)
    write_blocks(workbook, {STATS: stats}, stats_blocks(), env, base_format={"border": 1, "border_color": "#BFBFBF"})
    _stats_sheet(stats, f)
    _charts(workbook, charts, len(lists["Virksomhedstype"]))
    write_guide(guide, GUIDE_TEXT, f)
    workbook.close()


LAST_ROW = 1_048_575
"""Excel's last row: a print area down to it is whole columns, so rows added later print too."""
COMPUTED_WIDTH = 11
CHART_ROWS = 48
"""Rows the Diagrammer's three charts cover (two stacked on the left, the weekly one on the right)."""


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    add = workbook.add_format
    return {
        **house_formats(workbook),
        "group": add({"bold": True, "align": "center", "bg_color": "#BDD7EE", "border": 1}),
        "date": add({"num_format": "dd-mm-yyyy"}),
        "count": add({"num_format": "0"}),
        "computed": add({"bg_color": "#F2F2F2"}),
        "computed_date": add({"bg_color": "#F2F2F2", "num_format": "dd-mm-yyyy"}),
        "input_date": add({"num_format": "dd-mm-yyyy", "bg_color": "#FFF2CC", "border": 1, "locked": False}),
        "gul": add({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "rød": add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "grøn": add({"bg_color": "#C6EFCE", "font_color": "#006100"}),
    }


def _lists(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, lists: Mapping[str, Sequence[str]], f: dict[str, Format]
) -> None:
    for col, name in enumerate(LIST_COLUMNS):
        sheet.write_string(0, col, name, f["header"])
        sheet.set_column(col, col, 44)
        for row, value in enumerate(lists[name], start=1):
            sheet.write_string(row, col, value, f["text"])
        letter = chr(65 + col)
        workbook.define_name(
            LIST_NAMES[name], f"=OFFSET({LISTS}!${letter}$2,0,0,MAX(1,COUNTA({LISTS}!${letter}:${letter})-1),1)"
        )
    sheet.write_string(0, 4, 'Listerne kan udvides nedad. Resultatet "Ingen åbning" skal blive stående.', f["note"])
    sheet.freeze_panes(1, 0)
    widths = (44.0,) * len(LIST_COLUMNS)
    print_on_a4(sheet, PrintArea((0, 0), (LAST_ROW, len(widths) - 1), widths), repeat_rows=(0, 0))


def _entry(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, rows: pd.DataFrame, summary: Summary, f: dict[str, Format]
) -> None:
    for title, first, last in ENTRY_GROUPS:
        sheet.merge_range(0, table_col(first), 0, table_col(last), title, f["group"])
    sheet.merge_range(0, table_col(COMPUTED[0][0]), 0, table_col(COMPUTED[-1][0]), "Beregnet (rør ikke)", f["group"])
    count = max(len(rows), 1)
    last_row = HEADER_ROW + count
    columns: list[dict[str, Any]] = [{"header": column.header} for column in COLUMNS]
    columns += [{"header": header, "formula": "=" + row_exprs()[key].render()} for key, header in COMPUTED]
    sheet.add_table(
        HEADER_ROW, 0, last_row, len(columns) - 1, {"name": TABLE, "columns": columns, "style": "Table Style Light 9"}
    )
    sheet.set_row(HEADER_ROW, 32)
    for column in COLUMNS:
        sheet.set_column(
            table_col(column.key), table_col(column.key), column.width, f["date"] if column.kind == "date" else None
        )
    sheet.set_column(table_col("alder"), table_col("uge"), COMPUTED_WIDTH)
    for offset, (_, row) in enumerate(rows.iterrows()):
        _write_row(sheet, HEADER_ROW + 1 + offset, row, f)
    for key, _ in COMPUTED:
        col = table_col(key)
        formula = "=" + row_exprs()[key].render()
        cell_format = f["computed"]
        for offset in range(count):
            value = summary.computed[key][offset] if offset < len(rows) else ("" if key != "aabne" else 0)
            sheet.write_formula(HEADER_ROW + 1 + offset, col, formula, cell_format, _cached(value))
    _entry_rules(workbook, sheet, f)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    widths = [*(column.width for column in COLUMNS), *(COMPUTED_WIDTH for _ in COMPUTED)]
    area = PrintArea((0, 0), (LAST_ROW, len(widths) - 1), widths)  # whole columns: rows typed later print too
    print_on_a4(sheet, area, landscape=True, repeat_columns=(0, 1), repeat_rows=(0, HEADER_ROW))


def _cached(value: object) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def _write_row(sheet: Worksheet, row: int, values: pd.Series, f: dict[str, Format]) -> None:
    for column in COLUMNS:
        col = table_col(column.key)
        value = values[column.key]
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            continue
        if column.kind == "date":
            sheet.write_number(row, col, serial(value), f["date"])
        elif column.kind == "count":
            sheet.write_number(row, col, int(value), f["count"])
        else:
            sheet.write_string(row, col, str(value), f["text"])  # never a formula


def _entry_rules(workbook: xlsxwriter.Workbook, sheet: Worksheet, f: dict[str, Format]) -> None:
    """Data validation where Excel can express the rule, and the yellow/red colours."""
    first, last = HEADER_ROW + 1, HEADER_ROW + ENTRY_ROWS_WITH_RULES
    top = first + 1  # Excel row number of the first data row

    def validate(key: str, options: dict[str, Any]) -> None:
        column = next(c for c in COLUMNS if c.key == key)
        col = table_col(key)
        sheet.data_validation(
            first,
            col,
            last,
            col,
            {
                "input_title": column.header[:32],
                "input_message": column.rule.capitalize()[:255],
                "error_title": "Ugyldig værdi",
                "error_message": f"{column.header} {column.rule}."[:255],
                "ignore_blank": True,
                **options,
            },
        )

    validate("dato", {"validate": "date", "criteria": "between", "minimum": date(2000, 1, 1), "maximum": "=TODAY()"})
    validate("lukket", {"validate": "date", "criteria": ">=", "value": f"=A{top}"})
    cvr = f"C{top}"
    cvr_rule = calc.CVR_VALID.function(Ref("cvr", cvr)).render()
    validate("cvr", {"validate": "custom", "value": f'=OR({cvr}="",{cvr_rule})'})
    phone = f"E{top}"
    digits = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({phone}," ",""),"-",""),"+45","")'
    validate("telefon", {"validate": "custom", "value": f'=OR({phone}="",AND(LEN({digits})=8,ISNUMBER(--{digits})))'})
    mail = f"F{top}"
    validate("mail", {"validate": "custom", "value": f'=OR({mail}="",ISNUMBER(FIND(".",{mail},FIND("@",{mail})+2)))'})
    for key, list_name in (
        ("virksomhedstype", "Virksomhedstype"),
        ("resultat", "Resultat af kontakt"),
        ("jobfunktion", "Jobfunktion"),
    ):
        validate(key, {"validate": "list", "source": "=" + LIST_NAMES[list_name]})
    validate("pladser", {"validate": "integer", "criteria": ">=", "value": 0})
    validate("besatte", {"validate": "custom", "value": f"=AND(L{top}=INT(L{top}),L{top}>=0,L{top}<=K{top})"})
    status = f"${chr(65 + table_col('status'))}{top}"
    for colour in (calc.ROED, calc.GUL):
        sheet.conditional_format(
            first,
            0,
            last,
            table_col("uge"),
            {"type": "formula", "criteria": f'={status}="{colour}"', "format": f[colour]},
        )


def _overview(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, summary: Summary, as_of: date, f: dict[str, Format]
) -> None:
    sheet.write_string(0, 0, "Overblik – åbne pladser, ældste først", f["title"])
    sheet.write_string(AS_OF_CELL[0], AS_OF_CELL[1] - 1, "Opgørelsesdato", f["bold"])
    sheet.write_formula(*AS_OF_CELL, "=TODAY()", f["input_date"], serial(as_of))
    workbook.define_name(AS_OF_NAME, f"={OVERVIEW}!{cell_name(*AS_OF_CELL, absolute=True)}")
    sheet.write_string(
        AS_OF_CELL[0], AS_OF_CELL[1] + 1, "Standard: =I DAG(). Skriv en dato for en fast opgørelse.", f["note"]
    )
    sheet.write_string(*STAMP_CELL, summary.stamp(as_of), f["note"])
    for col, (_, header) in enumerate(OVERVIEW_COLUMNS):
        sheet.write_string(OVERVIEW_HEADER_ROW, col, header, f["header"])
    sheet.set_row(OVERVIEW_HEADER_ROW, 30)
    widths = (15, 26, 30, 20, 16, 9, 9, 8, 14)
    for col, width in enumerate(widths):
        fmt = f["date"] if col == 0 else None
        sheet.set_column(col, col, width, fmt)
    for (row, col), value in summary.overview_cells(OVERVIEW_HEADER_ROW + 1).items():
        if isinstance(value, str):
            sheet.write_string(row, col, value, f["date"] if col == 0 else f["text"])
        elif value is not None:
            sheet.write_number(row, col, value, f["date"] if col == 0 else f["count"])
    first, last = OVERVIEW_HEADER_ROW + 1, OVERVIEW_HEADER_ROW + ENTRY_ROWS_WITH_RULES
    for colour in (calc.ROED, calc.GUL, calc.GROEN):
        sheet.conditional_format(
            first,
            0,
            last,
            len(OVERVIEW_COLUMNS) - 1,
            {"type": "formula", "criteria": f'=$H{first + 1}="{colour}"', "format": f[colour]},
        )
    sheet.freeze_panes(OVERVIEW_HEADER_ROW + 1, 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "sort": True, "autofilter": True})
    print_on_a4(sheet, PrintArea((0, 0), (LAST_ROW, len(widths) - 1), widths), repeat_rows=(OVERVIEW_HEADER_ROW,) * 2)


def _stats_sheet(sheet: Worksheet, f: dict[str, Format]) -> None:
    sheet.write_string(0, 0, "Statistik pr. branche (opgjort pr. opgørelsesdatoen)", f["title"])
    sheet.write_string(STATS_HEADER_ROW, 0, "Virksomhedstype", f["header"])
    sheet.write_string(STATS_HEADER_ROW, 1, "Åbne pladser", f["header"])
    sheet.write_string(STATS_HEADER_ROW, 2, "Kontakter uden åbning", f["header"])
    sheet.write_string(1, 3, "Pladser i alt pr. uge (åbninger registreret i ugen)", f["note"])
    sheet.write_string(STATS_HEADER_ROW, STATUS_COLUMN, "Status", f["header"])
    sheet.write_string(STATS_HEADER_ROW, STATUS_COLUMN + 1, "Åbne rækker", f["header"])
    for i, status in enumerate(calc.STATUSES):
        sheet.write_string(STATS_FIRST_ROW + i, STATUS_COLUMN, status, f[status])
    widths = [44.0, 12, 12, *(10.0,) * WEEKS, *(8.43,) * (STATUS_COLUMN - 3 - WEEKS), 12, 12]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(STATS_HEADER_ROW, 30)
    sheet.freeze_panes(STATS_FIRST_ROW, 1)
    sheet.protect("", {"select_locked_cells": True})
    print_on_a4(sheet, PrintArea((0, 0), (LAST_ROW, len(widths) - 1), widths), repeat_columns=(0, 0))


def _charts(workbook: xlsxwriter.Workbook, sheet: Worksheet, industries: int) -> None:
    first, last = STATS_FIRST_ROW, STATS_FIRST_ROW + max(industries, 1) - 1
    categories = [STATS, first, 0, last, 0]
    for title, col, top in (
        ("Åbninger fordelt på brancher", 1, 0),
        ("Kontakter uden åbning fordelt på brancher", 2, 24),
    ):
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series({"name": title, "categories": categories, "values": [STATS, first, col, last, col], "gap": 60})
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True, "name": "Branche"})
        chart.set_x_axis({"name": "Antal" if col == 2 else "Åbne pladser", "num_format": "#,##0"})
        chart.set_size({"width": 760, "height": 460})
        sheet.insert_chart(top, 0, chart)
    weekly = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for w in range(WEEKS):
        col = 3 + w
        weekly.add_series(
            {"name": [STATS, STATS_HEADER_ROW, col], "categories": categories, "values": [STATS, first, col, last, col]}
        )
    weekly.set_title({"name": "Pladser pr. branche, de seneste 12 uger (vækst)"})
    weekly.set_y_axis({"reverse": True, "name": "Branche"})
    weekly.set_x_axis({"name": "Pladser registreret pr. uge", "num_format": "#,##0"})
    weekly.set_legend({"position": "right"})
    weekly.set_size({"width": 760, "height": 560})
    sheet.insert_chart(0, 13, weekly)
    sheet.protect("", {"select_locked_cells": True})
    print_on_a4(sheet, PrintArea((0, 0), (CHART_ROWS - 1, 24), (8.43,) * 25), landscape=True, rows=CHART_ROWS)


GUIDE_TEXT: tuple[tuple[str, str], ...] = (
    ("title", "Vejledning – Brancheredskab"),
    (
        "wrap",
        "Brancheredskabet giver overblik over, i hvilke brancher der er åbninger lige nu, og hvilke brancher "
        "der er kontaktet uden åbninger. Virksomhedskonsulenterne registrerer, sagsbehandlerne bruger overblikket i "
        "vejledningen af borgerne.",
    ),
    ("bold", "Faneblad 1: Registrering"),
    (
        "wrap",
        "Registrér kontakter, jobåbninger og praktikker med det samme: Dato, virksomhed, kontaktoplysninger, "
        "Virksomhedstype, Resultat af kontakt og Jobfunktion (vælges fra listerne), Antal pladser og "
        "Antal besatte pladser. "
        "Dato, Virksomhedstype, Resultat, Jobfunktion og de to antal skal udfyldes.",
    ),
    (
        "wrap",
        "Ansvarlig: hvem der sørger for, at pladserne bliver besat. Lukket dato: udfyld, hvis en åbning lukkes uden "
        "at blive besat – den forsvinder da fra overblikket, men tæller stadig i statistikken.",
    ),
    (
        "wrap",
        "En åben plads bliver gul efter 1 uge (7 dage) og rød efter 2 uger (14 dage). Besatte og lukkede pladser "
        "forsvinder fra overblikket, men indgår stadig i statistikken.",
    ),
    ("bold", "Faneblad 2: Diagrammer"),
    (
        "wrap",
        "Åbninger fordelt på brancher, kontakter uden åbning pr. branche og pladser pr. branche de seneste 12 uger.",
    ),
    ("bold", "Opgørelsesdato"),
    (
        "wrap",
        "Alder og status regnes til opgørelsesdatoen på fanen Overblik (standard: dags dato). Skriv en dato for at "
        "se status på en bestemt dag.",
    ),
    ("bold", "Lister"),
    (
        "wrap",
        "Listerne over virksomhedstyper (Danmarks Statistiks DB07 21-gruppering), jobfunktioner og resultater kan "
        "udvides nedad på fanen Lister. Diagrammerne viser nye brancher efter næste genberegning (xltools recalc).",
    ),
    ("bold", "Persondata"),
    (
        "wrap",
        "Kontaktperson, telefon og e-mail er persondata. De findes kun i denne fil. Aftal en slettefrist i teamet, "
        "og slet eller anonymisér gamle rækker efter den.",
    ),
    ("bold", "Opmærksomhedspunkter"),
    (
        "wrap",
        "Redskabet kræver disciplin i registreringen og ledelsesmæssigt fokus. Aftal en fast arbejdsgang for "
        "indtastning og opfølgning, og hvem der har ansvaret for at åbne stillinger bliver besat. "
        "Overblikket er kommunalt "
        "og et supplement til den øvrige beskæftigelsesindsats.",
    ),
)
