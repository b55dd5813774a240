"""Input specifications: one description of an input yields its pydantic validation, its Excel data
validation, its Danish rule text and its number format — so the workbook, the UDFs and ``recalc``
enforce the same rule with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from xltools.core.expr import Ref
from xltools.core.rules import NumberBetween, Rule
from xltools.messages import number, percent, quote

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["whole", "number", "percent", "choice", "date", "year", "any"]


DOUBTED = object()
"""What ``InputSpec.plainly`` returns for a value the model must judge."""


@dataclass(frozen=True)
class InputSpec:
    """One input: what it is called in Python, in the workbook and for the user, and its rule."""

    key: str
    label: str
    help: str
    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    defined_name: str | None = None
    blank_ok: bool = False
    """An empty cell is a valid value (None), e.g. an Årsmål that is not set."""
    decimals: int | None = None
    """For "number": at most this many decimals (one for hours); whole numbers and years have none."""

    @property
    def check(self) -> Rule | None:
        """The rule a number must pass, as Excel's validation formula and as the Python check alike."""
        if self.kind in ("whole", "year"):
            return NumberBetween(_VALUE, self.minimum, self.maximum, decimals=0)
        if self.kind == "number":
            return NumberBetween(_VALUE, self.minimum, self.maximum, decimals=self.decimals)
        if self.kind == "percent":
            low = self.minimum if self.minimum is not None else 0.0
            return NumberBetween(_VALUE, low, self.maximum if self.maximum is not None else 1.0)
        return None

    @property
    def rule(self) -> str:
        """The rule in Danish, phrased to follow the input's name."""
        if self.kind == "date":
            return "skal være en dato"
        if self.kind == "any":
            return "kan være hvad som helst"
        if self.kind == "choice":
            return "skal være en af: " + ", ".join(self.choices)
        if self.kind == "percent":
            low, high = self.minimum or 0.0, self.maximum if self.maximum is not None else 1.0
            return f"skal være mellem {number(low)} og {number(high)} ({percent(low)}–{percent(high)})"
        if self.kind == "year" and self.minimum is not None and self.maximum is not None:
            return f"skal være et årstal fra {self.minimum:.0f} til {self.maximum:.0f}"  # 2026, not 2.026
        noun = "et helt tal" if self.kind in ("whole", "year") else "et tal"
        if self.minimum is not None and self.maximum is not None:
            return f"skal være {noun} fra {number(self.minimum)} til {number(self.maximum)}"
        if self.minimum is not None:
            return f"skal være {noun} på mindst {number(self.minimum)}"
        return f"skal være {noun}"

    @property
    def number_format(self) -> str:
        formats = {
            "whole": "#,##0",
            "year": "0",
            "number": "General",  # "#,##0.##" would show 44 as "44,"
            "percent": "0%",
            "choice": "@",
            "date": "dd-mm-yyyy",
        }
        return formats.get(self.kind, "General")

    def excel_validation(self, cell: str, choices_source: str | None = None) -> dict[str, Any]:
        """XlsxWriter ``data_validation`` options enforcing this rule in Excel, with Danish messages;
        ``cell`` is the top-left cell of the validated range (the formula refers to it relatively)."""
        messages = {
            "input_title": self.label[:32],
            "input_message": self.help[:255],
            "error_title": "Ugyldig værdi",
            "error_message": f"{self.label} {self.rule}."[:255],
            "error_type": "stop",
        }
        if self.kind == "choice":
            source = choices_source or list(self.choices)
            return {"validate": "list", "source": source, **messages}
        check = self.check
        if check is None:
            raise ValueError(f"{self.key}: no Excel validation for kind {self.kind}")
        return {"validate": "custom", "value": check.formula(cell), "ignore_blank": self.blank_ok, **messages}

    def annotation(self) -> Any:
        """The pydantic type of this input."""
        if self.blank_ok:
            return self._required_annotation() | None
        return self._required_annotation()

    def _required_annotation(self) -> Any:
        from pydantic import BeforeValidator

        if self.kind == "any":
            return Any
        base, before = _typed(self)
        return Annotated[base, BeforeValidator(before)]

    def plainly(self, value: object) -> object:
        """``value`` as the model types it, when it plainly keeps the rule — judged by the very check
        the model runs before its type — else ``DOUBTED``: the model then judges it and names the
        problem. Inputs that are all fine so need no pydantic (its import is ≈0.15 s of a run)."""
        if self.kind == "any":
            return value if type(value) in _PLAIN_TYPES else DOUBTED
        if value is None and self.blank_ok:
            return None
        base, before = _typed(self)
        try:
            checked = before(value)
        except ValueError:
            return DOUBTED
        if base is str:
            return checked if type(checked) is str else DOUBTED
        if type(checked) not in (int, float):
            return DOUBTED
        number = cast("int | float", checked)
        if not abs(number) < _EXACT:
            return DOUBTED  # also NaN; a huge number is the model's to convert
        return float(number) if base is float else int(number)  # whole: the rule refused fractions


