"""``xltools upgrade``: workbooks made from the version 1 templates — taken from git history, filled as a
team would (cells typed into the file, every other part kept) — rebuilt on today's templates with every
piece of user data carried over and the old file kept beside them, byte for byte."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Ran
from xltools.capacity import inputs as spec
from xltools.goals.layout import AS_OF_NAME
from xltools.goals.read import read_archive, read_setup
from xltools.goals.recalc import registrations_frame
from xltools.templates import TEMPLATE_VERSIONS
from xltools.workbook.package import XlsxPackage

REPO = Path(__file__).resolve().parents[2]
VERSION_1 = "4954a21"
"""The last commit whose templates are all version 1 (before the Målstyring became version 2)."""

CAPACITY_INPUTS: dict[str, float | str] = {
    spec.BORGERE.defined_name or "": 517.0,
    spec.SAMTALE_DAGE.defined_name or "": 4.0,
    spec.UGER.defined_name or "": 43.5,
    spec.ANDEL.defined_name or "": 0.25,
}
# Version 1's week sheets: employee k's Real in column D + 2k, Mål beside it; indicator I02 on row 9.
REGISTRATIONS = {("Uge 1", 8, 3): 5.0, ("Uge 1", 8, 4): 6.0, ("Uge 10", 7, 6): 2.5, ("Uge 53", 40, 17): 1.0}
REMARK = ("Uge 3", 42, 3, "Ferie: =hele teamet på kursus")


def _version_1(name: str, folder: Path) -> Path:
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("the version 1 templates come from git history, and this is not a git checkout")
    found = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{VERSION_1}:workbooks/{name}"], capture_output=True, check=False
    )
    if found.returncode != 0:
        pytest.skip(f"git history without {VERSION_1} (a shallow clone?)")
    path = folder / name
    path.write_bytes(found.stdout)
    return path


def _version(path: Path) -> str:
    with XlsxPackage(path) as package:
        return package.custom_properties()["xltools.version"]


def _backup(path: Path) -> Path:
    [backup] = path.parent.glob(f"{path.stem}.backup-*.xlsx")
    return backup


def test_a_version_1_ressourceberegner_keeps_its_inputs(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = _version_1("ressourceberegner.xlsx", tmp_path)
    with XlsxPackage(path) as package:
        for name, value in CAPACITY_INPUTS.items():
            area = package.area(name)
            assert area is not None
            package.set_constant(area.sheet, *area.first, value)
        package.save()
    before = path.read_bytes()
    assert _version(path) == "1"

    ran = xltools("upgrade", path)

    assert ran.exit_code == 0, ran.err
    assert "opgraderet fra skabelon version 1 til 2" in ran.out
    assert _version(path) == str(TEMPLATE_VERSIONS["ressourceberegner"]) == "2"
    assert _backup(path).read_bytes() == before
    with XlsxPackage(path) as package:
        for name, value in CAPACITY_INPUTS.items():
            area = package.area(name)
            assert area is not None and package.value(area.sheet, *area.first) == value, name
    assert xltools("recalc", path, "--check").exit_code == 0  # the cached figures are Python's for these inputs
    assert xltools("upgrade", path).out.endswith("allerede skabelon version 2 – intet ændret\n")


def test_a_version_1_maalstyring_keeps_registrations_names_remarks_and_date(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = _version_1("maalstyring.xlsx", tmp_path)
    with XlsxPackage(path) as package:
        for (sheet, row, col), value in REGISTRATIONS.items():
            package.set_constant(sheet, row, col, value)
        package.set_constant(REMARK[0], REMARK[1], REMARK[2], REMARK[3])
        package.set_constant("Opsætning", 7, 1, "Ahmed Hansen")  # employee E1 renamed in Opsætning
        area = package.area(AS_OF_NAME)
        assert area is not None
        package.set_constant(area.sheet, *area.first, 46045.0)  # 5 January 2026 typed over =TODAY()
        package.save()
    before = path.read_bytes()

    ran = xltools("upgrade", path)

    assert ran.exit_code == 0, ran.err
    assert _version(path) == "2"
    assert _backup(path).read_bytes() == before
    frame = registrations_frame(path)
    found = {
        (int(row.uge), row.medarbejder, row.indikator, kind): value
        for row in frame.itertuples()
        for kind, value in (("real", row.real), ("maal", row.maal))
        if value == value  # not NaN
    }
    assert found == {
        (1, "Ahmed Hansen", "Aktiveringssamtaler", "real"): 5.0,
        (1, "Ahmed Hansen", "Aktiveringssamtaler", "maal"): 6.0,
        (10, "Medarbejder 2", "Undervisning antal timer", "maal"): 2.5,
        (53, "Medarbejder 8", "Kontakt til a-kasser", "real"): 1.0,
    }
    with XlsxPackage(path) as package:
        assert read_setup(package).employees[0].name == "Ahmed Hansen"
        assert read_archive(package) == []
        area = package.area(AS_OF_NAME)
        assert area is not None and not package.has_formula(area.sheet, *area.first)
        assert package.value(area.sheet, *area.first) == 46045.0
        texts = [package.value("Uge 3", row, col) for row in range(30, 60) for col in range(0, 8)]
    assert REMARK[3] in texts  # carried as text, never a formula
    assert xltools("recalc", path, "--check").exit_code == 0  # cached as of the typed date


def test_a_bad_version_1_registration_is_named_and_nothing_changes(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = _version_1("maalstyring.xlsx", tmp_path)
    with XlsxPackage(path) as package:
        package.set_constant("Uge 2", 8, 3, "tre")
        package.save()
    before = path.read_bytes()

    ran = xltools("upgrade", path)

    assert ran.exit_code == 2
    assert "Uge 2!D9: skal være et tal — fundet: 'tre'" in ran.err
    assert path.read_bytes() == before and not list(tmp_path.glob("*.backup-*"))


INDUSTRY_ROWS: list[list[float | str | None]] = [
    [46300.0, "Bager Ågård", "29876541", "Vej 1", "+45 12 34 56 78", "a@b.dk", "Anne", "Industri", "Ordinær åbning",
     "Rengøring", 3.0, 1.0, "KB", None],
    [46310.75, "=HYPERLINK(\"x\")", None, None, None, None, None, "Ny branche", "Ingen åbning", "Andet", 0.0, 0.0,
     None, None],
    [46315.0, "Sidste", None, None, "12345678", None, None, "bygge og anlæg", "Praktikplads", "IT", 2.0, 0.0, "LM",
     46320.0],
]  # fmt: skip
"""Rows typed into a version 1 Brancheredskab: a time of day, text like a formula, a list value in
another case, an industry the team added to Lister, a closed opening."""


def test_a_version_1_brancheredskab_keeps_rows_lists_and_typed_date(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = _version_1("brancheredskab.xlsx", tmp_path)
    with XlsxPackage(path) as package:
        table = package.table("Kontakter")
        assert table is not None
        for offset, row in enumerate(INDUSTRY_ROWS):
            for col, value in enumerate(row):
                if value is not None:
                    package.set_constant(table.sheet, table.first[0] + 1 + offset, col, value)
        package.resize_table("Kontakter", table.first[0] + len(INDUSTRY_ROWS))
        package.set_constant("Lister", 22, 0, "Ny branche")
        package.set_constant("Overblik", 1, 1, 46325.5)
        package.save()
    before = path.read_bytes()
    assert _version(path) == "1"

    ran = xltools("upgrade", path)

    assert ran.exit_code == 0, ran.err
    assert _version(path) == str(TEMPLATE_VERSIONS["brancheredskab"]) == "2"
    assert _backup(path).read_bytes() == before
    with XlsxPackage(path) as package:
        table = package.table("Kontakter")
        assert table is not None and table.last[0] == table.first[0] + len(INDUSTRY_ROWS)
        for offset, row in enumerate(INDUSTRY_ROWS):
            found = [package.value(table.sheet, table.first[0] + 1 + offset, col) for col in range(len(row))]
            assert found == row
            assert package.has_formula(table.sheet, table.first[0] + 1 + offset, 15)  # Status computes again
        assert not package.has_formula(table.sheet, table.first[0] + 2, 1)  # the formula-like text stays text
        assert package.value("Lister", 22, 0) == "Ny branche"
        assert package.value("Overblik", 1, 1) == 46325.5 and not package.has_formula("Overblik", 1, 1)
        assert package.value("Statistik", 4 + 21, 0) == "Ny branche"  # counted with no ceiling
    checked = xltools("recalc", path, "--check")  # the user's formula-like text is carried, and named
    assert checked.exit_code == 2 and "række 4, kolonne Virksomhedens navn" in checked.err, checked.err
    assert xltools("upgrade", path).out.endswith("allerede skabelon version 2 – intet ændret\n")


@pytest.mark.parametrize("name", ["ressourceberegner.xlsx", "brancheredskab.xlsx", "maalstyring.xlsx"])
def test_recalc_names_upgrade_for_a_version_1_workbook_and_changes_nothing(
    name: str, tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = _version_1(name, tmp_path)
    before = path.read_bytes()
    ran = xltools("recalc", path)
    assert ran.exit_code == 3
    assert "lavet med skabelon version 1; denne xltools regner på version 2 – kør xltools upgrade" in ran.err
    assert path.read_bytes() == before
