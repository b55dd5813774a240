"""The ``xltools`` command: build templates, recalculate, merge, break down goals, roll over, run the demo job."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xltools.errors import Failure
from xltools.goals.breakdown import fill_goals
from xltools.goals.rebuild import rebuild as rebuild_workbook
from xltools.goals.recalc import rollover as rollover_workbook
from xltools.industry.merge import merge as merge_files
from xltools.industry.rows import InvalidRows
from xltools.recalc.engine import Outcome, recalc_many
from xltools.tools import TOOLS
from xltools.workbook.build import TEMPLATE_DATE

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
out = Console(soft_wrap=True)  # messages stay on one line, for logs and grep
err = Console(stderr=True, soft_wrap=True)

_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--as-of") from None


def build_templates(folder: Path, as_of: date = TEMPLATE_DATE) -> list[Path]:
    """Build every tool's template into ``folder``; same code, same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for tool in TOOLS.values():
        path = folder / tool.template
        tool.build(path, as_of)
        paths.append(path)
    return paths


@app.command()
def build(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the templates.")] = Path("workbooks"),
    as_of: Annotated[str | None, typer.Option(help="Reporting date of cached values (YYYY-MM-DD).")] = None,
) -> None:
    """Build the workbook templates (deterministic: unchanged code gives identical bytes)."""
    for path in build_templates(out_dir, _date(as_of) or TEMPLATE_DATE):
        out.print(f"built {path}")


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in _WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
                )
            )
        else:
            files.append(path)
    return files


