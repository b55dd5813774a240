"""Validation rules written once: each renders the Excel data-validation formula and judges values in Python.

A rule is an expression node over one cell. Excel evaluates the rendered formula as a custom data
validation (an entry is allowed only when the formula gives TRUE); Python evaluates the same node on a
whole column at once (a scalar is a column of one), so a typed value and a value read back by xltools
are judged alike. Excel has no regular expressions, so a rule is what a formula can express and the
Python check is that rule, element for element — the tests evaluate every rendered formula in a real
spreadsheet engine over a corpus of values that Python also judges.

Values are as a cell holds them: a float (numbers and dates), a str, a bool, or None for a blank.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import numpy as np

from xltools.core.expr import Const, Expr, Placed, Value
from xltools.core.logic import is_blank, memo, serial
from xltools.core.rounding import excel_round_array
from xltools.messages import number as danish_number

FORMULA_START_CHARACTERS = "=+-@\t\n\r"
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def excel_text(value: object) -> str:
    """The text Excel's text functions (LEN, LEFT, MID, FIND) see in a cell: numbers in General format."""
    if type(value) is str:  # most cells a text rule judges
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and abs(number) < 1e11:
            return str(int(number))
        return f"{number:.10g}".replace("e+", "E+").replace("e-", "E-")
    return str(value)


