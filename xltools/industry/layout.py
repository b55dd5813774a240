"""Where everything sits in the Brancheredskab workbook, and the expressions of its computed cells.

Shared by the builder and the recalculation: the table's computed columns (one expression each,
written with structured references so Excel fills new rows by itself) and the Statistik blocks.
"""

from __future__ import annotations

from functools import cache

from xltools.core.arrays import AllOf, KeyedSum, SortedBy, Spill, TableRows, UniqueWhere
from xltools.core.expr import Cell, Const, Expr, Placed, Ref
from xltools.core.logic import CountIfs, Criterion, If, IsBlank, SumProduct, WeekLabel, call, compare
from xltools.industry import calculations as calc
from xltools.industry.lists import INGEN_AABNING
from xltools.industry.rows import COLUMNS, FIRST_ROW
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.layout import Block, Spilling
from xltools.workbook.refs import cell_name

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
HEADER_ROW = FIRST_ROW - 1  # zero-based: the table's header row; data starts below it
AS_OF_NAME = "Opgoerelsesdato"
STATS_LABELS_NAME = "StatBrancher"
IDENTIFYING_NAMES = (AS_OF_NAME, "ListeBrancher", "ListeResultater")
"""Defined names only a Brancheredskab carries (found even if a program dropped its properties)."""
AS_OF_CELL = (1, 1)  # Overblik!B2
OPEN_COUNT_CELL = (2, 1)  # Overblik!B3
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
WEEKS = 12

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
        "uge": If(IsBlank(dato), Const(""), WeekLabel(dato, year=True)),  # Excel's YEAR of a blank Dato's week is #NUM!
    }


MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def _list(name: str) -> Ref:
    return Ref(LIST_NAMES[name])


BRANCHES, JOB_FUNCTIONS, RESULTS = (_list(name) for name in LIST_COLUMNS)


def _per_list(keys: Expr, column: str, values: str | None, *conditions: Expr) -> KeyedSum:
    return KeyedSum(keys, whole(column), None if values is None else whole(values), conditions)


def _is(key: str, op: str, value: Expr | str | float) -> Expr:
    return compare(op, whole(key), value)


OPENING = _is("resultat", "<>", INGEN_AABNING)
NO_OPENING = _is("resultat", "=", INGEN_AABNING)
BY_AS_OF = _is("dato", "<=", AS_OF)
DAY = call("INT", AS_OF)
"""The reporting day (a typed reporting date may carry a time of day)."""


def week_start(weeks_back: int) -> Expr:
    """Monday of the week ``weeks_back`` weeks before the reporting date's week."""
    monday = DAY - call("WEEKDAY", DAY, 2)
    offset = 1 - 7 * weeks_back
    return monday + offset if offset >= 0 else monday - -offset


def _month_start(month: int) -> Expr:
    year = call("YEAR", AS_OF)
    return call("DATE", year + 1, 1, 1) if month == 13 else call("DATE", year, month, 1)


STATS_FIRST_ROW = 4
STATS_HEADER_ROW = STATS_FIRST_ROW - 1
WEEK_COLUMN = 5  # F: the first of the 12 weeks
CHART_COLUMN = 18  # S: the industries sorted for the charts
STATUS_COLUMN = 23  # X
MONTH_COLUMN = 26  # AA
JOB_COLUMN = 31  # AF
RESULT_COLUMN = 36  # AK
COMPANY_COLUMN = 41  # AP


class ColumnSum(SumProduct):
    """A SUMPRODUCT over table columns, entered as an array formula: gnumeric would otherwise read a
    one-row table's column as a single value."""

    array_formula = True

    def _render(self, placed: Placed) -> str:
        parts = [f"--({self._child(condition, placed)})" for condition in self.conditions]
        if self.values is not None:
            parts.append(f"--({self._child(self.values, placed)})")  # a blank cell is 0, as Python counts it
        return "SUMPRODUCT(" + ",".join(parts) + ")"


def open_count() -> Expr:
    """How many rows have open places (the length of the Overblik list)."""
    return ColumnSum((_is("status", "<>", ""),))


