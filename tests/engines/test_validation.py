"""Data validation rules proven in LibreOffice: every rule's formula, evaluated over a corpus of typed
values, allows exactly what the Python rule allows.

Two workbooks, one LibreOffice batch: the Ressourceberegner template (its inputs' validations against the
inputs' ``InputSpec``) and a synthetic workbook carrying each rule of ``core/rules.py`` as a custom
validation. Boolean cases are reported but not judged (LibreOffice stores booleans as numbers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from tests.conftest import REPO
from tests.engines.validation import (
    Case,
    Judge,
    Proof,
    Request,
    allows,
    default_corpus,
    prove_validations,
    with_others,
)
from tests.hostile.ooxml import Package
from xltools.capacity import inputs as capacity
from xltools.core import rules
from xltools.core.expr import Ref
from xltools.industry import rows as industry

pytestmark = pytest.mark.libreoffice

CAPACITY = REPO / "workbooks" / "ressourceberegner.xlsx"
CAPACITY_SHEET = "Ressourceberegner"
INDUSTRY = REPO / "workbooks" / "brancheredskab.xlsx"
INDUSTRY_SHEET = "Registrering"

RULES: dict[str, Judge] = {
    "A": rules.NoFormulaStart(Ref("tekst")),
    "B": rules.CvrValid(Ref("cvr")),
    "C": rules.PhoneValid(Ref("telefon")),
    "D": rules.EmailValid(Ref("mail")),
    "E": rules.NumberBetween(Ref("antal"), low=0, decimals=0),
    "F": rules.NumberBetween(Ref("procent"), low=0, high=100, decimals=1),
    "H": rules.NumberBetween(Ref("besatte"), low=0, high=Ref("pladser", ref="G2"), decimals=0),
    "I": rules.DateBetween(Ref("dato"), earliest=date(2000, 1, 1)),
    "K": rules.DateBetween(Ref("lukket"), earliest=Ref("start", ref="J2"), up_to_today=False),
    "L": rules.NumberBetween(Ref("beloeb"), low=-5.5),
}
"""Each rule of core/rules.py (NumberBetween and DateBetween in each form) on a column of its own;
G (Antal pladser) and J (start date) are the other cells the H and K rules read."""


def capacity_cells() -> dict[str, capacity.InputSpec]:
    """Each Ressourceberegner input's cell, found through its defined name."""
    package = Package.read(CAPACITY)
    cells = {}
    for spec in capacity.WORKBOOK_INPUTS:
        assert spec.defined_name is not None
        sheet, cell = package.name_target(spec.defined_name)
        assert sheet == CAPACITY_SHEET
        cells[cell] = spec
    return cells


def industry_cells(reads_another: bool) -> dict[str, Judge]:
    """The Brancheredskab's custom validations (the list columns are Excel's own "list" type) by their
    top-left cell: each column's rule from ``industry.rows.RULES``, the rule Python validates rows by;
    ``reads_another`` picks the two that compare with another cell of the row (besatte, lukket)."""
    cells: dict[str, Judge] = {}
    for rule in industry.RULES.values():
        assert isinstance(rule.arg, Ref) and rule.arg.ref is not None
        others = [ref for ref in (getattr(rule, "high", None), getattr(rule, "earliest", None)) if isinstance(ref, Ref)]
        if bool(others) == reads_another:
            cells[rule.arg.ref] = rule
    return cells


def capacity_corpus() -> list[Case]:
    """The default corpus plus the scenario names: exact, in other case, with spaces."""
    scenarios = capacity.SCENARIOS
    texts = [*scenarios, scenarios[0].upper(), scenarios[1].lower(), " " + scenarios[0], scenarios[2] + " ", "Alle"]
    return default_corpus() + [Case(text) for text in texts]


def rules_corpus() -> list[Case]:
    """The default corpus with every Antal pladser (G) and start date (J) a rule may read."""
    return with_others(with_others(default_corpus(), "G", [None, 0.0, 5.0, "5"]), "J", [None, 45658.0])


def build_rules_workbook(path: Path) -> Path:
    """A sheet with each core rule as the custom validation of its own column."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Regler")
    for column, rule in RULES.items():
        assert isinstance(rule, rules.Rule)
        sheet.write(f"{column}1", type(rule).__name__)
        sheet.data_validation(f"{column}2:{column}1000", {"validate": "custom", "value": rule.formula(f"{column}2")})
    book.close()
    return path


@pytest.fixture(scope="module")
def proofs(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, Proof]:
    """Both workbooks' proofs from one LibreOffice batch, by ``capacity B4`` / ``rules H`` label."""
    folder = tmp_path_factory.mktemp("validation")
    requests = [
        Request(CAPACITY, CAPACITY_SHEET, dict(capacity_cells()), capacity_corpus()),
        Request(build_rules_workbook(folder / "regler.xlsx"), "Regler", RULES, rules_corpus()),
        Request(INDUSTRY, INDUSTRY_SHEET, industry_cells(False)),
        Request(
            INDUSTRY,
            INDUSTRY_SHEET,
            industry_cells(True),
            with_others(with_others(default_corpus(), "K", [None, 0.0, 5.0, "5"]), "A", [None, 45658.0]),
        ),
    ]
    capacity_proofs, rule_proofs, industry_proofs, industry_pairs = prove_validations(requests, folder / "work")
    return (
        {f"capacity {p.column}": p for p in capacity_proofs}
        | {f"rules {p.column}": p for p in rule_proofs}
        | {f"industry {p.column}": p for p in [*industry_proofs, *industry_pairs]}
    )


@pytest.mark.parametrize("label", [f"capacity {cell}" for cell in capacity_cells()])
def test_ressourceberegner_input_validation_equals_its_python_rule(proofs: dict[str, Proof], label: str) -> None:
    proof = proofs[label]
    print("\n" + proof.summary())
    assert len(proof.verdicts) == len(capacity_corpus())
    assert not proof.mismatches, proof.summary()


@pytest.mark.parametrize("label", [f"rules {column}" for column in RULES])
def test_core_rule_formula_equals_its_python_rule(proofs: dict[str, Proof], label: str) -> None:
    proof = proofs[label]
    print("\n" + proof.summary())
    assert proof.validation.kind == "custom"
    assert not proof.mismatches, proof.summary()


@pytest.mark.parametrize("label", [f"industry {cell}" for cell in [*industry_cells(False), *industry_cells(True)]])
def test_brancheredskab_validation_equals_the_rule_python_validates_rows_by(
    proofs: dict[str, Proof], label: str
) -> None:
    proof = proofs[label]
    print("\n" + proof.summary())
    assert proof.validation.kind == "custom"
    assert not proof.mismatches, proof.summary()


def test_the_corpus_reaches_both_verdicts_for_every_rule(proofs: dict[str, Proof]) -> None:
    """A proof where LibreOffice allows everything or nothing would prove little."""
    for label, proof in proofs.items():
        allowed = sum(verdict.engine_allows for verdict in proof.verdicts)
        assert 0 < allowed < len(proof.verdicts), label
        # LibreOffice types an array formula's TRUE as 1: the verdicts, not the values, must be equal
        assert all(allows(verdict.engine) == allows(verdict.engine_array) for verdict in proof.verdicts), label
