"""The Ressourceberegner's layout: where each input and block sits, and the blocks' expressions.

Laid out like the seed's sheet, top to bottom: the inputs, "Generelt for hele målgruppen",
"Intensiveret for en andel af målgruppen", the Årsværk-behov block beyond the seed, and the Årsværk
matrix with the selected scenario marked. Recalculation needs only this module, never the builder.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from xltools.capacity import calculations as calc
from xltools.capacity import inputs as spec
from xltools.core.expr import Cell, Expr, Labels, Ref, Select
from xltools.core.inputs import InputSpec
from xltools.messages import number, percent
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.layout import Block
from xltools.workbook.refs import cell_name

TOOL = "ressourceberegner"
VERSION = str(TEMPLATE_VERSIONS[TOOL])
SHEET = "Ressourceberegner"
GUIDE_SHEET = "Vejledning"

INPUT_ROWS: dict[InputSpec, int] = {
    spec.BORGERE: 3,
    spec.SAMTALE_DAGE: 4,
    spec.UGER: 5,
    spec.ANDEL: 6,
    spec.SAMTALER_PR_DAG: 22,
    spec.UDEBLIVELSE: 23,
    spec.SCENARIE: 34,
}
"""Zero-based template rows of the inputs (column B); recalc finds them by defined name."""

GENERAL_ROW = 11
INTENSIVE_ROW = 17
BEHOV_ROW = 27
MATRIX_ROW = 40
MATRIX_SIZE = (8, 9)  # conversations per day 1–8 × årsværk 1–9

COLUMN_WIDTHS = (46, 17, 17, 17, 17, 11, 11, 11, 11, 11, 11)
"""Characters per column: labels, the four figure columns, then the rest of the Årsværk matrix."""
FTE_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0 %"


def _name(input_spec: InputSpec) -> Ref:
    assert input_spec.defined_name
    return Ref(input_spec.defined_name)


@cache
def blocks() -> tuple[Block, ...]:
    """Every computed cell of the sheet, as named blocks of expressions (built once)."""
    borgere, dage, uger = _name(spec.BORGERE), _name(spec.SAMTALE_DAGE), _name(spec.UGER)
    andel, pr_dag = _name(spec.ANDEL), _name(spec.SAMTALER_PR_DAG)
    udeblivelse, scenarie = _name(spec.UDEBLIVELSE), _name(spec.SCENARIE)

    general_freq = [Cell(cell_name(GENERAL_ROW + i, 1), freq) for i, (_, freq) in enumerate(spec.GENERAL_FREQUENCIES)]
    intensive_freq = [
        Cell(cell_name(INTENSIVE_ROW + i, 1), freq) for i, (_, freq) in enumerate(spec.INTENSIVE_FREQUENCIES)
    ]
    basis = general_freq[0]
    people = calc.intensive_borgere(borgere, andel)
    general = [[calc.samtaler(borgere, freq)] for freq in general_freq]
    intensive = [
        [
            calc.samtaler(people, freq),
            calc.samtaler(borgere - people, basis),
            calc.yearly_conversations(borgere, freq, andel, basis),
        ]
        for freq in intensive_freq
    ]
    totals: list[Expr] = [row[0] for row in general] + [row[2] for row in intensive]
    per_fte = calc.capacity_per_fte(pr_dag, dage, uger)
    behov = []
    for total in totals:
        fte = calc.fte_needed(total, pr_dag, dage, uger, udeblivelse)
        behov.append([total, calc.samtaler_at_booke(total, udeblivelse), fte, calc.fte_rounded_up(fte)])
    labels = Labels(spec.SCENARIOS, scenario_labels_ref())
    chosen_booked = Select(scenarie, labels, tuple(row[1] for row in behov))
    chosen_fte = Select(scenarie, labels, tuple(row[3] for row in behov))
    rows, cols = MATRIX_SIZE
    matrix = [
        [
            calc.capacity(
                Cell(cell_name(MATRIX_ROW + r, 1), r + 1),
                Cell(cell_name(MATRIX_ROW - 1, 2 + c), c + 1),
                dage,
                uger,
            )
            for c in range(cols)
        ]
        for r in range(rows)
    ]
    scenario_row = INPUT_ROWS[spec.SCENARIE]
    return (
        Block("IntensiveBorgere", SHEET, (INPUT_ROWS[spec.ANDEL] + 1, 1), ((people,),)),
        Block("Generelt", SHEET, (GENERAL_ROW, 2), _rows(general)),
        Block("Intensiveret", SHEET, (INTENSIVE_ROW, 2), _rows(intensive)),
        Block("SamtalerPrAarsvaerk", SHEET, (INPUT_ROWS[spec.UDEBLIVELSE] + 1, 1), ((per_fte,),)),
        Block(
            "Behov",
            SHEET,
            (BEHOV_ROW, 1),
            _rows(behov),
            ("#,##0", "#,##0", FTE_FORMAT, "#,##0"),
        ),
        Block("ValgtSamtaler", SHEET, (scenario_row + 1, 1), ((chosen_booked,),)),
        Block("ValgtAarsvaerk", SHEET, (scenario_row + 2, 1), ((chosen_fte,),)),
        Block("Aarsvaerk", SHEET, (MATRIX_ROW, 2), _rows(matrix)),
    )


def summary(results: dict[str, Any]) -> str:
    """One line of key figures for a recalculated workbook."""
    inputs = results["inputs"]
    booked = results["ValgtSamtaler"][0][0]
    fte = results["ValgtAarsvaerk"][0][0]
    return (
        f"{number(inputs['Borgere'])} borgere, {percent(inputs['AndelIntensiv'])} intensiv, "
        f"{inputs['Scenarie']}: {number(booked, 0)} samtaler at booke = {number(fte, 0)} årsværk "
        f"ved {number(inputs['SamtalerPrDag'])} samtaler/dag"
    )


def _rows(rows: list[list[Expr]]) -> tuple[tuple[Expr, ...], ...]:
    return tuple(tuple(row) for row in rows)


def scenario_labels_ref() -> str:
    """The scenario names in the Årsværk-behov block: the drop-down's list and MATCH's lookup range."""
    first = cell_name(BEHOV_ROW, 0, absolute=True)
    last = cell_name(BEHOV_ROW + len(spec.SCENARIOS) - 1, 0, absolute=True)
    return f"{first}:{last}"