@cache
def spillings() -> tuple[Spilling, ...]:
    """Every dynamic array of the workbook: the Overblik list and the Statistik figures per list entry."""
    branch_rows = f"ROWS({LIST_NAMES['Virksomhedstype']})"
    open_places = _per_list(BRANCHES, "virksomhedstype", "aabne")
    without = _per_list(BRANCHES, "virksomhedstype", None, NO_OPENING, BY_AS_OF)
    weekly = [
        _per_list(
            BRANCHES,
            "virksomhedstype",
            "pladser",
            OPENING,
            _is("dato", ">=", week_start(WEEKS - 1 - w)),
            _is("dato", "<", week_start(WEEKS - 2 - w)),
        )
        for w in range(WEEKS)
    ]
    no_opening_companies = AllOf((NO_OPENING, BY_AS_OF, _is("virksomhed", "<>", "")))
    companies = UniqueWhere(whole("virksomhed"), no_opening_companies)
    company_counts = _per_list(companies, "virksomhed", None, no_opening_companies)

    def stat(
        name: str, col: int, expr: Expr, formats: tuple[str, ...] = ("#,##0",), rows: str | None = None
    ) -> Spilling:
        return Spilling(name, STATS, (STATS_FIRST_ROW, col), expr, formats, rows)

    overview = TableRows(
        TABLE,
        tuple(table_col(key) + 1 for key, _ in OVERVIEW_COLUMNS),
        tuple(whole(key) for key, _ in OVERVIEW_COLUMNS),
        _is("status", "<>", ""),
        whole("dato"),
    )
    return (
        Spilling(
            "OverblikListe",
            OVERVIEW,
            (OVERVIEW_HEADER_ROW + 1, 0),
            overview,
            ("dd-mm-yyyy", "@", "@", "@", "@", "#,##0", "#,##0", "@", "@"),
        ),
        stat(STATS_LABELS_NAME, 0, Spill(BRANCHES), ("@",), branch_rows),
        stat("StatAabne", 1, open_places, rows=branch_rows),
        stat("StatPladser", 2, _per_list(BRANCHES, "virksomhedstype", "pladser", OPENING, BY_AS_OF)),
        stat("StatBesatte", 3, _per_list(BRANCHES, "virksomhedstype", "besatte", OPENING, BY_AS_OF)),
        stat("StatUdenAabning", 4, without, rows=branch_rows),
        *(stat(f"StatUge{w + 1}", WEEK_COLUMN + w, weekly[w], rows=branch_rows) for w in range(WEEKS)),
        stat("DiagramAabneBrancher", CHART_COLUMN, SortedBy(BRANCHES, open_places), ("@",), branch_rows),
        stat("DiagramAabne", CHART_COLUMN + 1, SortedBy(open_places, open_places), rows=branch_rows),
        stat("DiagramUdenBrancher", CHART_COLUMN + 2, SortedBy(BRANCHES, without), ("@",), branch_rows),
        stat("DiagramUden", CHART_COLUMN + 3, SortedBy(without, without), rows=branch_rows),
        stat("StatJobfunktioner", JOB_COLUMN, Spill(JOB_FUNCTIONS), ("@",)),
        stat("StatJobPladser", JOB_COLUMN + 1, _per_list(JOB_FUNCTIONS, "jobfunktion", "pladser", OPENING, BY_AS_OF)),
        stat("StatJobBesatte", JOB_COLUMN + 2, _per_list(JOB_FUNCTIONS, "jobfunktion", "besatte", OPENING, BY_AS_OF)),
        stat("StatJobAabne", JOB_COLUMN + 3, _per_list(JOB_FUNCTIONS, "jobfunktion", "aabne")),
        stat("StatResultater", RESULT_COLUMN, Spill(RESULTS), ("@",)),
        stat("StatResultatKontakter", RESULT_COLUMN + 1, _per_list(RESULTS, "resultat", None, BY_AS_OF)),
        stat("StatResultatPladser", RESULT_COLUMN + 2, _per_list(RESULTS, "resultat", "pladser", BY_AS_OF)),
        stat("StatResultatBesatte", RESULT_COLUMN + 3, _per_list(RESULTS, "resultat", "besatte", BY_AS_OF)),
        stat("StatVirksomheder", COMPANY_COLUMN, SortedBy(companies, company_counts), ("@",)),
        stat("StatVirksomhedKontakter", COMPANY_COLUMN + 1, SortedBy(company_counts, company_counts)),
    )


@cache
def stats_blocks() -> tuple[Block, ...]:
    """The Statistik cells of a fixed size: the week labels, the status counts, the months of the year."""
    weeks = tuple(WeekLabel(week_start(WEEKS - 1 - w)) for w in range(WEEKS))
    status_counts = tuple(
        (CountIfs((Criterion(whole("status"), Cell(cell_name(STATS_FIRST_ROW + i, STATUS_COLUMN), status)),)),)
        for i, status in enumerate(calc.STATUSES)
    )
    months = []
    for month in range(1, 13):
        in_month = (
            _is("dato", ">=", _month_start(month)),
            _is("dato", "<", _month_start(month + 1)),
            BY_AS_OF,
        )
        months.append(
            (
                ColumnSum((OPENING, *in_month), whole("pladser")),
                ColumnSum((OPENING, *in_month), whole("besatte")),
                ColumnSum(in_month),
            )
        )
    return (
        Block("StatUger", STATS, (STATS_HEADER_ROW, WEEK_COLUMN), (weeks,), ("@",)),
        Block("StatStatus", STATS, (STATS_FIRST_ROW, STATUS_COLUMN + 1), status_counts, ("#,##0",)),
        Block("StatMaaneder", STATS, (STATS_FIRST_ROW, MONTH_COLUMN + 1), tuple(months), ("#,##0",)),
    )
