"""Where everything sits in the Målstyring workbook, and the references formulas use to reach it.

Opsætning holds the team's setup (its positions are those of template version 1); one sheet per ISO
week holds the registrations with hidden ids and units; a hidden Data sheet holds the structure the
week sheets were built with and each week's totals (LibreOffice 7.4 cannot read 3-D references over
sheet names with spaces); the Forside sums the elapsed weeks; Grafer shows them. The expressions of
the computed cells are in ``blocks`` and the modules it draws on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from xltools.core.expr import Ref
from xltools.goals.setup import MAX_EMPLOYEES, Setup, Unit
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.refs import cell_name, column_letters, quote_sheet

TOOL = "maalstyring"
VERSION = str(TEMPLATE_VERSIONS[TOOL])
FRONT, CHARTS, SETUP, DATA, ARCHIVE, GUIDE = "Forside", "Grafer", "Opsætning", "Data", "Arkiv", "Vejledning"
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
WEEKS_NAME, WEIGHTS_NAME, INVALID_NAME = "DataUger", "DataVaegte", "DataUgyldige"
PROGRESS_NAME = "Forloeb"
"""The Forside's per-indicator figures (Real, Mål, Opfyldelse, Tempo, Prognose, Status)."""
IDENTIFYING_NAMES = (YEAR_NAME, WEEKS_NAME, PROGRESS_NAME)
"""Defined names only a Målstyring carries (found even if a program dropped its properties)."""

# Opsætning (zero-based rows and columns; unchanged since version 1)
YEAR_CELL, BAGUD_CELL, FORAN_CELL = (2, 2), (3, 2), (4, 2)
EMPLOYEE_HEADER = 6
INDICATOR_HEADER = EMPLOYEE_HEADER + MAX_EMPLOYEES + 2
WEEK_NUMBER_COLUMN, WEIGHT_COLUMN = 7, 8  # H: week, I: weight
INDICATOR_COLUMNS = ("id", "sektion", "indikator", "enhed", "aarsmaal")  # A … E
INDICATOR_HEADERS = ("Id", "Sektion", "Indikator", "Enhed", "Årsmål (beskæftigelsesplan)")
ID_COL, SECTION_COL, NAME_COL, UNIT_COL, AARSMAAL_COL = range(len(INDICATOR_COLUMNS))
"""Opsætning's indicator table: each column's key, header and place, declared once here."""
# Added in version 2: a warning row, and a Status column beside each table
SETUP_WARNING = (5, 1)
YEAR_STATUS = (YEAR_CELL[0], 3)
EMPLOYEE_STATUS_COLUMN, INDICATOR_STATUS_COLUMN = 2, 5
INDICATOR_ROWS = 60
"""Rows of the indicator table that carry formats, validation and a status (more when the team has more)."""
SETUP_NAMES = {
    "medarbejder_id": "OpsMedarbejderId",
    "medarbejder": "OpsMedarbejder",
    "id": "OpsIndikatorId",
    "sektion": "OpsSektion",
    "indikator": "OpsIndikator",
    "enhed": "OpsEnhed",
    "aarsmaal": "OpsAarsmaal",
}
"""Defined names over the Opsætning tables' columns: the week sheets and the Forside look up by them."""

# Week sheets: A id and B unit (hidden, as built), C indicator and D unit (live), Real/Mål per employee, I alt
WEEK_WARNING_ROW, WEEK_IDS_ROW, WEEK_NAMES_ROW, WEEK_SUB_ROW, WEEK_FIRST_ROW = 2, 3, 4, 5, 6
WEEK_LABEL_COL, WEEK_UNIT_COL, WEEK_FIRST_COL = 2, 3, 4