_PLAIN_TYPES = (str, int, float, bool, type(None))
_EXACT = 2.0**53
"""Numbers below this in size are whole numbers or floats alike without rounding."""
_VALUE = Ref("value")


@cache
def _typed(spec: InputSpec) -> tuple[type, Callable[[object], object]]:
    """The type an input's value takes, and the check it must pass first (the model's BeforeValidator)."""
    if spec.kind == "date":
        return float, _as_serial
    if spec.kind == "choice":
        return str, _choice(spec.choices)
    return (int if spec.kind in ("whole", "year") else float), _passing(spec.check)


def _passing(check: Rule | None) -> Callable[[object], object]:
    """A value that passes the input's rule — the very node Excel's validation formula is rendered
    from — so pydantic neither coerces text nor judges differently from Excel."""

    def passes(value: object) -> object:
        if check is None or not check.judge(value):
            raise ValueError("breaks the rule")
        return value

    return passes


def _as_serial(value: object) -> float:
    """A date, a datetime or an Excel serial number, as Excel's serial number."""
    from xltools.core.logic import serial

    if isinstance(value, datetime):
        return serial(value.date())
    if isinstance(value, date):
        return serial(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return float(int(value))
    raise ValueError("not a date")


def _choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    """One of the listed texts, exactly but for case — as Excel's drop-down list validation accepts."""
    canonical = {choice.lower(): choice for choice in choices}

    def check(value: object) -> str:
        if not isinstance(value, str) or value.lower() not in canonical:
            raise ValueError("not a listed choice")
        return canonical[value.lower()]

    return check


@dataclass(frozen=True)
class Problem:
    """One input that breaks its rule; ``where`` names the cell or argument for the user."""

    spec: InputSpec
    value: object
    where: str = ""

    @property
    def message(self) -> str:
        place = f"{self.where} " if self.where else ""
        return f"{place}({self.spec.label}): {self.spec.rule} — {self.found}"

    @property
    def found(self) -> str:
        """What the cell holds, as the user would type it: a share as a percentage (1.3 → 130 %)."""
        if self.value is None or self.value == "":
            return "cellen er tom"
        value = self.value
        if self.spec.kind == "percent" and isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isfinite(value):
                return f"fundet: {percent(value)}"
        return f"fundet: {quote(value)}"


@dataclass
class InvalidInput(ValueError):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(problem.message for problem in self.problems)


@cache
def model_for(specs: tuple[InputSpec, ...]) -> type[BaseModel]:
    """The pydantic model validating a set of inputs (cached: models are costly to create; pydantic is
    imported with the first, so a command that validates no input never loads it)."""
    from pydantic import create_model

    fields: dict[str, Any] = {spec.key: (spec.annotation(), ...) for spec in specs}
    return create_model("Inputs", **fields)


def validate(
    specs: Iterable[InputSpec],
    values: Mapping[str, object],
    where: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Validated, typed values for ``specs``; raises InvalidInput listing every broken rule. Values that
    plainly keep their rules are typed without the model, which judges any other (same results)."""
    specs = tuple(specs)
    typed = {spec.key: spec.plainly(values[spec.key]) if spec.key in values else DOUBTED for spec in specs}
    if not any(value is DOUBTED for value in typed.values()):
        return typed
    from pydantic import ValidationError

    try:
        return model_for(specs).model_validate(dict(values)).model_dump()
    except ValidationError as error:
        by_key = {spec.key: spec for spec in specs}
        keys = dict.fromkeys(str(detail["loc"][0]) for detail in error.errors())
        raise InvalidInput(
            [Problem(by_key[key], values.get(key), (where or {}).get(key, "")) for key in keys]
        ) from None
