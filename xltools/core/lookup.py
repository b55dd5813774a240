"""Lookups by key — MATCH, INDEX, IFERROR — evaluated in Python as a spreadsheet evaluates them.

A workbook shows what a team typed on another sheet by looking it up by a stable id,
``IFERROR(INDEX(values,MATCH(id,ids,0))&"","(fjernet)")``, so a rename follows by formula alone. The
keys are ids xltools writes ("E3", "I07"): MATCH's wildcards never come into play, so MATCH is an exact,
case-insensitive comparison, as ``=`` is. A key that is not found is #N/A in a spreadsheet and
``NotAvailable`` in Python, caught by ``IfError`` exactly where the formula catches it.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from xltools.core.arrays import excel_key
from xltools.core.expr import Expr, Placed, Value
from xltools.core.logic import is_blank


class NotAvailable(Exception):
    """Excel's #N/A (a key not found) or #REF! (a position outside the range), raised while evaluating."""


_POSITIONS: dict[int, tuple[weakref.ref[np.ndarray], dict[object, int]]] = {}


def _positions(keys: np.ndarray) -> dict[object, int]:
    """1-based position of the first occurrence of each key, as MATCH(…,0) finds it; built once per
    column (a week sheet looks up 40 labels in the same few columns)."""
    hit = _POSITIONS.get(id(keys))
    if hit is not None and hit[0]() is keys:
        return hit[1]
    found: dict[object, int] = {}
    for position, key in enumerate(keys.ravel(), start=1):
        if not is_blank(key):
            found.setdefault(excel_key(key), position)
    number = id(keys)
    _POSITIONS[number] = (weakref.ref(keys, lambda _: _POSITIONS.pop(number, None)), found)
    return found


@dataclass(frozen=True, eq=True)
class Match(Expr):
    """``MATCH(key,keys,0)``: where ``key`` first occurs in ``keys`` (1-based); a blank key matches nothing."""

    key: Expr
    keys: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        key = self.key.evaluate(env)
        keys = np.asarray(self.keys.evaluate(env), dtype=object)
        position = None if is_blank(key) else _positions(keys).get(excel_key(key))
        if position is None:
            raise NotAvailable(f"{key!r} not found")
        return float(position)

    def _render(self, placed: Placed) -> str:
        return f"MATCH({self._child(self.key, placed)},{self._child(self.keys, placed)},0)"


@dataclass(frozen=True, eq=True)
class Index(Expr):
    """``INDEX(values,position)`` on one column: the cell itself, so a blank stays blank (``=""`` holds)."""

    values: Expr
    position: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        values = np.asarray(self.values.evaluate(env), dtype=object).ravel()
        position = int(self.position.evaluate(env))
        if not 1 <= position <= len(values):
            raise NotAvailable(f"position {position} outside 1…{len(values)}")
        value = values[position - 1]
        return None if is_blank(value) else value

    def _render(self, placed: Placed) -> str:
        return f"INDEX({self._child(self.values, placed)},{self._child(self.position, placed)})"


@dataclass(frozen=True, eq=True)
class IfError(Expr):
    """``IFERROR(value,fallback)``: the fallback where ``value`` is an error (a key not found)."""

    value: Expr
    fallback: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        try:
            return self.value.evaluate(env)
        except NotAvailable:
            return self.fallback.evaluate(env)

    def _render(self, placed: Placed) -> str:
        return f"IFERROR({self._child(self.value, placed)},{self._child(self.fallback, placed)})"
