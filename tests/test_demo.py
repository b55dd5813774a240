"""The README's main job: fresh workbooks, demo data, recalculation, a summary."""

from pathlib import Path

from typer.testing import CliRunner

from xltools.cli import app
from xltools.recalc.engine import recalc


def test_demo_builds_fills_recalculates_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
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
