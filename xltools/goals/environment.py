"""The Python side of the Målstyring sheets: every input the formulas read, as the formulas see it.

Registrations are keyed (kind, week, indicator id, employee index) with kind "r" (Real) or "m" (Mål);
a missing key is a blank cell. The Data sheet's series are computed here in two steps — week totals
first, then the rows the Forside sums — exactly as the workbook's own formulas chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from xltools.core.expr import Value
from xltools.core.logic import serial
from xltools.goals.layout import (
    ARCHIVE_KEYS,
    AS_OF_NAME,
    BAGUD_NAME,
    FORAN_NAME,
    WEEK_FIRST_ROW,
    WEEKS_NAME,
    WEIGHTS_NAME,
    YEAR_NAME,
    Layout,
)

Registrations = Mapping[tuple[str, int, str, int], float]
ArchiveRow = Mapping[str, Any]


def environment(
    layout: Layout, registrations: Registrations, as_of: date, archive: Sequence[ArchiveRow] = ()
) -> dict[str, Value]:
    setup = layout.setup
    env: dict[str, Value] = {
        AS_OF_NAME: serial(as_of),
        YEAR_NAME: float(setup.year),
        BAGUD_NAME: setup.bagud,
        FORAN_NAME: setup.foran,
        WEEKS_NAME: np.arange(1, setup.weeks + 1, dtype=float),
    }
    for key in ARCHIVE_KEYS:
        numeric = key in ("uge", "real", "maal")
        values = [row.get(key) for row in archive]
        env[f"arkiv|{key}"] = (
            np.array([np.nan if v is None else v for v in values], dtype=float)
            if numeric
            else np.array(values, dtype=object)
        )
    weights = setup.week_weights()
    for week in range(1, setup.weeks + 1):
        env[f"weight|{week}"] = weights[week - 1]
    env[WEIGHTS_NAME] = np.array(weights, dtype=float)
    for week in range(1, setup.weeks + 1):
        env[f"weights_until|{week}"] = env[WEIGHTS_NAME][:week]
    for index, indicator in enumerate(setup.indicators):
        env[f"aarsmaal|{index}"] = indicator.aarsmaal
        env[f"section|{index}"] = indicator.section
        env[f"name|{index}"] = indicator.name
        env[f"unit|{index}"] = indicator.unit
    for e, employee in enumerate(setup.employees):
        env[f"employee|{e}"] = employee.name
    rows = range(WEEK_FIRST_ROW + 1, layout.last_week_row + 1)
    by_row = {row: indicator for indicator, row in layout.indicator_rows.items()}
    units = {indicator.id: indicator.unit for indicator in setup.indicators}
    for week in range(1, setup.weeks + 1):
        for indicator in setup.indicators:
            for e in range(len(setup.employees)):
                for kind in ("r", "m"):
                    env[f"{kind}|{week}|{indicator.id}|{e}"] = registrations.get((kind, week, indicator.id, e))
        env[f"col|{week}|1"] = np.array([units.get(by_row.get(row, ""), None) for row in rows], dtype=object)
        for e in range(len(setup.employees)):
            for kind, col in (("r", layout.real_col(e)), ("m", layout.real_col(e) + 1)):
                env[f"col|{week}|{col}"] = np.array(
                    [registrations.get((kind, week, by_row[row], e)) if row in by_row else None for row in rows],
                    dtype=object,
                )
    series = {
        "DataReal": "real",
        "DataMaal": "maal",
        "DataRegistreringer": "count",
        "DataMedarbejderReal": "empreal",
        "DataMedarbejderMaal": "empmaal",
    }
    for block in layout.data_blocks:
        if block.name in series:
            for index, values in enumerate(block.values(env)):
                env[f"data|{series[block.name]}|{index}"] = np.array(values, dtype=float)
    return env
