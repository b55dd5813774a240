"""Text that must never become a formula: the rule for every text a user types into our workbooks.

A spreadsheet runs a cell typed as ``=…``, ``+…``, ``-…`` or ``@…`` as a formula, and so does a
spreadsheet opening a CSV export, where a leading tab or line break hides the same payload. Free-text
and list values that start like that are refused; text xltools copies is always written as text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

FORMULA_RULE = "må ikke begynde med =, +, -, @, tabulator eller linjeskift (så teksten aldrig kan blive en formel)"


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet or a CSV import could run ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)
