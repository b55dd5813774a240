"""Where everything sits in the Brancheredskab workbook, and the expressions of its computed cells.

Shared by the builder and the recalculation: the table's computed columns (one expression each,
written with structured references so Excel fills new rows by itself) and the Statistik blocks.
"""

from __future__ import annotations

from functools import cache

from xltools.core.expr import Cell, Const, Expr, Ref
from xltools.core.logic import CountIfs, Criterion, If, IsBlank, IsoWeek, SumIfs
from xltools.industry import calculations as calc
from xltools.industry.lists import INGEN_AABNING
from xltools.industry.rows import COLUMNS
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.layout import Block
from xltools.workbook.refs import cell_name, column_letters

TOOL = "brancheredskab"
VERSION = str(TEMPLATE_VERSIONS[TOOL])
TABLE = "Kontakter"
ENTRY, CHARTS, OVERVIEW, STATS, LISTS, GUIDE = (
    "Registrering",
    "Diagrammer",
    "Overblik",
    "Statistik",
    "Lister",
    "Vejledning",
)
HEADER_ROW = 1  # zero-based: the table's header row; data starts below it
AS_OF_NAME = "Opgoerelsesdato"
STATS_LABELS_NAME, STATS_FIGURES_NAME = "StatBrancher", "StatTal"
IDENTIFYING_NAMES = (AS_OF_NAME, STATS_LABELS_NAME, STATS_FIGURES_NAME)
"""Defined names only a Brancheredskab carries (found even if a program dropped its properties)."""
AS_OF_CELL = (1, 1)  # Overblik!B2
STAMP_CELL = (2, 0)  # Overblik!A3
OVERVIEW_HEADER_ROW = 4
OVERVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("dato", "Dato"),
    ("virksomhed", "Virksomhedens navn"),
    ("virksomhedstype", "Virksomhedstype"),
    ("jobfunktion", "Jobfunktion"),
    ("resultat", "Resultat af kontakt"),
    ("aabne", "Åbne pladser"),
    ("alder", "Alder (dage)"),
    ("status", "Status"),
    ("ansvarlig", "Ansvarlig"),
)
LIST_COLUMNS: tuple[str, ...] = ("Virksomhedstype", "Jobfunktion", "Resultat af kontakt")
LIST_NAMES = {
    "Virksomhedstype": "ListeBrancher",
    "Jobfunktion": "ListeJobfunktioner",
    "Resultat af kontakt": "ListeResultater",
}
SLOTS = 60  # industries the Statistik sheet has room for (the default list has 21)
STATS_HEADER_ROW = 2
STATS_FIRST_ROW = 3
WEEKS = 12
STATUS_COLUMN = 17  # Statistik!R: the status counts

COMPUTED: tuple[tuple[str, str], ...] = (
    ("alder", "Alder (dage)"),
    ("status", "Status"),
    ("aabne", "Åbne pladser"),
    ("uge", "Uge"),
)
"""The table's computed columns, after the entry columns."""

HEADERS: dict[str, str] = {**{column.key: column.header for column in COLUMNS}, **dict(COMPUTED)}
TABLE_KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS) + tuple(key for key, _ in COMPUTED)


def table_col(key: str) -> int:
    """Zero-based sheet column of a table column."""
    return TABLE_KEYS.index(key)


def this_row(key: str) -> Ref:
    """The cell of column ``key`` in the formula's own row of the table."""
    return Ref(key, f"{TABLE}[[#This Row],[{HEADERS[key]}]]")


def whole(key: str) -> Ref:
    """The whole column ``key`` of the table (grows with the table)."""
    return Ref(key, f"{TABLE}[{HEADERS[key]}]")


AS_OF = Ref(AS_OF_NAME)


@cache
def row_exprs() -> dict[str, Expr]:
    """The computed columns' expressions, over the row's own cells."""
    dato, pladser, besatte = this_row("dato"), this_row("pladser"), this_row("besatte")
    open_ = calc.is_open(dato, AS_OF, pladser, besatte, this_row("resultat"), this_row("lukket"))
    return {
        "alder": calc.age_days(dato, AS_OF),
        "status": calc.row_status(open_, dato, AS_OF),
        "aabne": calc.open_places(open_, pladser, besatte),
        "uge": If(IsBlank(dato), Const(""), IsoWeek(dato)),  # Excel's YEAR of a blank Dato's week is #NUM!
    }


def list_cell(column: int, index: int) -> Ref:
    """Entry ``index`` of a list on the Lister sheet (row 2 onwards)."""
    return Ref(f"liste{column}_{index}", f"{LISTS}!${column_letters(column)}${index + 2}")


@cache
def stats_blocks() -> tuple[Block, ...]:
    """The Statistik sheet: per industry slot, open places, contacts without opening and places per week."""
    labels: list[Expr] = []
    rows: list[list[Expr]] = []
    weeks = [IsoWeek(AS_OF - 7 * (WEEKS - 1 - w)) if w < WEEKS - 1 else IsoWeek(AS_OF) for w in range(WEEKS)]
    dated = Criterion(whole("dato"), AS_OF, "<=")
    for index in range(SLOTS):
        entry = list_cell(0, index)
        label = If(IsBlank(entry), Const(""), entry)
        labels.append(label)
        industry = Criterion(whole("virksomhedstype"), label)

        def unless_blank(expr: Expr, label: Expr = label) -> Expr:
            return If(IsBlank(label), Const(""), expr)

        without_opening = CountIfs((Criterion(whole("resultat"), Const(INGEN_AABNING)), industry, dated))
        offered = [
            SumIfs(
                whole("pladser"),
                (
                    industry,
                    Criterion(whole("uge"), week),
                    Criterion(whole("resultat"), Const(INGEN_AABNING), "<>"),
                    dated,
                ),
            )
            for week in weeks
        ]
        rows.append(
            [unless_blank(SumIfs(whole("aabne"), (industry,))), unless_blank(without_opening)]
            + [unless_blank(o) for o in offered]
        )
    status_counts = [
        [CountIfs((Criterion(whole("status"), Cell(cell_name(STATS_FIRST_ROW + i, STATUS_COLUMN), status)),))]
        for i, status in enumerate(calc.STATUSES)
    ]
    return (
        Block("StatUger", STATS, (STATS_HEADER_ROW, 3), (tuple(weeks),), ("@",)),
        Block(STATS_LABELS_NAME, STATS, (STATS_FIRST_ROW, 0), tuple((label,) for label in labels), ("@",)),
        Block(STATS_FIGURES_NAME, STATS, (STATS_FIRST_ROW, 1), tuple(tuple(row) for row in rows), ("#,##0",)),
        Block(
            "StatStatus",
            STATS,
            (STATS_FIRST_ROW, STATUS_COLUMN + 1),
            tuple(tuple(r) for r in status_counts),
            ("#,##0",),
        ),
    )
