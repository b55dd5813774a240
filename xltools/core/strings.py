"""Text built by formula: concatenation (``&``) and HYPERLINK, evaluated to the text a cell shows.

Only for text xltools owns (sheet names, "uge 5", fixed messages) and for cells: a user's text is
referred to by its cell, never copied into a formula as a literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xltools.core.expr import CONCATENATION, Expr, Placed, Value
from xltools.core.rules import excel_text


@dataclass(frozen=True, eq=True)
class Concat(Expr):
    """``a&b&…``: the parts as text (a blank is "", a whole number has no decimals, as in General)."""

    parts: tuple[Expr, ...]
    precedence = CONCATENATION

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return "".join(excel_text(part.evaluate(env)) for part in self.parts)

    def _render(self, placed: Placed) -> str:
        rendered = []
        for part in self.parts:
            text = self._child(part, placed)
            rendered.append(f"({text})" if part not in placed and part.precedence < CONCATENATION else text)
        return "&".join(rendered)


@dataclass(frozen=True, eq=True)
class Hyperlink(Expr):
    """``HYPERLINK(target,label)``: a link that shows ``label`` ("#'Uge 5'!A1" jumps inside the workbook)."""

    target: Expr
    label: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return self.label.evaluate(env)

    def _render(self, placed: Placed) -> str:
        return f"HYPERLINK({self._child(self.target, placed)},{self._child(self.label, placed)})"
