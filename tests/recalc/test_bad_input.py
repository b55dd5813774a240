"""Bad input: a clear message naming sheet, cell, rule and value — and a byte-identical file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Ran
from xltools.capacity import inputs as spec
from xltools.errors import ExitCode
from xltools.recalc.engine import recalc
from xltools.workbook.package import type_values

BAD_VALUES = [
    ("Borgere", "abc", "B4", "skal være et helt tal på mindst 0", "fundet: 'abc'"),
    ("Borgere", -5, "B4", "skal være et helt tal på mindst 0", "fundet: -5"),
    ("Borgere", 10.5, "B4", "skal være et helt tal", "fundet: 10,5"),
    ("Borgere", None, "B4", "skal være et helt tal", "cellen er tom"),
    ("Borgere", '=HYPERLINK("http://x.invalid","klik")', "B4", "helt tal", "=HYPERLINK"),
    ("Borgere", "+45 12 34 56 78", "B4", "helt tal", "'+45 12 34 56 78'"),
    ("AndelIntensiv", 1.3, "B7", "skal være mellem 0 og 1 (0 %–100 %)", "fundet: 130 %"),
    ("AndelIntensiv", "30 %", "B7", "mellem 0 og 1", "fundet: '30 %'"),
    ("UgerPrAarsvaerk", 0, "B6", "skal være et tal fra 1 til 52", "fundet: 0"),
    ("SamtaleDage", 6, "B5", "skal være et helt tal fra 1 til 5", "fundet: 6"),
    ("SamtalerPrDag", 2.5, "B23", "skal være et helt tal fra 1 til 20", "fundet: 2,5"),
    ("Udeblivelse", 0.95, "B24", "skal være mellem 0 og 0,9", "fundet: 95 %"),
    ("Scenarie", "Alle borgere", "B35", "skal være en af: Alle: rettidighed (4)", "'Alle borgere'"),
]


@pytest.mark.parametrize(("name", "value", "cell", "rule", "found"), BAD_VALUES, ids=lambda v: repr(v)[:24])
def test_bad_value_is_named_and_file_left_untouched(
    capacity_copy: Path, name: str, value: object, cell: str, rule: str, found: str, xltools: Callable[..., Ran]
) -> None:
    type_values(capacity_copy, {name: value})
    data = capacity_copy.read_bytes()
    result = xltools("recalc", capacity_copy)
    assert result.exit_code == ExitCode.INVALID
    assert f"Ressourceberegner!{cell}" in result.output
    assert rule in result.output and found in result.output
    assert capacity_copy.read_bytes() == data


def test_every_bad_input_is_reported_at_once(capacity_copy: Path) -> None:
    type_values(capacity_copy, {"Borgere": -1, "SamtaleDage": 0, "AndelIntensiv": 2})
    outcome = recalc(capacity_copy)
    assert outcome.exit_code == ExitCode.INVALID
    assert [error.split(" ")[0] for error in outcome.errors] == [
        "Ressourceberegner!B4",
        "Ressourceberegner!B5",
        "Ressourceberegner!B7",
    ]


def test_text_input_is_stored_as_text_never_as_formula(capacity_copy: Path) -> None:
    type_values(capacity_copy, {"Scenarie": '=HYPERLINK("http://x.invalid")'})
    from xltools.workbook.package import XlsxPackage

    with XlsxPackage(capacity_copy) as package:
        assert not package.has_formula("Ressourceberegner", 34, 1)
        assert package.value("Ressourceberegner", 34, 1) == '=HYPERLINK("http://x.invalid")'


def test_choice_matches_case_insensitively_and_is_not_rewritten(capacity_copy: Path) -> None:
    type_values(capacity_copy, {"Scenarie": spec.SCENARIOS[1].upper()})
    outcome = recalc(capacity_copy)
    assert outcome.exit_code == 0
    assert outcome.results["ValgtSamtaler"] == [[1980]]
    from xltools.workbook.package import XlsxPackage

    with XlsxPackage(capacity_copy) as package:
        assert package.value("Ressourceberegner", 34, 1) == spec.SCENARIOS[1].upper()


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_unreadable_file_exits_3(tmp_path: Path, content: bytes, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    assert recalc(path).exit_code == ExitCode.UNREADABLE
    assert xltools("recalc", path).exit_code == ExitCode.UNREADABLE
    assert path.read_bytes() == content


def test_missing_file_and_foreign_workbook_exit_3(tmp_path: Path) -> None:
    import openpyxl

    foreign = tmp_path / "foreign.xlsx"
    openpyxl.Workbook().save(foreign)
    assert recalc(foreign).exit_code == ExitCode.UNREADABLE
    assert "ikke et xltools-regneark" in recalc(foreign).errors[0]
    assert recalc(tmp_path / "missing.xlsx").exit_code == ExitCode.UNREADABLE


def test_overwritten_formula_is_reported_not_overwritten(capacity_copy: Path) -> None:
    from xltools.workbook.package import XlsxPackage

    with XlsxPackage(capacity_copy) as package:
        package.set_constant("Ressourceberegner", 11, 2, 999)
        package.save()
    data = capacity_copy.read_bytes()
    outcome = recalc(capacity_copy)
    assert outcome.exit_code == ExitCode.INVALID
    assert outcome.errors == ["Ressourceberegner!C12: formlen er overskrevet – skriv ikke i beregnede celler"]
    assert capacity_copy.read_bytes() == data


def test_the_cycle_collector_is_paused_for_a_workbook_and_restored_after_it_even_when_it_fails(
    capacity_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from xltools.capacity import recalc as capacity_recalc

    seen = []
    compute = capacity_recalc.compute

    def watched(*args: object) -> object:
        seen.append(gc.isenabled())
        return compute(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(capacity_recalc, "compute", watched)
    assert gc.isenabled()
    assert recalc(capacity_copy).exit_code == 0
    type_values(capacity_copy, {"Borgere": "abc"})
    assert recalc(capacity_copy).exit_code == ExitCode.INVALID
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it paused still
    try:
        assert recalc(capacity_copy).exit_code == ExitCode.INVALID and not gc.isenabled()
    finally:
        gc.enable()
