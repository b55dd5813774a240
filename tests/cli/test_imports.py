"""What a command imports: ``--help``, a recalculation of any tool and loading the UDFs
stay clear of pandas, XlsxWriter and the other tools' code (each costs start-up time on every run);
a recalculation loads pydantic only for an input or a row its plain check doubts, and the process
pool (concurrent.futures, multiprocessing: ≈30 ms) only for a batch worth one."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "xlsxwriter", "xltools.workbook.build")
POOL = ("concurrent.futures", "multiprocessing")
OTHER_TOOLS = ("xltools.goals", "xltools.industry")


def _imported(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines())


def _heavy(modules: set[str], also: tuple[str, ...] = ()) -> list[str]:
    return sorted(m for m in modules if m in HEAVY or m.startswith(also) and also)


def test_help_imports_no_tool() -> None:
    modules = _imported("from xltools.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not _heavy(modules, ("xltools.capacity", *OTHER_TOOLS))


def test_a_ressourceberegner_recalc_imports_neither_pandas_nor_a_builder_nor_another_tool(tmp_path: Path) -> None:
    workbook = tmp_path / "r.xlsx"
    workbook.write_bytes((REPO / "workbooks" / "ressourceberegner.xlsx").read_bytes())
    modules = _imported(f"from xltools.cli import main\nassert main(['recalc', {str(workbook)!r}]) == 0")
    assert "xltools.capacity.layout" in modules  # it did run the tool
    assert not _heavy(modules, OTHER_TOOLS)
    assert "pydantic" not in modules  # every input plainly kept its rule
    assert not modules & set(POOL)  # one file: no pool
    assert "xml.etree.ElementTree" not in modules  # no JUnit report asked for


def test_a_ressourceberegner_input_that_breaks_its_rule_is_judged_by_pydantic(tmp_path: Path) -> None:
    from xltools.workbook.package import type_values

    workbook = tmp_path / "r.xlsx"
    workbook.write_bytes((REPO / "workbooks" / "ressourceberegner.xlsx").read_bytes())
    type_values(workbook, {"Borgere": -5})
    assert "pydantic" in _imported(f"from xltools.cli import main\nassert main(['recalc', {str(workbook)!r}]) == 2")


def test_a_maalstyring_recalc_imports_neither_pandas_nor_a_builder_nor_another_tool(tmp_path: Path) -> None:
    workbook = tmp_path / "m.xlsx"
    workbook.write_bytes((REPO / "workbooks" / "maalstyring.xlsx").read_bytes())
    run = f"from xltools.cli import main\nassert main(['recalc', {str(workbook)!r}, '--as-of', '2026-12-31']) == 0"
    modules = _imported(run)
    assert "xltools.goals.recalc" in modules  # it did run the tool
    assert not _heavy(modules, ("xltools.capacity", "xltools.industry", "xltools.goals.workbook"))
    assert "pydantic" not in modules  # Opsætning's inputs all plainly kept their rules
    assert not modules & set(POOL)  # one file: no pool


def test_a_brancheredskab_recalc_imports_neither_pandas_nor_a_builder_nor_another_tool(tmp_path: Path) -> None:
    from tests.industry.conftest import SEED_ROWS, workbook_with

    workbook = workbook_with(tmp_path / "b.xlsx", SEED_ROWS, date(2012, 12, 4))  # rows: every rule runs
    run = f"from xltools.cli import main\nassert main(['recalc', {str(workbook)!r}, '--as-of', '2012-12-11']) == 0"
    modules = _imported(run)
    assert "xltools.industry.recalc" in modules  # it did run the tool
    assert not _heavy(modules, ("xltools.capacity", "xltools.goals", "xltools.industry.workbook"))
    assert "pydantic" not in modules  # every row passed the column-wise check: no row model needed


def test_a_brancheredskab_row_the_column_check_doubts_is_judged_by_pydantic(tmp_path: Path) -> None:
    from tests.industry.conftest import SEED_ROWS, workbook_with
    from xltools.industry.layout import ENTRY, table_col
    from xltools.workbook.package import XlsxPackage

    workbook = workbook_with(tmp_path / "b.xlsx", SEED_ROWS, date(2012, 12, 4))
    with XlsxPackage(workbook) as package:
        package.set_constant(ENTRY, 3, table_col("pladser"), -2.0)  # row 4: a negative count
        package.save()
    run = f"from xltools.cli import main\nassert main(['recalc', {str(workbook)!r}, '--as-of', '2012-12-11']) == 2"
    assert "pydantic" in _imported(run)


def test_loading_the_udfs_imports_no_builder_and_no_other_tool_code() -> None:
    pytest.importorskip("xlwings")
    modules = _imported("import xltools.excel.udfs")
    builders = sorted(m for m in modules if m.endswith(".workbook") and m.startswith("xltools.") or m == "xlsxwriter")
    assert not builders
    assert not sorted(m for m in modules if m.startswith(("xltools.workbook.build", "xltools.recalc", "xltools.cli")))


def test_a_batch_worth_a_pool_imports_one(tmp_path: Path) -> None:
    """The other side of the lazy import: a batch with files enough for two workers does start a pool."""
    for number in range(8):
        (tmp_path / f"r{number}.xlsx").write_bytes((REPO / "workbooks" / "ressourceberegner.xlsx").read_bytes())
    modules = _imported(f"from xltools.cli import main\nassert main(['recalc', {str(tmp_path)!r}, '--jobs', '2']) == 0")
    assert set(POOL) <= modules
