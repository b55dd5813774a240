"""``xltools demo``: the main job — fresh templates, demo data, recalculation, a summary table."""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from xltools.cli.arguments import add_force
from xltools.cli.command import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path("out"), metavar="MAPPE", help="mappen til demo-regnearkene (standard: out)"
    )
    add_force(parser)


def _run(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from xltools.cli.commands.build import build_templates
    from xltools.cli.output import notes, say
    from xltools.recalc.batch import recalc_many
    from xltools.tools import TOOLS
    from xltools.workbook import own_folder
    from xltools.workbook.files import via_path

    own_folder.claim(args.out)  # first: a foreign folder is refused before anything is made in it
    templates = build_templates(args.out / "templates", force=args.force)
    demo_files = []
    with tempfile.TemporaryDirectory(prefix="xltools-demo-") as scratch:
        for tool, template in zip(TOOLS.values(), templates, strict=True):
            for made in tool.demo(template, Path(scratch)):
                writer = via_path(partial(shutil.copyfile, made))
                notes(own_folder.write(args.out, made.name, writer, args.force))
                demo_files.append(args.out / made.name)
    outcomes = recalc_many(demo_files, force=args.force)
    rows = [("regneark", "nøgletal", "status")]
    for outcome in outcomes:
        figures = TOOLS[outcome.tool].summary(outcome.results) if outcome.tool and outcome.ok else ""
        rows.append((outcome.path.name, figures, "i orden" if outcome.ok else "; ".join(outcome.errors)))
    say("xltools demo: genberegnede regneark")
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    for name, figures, status in rows:
        say(f"{name:<{widths[0]}}  {figures:<{widths[1]}}  {status}")
    say(f"{len(outcomes)} demo-regneark i {args.out}/, skabeloner i {args.out / 'templates'}/")
    return max((int(outcome.exit_code or 0) for outcome in outcomes), default=0)


COMMAND = Command(
    name="demo",
    help="hovedopgaven: nye skabeloner, demodata, genberegning og en oversigt",
    description=(
        "Bygger skabelonerne, fylder kopier med demodata, genberegner dem og viser nøgletallene. MAPPE skal\n"
        "være ny, tom eller lavet af xltools (filen .xltools-mappe); xltools sletter aldrig en mappe og\n"
        "overskriver kun de filer, det selv laver."
    ),
    writes="folder",
    tools=frozenset(),
    add_arguments=_arguments,
    run=_run,
    example=("--out", "{out}"),
)
