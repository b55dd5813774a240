"""From validated rows to what the workbook shows: computed columns, the overview list, the statistics.

Every number comes from the layout's expressions evaluated on whole columns at once (NumPy), so the
Python figures are the Excel formulas' figures by construction — and 100,000 rows take milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from xltools.core.expr import Value
from xltools.core.logic import serial
from xltools.industry.layout import AS_OF_NAME, OVERVIEW_COLUMNS, SLOTS, list_cell, row_exprs
from xltools.industry.rows import COLUMNS


def _dates(values: pd.Series) -> np.ndarray:
    return np.array([serial(v) if isinstance(v, date) else np.nan for v in values], dtype=float)


def _texts(values: pd.Series) -> np.ndarray:
    return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values], dtype=object)


@dataclass
class Summary:
    """The rows, as of a reporting date, with every computed column."""

    rows: pd.DataFrame
    as_of: date
    columns: dict[str, np.ndarray]

    @property
    def computed(self) -> dict[str, np.ndarray]:
        return {key: self.columns[key] for key in ("alder", "status", "aabne", "uge")}

    def env(self, lists: Mapping[str, Sequence[str]]) -> dict[str, Value]:
        """Everything the Statistik formulas read: the table's columns, the lists, the reporting date."""
        industries = list(lists["Virksomhedstype"])
        env: dict[str, Value] = {**self.columns, AS_OF_NAME: serial(self.as_of)}
        for index in range(SLOTS):
            env[list_cell(0, index).name] = industries[index] if index < len(industries) else None
        return env

    def overview(self) -> pd.DataFrame:
        """The open rows, oldest first (ties in entry order), with the columns the Overblik shows."""
        frame = self.rows.assign(**{key: self.columns[key] for key in ("aabne", "alder", "status")})
        frame = frame[self.columns["status"] != ""]
        frame = frame.assign(_order=np.arange(len(frame))).sort_values(["dato", "_order"], kind="stable")
        return frame[[key for key, _ in OVERVIEW_COLUMNS]]

    def overview_columns(self, previous_rows: int = 0) -> list[list[Any]]:
        """The Overblik list column by column, and blanks below it over what a longer old list left."""
        overview = self.overview()
        blanks = [None] * max(previous_rows - len(overview), 0)
        return [[_cell(value) for value in overview[key].tolist()] + blanks for key, _ in OVERVIEW_COLUMNS]

    def overview_cells(self, first_row: int, previous_rows: int = 0) -> dict[tuple[int, int], Any]:
        """Overblik cells from ``first_row``, row by row (as ``overview_columns``)."""
        columns = self.overview_columns(previous_rows)
        return {
            (first_row + offset, col): column[offset]
            for offset in range(len(columns[0]))
            for col, column in enumerate(columns)
        }

    def stamp(self, as_of: date) -> str:
        return f"Opdateret {as_of:%d-%m-%Y}: {len(self.overview())} rækker med åbne pladser (listen skrives af xltools)"


def _cell(value: object) -> Any:
    if isinstance(value, date):
        return serial(value)
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    return value


def summarise(rows: pd.DataFrame, lists: Mapping[str, Sequence[str]], as_of: date) -> Summary:
    """Evaluate the computed columns on all rows at once."""
    columns: dict[str, np.ndarray] = {}
    for column in COLUMNS:
        values = rows[column.key] if column.key in rows else pd.Series([None] * len(rows))
        if column.kind == "date":
            columns[column.key] = _dates(values)
        elif column.kind == "count":
            columns[column.key] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            columns[column.key] = _texts(values)
    env: dict[str, Value] = {**columns, AS_OF_NAME: serial(as_of)}
    for key, expr in row_exprs().items():
        value = expr.evaluate(env) if len(rows) else np.array([], dtype=object)
        columns[key] = value if isinstance(value, np.ndarray) else np.full(len(rows), value, dtype=object)
    return Summary(rows, as_of, columns)
