"""A small expression type: one tree evaluates on numbers in Python and renders as Excel formula text.

A calculation is written once as a Python function over ``Expr`` values. Evaluating the tree gives
the Python value (and the UDF's value); rendering it gives the formula written into the workbook.
Any sub-tree that the workbook shows in a cell of its own can be *placed*: rendering then refers to
that cell instead of repeating the sub-formula, so formulas read like the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import numpy as np

from xltools.core.rounding import excel_round, excel_round_array, excel_roundup

Value = Any  # a number or text; a NumPy array of them when a tree is evaluated on whole columns
Placed = Mapping["Expr", str]

# Excel's operator precedence, lowest first: comparisons, &, + -, * /.
COMPARISON, CONCATENATION = 0, 1
_PRECEDENCE = {"+": 2, "-": 2, "*": 3, "/": 3}
_APPLY: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def _wrap(value: Expr | float | int) -> Expr:
    return value if isinstance(value, Expr) else Const(float(value))


class Expr:
    """Base of all expression nodes; arithmetic operators build trees."""

    precedence = 9
    array_formula = False
    """True for a node whose formula must be entered as an array formula (Ctrl+Shift+Enter) to
    evaluate element by element in every spreadsheet, dynamic arrays or not."""

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        raise NotImplementedError

    def _render(self, placed: Placed) -> str:
        raise NotImplementedError

    def render(self, placed: Placed | None = None) -> str:
        """Formula text without the leading '='; placed sub-trees render as their cell reference."""
        return self._render(placed or {})

    def _child(self, child: Expr, placed: Placed) -> str:
        return placed[child] if child in placed else child._render(placed)

    def __add__(self, other: Expr | float) -> Expr:
        return BinOp("+", self, _wrap(other))

    def __radd__(self, other: float) -> Expr:
        return BinOp("+", _wrap(other), self)

    def __sub__(self, other: Expr | float) -> Expr:
        return BinOp("-", self, _wrap(other))

    def __rsub__(self, other: float) -> Expr:
        return BinOp("-", _wrap(other), self)

    def __mul__(self, other: Expr | float) -> Expr:
        return BinOp("*", self, _wrap(other))

    def __rmul__(self, other: float) -> Expr:
        return BinOp("*", _wrap(other), self)

    def __truediv__(self, other: Expr | float) -> Expr:
        return BinOp("/", self, _wrap(other))

    def __rtruediv__(self, other: float) -> Expr:
        return BinOp("/", _wrap(other), self)


@dataclass(frozen=True, eq=True)
class Const(Expr):
    """A literal number or text written into the formula."""

    value: Value

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return self.value

    def _render(self, placed: Placed) -> str:
        return render_literal(self.value)


@dataclass(frozen=True, eq=True)
class Ref(Expr):
    """An input, looked up by ``name`` in Python and written as ``ref`` in formulas.

    Without ``ref`` the name is the reference: a UDF parameter, or a workbook's defined name
    (``Ref("Borgere")``). A table column or a cell of the formula's own row has a ref of its own.
    """

    name: str
    ref: str | None = None

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return env[self.name]

    def _render(self, placed: Placed) -> str:
        return self.ref or self.name


@dataclass(frozen=True, eq=True)
class Cell(Expr):
    """A fixed value the sheet shows in a protected cell (a frequency, a matrix header)."""

    ref: str
    value: Value

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return self.value

    def _render(self, placed: Placed) -> str:
        return self.ref


@dataclass(frozen=True, eq=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return _PRECEDENCE[self.op]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return _APPLY[self.op](number(self.left.evaluate(env)), number(self.right.evaluate(env)))

    def _render(self, placed: Placed) -> str:
        left = self._child(self.left, placed)
        right = self._child(self.right, placed)
        if self.left not in placed and self.left.precedence < self.precedence:
            left = f"({left})"
        if self.right not in placed and (
            self.right.precedence < self.precedence or (self.right.precedence == self.precedence and self.op in "-/")
        ):
            right = f"({right})"
        return f"{left}{self.op}{right}"


@dataclass(frozen=True, eq=True)
class Round(Expr):
    """ROUND (half away from zero) or ROUNDUP (away from zero) to ``digits`` decimals."""

    arg: Expr
    digits: int
    up: bool = False

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        rounding = excel_roundup if self.up else excel_round
        value = self.arg.evaluate(env)
        if isinstance(value, np.ndarray):  # a column: each element rounded exactly as one cell is
            return excel_round_array(value, self.digits, self.up)
        return rounding(float(value), self.digits)

    def _render(self, placed: Placed) -> str:
        function = "ROUNDUP" if self.up else "ROUND"
        return f"{function}({self._child(self.arg, placed)},{self.digits})"


@dataclass(frozen=True, eq=True)
class Labels(Expr):
    """A list of texts: the cells that show them (``ref``), or an array constant when there are none."""

    values: tuple[str, ...]
    ref: str | None = None

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        raise TypeError("labels are looked up by Select, not evaluated")

    def _render(self, placed: Placed) -> str:
        return self.ref or "{" + ",".join(render_literal(value) for value in self.values) + "}"


@dataclass(frozen=True, eq=True)
class Select(Expr):
    """The option whose label equals ``key``: CHOOSE(MATCH(key,labels,0),options…) in Excel.

    Labels match case-insensitively, as MATCH does.
    """

    key: Expr
    labels: Labels
    options: tuple[Expr, ...]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        wanted = str(self.key.evaluate(env)).casefold()
        for label, option in zip(self.labels.values, self.options, strict=True):
            if label.casefold() == wanted:
                return option.evaluate(env)
        raise KeyError(f"{wanted!r} is not one of {list(self.labels.values)}")

    def _render(self, placed: Placed) -> str:
        options = ",".join(self._child(option, placed) for option in self.options)
        return f"CHOOSE(MATCH({self._child(self.key, placed)},{self.labels.render(placed)},0),{options})"


def substitute(node: Any, replacements: Mapping[int, Expr], done: dict[int, Any]) -> Any:
    """``node`` (an expression, or a tuple or record holding some) with every sub-tree that is one of
    the objects ``replacements`` is keyed by (their ``id``) replaced; ``node`` itself where none is.
    ``done`` keeps each sub-tree's result by ``id``, so a sub-tree many cells share is walked once
    (one dict may serve while ``replacements`` only grows: a result kept from before stays right)."""
    if node is None or isinstance(node, (str, float, int)):
        return node  # a leaf: a name, a literal
    found = replacements.get(id(node))
    if found is not None:
        return found
    if id(node) in done:
        return done[id(node)]
    result = node
    if isinstance(node, tuple):
        items = tuple(substitute(item, replacements, done) for item in node)
        if any(new is not old for new, old in zip(items, node, strict=True)):
            result = items
    elif is_dataclass(node) and not isinstance(node, type):
        changed = {}
        for field in fields(node):
            old = getattr(node, field.name)
            new = substitute(old, replacements, done)
            if new is not old:
                changed[field.name] = new
        if changed:
            result = replace(node, **changed)
    done[id(node)] = result
    return result


def number(value: Value) -> Value:
    """A value in arithmetic, as Excel treats it: a blank is 0; arrays become float arrays."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return np.array([0.0 if v is None else v for v in value], dtype=float)
        return value.astype(float, copy=False)
    return 0.0 if value is None else float(value)


def render_literal(value: Value) -> str:
    """A number or text as Excel formula text (text quoted, quotes doubled)."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def round_clean(x: Expr, digits: int = 0) -> Expr:
    """ROUND(ROUND(x; 10); digits): the inner ROUND removes binary noise (50 × 0.29 = 14.4999…)."""
    return Round(Round(x, 10), digits)


def roundup_clean(x: Expr) -> Expr:
    """ROUNDUP(ROUND(x; 10); 0): whole units needed, without noise pushing 3.0000000001 to 4."""
    return Round(Round(x, 10), 0, up=True)