def _is_number(value: object) -> bool:
    if type(value) is float:  # most cells a number rule judges
        return math.isfinite(value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _each(values: np.ndarray, check: Callable[[str], bool]) -> np.ndarray:
    """``check`` of every value's text as Excel's text functions see it."""
    return np.fromiter(map(check, map(excel_text, values)), dtype=bool, count=len(values))


def _digits(text: str, start: int, count: int) -> bool:
    """``count`` ASCII digits from 1-based ``start``: the formula's SUMPRODUCT over MID and FIND."""
    run = text[start - 1 : start - 1 + count]
    return len(run) == count and run.isascii() and run.isdigit()


def _digits_formula(x: str, start: int, count: int) -> str:
    positions = ",".join(str(start + i) for i in range(count))
    return f'SUMPRODUCT(--ISNUMBER(FIND(MID({x},{{{positions}}},1),"0123456789")))={count}'


TODAY = "today"
"""The environment key of today's date (a serial) for rules that refer to TODAY()."""


@dataclass(frozen=True, eq=True)
class Rule(Expr):
    """TRUE where the value in ``arg`` is allowed; ``text`` says the rule in Danish (after the input's name)."""

    arg: Expr

    @property
    def text(self) -> str:
        raise NotImplementedError

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        value = self.arg.evaluate(env)
        if isinstance(value, np.ndarray):
            return self.allowed(value, env)
        return bool(self.allowed(np.array([value], dtype=object), env)[0])

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        """Element by element, whether each value passes (the Python face of the formula)."""
        raise NotImplementedError

    def judge(self, value: object, env: Mapping[str, Value] | None = None) -> bool:
        """Whether one value passes (a column of one: the same code as for a whole column)."""
        return bool(self.allowed(np.array([value], dtype=object), env or {})[0])

    def formula(self, cell: str) -> str:
        """The data-validation formula for a range whose top-left cell is ``cell`` (relative reference)."""
        return "=" + replace(self, arg=_CellRef(cell)).render()


@dataclass(frozen=True, eq=True)
class _CellRef(Expr):
    """The validated cell itself, as the formula names it."""

    ref: str

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        raise TypeError("a data-validation cell is only rendered")

    def _render(self, placed: Placed) -> str:
        return self.ref


@dataclass(frozen=True, eq=True)
class NoFormulaStart(Rule):
    """Text that neither a spreadsheet nor a CSV import would run as a formula (first character)."""

    @property
    def text(self) -> str:
        return "må ikke begynde med =, +, -, @, tabulator eller linjeskift (så teksten aldrig kan blive en formel)"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        return _each(values, lambda text: text[:1] == "" or text[0] not in FORMULA_START_CHARACTERS)

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        return f'ISERROR(FIND(LEFT({x},1),"=+-@"&CHAR(9)&CHAR(10)&CHAR(13)))'


@dataclass(frozen=True, eq=True)
class CvrValid(Rule):
    """Eight digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11: the CVR modulus-11 check."""

    @property
    def text(self) -> str:
        return "skal være et CVR-nummer: 8 cifre, der består modulus 11-kontrollen"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        texts = list(map(excel_text, values))
        ok = np.fromiter((len(text) == 8 and _digits(text, 1, 8) for text in texts), dtype=bool, count=len(texts))
        if ok.any():
            chosen = "".join(text for text, eight in zip(texts, ok, strict=True) if eight)
            digits = np.frombuffer(chosen.encode("ascii"), dtype=np.uint8).reshape(-1, 8) - 48
            ok[ok] = (digits.astype(int) @ np.array(CVR_WEIGHTS)) % 11 == 0
        return ok

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        positions = ",".join(str(i) for i in range(1, len(CVR_WEIGHTS) + 1))
        weights = ",".join(str(w) for w in CVR_WEIGHTS)
        return (
            f"AND(LEN({x})=8,{_digits_formula(x, 1, 8)},"
            f"MOD(SUMPRODUCT(--MID({x},{{{positions}}},1),{{{weights}}}),11)=0)"
        )


@dataclass(frozen=True, eq=True)
class PhoneValid(Rule):
    """A Danish phone number: 8 digits, optionally after +45 or 0045; spaces and dashes are ignored."""

    @property
    def text(self) -> str:
        return "skal være et dansk telefonnummer på 8 cifre (evt. +45 foran; mellemrum og - må bruges)"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        return _each(values, _danish_phone)

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        d = f'SUBSTITUTE(SUBSTITUTE({x}," ",""),"-","")'
        return (
            f"OR(AND(LEN({d})=8,{_digits_formula(d, 1, 8)}),"
            f'AND(LEN({d})=11,LEFT({d},3)="+45",{_digits_formula(d, 4, 8)}),'
            f'AND(LEN({d})=12,LEFT({d},4)="0045",{_digits_formula(d, 5, 8)}))'
        )


@dataclass(frozen=True, eq=True)
class EmailValid(Rule):
    """An e-mail address's shape: no spaces, one @ with text before it, a dot after the domain's first
    character, and at least two characters after the last dot."""

    @property
    def text(self) -> str:
        return "skal være en e-mailadresse (navn@domæne.dk, uden mellemrum)"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        return _each(values, _email_shaped)

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        return (
            f'AND(ISERROR(FIND(" ",{x})),LEN({x})-LEN(SUBSTITUTE({x},"@",""))=1,FIND("@",{x})>1,'
            f'ISNUMBER(FIND(".",{x},FIND("@",{x})+2)),ISERROR(FIND(".",RIGHT({x},2))))'
        )


def _danish_phone(text: str) -> bool:
    digits = text.replace(" ", "").replace("-", "")
    return (
        (len(digits) == 8 and _digits(digits, 1, 8))
        or (len(digits) == 11 and digits.startswith("+45") and _digits(digits, 4, 8))
        or (len(digits) == 12 and digits.startswith("0045") and _digits(digits, 5, 8))
    )


def _email_shaped(text: str) -> bool:
    before, _, after = text.partition("@")
    return " " not in text and text.count("@") == 1 and before != "" and "." in after[1:] and "." not in text[-2:]


@dataclass(frozen=True, eq=True)
class NumberBetween(Rule):
    """A number from ``low`` to ``high`` (either may be None; ``high`` may be another cell, as "filled ≤
    places"), whole (``decimals`` 0) or with at most ``decimals`` decimals; ``unit`` names it in the text."""

    low: float | None = None
    high: float | Expr | None = None
    decimals: int | None = None
    unit: str = "tal"
    no_logical: bool = False
    """Also refuse TRUE/FALSE in the formula: LibreOffice stores them as numbers (ISNUMBER(TRUE) is TRUE
    there), while Excel and Python never take them for numbers."""

    @property
    def text(self) -> str:
        kind = {0: "et helt tal", 1: "et tal med højst én decimal"}.get(self.decimals, "et tal")  # type: ignore[arg-type]
        if isinstance(self.high, Expr):
            return f"skal være {kind} fra {danish_number(self.low or 0)} og højst {self.unit}"
        if self.low is not None and self.high is not None:
            return f"skal være {kind} fra {danish_number(self.low)} til {danish_number(self.high)}"
        if self.low is not None:
            return f"skal være {kind} på mindst {danish_number(self.low)}"
        return f"skal være {kind}"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        if values.dtype.kind != "f" and set(map(type, values)) == {float}:
            values = values.astype(float)  # registrations all numbers: judged as one column
        if values.dtype.kind == "f":  # a column of plain numbers (also the UDFs' fast path)
            numeric = np.isfinite(values)
        else:
            numeric = np.fromiter(map(_is_number, values), dtype=bool, count=len(values))
        numbers = np.where(numeric, values, np.nan).astype(float)
        ok = numeric.copy()
        with np.errstate(invalid="ignore"):
            if self.decimals == 0:
                ok &= numbers == np.floor(numbers)
            elif self.decimals is not None:
                ok[ok] = excel_round_array(numbers[ok], self.decimals) == numbers[ok]
            if self.low is not None:
                ok &= numbers >= self.low
            if isinstance(self.high, Expr):
                high = self.high.evaluate(env)
                ok &= numbers <= _as_numbers(high, len(values))
            elif self.high is not None:
                ok &= numbers <= self.high
        return ok

    def conditions(self, x: str, placed: Placed) -> list[str]:
        """The rule's conditions on the cell or range ``x``, in order: all must hold."""
        parts = [f"ISNUMBER({x})"]
        if self.no_logical:
            parts.append(f"NOT(ISLOGICAL({x}))")
        if self.decimals == 0:
            parts.append(f"{x}=INT({x})")
        elif self.decimals is not None:
            parts.append(f"{x}=ROUND({x},{self.decimals})")
        if self.low is not None:
            parts.append(f"{x}>={Const(self.low).render()}")
        if isinstance(self.high, Expr):
            parts.append(f"{x}<={self._child(self.high, placed)}")
        elif self.high is not None:
            parts.append(f"{x}<={Const(self.high).render()}")
        return parts

    def _render(self, placed: Placed) -> str:
        return "AND(" + ",".join(self.conditions(self._child(self.arg, placed), placed)) + ")"


@dataclass(frozen=True, eq=True)
class DateBetween(Rule):
    """A date (a number, time of day allowed) from ``earliest`` up to today, or not before another date cell."""

    earliest: date | Expr = date(2000, 1, 1)
    up_to_today: bool = True

    @property
    def text(self) -> str:
        if isinstance(self.earliest, Expr):
            return "skal være en dato, der ikke ligger før Dato"
        latest = " og senest i dag" if self.up_to_today else ""
        return f"skal være en dato fra {self.earliest:%d-%m-%Y}{latest}"

    def allowed(self, values: np.ndarray, env: Mapping[str, Value]) -> np.ndarray:
        numeric = np.fromiter(map(_is_number, values), dtype=bool, count=len(values))
        numbers = np.where(numeric, values, np.nan).astype(float)
        if isinstance(self.earliest, Expr):
            earliest = _as_numbers(self.earliest.evaluate(env), len(values))
        else:
            earliest = np.full(len(values), serial(self.earliest))
        with np.errstate(invalid="ignore"):
            ok = numeric & (numbers >= earliest)
            if self.up_to_today:
                ok &= numbers < float(env[TODAY]) + 1
        return ok

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        if isinstance(self.earliest, Expr):
            low = self._child(self.earliest, placed)
        else:
            low = f"DATE({self.earliest.year},{self.earliest.month},{self.earliest.day})"
        today = f",{x}<TODAY()+1" if self.up_to_today else ""
        return f"AND(ISNUMBER({x}),{x}>={low}{today})"


@dataclass(frozen=True, eq=True)
class CountFailing(Expr):
    """How many filled cells break their rule, over pairs (rule, area): values that got past Excel's data
    validation (pasted, or typed before the validation existed).

    One array formula, ``SUM(IF(a="",0,IF(c1,IF(c2,…,0,1),1)))`` per area, summed: the rule's conditions
    are nested IFs because AND would collapse the array to one value, and IF keeps the error of a
    condition on text (INT("tre")) in the branch not taken. Evaluated in Python by each rule itself.
    (LibreOffice reads TRUE/FALSE in an array as plain numbers, so it lets them pass here.)
    """

    checks: tuple[tuple[NumberBetween, Expr], ...]
    array_formula = True

    def __post_init__(self) -> None:
        if any(isinstance(rule.high, Expr) for rule, _ in self.checks):
            raise ValueError("CountFailing judges by fixed bounds, not by another cell")

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        failing = 0
        for rule, area in self.checks:
            cells = np.asarray(area.evaluate(env), dtype=object)  # a range's own array: the same object each time
            failing += memo(cells, ("failing", rule), partial(_failing, rule))  # the Data row and the warning count it
        return float(failing)

    def _render(self, placed: Placed) -> str:
        sums = []
        for rule, area in self.checks:
            x = self._child(area, placed)
            nested = "0"
            for condition in reversed(rule.conditions(x, placed)):
                nested = f"IF({condition},{nested},1)"
            sums.append(f'SUM(IF({x}="",0,{nested}))')
        return "+".join(sums) if sums else "0"


def _failing(rule: NumberBetween, cells: np.ndarray) -> int:
    """How many filled ``cells`` break ``rule`` (whose bounds are fixed: no environment needed)."""
    cells = cells.ravel()
    filled = cells[~is_blank(cells)]
    return int((~rule.allowed(filled, {})).sum()) if len(filled) else 0


def _as_numbers(value: Value, count: int) -> np.ndarray:
    """Another cell's values as Excel compares a number with them: a blank is 0, and text or a
    boolean ranks above every number (so ``x<=text`` holds and ``x>=text`` does not)."""
    values = value if isinstance(value, np.ndarray) else np.full(count, value, dtype=object)
    return np.fromiter(map(_compared, values), dtype=float, count=len(values))


def _compared(value: object) -> float:
    if value is None or value == "":
        return 0.0
    if _is_number(value):
        return float(value)  # type: ignore[arg-type]
    return math.inf
