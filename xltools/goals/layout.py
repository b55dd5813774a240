"""Where everything sits in the Målstyring workbook, and the expressions of its computed cells.

Opsætning holds the team's setup; one sheet per ISO week holds the registrations (Real/Mål per
indicator and employee) with I alt by formula; a hidden Data sheet refers to every week's totals
directly (LibreOffice 7.4 cannot read 3-D references over sheet names with spaces); the Forside sums
the elapsed weeks with SUMIFS and compares with the plan's pace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from xltools.core.expr import Const, Expr, Ref
from xltools.core.logic import CountIfs, Criterion, If, IsBlank, Or, SumIfs, call, compare
from xltools.goals import calculations as calc
from xltools.goals.setup import MAX_EMPLOYEES, Indicator, Setup
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.layout import Block
from xltools.workbook.refs import cell_name, column_letters, quote_sheet

TOOL = "maalstyring"
VERSION = str(TEMPLATE_VERSIONS[TOOL])
FRONT, SETUP, DATA, ARCHIVE, GUIDE = "Forside", "Opsætning", "Data", "Arkiv", "Vejledning"
ARCHIVE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("uge", "Uge"),
    ("sektion", "Sektion"),
    ("indikator", "Indikator"),
    ("enhed", "Enhed"),
    ("medarbejder", "Medarbejder"),
    ("real", "Real"),
    ("maal", "Mål"),
    ("indikator_id", "Indikator-id"),
    ("medarbejder_id", "Medarbejder-id"),
    ("fjernet", "Indikator fjernet"),
)
"""Registrations of removed employees or indicators, kept by ``xltools rebuild``: the work was done."""
ARCHIVE_KEYS = tuple(key for key, _ in ARCHIVE_COLUMNS)
AS_OF_NAME, YEAR_NAME, BAGUD_NAME, FORAN_NAME = "Opgoerelsesdato", "Aar", "Bagud", "Foran"
WEEKS_NAME, WEIGHTS_NAME = "DataUger", "DataVaegte"

# Opsætning (zero-based rows and columns)
YEAR_CELL, BAGUD_CELL, FORAN_CELL = (2, 2), (3, 2), (4, 2)
EMPLOYEE_HEADER = 6
INDICATOR_HEADER = EMPLOYEE_HEADER + MAX_EMPLOYEES + 2
WEEK_NUMBER_COLUMN, WEIGHT_COLUMN = 7, 8  # H: week, I: weight
# Week sheets: A id and B unit (hidden), C indicator, then Real/Mål per employee, then I alt
WEEK_IDS_ROW, WEEK_NAMES_ROW, WEEK_SUB_ROW, WEEK_FIRST_ROW = 3, 4, 5, 6
WEEK_FIRST_COL = 3
# Forside
FRONT_AS_OF = (2, 1)
FRONT_FIGURES_ROW = 3  # År, uger i året, uger gået, vægtede uger gået, vægtede uger i alt, andel af året
FRONT_TABLE_HEADER = 11
FRONT_COLUMNS = (
    "Sektion",
    "Indikator",
    "Enhed",
    "Real til dato",
    "Mål til dato (teamets)",
    "Opfyldelse af teamets mål",
    "Årsmål (beskæftigelsesplan)",
    "Tempo (planens mål til dato)",
    "Prognose for året",
    "Status mod planens tempo",
)


def week_sheet(week: int) -> str:
    return f"Uge {week}"


@dataclass(frozen=True)
class Layout:
    """Positions and expressions of one team's workbook; the setup decides the shape."""

    setup: Setup

    # -- positions ---------------------------------------------------------------------------

    @cached_property
    def indicator_rows(self) -> dict[str, int]:
        """Row of each indicator on a week sheet; each section starts with a header row."""
        rows, row = {}, WEEK_FIRST_ROW
        for _, indicators in self.setup.sections():
            row += 1
            for indicator in indicators:
                rows[indicator.id] = row
                row += 1
        return rows

    @property
    def section_rows(self) -> list[tuple[int, str]]:
        return [(self.indicator_rows[indicators[0].id] - 1, name) for name, indicators in self.setup.sections()]

    @property
    def last_week_row(self) -> int:
        return max(self.indicator_rows.values())

    def real_col(self, employee: int) -> int:
        return WEEK_FIRST_COL + 2 * employee

    @property
    def total_col(self) -> int:
        return WEEK_FIRST_COL + 2 * len(self.setup.employees)

    def setup_indicator_row(self, index: int) -> int:
        return INDICATOR_HEADER + 1 + index

    def setup_employee_row(self, index: int) -> int:
        return EMPLOYEE_HEADER + 1 + index

    def setup_weight_row(self, week: int) -> int:
        return EMPLOYEE_HEADER + week

    @cached_property
    def data_rows(self) -> dict[str, int]:
        """First Data row of each series: real, maal (per indicator), count, empreal, empmaal (per
        employee), then cumulative Real and pace for the charted indicators (two rows each)."""
        indicators, employees = len(self.setup.indicators), len(self.setup.employees)
        first = {"real": 2, "maal": 2 + indicators}
        first["count"] = first["maal"] + indicators
        first["empreal"] = first["count"] + employees
        first["empmaal"] = first["empreal"] + employees
        first["cumulative"] = first["empmaal"] + employees
        return first

    @cached_property
    def charted(self) -> list[int]:
        """The five indicators with the largest Årsmål (the first five when none has one), by index."""
        indexed = list(enumerate(self.setup.indicators))
        with_goal = sorted((i for i in indexed if i[1].aarsmaal), key=lambda item: -(item[1].aarsmaal or 0))
        return [index for index, _ in (with_goal or indexed)[:5]]

    @property
    def front_sections_row(self) -> int:
        return FRONT_TABLE_HEADER + len(self.setup.indicators) + 3

    @property
    def section_labels(self) -> list[str]:
        labels = [name for name, indicators in self.setup.sections() if any(i.unit == "antal" for i in indicators)]
        return [*labels, "Timer (tælles for sig)"]  # always: archived hours keep counting

    @property
    def front_employees_row(self) -> int:
        return self.front_sections_row + len(self.section_labels) + 3

    # -- references to inputs ------------------------------------------------------------------

    def registration(self, kind: str, week: int, indicator: str, employee: int) -> Ref:
        """A Real ("r") or Mål ("m") cell of a week sheet, by indicator and employee."""
        col = self.real_col(employee) + (kind == "m")
        return Ref(f"{kind}|{week}|{indicator}|{employee}", cell_name(self.indicator_rows[indicator], col))

    def week_column(self, week: int, col: int) -> Ref:
        """A week sheet's column over the indicator rows (section header rows are blank)."""
        letter = column_letters(col)
        first, last = WEEK_FIRST_ROW + 2, self.last_week_row + 1
        return Ref(f"col|{week}|{col}", f"{quote_sheet(week_sheet(week))}!${letter}${first}:${letter}${last}")

    def setup_cell(self, key: str, row: int, col: int) -> Ref:
        return Ref(key, f"{quote_sheet(SETUP)}!{cell_name(row, col, absolute=True)}")

    def aarsmaal(self, index: int) -> Ref:
        return self.setup_cell(f"aarsmaal|{index}", self.setup_indicator_row(index), 4)

    def archive(self, key: str) -> Ref:
        """A whole column of the Arkiv sheet (header included: SUMIFS criteria never match it)."""
        letter = column_letters(ARCHIVE_KEYS.index(key))
        return Ref(f"arkiv|{key}", f"{ARCHIVE}!${letter}:${letter}")

    def archived(self, key: str, upto: Criterion, *criteria: Criterion) -> Expr:
        """Real or Mål of the Arkiv rows matching ``criteria`` in the elapsed weeks."""
        weeks = Criterion(self.archive("uge"), upto.value, "<=")
        return SumIfs(self.archive(key), (*criteria, weeks))

    def weights_until(self, week: int) -> Ref:
        """The Data sheet's weights of weeks 1 … ``week``."""
        return Ref(f"weights_until|{week}", f"{DATA}!$B$2:${column_letters(week)}$2")

    def data_series(self, kind: str, index: int) -> Ref:
        row = self.data_rows[kind] + index
        return Ref(f"data|{kind}|{index}", f"{DATA}!$B${row + 1}:${column_letters(self.setup.weeks)}${row + 1}")

    # -- blocks --------------------------------------------------------------------------------

    def totals(self, week: int, indicator: str) -> tuple[Expr, Expr]:
        employees = range(len(self.setup.employees))
        return (
            call("SUM", *(self.registration("r", week, indicator, e) for e in employees)),
            call("SUM", *(self.registration("m", week, indicator, e) for e in employees)),
        )

    def week_block(self, week: int) -> Block:
        """A week's I alt columns (Real, Mål); the section header rows are holes."""
        by_row = {row: indicator for indicator, row in self.indicator_rows.items()}
        rows: list[tuple[Expr | None, ...]] = [
            self.totals(week, by_row[row]) if row in by_row else (None, None)
            for row in range(WEEK_FIRST_ROW + 1, self.last_week_row + 1)
        ]
        units = {indicator.id: indicator.unit for indicator in self.setup.indicators}
        hours = any(unit == "timer" for unit in units.values())
        return Block(
            f"IAlt{week}",
            week_sheet(week),
            (WEEK_FIRST_ROW + 1, self.total_col),
            tuple(rows),
            ("#,##0.#" if hours else "#,##0",),
        )

    @cached_property
    def data_blocks(self) -> list[Block]:
        weeks = range(1, self.setup.weeks + 1)
        weights = (tuple(self.setup_cell(f"weight|{w}", self.setup_weight_row(w), WEIGHT_COLUMN) for w in weeks),)
        real = tuple(tuple(self.totals(w, i.id)[0] for w in weeks) for i in self.setup.indicators)
        maal = tuple(tuple(self.totals(w, i.id)[1] for w in weeks) for i in self.setup.indicators)
        antal = Const("antal")
        count, emp_real, emp_maal = [], [], []
        for e in range(len(self.setup.employees)):
            col = self.real_col(e)
            count.append(tuple(call("COUNT", self.week_column(w, col)) for w in weeks))
            emp_real.append(
                tuple(SumIfs(self.week_column(w, col), (Criterion(self.week_column(w, 1), antal),)) for w in weeks)
            )
            emp_maal.append(
                tuple(SumIfs(self.week_column(w, col + 1), (Criterion(self.week_column(w, 1), antal),)) for w in weeks)
            )
        cumulative: list[tuple[Expr, ...]] = []
        total = call("SUM", Ref(WEIGHTS_NAME))
        for index in self.charted:
            running: list[Expr] = []
            for k in range(len(weeks)):
                running.append(real[index][k] if k == 0 else running[-1] + real[index][k])
            goal = self.aarsmaal(index)
            paced = tuple(
                If(
                    Or((IsBlank(goal), compare("=", total, 0))),
                    Const(""),
                    goal * call("SUM", self.weights_until(week)) / total,
                )
                for week in weeks
            )
            cumulative += [tuple(running), paced]
        return [
            Block(WEIGHTS_NAME, DATA, (1, 1), weights, ("0.0#",)),
            Block("DataKumuleret", DATA, (self.data_rows["cumulative"], 1), tuple(cumulative), ("#,##0.#",)),
            Block("DataReal", DATA, (self.data_rows["real"], 1), real, ("#,##0.#",)),
            Block("DataMaal", DATA, (self.data_rows["maal"], 1), maal, ("#,##0.#",)),
            Block("DataRegistreringer", DATA, (self.data_rows["count"], 1), tuple(count), ("0",)),
            Block("DataMedarbejderReal", DATA, (self.data_rows["empreal"], 1), tuple(emp_real), ("#,##0",)),
            Block("DataMedarbejderMaal", DATA, (self.data_rows["empmaal"], 1), tuple(emp_maal), ("#,##0",)),
        ]

    def figures(self) -> tuple[Expr, ...]:
        """År, uger i året, uger gået, vægtede uger gået, vægtede uger i alt, andel af året."""
        weeks = Const(float(self.setup.weeks))
        elapsed = calc.weeks_elapsed(Ref(AS_OF_NAME), Ref(YEAR_NAME), weeks)
        upto = (Criterion(Ref(WEEKS_NAME), elapsed, "<="),)
        weighted = SumIfs(Ref(WEIGHTS_NAME), upto)
        total = call("SUM", Ref(WEIGHTS_NAME))
        return (Ref(YEAR_NAME), weeks, elapsed, weighted, total, calc.share_of_year(weighted, total))

    @cached_property
    def front_blocks(self) -> list[Block]:
        figures = self.figures()
        elapsed, share = figures[2], figures[5]
        upto = (Criterion(Ref(WEEKS_NAME), elapsed, "<="),)
        rows = []
        for index, indicator in enumerate(self.setup.indicators):
            this = Criterion(self.archive("indikator_id"), Const(indicator.id))
            real = SumIfs(self.data_series("real", index), upto) + self.archived("real", upto[0], this)
            maal = SumIfs(self.data_series("maal", index), upto) + self.archived("maal", upto[0], this)
            goal_cell = self.aarsmaal(index)
            goal = If(IsBlank(goal_cell), Const(""), goal_cell)
            row = self.setup_indicator_row(index)
            rows.append(
                (
                    self.setup_cell(f"section|{index}", row, 1),
                    self.setup_cell(f"name|{index}", row, 2),
                    self.setup_cell(f"unit|{index}", row, 3),
                    real,
                    maal,
                    calc.attainment(real, maal),
                    goal,
                    calc.pace(goal, share),
                    calc.projection(real, share),
                    calc.goal_status(real, goal, share, Ref(BAGUD_NAME), Ref(FORAN_NAME)),
                )
            )
        return [
            Block(
                "Forloeb",
                FRONT,
                (FRONT_FIGURES_ROW, 1),
                tuple((f,) for f in figures),
                ("0", "0", "0", "0.##", "0.##", "0.0%"),
            ),
            Block(
                "Indikatorer",
                FRONT,
                (FRONT_TABLE_HEADER + 1, 0),
                tuple(rows),
                ("@", "@", "@", "#,##0.#", "#,##0.#", "0%", "#,##0.#", "#,##0.#", "#,##0.#", "@"),
            ),
            self._section_block(rows, upto[0]),
            self._employee_block(upto),
        ]

    def _section_block(self, rows: Sequence[tuple[Expr, ...]], upto: Criterion) -> Block:
        """Real and Mål to date per section, counts only, hours on a row of their own — with the
        archived registrations of removed indicators, which still count."""
        by_id = {indicator.id: rows[i] for i, indicator in enumerate(self.setup.indicators)}
        removed = Criterion(self.archive("fjernet"), Const("ja"))
        groups: list[tuple[list[Indicator], tuple[Criterion, ...]]] = []
        for name, indicators in self.setup.sections():
            counted = [i for i in indicators if i.unit == "antal"]
            if counted:
                section = Criterion(self.archive("sektion"), Const(name))
                groups.append((counted, (section, Criterion(self.archive("enhed"), Const("antal")), removed)))
        hours = [i for i in self.setup.indicators if i.unit == "timer"]
        groups.append((hours, (Criterion(self.archive("enhed"), Const("timer")), removed)))

        def total(group: list[Indicator], column: int, key: str, criteria: tuple[Criterion, ...]) -> Expr:
            archived = self.archived(key, upto, *criteria)
            return call("SUM", *(by_id[i.id][column] for i in group)) + archived if group else archived

        totals = tuple(
            tuple(total(group, column, key, criteria) for column, key in ((3, "real"), (4, "maal")))
            for group, criteria in groups
        )
        return Block("Sektioner", FRONT, (self.front_sections_row + 1, 1), totals, ("#,##0.#",))

    def _employee_block(self, upto: tuple[Criterion, ...]) -> Block:
        """Per employee: Real and Mål to date (counts), and elapsed weeks with no Real at all."""
        rows = []
        for e in range(len(self.setup.employees)):
            rows.append(
                (
                    self.setup_cell(f"employee|{e}", self.setup_employee_row(e), 1),
                    SumIfs(self.data_series("empreal", e), upto),
                    SumIfs(self.data_series("empmaal", e), upto),
                    CountIfs((Criterion(self.data_series("count", e), Const(0.0)), *upto)),
                )
            )
        return Block(
            "Medarbejdere", FRONT, (self.front_employees_row + 1, 0), tuple(rows), ("@", "#,##0", "#,##0", "0")
        )

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        weeks = [self.week_block(week) for week in range(1, self.setup.weeks + 1)]
        return (*weeks, *self.data_blocks, *self.front_blocks)
