"""``xltools rebuild`` after renaming, removing and adding indicators and employees."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.conftest import Ran
from tests.goals.test_workbook import REGISTRATIONS, _setup
from xltools.cli import main
from xltools.goals.layout import Layout
from xltools.goals.recalc import read_archive, registrations_frame
from xltools.goals.workbook import build
from xltools.workbook.package import XlsxPackage


def _rewrite_setup(
    path: Path, employees: list[tuple[str, str]], indicators: list[tuple[str, str, str, str, float | None]]
) -> None:
    """Type a new Opsætning as a team would: the tables' rows replaced, leftovers cleared."""
    layout = Layout(_setup())
    with XlsxPackage(path) as package:
        for index in range(20):
            for col, value in enumerate(employees[index] if index < len(employees) else ("", "")):
                package.set_constant("Opsætning", layout.setup_employee_row(index), col, value or None)
        for index in range(35):
            row = indicators[index] if index < len(indicators) else ("", "", "", "", None)
            for col, value in enumerate(row):
                package.set_constant(
                    "Opsætning", layout.setup_indicator_row(index), col, value if value != "" else None
                )
        package.save()


def _totals(path: Path) -> dict:
    report = path.parent / "r.json"
    report.unlink(missing_ok=True)
    assert main(["recalc", str(path), "--as-of", "2026-01-18", "--report", str(report)]) == 0
    return json.loads(report.read_text(encoding="utf-8"))[0]["results"]