# Data: the weeks, then what the week sheets were built with, then the series the Forside sums
DATA_ROWS = {
    "uge": 0,
    "vaegt": 1,
    "ugenavn": 2,
    "ugyldige": 3,
    "aar": 4,
    "medarbejder_id": 5,
    "medarbejder": 6,
    "medarbejder_mangler": 7,
    "indikator_id": 8,
    "indikator": 9,
    "sektion": 10,
    "enhed": 11,
    "sektionsstart": 12,
    "indikator_mangler": 13,
    "forskelle": 14,
    "graf_id": 15,
}
SERIES_FIRST_ROW = 17
BUILT_NAMES = {
    "aar": "ByggetAar",
    "medarbejder_id": "ByggetMedarbejderId",
    "medarbejder": "ByggetMedarbejder",
    "indikator_id": "ByggetIndikatorId",
    "indikator": "ByggetIndikator",
    "sektion": "ByggetSektion",
    "enhed": "ByggetEnhed",
    "sektionsstart": "ByggetSektionsstart",
    "graf_id": "ByggetGrafId",
}
"""Defined names over the Data rows that record the built structure (constants written by the builder)."""

# Forside
FRONT_WARNING = (1, 0)
FRONT_AS_OF = (2, 1)
FRONT_FIGURES_ROW = 3  # År, uger i året, uger gået, aktuel uge, vægtede uger gået, vægtede uger i alt, andel
FIGURE_LABELS = (
    "År",
    "Uger i året",
    "Uger gået",
    "Aktuel uge",
    "Vægtede uger gået",
    "Vægtede uger i alt",
    "Andel af året",
)
FRONT_INVALID = (FRONT_FIGURES_ROW + len(FIGURE_LABELS), 1)
FRONT_CURRENT_WEEK = (FRONT_INVALID[0] + 1, 1)
FRONT_LINKS_ROW = FRONT_CURRENT_WEEK[0] + 3
LINKS_PER_ROW = 10
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
FRONT_WIDTHS = (28, 30, 8, 12, 12, 12, 15, 15, 12, 14)
HOURS_LABEL = "Timer (tælles for sig)"
QUANTITY_FORMATS = {"antal": "#,##0", "timer": "#,##0.0"}
"""Number formats by unit: whole numbers, or hours with one decimal (never "#,##0.#", which shows "44,")."""


def week_sheet(week: int) -> str:
    return f"Uge {week}"


def week_label(week: int) -> str:
    """A week as Danes write it: "uge 48"."""
    return f"uge {week}"


