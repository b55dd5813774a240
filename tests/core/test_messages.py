"""Values in messages as a Dane writes them: 130 %, -5, 3.300, 43,5 — never 1.3, -5.0 or 3300.0."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltools.core.inputs import InputSpec, Problem
from xltools.messages import LONGEST_QUOTE, escape, number, percent, quote

SHARE = InputSpec("andel", "Andel", "En andel.", "percent", 0, 1)
WHOLE = InputSpec("borgere", "Antal borgere", "Et antal.", "whole", 0)
YEAR = InputSpec("year", "År", "Året.", "year", 2000, 2100)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3300, "3.300"), (3300.0, "3.300"), (-5.0, "-5"), (43.5, "43,5"), (-0.0, "0"), (1e300, "1e+300")],
)
def test_numbers_the_danish_way(value: float, shown: str) -> None:
    assert number(value) == shown


def test_a_share_is_shown_as_a_percentage_and_a_whole_number_without_decimals() -> None:
    assert percent(1.3) == "130 %"
    shown = "Ark!B7 (Andel): skal være mellem 0 og 1 (0 %–100 %) — fundet: 130 %"
    assert Problem(SHARE, 1.3, "Ark!B7").message == shown
    assert Problem(WHOLE, -5.0, "Ark!B4").message.endswith("skal være et helt tal på mindst 0 — fundet: -5")
    assert Problem(WHOLE, 3300.5, "Ark!B4").message.endswith("fundet: 3.300,5")
    assert Problem(SHARE, "30 %").message.endswith("fundet: '30 %'")
    assert Problem(WHOLE, None).message.endswith("cellen er tom")


def test_a_year_rule_keeps_the_year_as_written() -> None:
    assert YEAR.rule == "skal være et årstal fra 2000 til 2100"


def test_quoted_text_is_cut_and_made_printable() -> None:
    assert quote("a\nb") == "'a\\x0ab'"
    assert len(quote("x" * 1000)) == 62 and quote("x" * 1000).endswith("…'")
    assert quote(date(2026, 1, 18)) == "18-01-2026"
    assert quote(None) == "(tom)" and quote(True) == "SAND"


@given(st.text(st.characters(exclude_categories=())))
def test_quoted_text_escapes_exactly_the_characters_a_terminal_cannot_show(text: str) -> None:
    """Printable text is quoted as it is (one check of the whole text), any other character by character
    — lone surrogates (a file name that is not UTF-8) and control characters among them."""
    by_character = "".join(char if char.isprintable() else escape(char) for char in text)
    if len(by_character) > LONGEST_QUOTE:
        by_character = by_character[: LONGEST_QUOTE - 1] + "…"
    assert quote(text) == f"'{by_character}'"
