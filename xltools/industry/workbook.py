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

from xltools.core.logic import serial
from xltools.industry import calculations as calc
from xltools.industry import lists as defaults
from xltools.industry.layout import (
    AS_OF_CELL,
    AS_OF_NAME,
    CHART_COLUMN,
    CHARTS,
    COMPANY_COLUMN,
    COMPUTED,
    ENTRY,
    GUIDE,
    HEADER_ROW,
    JOB_COLUMN,
    LIST_COLUMNS,
    LIST_NAMES,
    LISTS,
    MONTH_COLUMN,
    MONTHS,
    OPEN_COUNT_CELL,
    OVERVIEW,
    OVERVIEW_COLUMNS,
    OVERVIEW_HEADER_ROW,
    RESULT_COLUMN,
    STATS,
    STATS_FIRST_ROW,
    STATS_HEADER_ROW,
    STATUS_COLUMN,
    TABLE,
    TOOL,
    VERSION,
    WEEK_COLUMN,
    WEEKS,
    open_count,
    row_exprs,
    spillings,
    stats_blocks,
    table_col,
)
from xltools.industry.rows import COLUMNS, ENTRY_GROUPS, RULES
from xltools.industry.summary import summarise
from xltools.workbook.build import house_formats, new_workbook, write_blocks, write_guide, write_spillings
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
    typed_as_of: float | None = None,
) -> None:
    """Write the workbook with ``rows`` (validated Kontakter rows), ``lists`` and cached values as of
    ``as_of`` — or of ``typed_as_of``, a reporting date typed into the workbook (a serial)."""
    rows = rows if rows is not None else pd.DataFrame(columns=[column.key for column in COLUMNS])
    summary = summarise(rows, typed_as_of if typed_as_of is not None else as_of)
    workbook = new_workbook(path, TOOL, VERSION, "Brancheredskab", as_of)
    f = _formats(workbook)
    entry = workbook.add_worksheet(ENTRY)
    charts = workbook.add_worksheet(CHARTS)
    overview = workbook.add_worksheet(OVERVIEW)
    stats = workbook.add_worksheet(STATS)
    lister = workbook.add_worksheet(LISTS)
    guide = workbook.add_worksheet(GUIDE)

    _lists(workbook, lister, lists, f)
    _entry(workbook, entry, rows, summary.computed, f)
    env = summary.env(lists)
    sheets = {STATS: stats, OVERVIEW: overview}
    grid = {"border": 1, "border_color": "#BFBFBF"}
    results = write_spillings(workbook, sheets, spillings(), env, grid)
    write_blocks(workbook, {STATS: stats}, stats_blocks(), env, base_format=grid)
    _overview(workbook, overview, env, typed_as_of is not None, f)
    _stats_sheet(stats, f)
    _charts(workbook, charts, results, stats_blocks()[0].values(env)[0])
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
        "as_text": add({"num_format": "@"}),
        "computed": add({"bg_color": "#F2F2F2"}),
        "computed_date": add({"bg_color": "#F2F2F2", "num_format": "dd-mm-yyyy"}),
        "input_date": add({"num_format": "dd-mm-yyyy", "bg_color": "#FFF2CC", "border": 1, "locked": False}),
        calc.GUL: add({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        calc.ROED: add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        calc.GROEN: add({"bg_color": "#C6EFCE", "font_color": "#006100"}),
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
    workbook: xlsxwriter.Workbook,
    sheet: Worksheet,
    rows: pd.DataFrame,
    computed: Mapping[str, np.ndarray],
    f: dict[str, Format],
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
        column_format = {"date": f["date"], "cvr": f["as_text"], "phone": f["as_text"]}.get(column.kind)
        sheet.set_column(table_col(column.key), table_col(column.key), column.width, column_format)
    sheet.set_column(table_col("alder"), table_col("uge"), COMPUTED_WIDTH)
    for offset, (_, row) in enumerate(rows.iterrows()):
        _write_row(sheet, HEADER_ROW + 1 + offset, row, f)
    for key, _ in COMPUTED:
        col = table_col(key)
        formula = "=" + row_exprs()[key].render()
        cell_format = f["computed"]
        for offset in range(count):
            value = computed[key][offset] if offset < len(rows) else ("" if key != "aabne" else 0)
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
            text_format = f["as_text"] if column.kind in ("cvr", "phone") else f["text"]
            sheet.write_string(row, col, str(value), text_format)  # never a formula


def _entry_rules(workbook: xlsxwriter.Workbook, sheet: Worksheet, f: dict[str, Format]) -> None:
    """Data validation from the same rules the Python validation judges by, and the yellow/red colours."""
    first, last = HEADER_ROW + 1, HEADER_ROW + ENTRY_ROWS_WITH_RULES
    top = first + 1  # Excel row number of the first data row
    for column in COLUMNS:
        col = table_col(column.key)
        options: dict[str, Any]
        if column.kind == "list":
            options = {"validate": "list", "source": "=" + LIST_NAMES[column.list_name or ""]}
        else:
            rule = RULES[column.key]
            options = {"validate": "custom", "value": rule.formula(cell_name(first, col))}
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
    workbook: xlsxwriter.Workbook, sheet: Worksheet, env: Mapping[str, Any], typed: bool, f: dict[str, Format]
) -> None:
    """The Overblik: the reporting date (=TODAY() unless a date was typed), the count, and the list."""
    sheet.write_string(0, 0, "Overblik – åbne pladser, ældste først", f["title"])
    sheet.write_string(AS_OF_CELL[0], AS_OF_CELL[1] - 1, "Opgørelsesdato", f["bold"])
    as_of = env[AS_OF_NAME]
    if typed:
        sheet.write_number(*AS_OF_CELL, as_of, f["input_date"])
    else:
        sheet.write_formula(*AS_OF_CELL, "=TODAY()", f["input_date"], as_of)
    workbook.define_name(AS_OF_NAME, f"={OVERVIEW}!{cell_name(*AS_OF_CELL, absolute=True)}")
    sheet.write_string(
        AS_OF_CELL[0], AS_OF_CELL[1] + 1, "Standard: =I DAG(). Skriv en dato for en fast opgørelse.", f["note"]
    )
    sheet.write_string(OPEN_COUNT_CELL[0], OPEN_COUNT_CELL[1] - 1, "Åbne rækker", f["bold"])
    count = open_count()
    sheet.write_array_formula(*OPEN_COUNT_CELL, *OPEN_COUNT_CELL, "=" + count.render(), f["count"], count.evaluate(env))
    sheet.write_string(
        OPEN_COUNT_CELL[0],
        OPEN_COUNT_CELL[1] + 1,
        "Listen følger Registrering af sig selv (Excel 2021/365); xltools behøves ikke.",
        f["note"],
    )
    for col, (_, header) in enumerate(OVERVIEW_COLUMNS):
        sheet.write_string(OVERVIEW_HEADER_ROW, col, header, f["header"])
    sheet.set_row(OVERVIEW_HEADER_ROW, 30)
    widths = (15, 26, 30, 20, 16, 9, 9, 8, 14)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
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
    sheet.write_string(0, 0, "Statistik (opgjort pr. opgørelsesdatoen på fanen Overblik)", f["title"])
    sheet.write_string(
        1,
        0,
        "Tallene følger Registrering og Lister af sig selv (Excel 2021/365): nye rækker, brancher, jobfunktioner "
        "og resultater tælles med uden xltools. Besatte pladser tæller med her, selv om de er væk fra overblikket.",
        f["note"],
    )
    sections = (
        (0, "Pr. branche"),
        (WEEK_COLUMN, f"Pladser registreret pr. uge, de seneste {WEEKS} uger"),
        (CHART_COLUMN, "Til diagrammerne (sorteret, flest øverst)"),
        (STATUS_COLUMN, "Åbne rækker efter status"),
        (MONTH_COLUMN, "Pr. måned i opgørelsesåret (efter kontaktens dato)"),
        (JOB_COLUMN, "Pr. jobfunktion"),
        (RESULT_COLUMN, "Ordinære job, praktik og løntilskud (pr. resultat)"),
        (COMPANY_COLUMN, "Virksomheder kontaktet uden åbning"),
    )
    for col, title in sections:
        sheet.write_string(STATS_HEADER_ROW - 1, col, title, f["bold"])
    headers = {
        0: "Virksomhedstype",
        1: "Åbne pladser",
        2: "Pladser i alt (også besatte)",
        3: "Besatte pladser",
        4: "Kontakter uden åbning",
        CHART_COLUMN: "Virksomhedstype",
        CHART_COLUMN + 1: "Åbne pladser",
        CHART_COLUMN + 2: "Virksomhedstype",
        CHART_COLUMN + 3: "Kontakter uden åbning",
        STATUS_COLUMN: "Status",
        STATUS_COLUMN + 1: "Åbne rækker",
        MONTH_COLUMN: "Måned",
        MONTH_COLUMN + 1: "Pladser i alt",
        MONTH_COLUMN + 2: "Besatte pladser",
        MONTH_COLUMN + 3: "Kontakter",
        JOB_COLUMN: "Jobfunktion",
        JOB_COLUMN + 1: "Pladser i alt",
        JOB_COLUMN + 2: "Besatte pladser",
        JOB_COLUMN + 3: "Åbne pladser",
        RESULT_COLUMN: "Resultat af kontakt",
        RESULT_COLUMN + 1: "Kontakter",
        RESULT_COLUMN + 2: "Pladser i alt",
        RESULT_COLUMN + 3: "Besatte pladser",
        COMPANY_COLUMN: "Virksomhedens navn",
        COMPANY_COLUMN + 1: "Kontakter uden åbning",
    }
    for col, header in headers.items():
        sheet.write_string(STATS_HEADER_ROW, col, header, f["header"])
    for i, status in enumerate(calc.STATUSES):
        sheet.write_string(STATS_FIRST_ROW + i, STATUS_COLUMN, status, f[status])
    for i, month in enumerate(MONTHS):
        sheet.write_string(STATS_FIRST_ROW + i, MONTH_COLUMN, month, f["text"])
    widths = [0.0] * (COMPANY_COLUMN + 2)
    for col in range(len(widths)):
        widths[col] = 10.0
    for col in (0, CHART_COLUMN, CHART_COLUMN + 2, JOB_COLUMN, RESULT_COLUMN, COMPANY_COLUMN):
        widths[col] = 34.0
    for col in (1, 2, 3, 4, CHART_COLUMN + 1, CHART_COLUMN + 3, STATUS_COLUMN + 1, COMPANY_COLUMN + 1):
        widths[col] = 12.0
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(STATS_HEADER_ROW, 45)
    sheet.freeze_panes(STATS_FIRST_ROW, 1)
    sheet.protect("", {"select_locked_cells": True})
    area = PrintArea((0, 0), (LAST_ROW, len(widths) - 1), tuple(widths))
    print_on_a4(sheet, area, repeat_rows=(0, STATS_HEADER_ROW))  # sections side by side: no column repeats


def _charts(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, results: Mapping[str, list[list[Any]]], weeks: Sequence[Any]
) -> None:
    """Bar charts over defined names that follow the lists' lengths: a team's new industry shows up,
    and no blank category is drawn."""

    def points(name: str) -> list[Any]:
        return [row[0] for row in results[name]]

    def series(categories: str, values: str, **more: Any) -> dict[str, Any]:
        return {
            "categories": f"=[0]!{categories}",
            "categories_data": points(categories),
            "values": f"=[0]!{values}",
            "values_data": points(values),
            **more,
        }

    for title, labels, values, axis, top in (
        ("Åbne pladser fordelt på brancher (flest øverst)", "DiagramAabneBrancher", "DiagramAabne", "Åbne pladser", 0),
        (
            "Kontakter uden åbning fordelt på brancher",
            "DiagramUdenBrancher",
            "DiagramUden",
            "Kontakter uden åbning",
            24,
        ),
    ):
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series(series(labels, values, name=title, gap=60))
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True, "name": "Branche"})
        chart.set_x_axis({"name": axis, "num_format": "#,##0"})
        chart.set_size({"width": 760, "height": 460})
        sheet.insert_chart(top, 0, chart)
    weekly = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for w in range(WEEKS):
        name = [STATS, STATS_HEADER_ROW, WEEK_COLUMN + w]
        weekly.add_series(series("StatBrancher", f"StatUge{w + 1}", name=name, name_data=weeks[w]))
    weekly.set_title({"name": f"Pladser pr. branche, de seneste {WEEKS} uger"})
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
        f"En åben plads bliver {calc.GUL} efter 1 uge ({calc.GUL_DAGE} dage) og {calc.ROED} efter 2 uger"
        f" ({calc.ROED_DAGE} dage). Besatte og lukkede pladser "
        "forsvinder fra overblikket, men indgår stadig i statistikken.",
    ),
    ("bold", "Faneblad 2: Diagrammer"),
    (
        "wrap",
        "Åbne pladser fordelt på brancher (flest øverst), kontakter uden åbning pr. branche og pladser pr. branche "
        "de seneste 12 uger. Diagrammerne følger listen over brancher: en ny branche kommer med af sig selv.",
    ),
    ("bold", "Overblik og Statistik"),
    (
        "wrap",
        "Overblikket viser de åbne pladser, ældste først, og opdaterer sig selv, når der registreres. Statistikken "
        "tæller alle brancher, jobfunktioner og resultater på fanen Lister – også besatte pladser, pr. måned i "
        "opgørelsesåret, pr. jobfunktion, pr. resultat (ordinære job, praktik og løntilskud) – og viser de "
        "virksomheder, der er kontaktet uden en åbning.",
    ),
    ("bold", "Excel-version"),
    (
        "wrap",
        "Alt regnes af Excel selv, uden Python. Overblikket og tallene på fanen Statistik er dynamiske matrixformler "
        "(Excel 2021 eller Microsoft 365). I en ældre Excel åbner filen, registrering, farver og de beregnede "
        "kolonner virker, men Overblik, Statistik og diagrammerne kan ikke regne dér (de viser det, der sidst blev "
        "beregnet, eller #NAVN?).",
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
        "udvides nedad på fanen Lister. Statistik og diagrammer tager nye værdier med af sig selv.",
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
