"""``xltools recalc`` writes the right cached values and touches nothing else in the file."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from tests.conftest import Ran
from xltools.capacity import inputs as spec
from xltools.capacity.layout import SHEET, blocks
from xltools.recalc import batch
from xltools.recalc.batch import recalc_many
from xltools.recalc.engine import recalc
from xltools.workbook import files
from xltools.workbook.package import NS, type_values

SHEET_PART = "xl/worksheets/sheet1.xml"
NEW_INPUTS = {
    **spec.DEFAULTS,
    "Borgere": 1234,
    "AndelIntensiv": 0.29,
    "SamtalerPrDag": 7,
    "Udeblivelse": 0.12,
    "Scenarie": spec.SCENARIOS[5],
}


def _cached(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()


def assert_caches_match_python(path: Path, inputs: dict) -> None:
    rows = _cached(path)
    for block in blocks():
        for row, col, expr in block.cells():
            assert rows[row][col] == expr.evaluate(inputs), (block.name, row, col)


def _raw_members(path: Path) -> dict[str, tuple[int, int, bytes]]:
    with zipfile.ZipFile(path) as archive, open(path, "rb") as handle:
        members = {}
        for info in archive.infolist():
            handle.seek(info.header_offset + 26)
            name_length = int.from_bytes(handle.read(2), "little")
            extra_length = int.from_bytes(handle.read(2), "little")
            handle.seek(info.header_offset + 30 + name_length + extra_length)
            members[info.filename] = (info.CRC, info.compress_type, handle.read(info.compress_size))
        return members


def _without_cached_values(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for value in root.iterfind(".//m:c/m:v", NS):
        if value.getparent().find("m:f", NS) is not None:
            value.getparent().remove(value)
    for cell in root.iterfind(".//m:c[@t='str']", NS):
        del cell.attrib["t"]
    return etree.tostring(root, method="c14n")


def test_cli_recalc_after_openpyxl_edit_inserts_values(capacity_copy: Path, xltools: Callable[..., Ran]) -> None:
    """openpyxl saves no cached values at all: recalc must insert them, not only replace."""
    book = openpyxl.load_workbook(capacity_copy)
    sheet = book[SHEET]
    sheet["B4"], sheet["B7"], sheet["B23"], sheet["B24"] = 1234, 0.29, 7, 0.12
    sheet["B35"] = spec.SCENARIOS[5]
    book.save(capacity_copy)
    assert _cached(capacity_copy)[11][2] == ""  # no cached value left

    result = xltools("recalc", capacity_copy)
    assert result.exit_code == 0, result.output
    assert_caches_match_python(capacity_copy, NEW_INPUTS)
    assert _cached(capacity_copy)[11][2] == 4936  # 1234 × 4


def test_recalc_changes_only_cached_values_and_chart_caches(capacity_copy: Path) -> None:
    type_values(capacity_copy, NEW_INPUTS)
    before = _raw_members(capacity_copy)
    outcome = recalc(capacity_copy)
    assert outcome.exit_code == 0 and outcome.written
    after = _raw_members(capacity_copy)
    assert list(after) == list(before)  # same members, same order
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {SHEET_PART, "xl/charts/chart1.xml"}  # the Ressourceberegner uses no date
    with zipfile.ZipFile(capacity_copy) as archive:
        new_sheet = archive.read(SHEET_PART)
    old_sheet = zlib.decompress(before[SHEET_PART][2], -15)  # raw deflate
    assert _without_cached_values(new_sheet) == _without_cached_values(old_sheet)
    assert_caches_match_python(capacity_copy, NEW_INPUTS)


def test_chart_cache_shows_the_new_values(capacity_copy: Path) -> None:
    type_values(capacity_copy, NEW_INPUTS)
    recalc(capacity_copy)
    with zipfile.ZipFile(capacity_copy) as archive:
        chart = etree.fromstring(archive.read("xl/charts/chart1.xml"))
    caches = [
        [float(v.text) for v in ref.iterfind("c:numCache/c:pt/c:v", NS)]
        for ref in chart.iterfind(".//c:val/c:numRef", NS)
    ]
    behov = {b.name: b for b in blocks()}["Behov"].values(NEW_INPUTS)
    assert caches == [[row[0] for row in behov], [row[1] for row in behov]]
    assert caches[0][0] == 4936.0


def test_second_recalc_leaves_the_file_alone(capacity_copy: Path) -> None:
    type_values(capacity_copy, NEW_INPUTS)
    assert recalc(capacity_copy).written
    data = capacity_copy.read_bytes()
    outcome = recalc(capacity_copy)
    assert outcome.exit_code == 0 and not outcome.written
    assert capacity_copy.read_bytes() == data


def test_inputs_are_found_by_defined_name_not_by_address(capacity_copy: Path, tmp_path: Path) -> None:
    """Point the name Borgere elsewhere (as an inserted row would): recalc follows the name."""
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(capacity_copy) as source, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b">Ressourceberegner!$B$4<", b">Ressourceberegner!$H$60<")
            target.writestr(info, data)
    type_values(moved, {"Borgere": 10})
    outcome = recalc(moved)
    assert outcome.results["inputs"]["Borgere"] == 10
    assert _cached(moved)[11][2] == 40


def test_check_reports_stale_values_and_changes_nothing(capacity_copy: Path, xltools: Callable[..., Ran]) -> None:
    type_values(capacity_copy, {"Borgere": 331})
    data = capacity_copy.read_bytes()
    result = xltools("recalc", "--check", capacity_copy)
    assert result.exit_code == 1
    assert "forældede værdier" in result.err
    assert "Ressourceberegner!C12: gemt 1.320, beregnet 1.324" in result.err
    assert capacity_copy.read_bytes() == data


def test_report_lists_each_workbook_and_worst_exit_code_wins(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    good, bad, broken = tmp_path / "good.xlsx", tmp_path / "bad.xlsx", tmp_path / "broken.xlsx"
    shutil.copyfile(capacity_template, good)
    shutil.copyfile(capacity_template, bad)
    type_values(bad, {"AndelIntensiv": 1.3})
    broken.write_text("not a zip")
    report = tmp_path / "report.json"
    result = xltools("recalc", good, bad, broken, "--report", report)
    assert result.exit_code == 3
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert [(e["path"], e["tool"], e["ok"], e["exit_code"]) for e in entries] == [
        (str(good), "ressourceberegner", True, 0),
        (str(bad), "ressourceberegner", False, 2),
        (str(broken), None, False, 3),
    ]
    assert entries[0]["results"]["Generelt"] == [[1320], [1980], [3960]]
    assert "Ressourceberegner!B7" in entries[1]["errors"][0]
    assert xltools("recalc", good, bad).exit_code == 2


def test_folder_arguments_recalculate_every_workbook(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    for name in ("a.xlsx", "sub/b.xlsx"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(capacity_template, tmp_path / name)
        type_values(tmp_path / name, {"Borgere": 100})
    result = xltools("recalc", tmp_path)
    assert result.exit_code == 0
    assert "2 regneark på " in result.out and ": 2 genberegnet, 0 uændrede, 0 med problemer" in result.out
    assert _cached(tmp_path / "sub" / "b.xlsx")[11][2] == 400


def test_parallel_recalc_gives_the_same_results_as_sequential(capacity_template: Path, tmp_path: Path) -> None:

    paths = []
    for number in range(10):
        path = tmp_path / f"w{number}.xlsx"
        shutil.copyfile(capacity_template, path)
        type_values(path, {"Borgere": 100 * number, "AndelIntensiv": number / 10})
        paths.append(path)
    outcomes = recalc_many(paths, jobs=2)
    assert [o.exit_code for o in outcomes] == [0] * 10
    for number, (path, outcome) in enumerate(zip(paths, outcomes, strict=False)):
        assert outcome.path == path
        inputs = {**spec.DEFAULTS, "Borgere": 100 * number, "AndelIntensiv": number / 10}
        assert_caches_match_python(path, inputs)


@pytest.mark.parametrize("template, pooled", [("maalstyring.xlsx", True), ("ressourceberegner.xlsx", False)])
def test_two_large_workbooks_get_a_process_each_and_two_small_ones_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, pooled: bool
) -> None:
    """Two Målstyring years are seconds of work: worth the second process; two Ressourceberegnere are not."""
    pools: list[int] = []
    run_in_pool = batch._Batch.run_in_pool

    def counted(self: batch._Batch, task: Callable[[Path], bytes], workers: int) -> None:
        pools.append(workers)
        run_in_pool(self, task, workers)

    monkeypatch.setattr(batch._Batch, "run_in_pool", counted)
    paths = [tmp_path / f"{number}-{template}" for number in range(2)]
    for path in paths:
        shutil.copyfile(Path(__file__).parents[2] / "workbooks" / template, path)
    outcomes = recalc_many(paths, jobs=2)
    assert [outcome.exit_code for outcome in outcomes] == [0, 0]
    assert pools == ([2] if pooled else [])


def test_a_batch_syncs_each_folder_once_after_every_file_is_synced(
    capacity_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six workbooks in two folders: each file synced before its rename, each folder once, at the end."""
    synced: list[object] = []
    fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append("file"), fsync(fd))[1])
    monkeypatch.setattr(files, "_fsync_folder", synced.append)
    paths = []
    for number in range(6):
        path = tmp_path / f"mappe{number % 2}" / f"w{number}.xlsx"
        path.parent.mkdir(exist_ok=True)
        shutil.copyfile(capacity_template, path)
        type_values(path, {"Borgere": 100 + number})
        paths.append(path)
    synced.clear()
    outcomes = recalc_many(paths, jobs=1)
    assert all(outcome.written for outcome in outcomes)
    assert synced == ["file"] * 6 + [tmp_path / "mappe0", tmp_path / "mappe1"]
