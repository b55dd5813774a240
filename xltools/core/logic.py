"""Logic, text, date and aggregate nodes: IF, AND, comparisons, blanks, ISO weeks, SUMIFS, COUNTIFS.

Each node evaluates on scalars (a UDF call, one cell) and on NumPy arrays (a whole table column at
once), with Excel's semantics where they differ from Python's: text compares case-insensitively and a
blank cell is "" to text and 0 to numbers.
"""

from __future__ import annotations

import operator
import weakref
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar, TypeVar

import numpy as np

from xltools.core.expr import COMPARISON, CONCATENATION, Const, Expr, Placed, Value, number, render_literal

EXCEL_EPOCH = date(1899, 12, 30)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def serial(day: date) -> float:
    """A date as Excel's serial number (days since 1899-12-30)."""
    return float((day - EXCEL_EPOCH).days)


def from_serial(value: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(value))


_MEMO: dict[tuple[int, Hashable], tuple[weakref.ref[np.ndarray], Any]] = {}
Converted = TypeVar("Converted")


def memo(array: np.ndarray, kind: Hashable, convert: Callable[[np.ndarray], Converted]) -> Converted:
    """``convert(array)``, computed once per array: SUMIFS over 60 industries reads one column 60 times."""
    key = (id(array), kind)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is array:
        return hit[1]  # type: ignore[no-any-return]
    result = convert(array)
    _MEMO[key] = (weakref.ref(array, lambda _: _MEMO.pop(key, None)), result)
    return result


def load_pandas() -> Any:
    """pandas, for whole columns of mixed values; imported on first use, so a tool that never needs it
    (any recalculation, the UDFs) never pays its import."""
    import pandas

    return pandas


def is_blank(value: Value) -> Any:
    """True where a cell is empty ("" counts as empty, as in Excel's ``x=""``)."""
    if isinstance(value, np.ndarray):
        if value.dtype != object:
            return np.isnan(value.astype(float, copy=False))
        return memo(value, "blank", _blanks)
    return _blank(value)