@dataclass(frozen=True)
class Layout:
    """Positions of one team's workbook; the setup decides the shape.

    ``charted`` fixes which indicators the charts follow (ids); by default the five with the largest
    Årsmål. A built workbook records its choice, so a changed Årsmål never moves a chart's formulas.
    """

    setup: Setup
    charted_ids: tuple[str, ...] = ()
    archived: int = 0
    """Rows on the Arkiv sheet (formulas compare its rows with ``=`` over exactly these rows)."""

    # -- the week sheets ---------------------------------------------------------------------

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
        """(header row, first indicator's id) of each section."""
        return [(self.indicator_rows[group[0].id] - 1, group[0].id) for _, group in self.setup.sections()]

    @property
    def last_week_row(self) -> int:
        return max(self.indicator_rows.values())

    @property
    def remarks_row(self) -> int:
        return self.last_week_row + 2

    def real_col(self, employee: int) -> int:
        return WEEK_FIRST_COL + 2 * employee

    @property
    def total_col(self) -> int:
        return WEEK_FIRST_COL + 2 * len(self.setup.employees)

    @cached_property
    def unit_runs(self) -> list[tuple[Unit, int, int]]:
        """(unit, first row, last row) of the week sheets' runs of rows in one unit; a section header
        row between two rows of the same unit stays inside the run."""
        runs: list[tuple[Unit, int, int]] = []
        units = {indicator.id: indicator.unit for indicator in self.setup.indicators}
        for indicator_id, row in self.indicator_rows.items():
            unit = units[indicator_id]
            if runs and runs[-1][0] == unit and runs[-1][2] >= row - 2:
                runs[-1] = (unit, runs[-1][1], row)
            else:
                runs.append((unit, row, row))
        return runs

    def registration_cell(self, kind: str, indicator: str, employee: int) -> tuple[int, int]:
        """(row, col) of a Real ("r") or Mål ("m") cell on a week sheet, by indicator and employee."""
        return self.indicator_rows[indicator], self.real_col(employee) + (kind == "m")

    @cached_property
    def registration_cells(self) -> tuple[tuple[str, str, int, int, int], ...]:
        """(kind, indicator id, employee, row, col) of every Real and Mål cell of a week sheet, in the
        order of the sheet's rows and columns."""
        return tuple(
            (kind, indicator.id, e, *self.registration_cell(kind, indicator.id, e))
            for indicator in self.setup.indicators
            for e in range(len(self.setup.employees))
            for kind in ("r", "m")
        )

    @cached_property
    def _registration_names(self) -> dict[tuple[str, str, int], str]:
        """The A1 name of every Real and Mål cell, the same on every week sheet: worked out once, not
        once per week (a year's formulas name them 24,000 times)."""
        return {(kind, indicator, e): cell_name(row, col) for kind, indicator, e, row, col in self.registration_cells}

    def registration(self, kind: str, week: int, indicator: str, employee: int) -> Ref:
        """A Real ("r") or Mål ("m") cell of a week sheet, by indicator and employee."""
        return Ref(f"{kind}|{week}|{indicator}|{employee}", self._registration_names[(kind, indicator, employee)])

    def week_column(self, week: int, col: int) -> Ref:
        """A week sheet's column over the indicator rows (section header rows are blank)."""
        letter = column_letters(col)
        first, last = WEEK_FIRST_ROW + 2, self.last_week_row + 1
        return Ref(f"col|{week}|{col}", f"{quote_sheet(week_sheet(week))}!${letter}${first}:${letter}${last}")

    def run_area(self, week: int, run: int) -> Ref:
        """The Real and Mål cells of one run of rows (``unit_runs``) on a week sheet."""
        _, first, last = self.unit_runs[run]
        cells = f"{cell_name(first, WEEK_FIRST_COL, True)}:{cell_name(last, self.total_col - 1, True)}"
        return Ref(f"run|{week}|{run}", f"{quote_sheet(week_sheet(week))}!{cells}")

    def week_id(self, week: int, indicator: str) -> Ref:
        """The hidden id of an indicator's row, as the row's own formulas name it."""
        return Ref(f"id|{week}|{indicator}", f"$A{self.indicator_rows[indicator] + 1}")

    def week_employee_id(self, week: int, employee: int) -> Ref:
        """The hidden id above an employee's Real and Mål columns."""
        return Ref(f"eid|{week}|{employee}", f"{column_letters(self.real_col(employee))}${WEEK_IDS_ROW + 1}")

    # -- Opsætning -----------------------------------------------------------------------------

    @property
    def indicator_capacity(self) -> int:
        return max(INDICATOR_ROWS, len(self.setup.indicators) + 20)

    def setup_indicator_row(self, index: int) -> int:
        return INDICATOR_HEADER + 1 + index

    def setup_employee_row(self, index: int) -> int:
        return EMPLOYEE_HEADER + 1 + index

    def setup_weight_row(self, week: int) -> int:
        return EMPLOYEE_HEADER + week

    def setup_column_area(self, key: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """First and last cell of an Opsætning table column, by its key in SETUP_NAMES."""
        if key.startswith("medarbejder"):
            col = 0 if key == "medarbejder_id" else 1
            return (self.setup_employee_row(0), col), (self.setup_employee_row(MAX_EMPLOYEES - 1), col)
        col = INDICATOR_COLUMNS.index(key)
        return (self.setup_indicator_row(0), col), (self.setup_indicator_row(self.indicator_capacity - 1), col)

    def setup_cell(self, key: str, row: int, col: int) -> Ref:
        """One Opsætning cell, named ``key`` in Python; formulas on Opsætning itself refer to it plainly."""
        return Ref(key, cell_name(row, col, absolute=True))

    def setup_above(self, key: str, index: int) -> Ref:
        """An Opsætning indicator column from the first row down to the row above ``index``."""
        (first, col), _ = self.setup_column_area(key)
        return Ref(f"above|{key}|{index}", f"{cell_name(first, col, True)}:{cell_name(first + index - 1, col, True)}")

    def weight(self, week: int) -> Ref:
        cell = cell_name(self.setup_weight_row(week), WEIGHT_COLUMN, absolute=True)
        return Ref(f"weight|{week}", f"{quote_sheet(SETUP)}!{cell}")

    # -- Data ----------------------------------------------------------------------------------

    def built(self, key: str, index: int) -> Ref:
        """One entry of a built list on Data (``DATA_ROWS[key]``), by position."""
        return Ref(f"built|{key}|{index}", f"{DATA}!{cell_name(DATA_ROWS[key], 1 + index, absolute=True)}")

    @cached_property
    def charted(self) -> list[int]:
        """Indexes of the charted indicators: ``charted_ids``, or the five with the largest Årsmål (the
        first five when none has one)."""
        indexed = list(enumerate(self.setup.indicators))
        if self.charted_ids:
            positions = {indicator.id: index for index, indicator in indexed}
            return [positions[ident] for ident in self.charted_ids if ident in positions]
        with_goal = sorted((i for i in indexed if i[1].aarsmaal), key=lambda item: -(item[1].aarsmaal or 0))
        return [index for index, _ in (with_goal or indexed)[:5]]

    @cached_property
    def series_rows(self) -> dict[str, int]:
        """First Data row of each series: real, maal (per indicator), count, empreal, empmaal (per
        employee), then cumulative Real and pace for the charted indicators (two rows each)."""
        indicators, employees = len(self.setup.indicators), len(self.setup.employees)
        first = {"real": SERIES_FIRST_ROW, "maal": SERIES_FIRST_ROW + indicators}
        first["count"] = first["maal"] + indicators
        first["empreal"] = first["count"] + employees
        first["empmaal"] = first["empreal"] + employees
        first["cumulative"] = first["empmaal"] + employees
        return first

    def weights_until(self, week: int) -> Ref:
        """The Data sheet's weights of weeks 1 … ``week``."""
        row = DATA_ROWS["vaegt"] + 1
        return Ref(f"weights_until|{week}", f"{DATA}!$B${row}:${column_letters(week)}${row}")

    def data_series(self, kind: str, index: int) -> Ref:
        row = self.series_rows[kind] + index + 1
        return Ref(f"data|{kind}|{index}", f"{DATA}!$B${row}:${column_letters(self.setup.weeks)}${row}")

    def archive(self, key: str) -> Ref:
        """A whole column of the Arkiv sheet (header included: SUMIFS criteria never match it)."""
        letter = column_letters(ARCHIVE_KEYS.index(key))
        return Ref(f"arkiv|{key}", f"{ARCHIVE}!${letter}:${letter}")

    @property
    def archive_span(self) -> int:
        """Arkiv rows that formulas compare with ``=``: all of them, and at least two (gnumeric's SUMPRODUCT
        gives #VALUE! on a range of one blank cell)."""
        return max(self.archived, 2)

    def archive_rows(self, key: str) -> Ref:
        """An Arkiv column over its rows (``archive_span``), for comparisons with ``=``."""
        letter = column_letters(ARCHIVE_KEYS.index(key))
        return Ref(f"arkivrækker|{key}", f"{ARCHIVE}!${letter}$2:${letter}${self.archive_span + 1}")

    # -- Forside -------------------------------------------------------------------------------

    @property
    def links_rows(self) -> int:
        return -(-self.setup.weeks // LINKS_PER_ROW)

    @property
    def front_table_header(self) -> int:
        return FRONT_LINKS_ROW + self.links_rows + 2

    @property
    def front_sections_row(self) -> int:
        return self.front_table_header + len(self.setup.indicators) + 3

    @cached_property
    def section_groups(self) -> list[tuple[str, list[int]]]:
        """The Forside's section rows: (first indicator's id, indexes of its antal indicators) for each
        section with counts, then ("", indexes of all timer indicators) — hours are never added to counts."""
        index = {indicator.id: i for i, indicator in enumerate(self.setup.indicators)}
        groups = [
            (group[0].id, [index[i.id] for i in group if i.unit == "antal"])
            for _, group in self.setup.sections()
            if any(i.unit == "antal" for i in group)
        ]
        hours = [i for i, indicator in enumerate(self.setup.indicators) if indicator.unit == "timer"]
        return [*groups, ("", hours)]  # always: archived hours keep counting

    @property
    def front_employees_row(self) -> int:
        return self.front_sections_row + len(self.section_groups) + 3