def test_rebuild_carries_every_registration_by_id(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "team.xlsx"
    registrations = {**REGISTRATIONS, ("r", 2, "I03", 0): 7.0}
    build(path, date(2026, 1, 18), _setup(), registrations)
    before = _totals(path)

    setup = _setup()
    indicators = [
        (i.id, i.section, "Aktiveringssamtaler (nye)" if i.id == "I02" else i.name, i.unit, i.aarsmaal)
        for i in setup.indicators
        if i.id != "I03"  # removed
    ] + [("", "Andet", "Nyt tiltag", "antal", 10.0)]  # added
    _rewrite_setup(path, [("E1", "Anne"), ("", "Ny Kollega")], indicators)  # E2 removed, one added
    original = path.read_bytes()

    result = xltools("rebuild", path)
    assert result.exit_code == 0, result.output
    assert "4 registreringer ført over, 4 flyttet til Arkiv" in result.out
    backups = list(tmp_path.glob("team.backup-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == original

    frame = registrations_frame(path)
    assert set(frame["medarbejder"]) == {"Anne"}
    anne = frame.set_index(["uge", "indikator"])
    assert anne.loc[(1, "Aktiveringssamtaler (nye)"), ["real", "maal"]].tolist() == [3.0, 4.0]  # renamed, kept
    assert anne.loc[(2, "Aktiveringssamtaler (nye)"), "real"] == 5.0
    with XlsxPackage(path) as package:
        archive = read_archive(package)
        assert {(r["medarbejder_id"], r["indikator_id"], r["fjernet"]) for r in archive} == {
            ("E2", "I02", "nej"),
            ("E2", "I01", "nej"),
            ("E1", "I03", "ja"),
        }
        new_ids = [package.value("Opsætning", Layout(_setup()).setup_employee_row(i), 0) for i in range(2)]
        assert new_ids == ["E1", "E3"]

    after = _totals(path)
    assert (
        after["indicators"]["Aktiveringssamtaler (nye)"]["real"] == before["indicators"]["Aktiveringssamtaler"]["real"]
    )
    assert after["indicators"]["Undervisning antal timer"]["real"] == 2.5  # E2's hours still count
    assert "Nyt tiltag" in after["indicators"] and "Individuelle samtaler" not in after["indicators"]


def test_team_totals_are_unchanged_by_a_removal(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "team.xlsx"
    build(path, date(2026, 1, 18), _setup(), {**REGISTRATIONS, ("r", 2, "I03", 0): 7.0})

    def sections(file: Path) -> list:
        """The first three section totals (Real to date), wherever the shorter indicator list puts them."""
        with XlsxPackage(file) as package:
            header = next(row for row in range(100) if package.value("Forside", row, 0) == "Sektion (antal)")
            return [package.value("Forside", header + 1 + k, 1) for k in range(3)]

    xltools("recalc", path, "--as-of", "2026-01-18")
    before = sections(path)
    setup = _setup()
    _rewrite_setup(
        path,
        [("E1", "Medarbejder 1")],
        [(i.id, i.section, i.name, i.unit, i.aarsmaal) for i in setup.indicators if i.id != "I03"],
    )
    assert xltools("rebuild", path).exit_code == 0
    xltools("recalc", path, "--as-of", "2026-01-18")
    assert sections(path) == before  # Afholdt 22 (I02 15 + removed I03 7), Salg 0, …
    assert before[0] == 22


def test_removed_hours_still_count_and_a_typed_date_stays(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    from xltools.core.logic import serial
    from xltools.workbook.package import type_values

    path = tmp_path / "team.xlsx"
    build(path, date(2026, 1, 18), _setup(), REGISTRATIONS)  # 2.5 hours on I01, the only timer indicator
    type_values(path, {"Opgoerelsesdato": serial(date(2026, 1, 18))})
    setup = _setup()
    _rewrite_setup(
        path,
        [("E1", "Medarbejder 1"), ("E2", "Medarbejder 2")],
        [(i.id, i.section, i.name, i.unit, i.aarsmaal) for i in setup.indicators if i.id != "I01"],
    )
    assert xltools("rebuild", path).exit_code == 0
    with XlsxPackage(path) as package:
        assert not package.has_formula("Forside", 2, 1)  # the typed reporting date was carried over
        header = next(row for row in range(100) if package.value("Forside", row, 0) == "Sektion (antal)")
        hours_row = next(
            row for row in range(header, header + 12) if package.value("Forside", row, 0) == "Timer (tælles for sig)"
        )
    results = xltools("recalc", path)
    assert results.exit_code == 0
    with XlsxPackage(path) as package:
        assert package.value("Forside", hours_row, 1) == 2.5


def test_a_new_row_of_an_existing_section_joins_it_on_rebuild(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    path = tmp_path / "team.xlsx"
    build(path, date(2026, 1, 18), _setup(), REGISTRATIONS)
    layout = Layout(_setup())
    row = layout.setup_indicator_row(len(layout.setup.indicators))  # below the table: a new "Afholdt" indicator
    with XlsxPackage(path) as package:
        for col, text in ((1, "Afholdt"), (2, "Gruppemøder"), (3, "antal")):
            package.set_constant("Opsætning", row, col, text)
        package.save()
    refused = xltools("recalc", path, "--as-of", "2026-01-18")
    assert refused.exit_code == 2 and "'Gruppemøder'): ny – genopbyg" in refused.err
    assert xltools("rebuild", path).exit_code == 0
    with XlsxPackage(path) as package:
        names = [package.value("Opsætning", layout.setup_indicator_row(i), 2) for i in range(8)]
        statuses = [package.value("Opsætning", layout.setup_indicator_row(i), 5) for i in range(31)]
    assert names[6:8] == ["Virksomhedsmøder", "Gruppemøder"]  # listed with its section, as the week sheets show it
    assert not any(statuses)  # every Status cell empty
    assert xltools("recalc", path, "--as-of", "2026-01-18").exit_code == 0
    assert registrations_frame(path)["real"].sum() == sum(v for (k, *_), v in REGISTRATIONS.items() if k == "r")


def test_a_renamed_then_removed_employee_is_archived_under_the_name_last_shown(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = tmp_path / "team.xlsx"
    build(path, date(2026, 1, 18), _setup(), REGISTRATIONS)
    layout = Layout(_setup())
    with XlsxPackage(path) as package:
        package.set_constant("Opsætning", layout.setup_employee_row(1), 1, "Bo Berg")
        package.save()
    assert xltools("recalc", path, "--as-of", "2026-01-18").exit_code == 0  # the week sheets now show "Bo Berg"
    with XlsxPackage(path) as package:
        package.set_constant("Opsætning", layout.setup_employee_row(1), 0, None)
        package.set_constant("Opsætning", layout.setup_employee_row(1), 1, None)
        package.save()
    assert xltools("rebuild", path).exit_code == 0
    with XlsxPackage(path) as package:
        archive = read_archive(package)
    assert archive and {row["medarbejder"] for row in archive} == {"Bo Berg"}


def test_rebuild_names_a_registration_a_formula_computed_on_a_line_of_its_own(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    path = tmp_path / "m.xlsx"
    build(path, date(2026, 1, 18), _setup(), {("r", 1, "I02", 0): 3.0})
    layout = Layout(_setup())
    with XlsxPackage(path) as package:
        package.set_formula("Uge 4", layout.indicator_rows["I02"], layout.real_col(1), "2+3", 5.0)
        package.save()
    result = xltools("rebuild", path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}: bygget igen; 2 registreringer ført over, 0 flyttet til Arkiv;")
    assert lines[1] == "1 celle med en formel er ført over som det tal, de viste: Uge 4!G9"
