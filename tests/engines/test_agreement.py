"""Three engines agree on every formula cell of the templates and the demo workbooks.

xltools' cached values (the templates recalculated by xltools today, the demo workbooks as ``xltools
demo`` leaves them), LibreOffice's values (one batch for all eight files) and gnumeric's values (one call
per file, structured references rewritten) must be equal in every formula cell; what gnumeric is not
asked follows from the formulas (``agreement.gnumeric_exclusions``). Run with ``-s`` to see the counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines.agreement import Agreement, check_agreement
from tests.engines.conftest import TEMPLATES

pytestmark = [pytest.mark.libreoffice, pytest.mark.gnumeric]

DEMO = [
    "brancheredskab-demo-1.xlsx",
    "maalstyring-demo-1.xlsx",
    "ressourceberegner-demo-1.xlsx",
    "ressourceberegner-demo-2.xlsx",
    "ressourceberegner-demo-3.xlsx",
]


@pytest.fixture(scope="module")
def agreements(
    current_templates: list[Path],
    demo_workbooks: list[Path],
    tmp_path_factory: pytest.TempPathFactory,
    soffice: str,
    gnumeric_installed: str,
) -> dict[str, Agreement]:
    """The agreement of every template and demo workbook, by label; one LibreOffice batch."""
    assert [path.name for path in demo_workbooks] == DEMO
    results = check_agreement([*current_templates, *demo_workbooks], tmp_path_factory.mktemp("agreement"))
    labels = [f"template {path.name}" for path in current_templates] + [f"demo {path.name}" for path in demo_workbooks]
    return dict(zip(labels, results, strict=True))


LABELS = [f"template {path.name}" for path in TEMPLATES] + [f"demo {name}" for name in DEMO]


@pytest.mark.parametrize("label", LABELS)
def test_every_formula_cell_agrees_in_three_engines(agreements: dict[str, Agreement], label: str) -> None:
    agreement = agreements[label]
    print(f"\n[{label}] " + agreement.summary())
    assert agreement.asked["libreoffice"] == agreement.formula_cells > 0
    assert agreement.asked["gnumeric"] + len(agreement.skipped) == agreement.formula_cells
    assert not agreement.unrewritten, agreement.summary()
    assert not agreement.unparsed_but_asked, agreement.summary()
    assert not agreement.disagreements, agreement.summary()


def test_every_workbook_was_compared(agreements: dict[str, Agreement]) -> None:
    assert sorted(agreements) == sorted(LABELS)
    assert all(agreement.formula_cells for agreement in agreements.values())
