"""The Python side of the Målstyring sheets: every cell the formulas read, as the formulas see it.

Registrations are keyed (kind, week, indicator id, employee index) with kind "r" (Real) or "m" (Mål)
and hold what the cell holds — a number, or text that got past the validation; a missing key is a
blank cell. Opsætning's tables come as typed (``SetupCells``), the built structure from the layout.
The Data sheet's series, the Status cells and the counts other cells refer to as ranges are computed
here in order — exactly as the workbook's own formulas chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from xltools.core.expr import Value
from xltools.core.logic import serial
from xltools.goals import consistency
from xltools.goals.blocks import MISSING_BLOCKS, SERIES, Blocks
from xltools.goals.layout import (
    ARCHIVE_KEYS,
    AS_OF_NAME,
    BAGUD_NAME,
    BUILT_NAMES,
    FORAN_NAME,
    INVALID_NAME,
    SETUP_NAMES,
    WEEK_FIRST_COL,
    WEEK_FIRST_ROW,
    WEEKS_NAME,
    WEIGHTS_NAME,
    YEAR_NAME,
    Layout,
)
from xltools.goals.setup import MAX_EMPLOYEES
from xltools.goals.validation import Cells

ArchiveRow = Mapping[str, Any]


@dataclass(frozen=True)
class SetupCells:
    """The Opsætning tables' cells as typed — what its formulas and the lookups see: one array per
    column (keys as in SETUP_NAMES), 20 employee rows and the layout's indicator rows."""

    columns: Mapping[str, np.ndarray]

    @classmethod
    def of(cls, layout: Layout) -> SetupCells:
        """The cells the builder writes for ``layout``'s setup (blank rows below the tables)."""
        setup = layout.setup

        def padded(values: list[Any], length: int) -> np.ndarray:
            return np.array(values + [None] * (length - len(values)), dtype=object)

        employees, capacity = setup.employees, layout.indicator_capacity
        columns = {
            "medarbejder_id": padded([e.id for e in employees], MAX_EMPLOYEES),
            "medarbejder": padded([e.name for e in employees], MAX_EMPLOYEES),
        }
        for key in ("id", "sektion", "indikator", "enhed", "aarsmaal"):
            attribute = {"sektion": "section", "indikator": "name", "enhed": "unit"}.get(key, key)
            columns[key] = padded([getattr(i, attribute) for i in setup.indicators], capacity)
        return cls(columns)


def consistency_environment(layout: Layout, setup_cells: SetupCells, year: float) -> dict[str, Value]:
    """What the Status cells read: Opsætning's tables as typed, its year, and the built structure."""
    env: dict[str, Value] = {YEAR_NAME: float(year)}
    _setup_cells(env, setup_cells)
    _built(env, layout)
    return env


def environment(
    blocks: Blocks,
    cells: Cells,
    as_of: date,
    archive: Sequence[ArchiveRow] = (),
    setup_cells: SetupCells | None = None,
    evaluated: dict[str, list[list[Value]]] | None = None,
) -> dict[str, Value]:
    """Every input of ``blocks``' formulas: the registrations ``cells``, the reporting date, the Arkiv's
    rows and Opsætning's cells (by default as the builder writes them for the layout's setup).

    The blocks other formulas read as ranges (the Data series, the counts of missing and invalid
    entries) are evaluated on the way; given ``evaluated``, their values are kept there by block name,
    so a recalculation need not evaluate them again."""
    evaluated = {} if evaluated is None else evaluated

    def values(name: str) -> list[list[Value]]:
        found = evaluated[name] = blocks.named(name).values(env)
        return found

    layout = blocks.layout
    setup = layout.setup
    env = consistency_environment(layout, setup_cells or SetupCells.of(layout), setup.year)
    env.update(
        {
            AS_OF_NAME: serial(as_of),
            BAGUD_NAME: setup.bagud,
            FORAN_NAME: setup.foran,
            WEEKS_NAME: np.arange(1, setup.weeks + 1, dtype=float),
        }
    )
    _archive(env, archive, layout.archive_span)
    weights = setup.week_weights()
    env[WEIGHTS_NAME] = np.array(weights, dtype=float)
    for week in range(1, setup.weeks + 1):
        env[f"weight|{week}"] = weights[week - 1]
        env[f"weights_until|{week}"] = env[WEIGHTS_NAME][:week]
    _weeks(env, layout, cells)
    for key in consistency.STATUS_KEYS:
        env[f"status|{key}"] = np.array([s.evaluate(env) for s in consistency.statuses(layout, key)], dtype=object)
        env[f"mangler|{key}"] = np.array(values(MISSING_BLOCKS[key])[0], dtype=float)
    env[INVALID_NAME] = np.array(values(INVALID_NAME)[0], dtype=float)
    for name, kind in SERIES.items():
        for index, row in enumerate(values(name)):
            env[f"data|{kind}|{index}"] = np.array(row, dtype=float)
    return env