def _blanks(array: np.ndarray) -> np.ndarray:
    return np.fromiter(map(_blank, array.flat), bool, array.size).reshape(array.shape)


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _is_text(value: Value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype == object and bool(memo(value, "has_text", _has_text))
    return isinstance(value, str)


def _has_text(array: np.ndarray) -> np.ndarray:
    return np.array(any(isinstance(v, str) for v in array))


def text(value: Value) -> Value:
    """Text as compared by Excel: case-folded, a blank is ""."""
    if isinstance(value, np.ndarray):
        return memo(value, "text", _casefold)
    return "" if _blank(value) else str(value).casefold()


def _casefold(array: np.ndarray) -> np.ndarray:
    folded = ["" if _blank(value) else str(value).casefold() for value in array.flat]
    return np.array(folded, dtype=object).reshape(array.shape)


def numbers(array: np.ndarray) -> np.ndarray:
    """A column as numbers for SUMIFS and comparisons: text and blanks are NaN (they match nothing)."""
    if array.dtype != object:
        return array.astype(float, copy=False)
    return memo(array, "numbers", _numbers)


def _numbers(array: np.ndarray) -> np.ndarray:
    """Numbers and blanks convert as they are; a column holding text or truth values goes through
    pandas' parser (what a number typed as text means there is pandas' rule, not Python's ``float``)."""
    if all(value is None or (type(value) is float or type(value) is int) for value in array.flat):
        return np.fromiter((np.nan if v is None else v for v in array.flat), float, array.size).reshape(array.shape)
    pd = load_pandas()
    return pd.to_numeric(pd.Series(array, dtype=object), errors="coerce").to_numpy(float)


def _summands(array: np.ndarray) -> np.ndarray:
    """A column as SUMIFS adds it: its numbers, text and blanks as 0 (what ``np.nansum`` adds, worked
    out once per column: a week's employee column is summed for every indicator)."""
    values = numbers(array)
    return np.where(np.isnan(values), 0.0, values)


def _scalar(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True, eq=True)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr
    precedence = COMPARISON

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        left, right = self.left.evaluate(env), self.right.evaluate(env)
        if _is_text(left) or _is_text(right):
            left, right = text(left), text(right)
        else:
            left, right = number(left), number(right)
        return _scalar(_COMPARE[self.op](left, right))

    def _render(self, placed: Placed) -> str:
        left = self._child(self.left, placed)
        right = self._child(self.right, placed)
        if self.left not in placed and self.left.precedence <= COMPARISON:
            left = f"({left})"
        if self.right not in placed and self.right.precedence <= COMPARISON:
            right = f"({right})"
        return f"{left}{self.op}{right}"


@dataclass(frozen=True, eq=True)
class IsBlank(Expr):
    """The cell is empty: ``x=""`` in Excel (true for a blank cell and for empty text)."""

    arg: Expr
    precedence = COMPARISON

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return is_blank(self.arg.evaluate(env))

    def _render(self, placed: Placed) -> str:
        return f'{self._child(self.arg, placed)}=""'


@dataclass(frozen=True, eq=True)
class Not(Expr):
    """The opposite of a condition; ``NOT(x="")`` renders as ``x<>""``, which reads better."""

    arg: Expr
    precedence = COMPARISON

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        value = self.arg.evaluate(env)
        return np.logical_not(value) if isinstance(value, np.ndarray) else not value

    def _render(self, placed: Placed) -> str:
        if isinstance(self.arg, IsBlank):
            return f'{self._child(self.arg.arg, placed)}<>""'
        return f"NOT({self._child(self.arg, placed)})"


@dataclass(frozen=True, eq=True)
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        condition = self.condition.evaluate(env)
        if isinstance(condition, np.ndarray):
            then, otherwise = self.then.evaluate(env), self.otherwise.evaluate(env)
            if _is_text(then) or _is_text(otherwise):  # keep numbers numbers beside text
                return np.where(condition, np.asarray(then, dtype=object), np.asarray(otherwise, dtype=object))
            return np.where(condition, number(then), number(otherwise))
        return self.then.evaluate(env) if condition else self.otherwise.evaluate(env)

    def _render(self, placed: Placed) -> str:
        args = (self.condition, self.then, self.otherwise)
        return "IF(" + ",".join(self._child(arg, placed) for arg in args) + ")"


@dataclass(frozen=True, eq=True)
class _Logical(Expr):
    """AND / OR over conditions, on scalars or element by element on columns."""

    args: tuple[Expr, ...]
    function: ClassVar[str]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        values = [arg.evaluate(env) for arg in self.args]
        on_columns, on_scalars = _LOGICAL[self.function]
        if any(isinstance(value, np.ndarray) for value in values):
            return on_columns([np.asarray(value, dtype=bool) for value in values])
        return on_scalars(values)

    def _render(self, placed: Placed) -> str:
        return self.function + "(" + ",".join(self._child(arg, placed) for arg in self.args) + ")"


class And(_Logical):
    function = "AND"


class Or(_Logical):
    function = "OR"


_LOGICAL: dict[str, tuple[Callable[[list[np.ndarray]], Any], Callable[[list[Any]], bool]]] = {
    "AND": (np.logical_and.reduce, all),
    "OR": (np.logical_or.reduce, any),
}


@dataclass(frozen=True, eq=True)
class WeekLabel(Expr):
    """The ISO week of a date as Danes write it: "uge 48", or with ``year`` "uge 48 2012" (the ISO
    year, of the week's Thursday). ISOWEEKNUM needs the _xlfn. prefix in the file."""

    day: Expr
    year: bool = False
    precedence = CONCATENATION

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        value = self.day.evaluate(env)
        if isinstance(value, np.ndarray):  # a column repeats few dates: each labelled once
            labels: dict[object, str] = {}
            return np.array(
                [labels[v] if v in labels else labels.setdefault(v, self._label(v)) for v in value], dtype=object
            )
        return self._label(value)

    def _label(self, value: object) -> str:
        if _blank(value):
            return ""
        year, week, _ = from_serial(float(value)).isocalendar()  # type: ignore[arg-type]
        return f"uge {week} {year}" if self.year else f"uge {week}"

    def _render(self, placed: Placed) -> str:
        d = self._child(self.day, placed)
        year = f'&" "&YEAR({d}-WEEKDAY({d},2)+4)' if self.year else ""
        return f'"uge "&_xlfn.ISOWEEKNUM({d}){year}'


@dataclass(frozen=True, eq=True)
class Criterion:
    """One SUMIFS/COUNTIFS condition on a column: equal to a value, or compared with ``op``."""

    column: Expr
    value: Expr
    op: str = "="

    def render(self, placed: Placed) -> str:
        column = self.column.render(placed) if self.column not in placed else placed[self.column]
        value = placed.get(self.value) or self.value.render(placed)
        if self.op == "=":
            return f"{column},{value}"
        if isinstance(self.value, Const):
            return f"{column},{render_literal(self.op + str(self.value.value))}"
        return f"{column},{render_literal(self.op)}&{value}"

    def mask(self, env: Mapping[str, Value]) -> Any:
        column, value = self.column.evaluate(env), self.value.evaluate(env)
        if isinstance(value, np.ndarray):
            raise TypeError("a criterion compares a column with one value")
        return memo(column, f"mask {self.op} {value!r}", lambda array: self._mask(array, value))

    def _mask(self, column: np.ndarray, value: Value) -> np.ndarray:
        if self.op in ("=", "<>") and _is_text(value):
            return np.asarray(_COMPARE[self.op](text(column), text(value)), dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.asarray(_COMPARE[self.op](numbers(column), number(value)), dtype=bool)


@dataclass(frozen=True, eq=True)
class SumIfs(Expr):
    total: Expr
    criteria: tuple[Criterion, ...]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        masks = [criterion.mask(env) for criterion in self.criteria]
        mask = masks[0] if len(masks) == 1 else np.logical_and.reduce(masks)
        return float(np.add.reduce(memo(self.total.evaluate(env), "summands", _summands)[mask]))

    def _render(self, placed: Placed) -> str:
        criteria = ",".join(criterion.render(placed) for criterion in self.criteria)
        return f"SUMIFS({self._child(self.total, placed)},{criteria})"


@dataclass(frozen=True, eq=True)
class CountIfs(Expr):
    criteria: tuple[Criterion, ...]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return float(np.logical_and.reduce([criterion.mask(env) for criterion in self.criteria]).sum())

    def _render(self, placed: Placed) -> str:
        return "COUNTIFS(" + ",".join(criterion.render(placed) for criterion in self.criteria) + ")"


@dataclass(frozen=True, eq=True)
class SumProduct(Expr):
    """``SUMPRODUCT(--(c1),--(c2),…,values)``: the sum of ``values`` (the count of rows when None) over the
    rows where every condition holds.

    The conditions are comparisons of columns (``Arkiv!$B$2:$B$9=A40``) — Excel's literal,
    case-insensitive ``=``, which every engine computes alike, where a SUMIFS criterion would treat
    ``*``, ``?``, ``~`` and a leading ``<``, ``>`` or ``=`` in a user's text as operators. No function
    is applied to a range: a plain SUMPRODUCT does not evaluate those element by element everywhere.
    """

    conditions: tuple[Expr, ...]
    values: Expr | None = None

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        masks = [np.asarray(condition.evaluate(env), dtype=bool).ravel() for condition in self.conditions]
        mask = np.logical_and.reduce(masks)
        if self.values is None:
            return float(mask.sum())
        values = np.asarray(self.values.evaluate(env), dtype=object).ravel()
        return float(sum(_values(tuple(values[mask]))))

    def _render(self, placed: Placed) -> str:
        parts = [f"--({self._child(condition, placed)})" for condition in self.conditions]
        if self.values is not None:
            parts.append(self._child(self.values, placed))
        return "SUMPRODUCT(" + ",".join(parts) + ")"


def compare(op: str, left: Expr, right: Expr | float | str) -> Compare:
    """``left op right`` with Excel's comparison semantics; plain values become constants."""
    return Compare(op, left, right if isinstance(right, Expr) else Const(right))


def _excel_date(year: float, month: float, day: float) -> float:
    return serial(date(int(year), int(month), int(day)))


def _weekday(serial_day: float, kind: float = 1) -> float:
    """WEEKDAY with Excel's return types 1 (Sunday=1), 2 (Monday=1) and 3 (Monday=0)."""
    monday_zero = from_serial(serial_day).weekday()
    return float({1: (monday_zero + 1) % 7 + 1, 2: monday_zero + 1, 3: monday_zero}[int(kind)])


def _values(args: tuple[Value, ...]) -> list[float]:
    """The numbers among arguments and arrays, as SUM/COUNT/MIN/MAX see them (blanks and text ignored)."""
    found: list[float] = []
    for arg in args:
        if type(arg) is float:  # the common case: one cell holding a number
            if arg == arg:
                found.append(arg)
        elif type(arg) is np.ndarray and arg.dtype == np.float64:  # a range of numbers and blanks (NaN)
            found.extend([v for v in arg.ravel().tolist() if v == v])
        elif arg is not None:
            items = arg.ravel().tolist() if isinstance(arg, np.ndarray) else [arg]
            found.extend(float(v) for v in items if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v)
    return found


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "DATE": _excel_date,
    "WEEKDAY": _weekday,
    "INT": lambda x: float(np.floor(number(x))),
    "YEAR": lambda x: float(from_serial(float(np.floor(number(x)))).year),
    "MIN": lambda *args: min(_values(args)) if _values(args) else 0.0,
    "MAX": lambda *args: max(_values(args)) if _values(args) else 0.0,
    "SUM": lambda *args: float(sum(_values(args))),
    "COUNT": lambda *args: float(len(_values(args))),
}
"""Excel functions by name, in Python, for the Call node (scalars; SUM/COUNT/MIN/MAX also over arrays)."""


@dataclass(frozen=True, eq=True)
class Call(Expr):
    """An Excel function from FUNCTIONS: ``NAME(arg,…)`` in the sheet, the same function in Python."""

    function: str
    args: tuple[Expr, ...]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return FUNCTIONS[self.function](*(arg.evaluate(env) for arg in self.args))

    def _render(self, placed: Placed) -> str:
        return f"{self.function}(" + ",".join(self._child(arg, placed) for arg in self.args) + ")"


def call(function: str, *args: Expr | float) -> Call:
    return Call(function, tuple(arg if isinstance(arg, Expr) else Const(arg) for arg in args))
