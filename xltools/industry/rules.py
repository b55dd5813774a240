"""Field rules of a Kontakter row that are more than a range: CVR, phone number, e-mail.

The CVR check is an expression node, so the same rule is the Python check, the ``CVR_VALID`` UDF and
the Excel data validation formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from xltools.core.expr import Expr, Placed, Value

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
PHONE = re.compile(r"(?:\+45|0045)?\d{8}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def cvr_valid(value: object) -> bool:
    """Eight digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11: the CVR modulus-11 check."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = str(value).strip() if value is not None else ""
    if len(digits) != 8 or not digits.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS, strict=True)) % 11 == 0


def phone_valid(value: str) -> bool:
    """A Danish 8-digit number, optionally with +45 (or 0045) and spaces or dashes."""
    return PHONE.fullmatch(re.sub(r"[\s-]", "", value)) is not None


def email_valid(value: str) -> bool:
    return EMAIL.fullmatch(value.strip()) is not None


@dataclass(frozen=True, eq=True)
class CvrValid(Expr):
    """TRUE when the argument is a valid CVR number."""

    arg: Expr

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        value = self.arg.evaluate(env)
        if isinstance(value, np.ndarray):
            return np.array([cvr_valid(v) for v in value], dtype=bool)
        return cvr_valid(value)

    def _render(self, placed: Placed) -> str:
        x = self._child(self.arg, placed)
        positions = ",".join(str(i) for i in range(1, len(CVR_WEIGHTS) + 1))
        weights = ",".join(str(w) for w in CVR_WEIGHTS)
        return (
            f'AND(LEN({x})=8,ISNUMBER(--{x}),ISERROR(FIND(".",{x})),'
            f"MOD(SUMPRODUCT(--MID({x},{{{positions}}},1),{{{weights}}}),11)=0)"
        )
