"""The Målstyring's computed cells, block by block: week sheets, Data, Forside and Opsætning.

Every formula of the workbook is here as an expression; the builder writes them with cached values,
``recalc`` finds each block by its defined name and evaluates the same expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from xltools.core.expr import Const, Expr, Ref
from xltools.core.logic import CountIfs, Criterion, If, IsBlank, Or, SumIfs, SumProduct, call, compare
from xltools.core.strings import Concat, Hyperlink
from xltools.goals import calculations as calc
from xltools.goals import consistency, lookups
from xltools.goals.layout import (
    AS_OF_NAME,
    BAGUD_NAME,
    DATA,
    DATA_ROWS,
    EMPLOYEE_HEADER,
    EMPLOYEE_STATUS_COLUMN,
    FORAN_NAME,
    FRONT,
    FRONT_CURRENT_WEEK,
    FRONT_FIGURES_ROW,
    FRONT_INVALID,
    FRONT_LINKS_ROW,
    FRONT_WARNING,
    INDICATOR_HEADER,
    INDICATOR_STATUS_COLUMN,
    INVALID_NAME,
    LINKS_PER_ROW,
    PROGRESS_NAME,
    QUANTITY_FORMATS,
    SETUP,
    SETUP_WARNING,
    WEEK_FIRST_COL,
    WEEK_FIRST_ROW,
    WEEK_LABEL_COL,
    WEEK_NAMES_ROW,
    WEEK_WARNING_ROW,
    WEEKS_NAME,
    WEIGHTS_NAME,
    YEAR_NAME,
    YEAR_STATUS,
    Layout,
    week_label,
    week_sheet,
)
from xltools.goals.setup import Unit
from xltools.goals.validation import INVALID_NOTE, invalid_count
from xltools.workbook.layout import Block

SERIES = {
    "DataReal": "real",
    "DataMaal": "maal",
    "DataRegistreringer": "count",
    "DataMedarbejderReal": "empreal",
    "DataMedarbejderMaal": "empmaal",
}
"""Data blocks that other formulas read as ranges (the Forside sums them over the elapsed weeks)."""
MISSING_BLOCKS = {"medarbejder": "DataManglerMedarbejdere", "indikator": "DataManglerIndikatorer"}
TEXT = "General"
"""The format of formula cells that show text: never "@", under which Excel turns a formula that is
entered again (F2, Enter) into plain text."""
HEADER_STYLE = (("bold", True), ("align", "center"), ("bg_color", "#DDEBF7"))
SECTION_STYLE = (("bold", True), ("bg_color", "#F2F2F2"))
WARNING_STYLE = (("bold", True), ("font_color", "#9C0006"), ("text_wrap", True), ("valign", "vcenter"), ("border", 0))
LINK_STYLE = (("font_color", "#0563C1"), ("underline", 1))


@dataclass(frozen=True)
class Blocks:
    """All blocks of one layout, built once."""

    layout: Layout

    @cached_property
    def all(self) -> tuple[Block, ...]:
        weeks = [block for week in range(1, self.layout.setup.weeks + 1) for block in self.week(week)]
        return (*self.front, *self.setup, *weeks, *self.data)

    def named(self, name: str) -> Block:
        return next(block for block in self.all if block.name == name)

    @staticmethod
    @lru_cache(maxsize=4)
    def of(layout: Layout) -> Blocks:
        """The blocks of ``layout``, built once per process: a folder of one team's weekly copies, or
        the build and the check of one workbook, share their expressions."""
        return Blocks(layout)

    # -- week sheets ---------------------------------------------------------------------------

    @cached_property
    def _totals(self) -> dict[tuple[int, str], tuple[Expr, Expr]]:
        """The I alt (Real, Mål) of every week and indicator, built once: the week sheets show them and
        the Data sheet's series sum the same cells."""
        layout, setup = self.layout, self.layout.setup
        employees = range(len(setup.employees))
        return {
            (week, indicator.id): (
                call("SUM", *(layout.registration("r", week, indicator.id, e) for e in employees)),
                call("SUM", *(layout.registration("m", week, indicator.id, e) for e in employees)),
            )
            for week in range(1, setup.weeks + 1)
            for indicator in setup.indicators
        }

    def totals(self, week: int, indicator: str) -> tuple[Expr, Expr]:
        return self._totals[(week, indicator)]

    def week(self, week: int) -> list[Block]:
        """A week's live labels (names, sections, indicators, units), its I alt columns and its warning."""
        layout = self.layout
        by_row = {layout.indicator_rows[i.id]: i for i in layout.setup.indicators}
        headers = dict(layout.section_rows)
        rows = range(WEEK_FIRST_ROW, layout.last_week_row + 1)
        sections = tuple(
            (lookups.indicator_text("sektion", layout.week_id(week, headers[row])) if row in headers else None,)
            for row in rows
        )
        labels = tuple(
            (
                lookups.indicator_text("indikator", layout.week_id(week, by_row[row].id)),
                lookups.indicator_text("enhed", layout.week_id(week, by_row[row].id)),
            )
            if row in by_row
            else (None, None)
            for row in rows
        )
        names: list[Expr | None] = []
        for e in range(len(layout.setup.employees)):
            names += [lookups.employee_name(layout.week_employee_id(week, e)), None]
        totals = tuple(self.totals(week, by_row[row].id) if row in by_row else (None, None) for row in rows[1:])
        formats = tuple(
            (QUANTITY_FORMATS[by_row[row].unit],) * 2 if row in by_row else ("General",) * 2 for row in rows[1:]
        )
        invalid = invalid_count(layout, week)
        warning = If(
            compare("=", invalid, 0.0),
            Const(""),
            Concat(
                (Const("Ugyldige registreringer i ugen: "), invalid, Const(f" ({INVALID_NOTE}) – ret de røde celler."))
            ),
        )
        return [
            Block(
                f"Uge{week}Advarsel",
                week_sheet(week),
                (WEEK_WARNING_ROW, WEEK_LABEL_COL),
                ((warning,),),
                (TEXT,),
                style=WARNING_STYLE,
            ),
            Block(
                f"Uge{week}Navne",
                week_sheet(week),
                (WEEK_NAMES_ROW, WEEK_FIRST_COL),
                (tuple(names[:-1]),),
                (TEXT,),
                style=HEADER_STYLE,
            ),
            Block(
                f"Uge{week}Sektioner",
                week_sheet(week),
                (WEEK_FIRST_ROW, WEEK_LABEL_COL),
                sections,
                (TEXT,),
                style=SECTION_STYLE,
            ),
            Block(f"Uge{week}Etiketter", week_sheet(week), (WEEK_FIRST_ROW, WEEK_LABEL_COL), labels, (TEXT,)),
            Block(
                f"IAlt{week}", week_sheet(week), (WEEK_FIRST_ROW + 1, layout.total_col), totals, cell_formats=formats
            ),
        ]

    # -- Data ----------------------------------------------------------------------------------

    @cached_property
    def data(self) -> list[Block]:
        layout = self.layout
        setup = layout.setup
        weeks = range(1, setup.weeks + 1)
        quantity = [QUANTITY_FORMATS[i.unit] for i in setup.indicators]
        real = tuple(tuple(self.totals(w, i.id)[0] for w in weeks) for i in setup.indicators)
        maal = tuple(tuple(self.totals(w, i.id)[1] for w in weeks) for i in setup.indicators)
        antal = Const("antal")
        count, emp_real, emp_maal = [], [], []
        for e in range(len(setup.employees)):
            col = layout.real_col(e)
            count.append(tuple(call("COUNT", layout.week_column(w, col)) for w in weeks))
            emp_real.append(
                tuple(SumIfs(layout.week_column(w, col), (Criterion(layout.week_column(w, 1), antal),)) for w in weeks)
            )
            emp_maal.append(
                tuple(
                    SumIfs(layout.week_column(w, col + 1), (Criterion(layout.week_column(w, 1), antal),)) for w in weeks
                )
            )
        cumulative: list[tuple[Expr, ...]] = []
        cumulative_formats: list[tuple[str, ...]] = []
        total = call("SUM", Ref(WEIGHTS_NAME))
        for index in layout.charted:
            running: list[Expr] = []
            for k in range(len(weeks)):
                running.append(real[index][k] if k == 0 else running[-1] + real[index][k])
            goal = self.aarsmaal(index)
            paced = tuple(
                If(
                    Or((IsBlank(goal), compare("=", total, 0))),
                    Const(""),
                    goal * call("SUM", layout.weights_until(week)) / total,
                )
                for week in weeks
            )
            cumulative += [tuple(running), paced]
            cumulative_formats += [(quantity[index],) * len(weeks)] * 2
        by_week = tuple((f,) * len(weeks) for f in quantity)
        missing = {
            key: (tuple(consistency.missing(layout, key, k) for k in range(count_)),)
            for key, count_ in (("medarbejder", len(setup.employees)), ("indikator", len(setup.indicators)))
        }
        rows = layout.series_rows
        return [
            Block(WEIGHTS_NAME, DATA, (DATA_ROWS["vaegt"], 1), (tuple(layout.weight(w) for w in weeks),), ("0.0",)),
            Block(
                INVALID_NAME,
                DATA,
                (DATA_ROWS["ugyldige"], 1),
                (tuple(invalid_count(layout, w) for w in weeks),),
                ("0",),
            ),
            Block(
                MISSING_BLOCKS["medarbejder"],
                DATA,
                (DATA_ROWS["medarbejder_mangler"], 1),
                missing["medarbejder"],
                ("0",),
            ),
            Block(MISSING_BLOCKS["indikator"], DATA, (DATA_ROWS["indikator_mangler"], 1), missing["indikator"], ("0",)),
            Block("DataForskelle", DATA, (DATA_ROWS["forskelle"], 1), ((self.differences,),), ("0",)),
            Block("DataReal", DATA, (rows["real"], 1), real, cell_formats=by_week),
            Block("DataMaal", DATA, (rows["maal"], 1), maal, cell_formats=by_week),
            Block("DataRegistreringer", DATA, (rows["count"], 1), tuple(count), ("0",)),
            Block("DataMedarbejderReal", DATA, (rows["empreal"], 1), tuple(emp_real), ("#,##0",)),
            Block("DataMedarbejderMaal", DATA, (rows["empmaal"], 1), tuple(emp_maal), ("#,##0",)),
            Block(
                "DataKumuleret",
                DATA,
                (rows["cumulative"], 1),
                tuple(cumulative),
                cell_formats=tuple(cumulative_formats),
                chained=True,
            ),
        ]

    @cached_property
    def differences(self) -> Expr:
        return consistency.differences(self.layout)

    # -- Forside -------------------------------------------------------------------------------

    @cached_property
    def figures(self) -> tuple[Expr, ...]:
        """År, uger i året, uger gået, aktuel uge, vægtede uger gået, vægtede uger i alt, andel af året."""
        weeks = Const(float(self.layout.setup.weeks))
        elapsed = calc.weeks_elapsed(Ref(AS_OF_NAME), Ref(YEAR_NAME), weeks)
        current = calc.current_week(Ref(AS_OF_NAME), Ref(YEAR_NAME), weeks)
        weighted = SumIfs(Ref(WEIGHTS_NAME), (Criterion(Ref(WEEKS_NAME), elapsed, "<="),))
        total = call("SUM", Ref(WEIGHTS_NAME))
        return (Ref(YEAR_NAME), weeks, elapsed, current, weighted, total, calc.share_of_year(weighted, total))

    def aarsmaal(self, index: int) -> Expr:
        return lookups.aarsmaal(self.layout.built("indikator_id", index))

    def archived(self, key: str, ident: str) -> Expr:
        """Real or Mål of the Arkiv rows of one indicator (an id: ours) in the elapsed weeks."""
        elapsed = self.figures[2]
        criteria = (
            Criterion(self.layout.archive("indikator_id"), Const(ident)),
            Criterion(self.layout.archive("uge"), elapsed, "<="),
        )
        return SumIfs(self.layout.archive(key), criteria)

    @cached_property
    def indicator_rows(self) -> tuple[tuple[Expr, ...], ...]:
        """The Forside's indicator table: labels looked up by the built ids, figures to date, status."""
        layout = self.layout
        elapsed, share = self.figures[2], self.figures[6]
        upto = (Criterion(Ref(WEEKS_NAME), elapsed, "<="),)
        rows = []
        for index, indicator in enumerate(layout.setup.indicators):
            ident = layout.built("indikator_id", index)
            real = SumIfs(layout.data_series("real", index), upto) + self.archived("real", indicator.id)
            maal = SumIfs(layout.data_series("maal", index), upto) + self.archived("maal", indicator.id)
            goal = self.aarsmaal(index)
            rows.append(
                (
                    lookups.indicator_text("sektion", ident),
                    lookups.indicator_text("indikator", ident),
                    lookups.indicator_text("enhed", ident),
                    real,
                    maal,
                    calc.attainment(real, maal),
                    goal,
                    calc.pace(goal, share),
                    calc.projection(real, share),
                    calc.goal_status(real, goal, share, Ref(BAGUD_NAME), Ref(FORAN_NAME)),
                )
            )
        return tuple(rows)

    @cached_property
    def front(self) -> list[Block]:
        layout = self.layout
        figures = self.figures
        current = figures[3]
        link = Hyperlink(Concat((Const("#'Uge "), current, Const("'!A1"))), Concat((Const("uge "), current)))
        units = [indicator.unit for indicator in layout.setup.indicators]
        indicator_formats = tuple(
            (TEXT, TEXT, TEXT, QUANTITY_FORMATS[u], QUANTITY_FORMATS[u], "0 %", *(QUANTITY_FORMATS[u],) * 3, TEXT)
            for u in units
        )
        return [
            Block(
                "Advarsel",
                FRONT,
                FRONT_WARNING,
                ((consistency.warning(self.differences),),),
                (TEXT,),
                style=WARNING_STYLE,
            ),
            Block(
                PROGRESS_NAME,
                FRONT,
                (FRONT_FIGURES_ROW, 1),
                tuple((f,) for f in figures),
                cell_formats=(("0",), ("0",), ("0",), ("0",), ("0.0",), ("0.0",), ("0 %",)),
            ),
            Block("Ugyldige", FRONT, FRONT_INVALID, ((call("SUM", Ref(INVALID_NAME)),),), ("0",)),
            Block("AktuelUge", FRONT, FRONT_CURRENT_WEEK, ((link,),), (TEXT,), style=LINK_STYLE),
            self._links(),
            Block(
                "Indikatorer",
                FRONT,
                (layout.front_table_header + 1, 0),
                self.indicator_rows,
                cell_formats=indicator_formats,
            ),
            self._sections(),
            self._employees(),
        ]

    def _links(self) -> Block:
        """A link to every week, ten to a row."""
        weeks = self.layout.setup.weeks
        rows = []
        for first in range(1, weeks + 1, LINKS_PER_ROW):
            row: list[Expr | None] = [
                Hyperlink(Const(f"#'{week_sheet(week)}'!A1"), Const(week_label(week)))
                for week in range(first, min(weeks, first + LINKS_PER_ROW - 1) + 1)
            ]
            rows.append(tuple(row + [None] * (LINKS_PER_ROW - len(row))))
        return Block("Ugelinks", FRONT, (FRONT_LINKS_ROW, 0), tuple(rows), (TEXT,), style=LINK_STYLE)

    def _sections(self) -> Block:
        """Real and Mål to date per section (counts only; hours on a row of their own), with the archived
        registrations of removed indicators, which still count — matched to the section's cell with ``=``."""
        layout = self.layout
        elapsed = self.figures[2]
        rows = self.indicator_rows
        archive = layout.archive_rows
        positions = {indicator.id: index for index, indicator in enumerate(layout.setup.indicators)}
        exprs, formats = [], []
        for first_id, members in layout.section_groups:
            unit: Unit = "antal" if first_id else "timer"
            label: Expr | None = None
            conditions = [
                compare("=", archive("enhed"), unit),
                compare("=", archive("fjernet"), "ja"),
                compare("<=", archive("uge"), elapsed),
            ]
            if first_id:
                label = lookups.indicator_text("sektion", layout.built("indikator_id", positions[first_id]))
                conditions.insert(0, compare("=", archive("sektion"), label))
            sums = []
            for column, key in ((3, "real"), (4, "maal")):
                archived = SumProduct(tuple(conditions), archive(key))
                sums.append(call("SUM", *(rows[i][column] for i in members)) + archived if members else archived)
            exprs.append((label, *sums))
            formats.append((TEXT, QUANTITY_FORMATS[unit], QUANTITY_FORMATS[unit]))
        return Block("Sektioner", FRONT, (layout.front_sections_row + 1, 0), tuple(exprs), cell_formats=tuple(formats))

    def _employees(self) -> Block:
        """Per employee: Real and Mål to date (counts), and elapsed weeks with no Real at all."""
        layout = self.layout
        upto = (Criterion(Ref(WEEKS_NAME), self.figures[2], "<="),)
        rows = []
        for e in range(len(layout.setup.employees)):
            rows.append(
                (
                    lookups.employee_name(layout.built("medarbejder_id", e)),
                    SumIfs(layout.data_series("empreal", e), upto),
                    SumIfs(layout.data_series("empmaal", e), upto),
                    CountIfs((Criterion(layout.data_series("count", e), Const(0.0)), *upto)),
                )
            )
        return Block(
            "Medarbejdere", FRONT, (layout.front_employees_row + 1, 0), tuple(rows), (TEXT, "#,##0", "#,##0", "0")
        )

    # -- Opsætning -----------------------------------------------------------------------------

    @cached_property
    def setup(self) -> list[Block]:
        layout = self.layout
        employees = tuple((status,) for status in consistency.statuses(layout, "medarbejder"))
        indicators = tuple((status,) for status in consistency.statuses(layout, "indikator"))
        return [
            Block(
                "OpsAdvarsel",
                SETUP,
                SETUP_WARNING,
                ((consistency.warning(self.differences),),),
                (TEXT,),
                style=WARNING_STYLE,
            ),
            Block(
                "OpsStatusAar", SETUP, YEAR_STATUS, ((consistency.year_status(layout),),), (TEXT,), style=WARNING_STYLE
            ),
            Block(
                "OpsStatusMedarbejdere",
                SETUP,
                (EMPLOYEE_HEADER + 1, EMPLOYEE_STATUS_COLUMN),
                employees,
                (TEXT,),
                style=WARNING_STYLE,
            ),
            Block(
                "OpsStatusIndikatorer",
                SETUP,
                (INDICATOR_HEADER + 1, INDICATOR_STATUS_COLUMN),
                indicators,
                (TEXT,),
                style=WARNING_STYLE,
            ),
        ]