def _archive(env: dict[str, Value], archive: Sequence[ArchiveRow], span: int) -> None:
    """Whole Arkiv columns (for SUMIFS on ids) and its rows alone (for comparisons with ``=``)."""
    for key in ARCHIVE_KEYS:
        numeric = key in ("uge", "real", "maal")
        values = [row.get(key) for row in archive]
        if numeric:
            env[f"arkiv|{key}"] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            env[f"arkiv|{key}"] = np.array(values, dtype=object)
        env[f"arkivrækker|{key}"] = np.array(values + [None] * (span - len(values)), dtype=object)


def _setup_cells(env: dict[str, Value], cells: SetupCells) -> None:
    for key, values in cells.columns.items():
        env[SETUP_NAMES[key]] = values
        for index, value in enumerate(values):
            env[f"ops|{key}|{index}"] = value
    sections = cells.columns["sektion"]
    for index in range(1, len(sections)):
        env[f"above|sektion|{index}"] = sections[:index]


def _built(env: dict[str, Value], layout: Layout) -> None:
    """The structure the week sheets were built with, as the Data sheet records it."""
    setup = layout.setup
    starts = {group[0].id for _, group in setup.sections()}
    lists: dict[str, list[Any]] = {
        "medarbejder_id": [e.id for e in setup.employees],
        "indikator_id": [i.id for i in setup.indicators],
        "enhed": [i.unit for i in setup.indicators],
        "sektionsstart": [1.0 if i.id in starts else 0.0 for i in setup.indicators],
    }
    for key, values in lists.items():
        for index, value in enumerate(values):
            env[f"built|{key}|{index}"] = value
        if key in BUILT_NAMES:
            env[BUILT_NAMES[key]] = np.array(values, dtype=object)
    env[BUILT_NAMES["aar"]] = float(setup.year)


@dataclass(frozen=True)
class _WeekCells:
    """Where a layout's week sheets keep their Real and Mål cells, worked out once per layout (a
    registration's key and name differ only by week): the formulas' names and the registrations' keys
    of every week, in the order of ``positions`` in the grid the column and run ranges are views of."""

    ids: dict[str, Value]
    """Every week's hidden ids, as the rows' and columns' own formulas read them."""
    keys: tuple[tuple[tuple[str, int, str, int], ...], ...]
    names: tuple[tuple[str, ...], ...]
    positions: np.ndarray
    shape: tuple[int, int]
    units: tuple[Any, ...]
    """Column B's unit on each row of the grid (None on a section's header row)."""

    @classmethod
    def of(cls, layout: Layout) -> _WeekCells:
        setup, rows = layout.setup, layout.indicator_rows
        first = WEEK_FIRST_ROW + 1
        places = [
            (kind, key, e, row - first, col - WEEK_FIRST_COL) for kind, key, e, row, col in layout.registration_cells
        ]
        shape = (layout.last_week_row - WEEK_FIRST_ROW, layout.total_col - WEEK_FIRST_COL)
        weeks = range(1, setup.weeks + 1)
        ids: dict[str, Value] = {}
        for week in weeks:
            ids.update({f"id|{week}|{indicator.id}": indicator.id for indicator in setup.indicators})
            ids.update({f"eid|{week}|{e}": employee.id for e, employee in enumerate(setup.employees)})
        units: list[Any] = [None] * shape[0]
        for indicator in setup.indicators:
            units[rows[indicator.id] - first] = indicator.unit
        return cls(
            ids,
            tuple(tuple((kind, week, key, e) for kind, key, e, _, _ in places) for week in weeks),
            tuple(tuple(f"{kind}|{week}|{key}|{e}" for kind, key, e, _, _ in places) for week in weeks),
            np.array([row * shape[1] + col for *_, row, col in places], dtype=np.intp),
            shape,
            tuple(units),
        )


_week_cells = lru_cache(maxsize=4)(_WeekCells.of)


def _weeks(env: dict[str, Value], layout: Layout, cells: Cells) -> None:
    """The week sheets' hidden ids, their registrations cell by cell, by column and by run of rows."""
    where = _week_cells(layout)
    env.update(where.ids)
    get = cells.get
    for week, (keys, names) in enumerate(zip(where.keys, where.names, strict=True), start=1):
        values = [get(key) for key in keys]
        env.update(zip(names, values, strict=True))
        grid = np.full(where.shape, None, dtype=object)
        grid.flat[where.positions] = np.array(values, dtype=object)
        grid.flags.writeable = False  # its columns and runs are views: no formula may change another's input
        env[f"col|{week}|1"] = np.array(where.units, dtype=object)
        for col in range(WEEK_FIRST_COL, layout.total_col):
            env[f"col|{week}|{col}"] = grid[:, col - WEEK_FIRST_COL]
        for run, (_, top, bottom) in enumerate(layout.unit_runs):
            env[f"run|{week}|{run}"] = grid[top - WEEK_FIRST_ROW - 1 : bottom - WEEK_FIRST_ROW]
