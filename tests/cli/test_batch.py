"""``xltools recalc`` over many workbooks, as CI runs it: one bad workbook never stops the others,
the worst exit code wins, and the summary, the JSON report and the JUnit report always come out."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Ran
from xltools.errors import ExitCode
from xltools.recalc import engine
from xltools.recalc.batch import NOT_RUN_AFTER_FAILURE
from xltools.recalc.computation import Computation, Context
from xltools.templates import PROPERTY_VERSION
from xltools.workbook.package import XlsxPackage, type_values

KINDS = ("good", "invalid", "unreadable", "internal")
EXPECTED = {"good": 0, "invalid": 2, "unreadable": 3, "internal": 4}


@pytest.fixture
def faulty_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Ressourceberegner raises an unexpected KeyError for files named internal*.xlsx (in this
    process and in forked workers alike)."""
    from xltools.capacity import recalc

    original = recalc.compute

    def compute(package: XlsxPackage, context: Context) -> Computation:
        if package.path.name.startswith("internal"):
            raise KeyError("en fejl i xltools")
        return original(package, context)

    monkeypatch.setattr(recalc, "compute", compute)  # the tool looks its compute up there at each call


def _workbooks(template: Path, folder: Path, copies: int = 1) -> dict[Path, int]:
    """Workbooks of each kind (``copies`` of each) and the exit code each should end with."""
    folder.mkdir(exist_ok=True)
    expected = {}
    for number in range(copies):
        for kind in KINDS:
            path = folder / f"{kind}{number}.xlsx"
            if kind == "unreadable":
                path.write_bytes(b"PK\x03\x04 not a workbook")
            else:
                shutil.copyfile(template, path)
                type_values(path, {"Borgere": 100 + number, **({"AndelIntensiv": 1.3} if kind == "invalid" else {})})
            expected[path] = EXPECTED[kind]
    return expected


@pytest.mark.usefixtures("faulty_tool")
@pytest.mark.parametrize("copies, jobs", [(1, "1"), (3, "2")], ids=["in-process", "pool"])
def test_every_workbook_is_handled_and_reported(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran], copies: int, jobs: str
) -> None:
    expected = _workbooks(capacity_template, tmp_path / "in", copies)
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    unreadable = {path: path.read_bytes() for path, code in expected.items() if code}
    result = xltools("recalc", tmp_path / "in", "--jobs", jobs, "--report", report, "--junit", junit)
    assert result.exit_code == ExitCode.INTERNAL  # the worst; never 1 for an internal error
    count = len(expected)
    assert f"{count} regneark på " in result.out
    assert f": {copies} genberegnet, 0 uændrede, {3 * copies} med problemer" in result.out
    assert "intern fejl i xltools (KeyError) – rapportér det med filen" in result.err
    assert "Traceback" not in result.output
    assert all(path.read_bytes() == data for path, data in unreadable.items())  # failing files untouched

    entries = json.loads(report.read_text(encoding="utf-8"))
    assert {Path(entry["path"]): entry["exit_code"] for entry in entries} == expected
    assert [entry["path"] for entry in entries] == sorted(entry["path"] for entry in entries)
    for entry in entries:
        assert entry["ok"] == (entry["exit_code"] == 0) and entry["seconds"] >= 0

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        str(count),
        str(copies),
        str(2 * copies),
        "0",
    )
    cases = {Path(case.get("name", "")): case for case in suite.iter("testcase")}
    assert set(cases) == set(expected)
    for path, code in expected.items():
        case = cases[path]
        tool = "ukendt" if code == 3 else "ressourceberegner"
        assert case.get("classname") == f"xltools.recalc.{tool}"
        tags = [child.tag for child in case]
        assert tags == {0: [], 2: ["failure"], 3: ["error"], 4: ["error"]}[code], path
    failure = cases[tmp_path / "in" / "invalid0.xlsx"].find("failure")
    assert failure is not None and failure.get("message", "").startswith("Ressourceberegner!B7 (Andel")
    assert failure.get("type") == "ugyldige inddata (2)" and "130 %" in (failure.text or "")


