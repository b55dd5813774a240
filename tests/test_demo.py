"""The README's main job: fresh workbooks, demo data, recalculation, a summary."""

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Ran
from xltools.recalc.engine import recalc
from xltools.workbook.own_folder import MARKER


def test_demo_builds_fills_recalculates_and_summarises(tmp_path: Path, xltools: Callable[..., Ran]) -> None:
    out = tmp_path / "out"
    result = xltools("demo", "--out", out)
    assert result.exit_code == 0, result.output
    demo_files = sorted(out.glob("*.xlsx"))
    assert [p.name for p in demo_files] == ["brancheredskab-demo-1.xlsx", "maalstyring-demo-1.xlsx"] + [
        f"ressourceberegner-demo-{n}.xlsx" for n in (1, 2, 3)
    ]
    assert (out / "templates" / "ressourceberegner.xlsx").exists()
    assert (out / "templates" / "brancheredskab.xlsx").exists()
    assert "3.300 samtaler at booke = 5 årsværk" in result.output
    assert "60 rækker pr." in result.output
    assert "uger gået" in result.output
    assert all(recalc(path, check=True).exit_code == 0 for path in demo_files)
    assert result.out.splitlines()[1].split() == ["regneark", "nøgletal", "status"]
    assert "5 demo-regneark i " in result.out


def test_demo_runs_again_into_its_own_folder_and_keeps_what_it_did_not_make(
    tmp_path: Path, xltools: Callable[..., Ran]
) -> None:
    out = tmp_path / "out"
    assert xltools("demo", "--out", out).exit_code == 0
    (out / "mine.txt").write_text("mit eget")
    again = xltools("demo", "--out", out)
    assert again.exit_code == 0, again.output
    assert (out / "mine.txt").read_text() == "mit eget"
    assert (out / MARKER).is_file() and (out / "templates" / MARKER).is_file()
