"""A list value typed on the Lister sheet is refused when a spreadsheet or a CSV export could run it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xltools.errors import ExitCode
from xltools.messages import quote
from xltools.recalc.engine import recalc
from xltools.workbook.package import XlsxPackage


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","klik")', "+1", "-2+3", "@SUM(A1)", "\t=1+1"])
def test_recalc_refuses_a_list_value_like_a_formula(seed_workbook: Path, payload: str) -> None:
    with XlsxPackage(seed_workbook) as package:
        package.set_constant("Lister", 22, 0, payload)
        package.save()
    data = seed_workbook.read_bytes()
    outcome = recalc(seed_workbook, as_of=date(2012, 12, 4))
    assert outcome.exit_code == ExitCode.INVALID
    assert outcome.errors == [
        "Lister!A23 (Virksomhedstype): må ikke begynde med =, +, -, @, tabulator eller linjeskift "
        f"(så teksten aldrig kan blive en formel) — fundet: {quote(payload)}"
    ]
    assert seed_workbook.read_bytes() == data
