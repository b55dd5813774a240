"""``xltools merge``: identical rows once, conflicts kept and listed, inputs untouched."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.conftest import Ran
from tests.industry.conftest import SEED_DAY, SEED_ROWS, workbook_with
from xltools.industry.recalc import read_kontakter

OTHER = {
    "dato": date(2012, 11, 30),
    "virksomhed": "Fjordgården",
    "cvr": "12345674",
    "virksomhedstype": "Hoteller og restauranter",
    "resultat": "Ingen åbning",
    "jobfunktion": "Kok og køkken",
    "pladser": 0,
    "besatte": 0,
}


def test_merge_keeps_identical_rows_once_and_lists_conflicts(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    conflicting = {**SEED_ROWS[1], "besatte": 2}  # same day, company, job and result; other counts
    one = workbook_with(tmp_path / "kb.xlsx", SEED_ROWS, SEED_DAY)
    two = workbook_with(tmp_path / "lm.xlsx", [SEED_ROWS[0], conflicting, OTHER], SEED_DAY)
    before = one.read_bytes(), two.read_bytes()
    out, report = tmp_path / "samlet.xlsx", tmp_path / "merge.json"
    result = xltools("merge", out, one, two, "--report", report)
    assert result.exit_code == 0, result.output
    assert "4 rækker fra 2 filer; 1 ens rækker holdt én gang; 1 konflikter at afgøre" in result.out
    assert "konflikt 27-11-2012" in result.out
    assert (one.read_bytes(), two.read_bytes()) == before
    merged = read_kontakter(out, SEED_DAY)
    assert len(merged) == 4
    assert sorted(merged["besatte"][merged["jobfunktion"] == "Rengøring"]) == [1, 2]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["kept"] == 4 and data["duplicates"] == 1
    (conflict,) = data["conflicts"]
    assert conflict["dato"] == "2012-11-27" and conflict["jobfunktion"] == "Rengøring"
    sources = [(Path(r["file"]).name, r["row"], r["besatte"]) for r in conflict["rows"]]
    assert sources == [("kb.xlsx", 4, 1), ("lm.xlsx", 4, 2)]


def test_merged_file_recalculates_and_counts_contacts_without_opening(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    one = workbook_with(tmp_path / "a.xlsx", SEED_ROWS, SEED_DAY)
    two = workbook_with(tmp_path / "b.xlsx", [OTHER], SEED_DAY)
    out = tmp_path / "samlet.xlsx"
    assert xltools("merge", out, one, two).exit_code == 0
    report = tmp_path / "r.json"
    assert xltools("recalc", out, "--as-of", "2012-12-04", "--report", report).exit_code == 0
    results = json.loads(report.read_text(encoding="utf-8"))[0]["results"]
    assert results["contacts_without_opening"]["Hoteller og restauranter"] == 1
    assert results["open_places"]["Hoteller og restauranter"] == 3


def test_merge_refuses_to_overwrite_an_input(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    one = workbook_with(tmp_path / "a.xlsx", SEED_ROWS, SEED_DAY)
    data = one.read_bytes()
    for argv in (
        ["merge", one, one],
        ["merge", one, one, "--force"],
        ["merge", tmp_path / "new.xlsx", one, "--report", one],
    ):
        result = xltools(*argv)
        assert result.exit_code == 5, argv  # Refused: protecting the user's file, even with --force
        assert "er også en af inddatafilerne" in result.err
        assert one.read_bytes() == data
    assert not (tmp_path / "new.xlsx").exists()  # the report was refused before anything was written