@app.command("recalc")
def recalc_command(
    paths: Annotated[list[Path], typer.Argument(help="Workbooks or folders of workbooks.")],
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if cached values are stale.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write a JSON report to this file.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Reporting date (YYYY-MM-DD); default today.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes for many files (0: one per core).")] = 0,
) -> None:
    """Recompute workbooks' cached values in place, touching nothing else in the files.

    Exit codes: 0 fine, 1 stale values (--check), 2 invalid input, 3 unreadable file; the worst wins.
    """
    workers = jobs or os.cpu_count() or 1
    outcomes = recalc_many(_expand(paths), check=check, as_of=_date(as_of), jobs=workers)
    for outcome in outcomes:
        _print_outcome(outcome, check)
    written = sum(outcome.written for outcome in outcomes)
    failed = sum(not outcome.ok for outcome in outcomes)
    verb = "checked" if check else f"{written} rewritten,"
    out.print(f"{len(outcomes)} workbook(s) {verb} {failed} with problems")
    if report:
        report.write_text(
            json.dumps([outcome.report() for outcome in outcomes], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    raise typer.Exit(max((outcome.exit_code for outcome in outcomes), default=0))


def _print_outcome(outcome: Outcome, check: bool) -> None:
    if outcome.ok:
        if outcome.written:
            out.print(f"[green]recalculated[/] {escape(str(outcome.path))}")
        return
    label = {1: "stale", 2: "invalid input", 3: "unreadable"}[outcome.exit_code]
    err.print(f"[red]{label}[/] {escape(str(outcome.path))}")
    for error in outcome.errors[:20]:
        err.print(f"  {error}", markup=False)
    if len(outcome.errors) > 20:
        err.print(f"  … and {len(outcome.errors) - 20} more")


@app.command()
def merge(
    out_file: Annotated[Path, typer.Argument(help="The combined Brancheredskab to write.")],
    inputs: Annotated[list[Path], typer.Argument(help="Brancheredskab files to combine (only read).")],
    report: Annotated[Path | None, typer.Option(help="Write the merge report as JSON.")] = None,
) -> None:
    """Combine consultants' Brancheredskab files: identical rows once, conflicts kept and listed."""
    with _failing_as("merge"):
        result = merge_files(out_file, inputs, date.today())
    out.print(
        f"{out_file}: {result.kept} rows from {len(inputs)} files; "
        f"{result.duplicates} identical rows kept once; {len(result.conflicts)} conflicts to settle"
    )
    for conflict in result.conflicts:
        places = ", ".join(
            f"{Path(r['file']).name} række {r['row']}: {r['pladser']}/{r['besatte']}" for r in conflict["rows"]
        )
        out.print(
            f"  konflikt {conflict['dato']} {conflict['virksomhed']} {conflict['jobfunktion']} – {places}", markup=False
        )
    if report:
        report.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


@contextmanager
def _failing_as(action: str) -> Iterator[None]:
    """Turn the ways a command can fail into a message and the recalc exit codes (2 invalid, 3 unreadable)."""
    try:
        yield
    except (Failure, InvalidRows) as failure:
        errors = failure.messages if isinstance(failure, Failure) else [p.message for p in failure.problems]
        for error in errors[:20]:
            err.print(f"  {error}", markup=False)
        raise typer.Exit(failure.exit_code if isinstance(failure, Failure) else 2) from None
    except (OSError, KeyError, ValueError) as error:
        err.print(f"[red]cannot {action}[/] {escape(str(error))}")
        raise typer.Exit(3) from None


@app.command()
def goals(
    path: Annotated[Path, typer.Argument(help="A Målstyring workbook.")],
    as_of: Annotated[str | None, typer.Option(help="Reporting date for the recalculation (YYYY-MM-DD).")] = None,
) -> None:
    """Break each Årsmål down into weekly Mål in the empty Mål cells (typed Mål are kept)."""
    with _failing_as("fill goals"):
        result = fill_goals(path)
    for name, count in result.filled.items():
        out.print(f"{name}: {count} Mål-celler udfyldt", markup=False)
    for warning in result.warnings:
        err.print(f"[yellow]advarsel[/] {escape(warning)}")
    outcome = recalc_many([path], as_of=_date(as_of))[0]
    _print_outcome(outcome, check=False)
    raise typer.Exit(outcome.exit_code)


@app.command()
def rollover(
    path: Annotated[Path, typer.Argument(help="This year's Målstyring workbook (only read).")],
    year: Annotated[int, typer.Option(help="The new year.")],
    out_file: Annotated[Path, typer.Option("--out", help="The new workbook.")],
) -> None:
    """Start next year's Målstyring with the same Opsætning and empty weeks."""
    with _failing_as("roll over"):
        rollover_workbook(path, year, out_file)
    out.print(f"{out_file}: Målstyring {year} with the setup of {path}")


@app.command()
def rebuild(
    path: Annotated[Path, typer.Argument(help="A Målstyring workbook whose Opsætning the team changed.")],
) -> None:
    """Build a Målstyring anew from its own Opsætning, carrying every registration over by id."""
    with _failing_as("rebuild"):
        result = rebuild_workbook(path)
    out.print(
        f"{path}: rebuilt; {result.carried} registrations carried over, {result.archived} moved to Arkiv; "
        f"the original is {result.backup.name}",
        markup=False,
    )


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for demo workbooks (emptied first).")] = Path("out"),
) -> None:
    """The main job: fresh workbooks, filled with demo data, recalculated, summarised."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    templates = out_dir / "templates"
    build_templates(templates)
    demo_files = [path for tool in TOOLS.values() for path in tool.demo(templates / tool.template, out_dir)]
    outcomes = recalc_many(demo_files)
    table = Table(title="xltools demo: recalculated workbooks")
    for column in ("workbook", "key figures", "status"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        figures = TOOLS[outcome.tool].summary(outcome.results) if outcome.tool and outcome.ok else ""
        table.add_row(outcome.path.name, figures, "ok" if outcome.ok else "; ".join(outcome.errors))
    out.print(table)
    out.print(f"{len(outcomes)} demo workbooks in {out_dir}/, templates in {templates}/")
    raise typer.Exit(max((outcome.exit_code for outcome in outcomes), default=0))


if __name__ == "__main__":
    app()