def test_plain_lines_per_workbook_when_not_a_terminal(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    expected = _workbooks(capacity_template, tmp_path)
    result = xltools("recalc", *expected)
    assert result.exit_code == ExitCode.UNREADABLE  # no internal error without the faulty tool
    good, invalid, unreadable, other = expected
    assert f"[1/4] genberegnet: {good}\n" in result.out
    assert f"[2/4] ugyldige inddata: {invalid}\n  Ressourceberegner!B7 (Andel" in result.err
    assert f"[3/4] kan ikke læses: {unreadable}\n" in result.err
    assert f"[4/4] genberegnet: {other}\n" in result.out


def test_fail_fast_stops_after_the_first_failing_workbook(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    good, invalid, unreadable, other = _workbooks(capacity_template, tmp_path / "in")
    report = tmp_path / "r.json"
    result = xltools("recalc", good, invalid, unreadable, other, "--fail-fast", "--report", report)
    assert result.exit_code == ExitCode.INVALID
    assert "4 regneark på " in result.out and "1 med problemer, 2 ikke kørt" in result.out
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert [entry["exit_code"] for entry in entries] == [0, 2, None, None]
    assert entries[2]["errors"] == [NOT_RUN_AFTER_FAILURE]


def test_a_workbook_from_a_newer_xltools_is_refused(capacity_copy: Path, xltools: Callable[..., Ran]) -> None:
    with XlsxPackage(capacity_copy) as package:
        package.set_custom_property(PROPERTY_VERSION, "3")
        package.save()
    type_values(capacity_copy, {"Borgere": 77})  # stale values: would be rewritten by a recalculation
    data = capacity_copy.read_bytes()
    result = xltools("recalc", capacity_copy)
    assert result.exit_code == ExitCode.UNREADABLE
    assert (
        f"{capacity_copy}: lavet med en nyere xltools (skabelon version 3; denne xltools kender version 2)"
        " – opdatér xltools"
    ) in result.err
    assert capacity_copy.read_bytes() == data


@pytest.mark.parametrize("owner", ["~$ressourceberegner.xlsx", ".~lock.ressourceberegner.xlsx#"])
def test_a_workbook_open_elsewhere_is_skipped_unless_forced(
    capacity_copy: Path, tmp_path: Path, xltools: Callable[..., Ran], owner: str
) -> None:
    other = tmp_path / "andet.xlsx"
    shutil.copyfile(capacity_copy, other)
    type_values(capacity_copy, {"Borgere": 77})
    type_values(other, {"Borgere": 78})
    (tmp_path / owner).write_bytes(b"owner")
    data = capacity_copy.read_bytes()
    result = xltools("recalc", tmp_path)  # the owner file itself is not taken for a workbook
    assert result.exit_code == ExitCode.REFUSED
    assert "er åben i" in result.err and "sprunget over" in result.err and "--force" in result.err
    assert capacity_copy.read_bytes() == data
    assert "genberegnet: " + str(other) in result.out  # the others still run
    forced = xltools("recalc", capacity_copy, "--force")
    assert forced.exit_code == 0 and "bemærk: " in forced.err and capacity_copy.read_bytes() != data


def test_a_folder_holds_workbooks_not_temporaries_backups_or_owner_files(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    names = [
        "a.xlsx",
        "B.XLSM",
        "sub/c.xlsx",
        "~$a.xlsx",
        ".~lock.a.xlsx#",
        ".~xltools-1-abcdef-00.a.xlsx.tmp",
        "a.backup-20260118-101500.xlsx",
        "a.backup-20260118-101500-2.xlsx",
        ".hidden/d.xlsx",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(capacity_template, tmp_path / name)
    report = tmp_path / "out" / "r.json"
    report.parent.mkdir()
    assert xltools("recalc", "--check", tmp_path, tmp_path / "a.xlsx", "--report", report).exit_code == 0
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert [Path(entry["path"]).relative_to(tmp_path).as_posix() for entry in entries] == [
        "B.XLSM",
        "a.xlsx",
        "sub/c.xlsx",
    ]


def unpicklable(path: Path, **options: Any) -> engine.Outcome:
    """``recalc``, but the outcome of w3.xlsx carries a result that cannot be pickled."""
    outcome = engine.recalc(path, **options)
    if path.name == "w3.xlsx":
        outcome.results["hvad"] = lambda: None  # a lambda does not pickle
    return outcome


def test_an_outcome_that_cannot_travel_back_from_a_worker_is_that_workbooks_internal_error(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xltools.recalc.batch.recalc", unpicklable)
    for number in range(8):
        shutil.copyfile(capacity_template, tmp_path / f"w{number}.xlsx")
    report = tmp_path / "r.json"
    result = xltools("recalc", "--check", "--jobs", "2", tmp_path, "--report", report)
    assert result.exit_code == ExitCode.INTERNAL
    codes = {Path(entry["path"]).name: entry["exit_code"] for entry in json.loads(report.read_text(encoding="utf-8"))}
    assert codes == {f"w{number}.xlsx": 4 if number == 3 else 0 for number in range(8)}
    assert "w3.xlsx\n  intern fejl i xltools (" in result.err  # the lambda: AttributeError or PicklingError


def test_ctrl_c_still_writes_the_summary_and_the_report(
    capacity_template: Path, tmp_path: Path, xltools: Callable[..., Ran], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = engine.recalc

    def interrupted(path: Path, **options: Any) -> engine.Outcome:
        if path.name == "w1.xlsx":
            raise KeyboardInterrupt
        return original(path, **options)

    monkeypatch.setattr("xltools.recalc.batch.recalc", interrupted)
    for number in range(3):
        shutil.copyfile(capacity_template, tmp_path / f"w{number}.xlsx")
    report = tmp_path / "r.json"
    result = xltools("recalc", "--check", *sorted(tmp_path.glob("*.xlsx")), "--report", report)
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert "3 regneark på " in result.out and "2 ikke kørt – afbrudt med Ctrl+C" in result.out
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert [entry["exit_code"] for entry in entries] == [0, None, None]
