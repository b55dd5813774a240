"""Stress on the write path: two recalcs of one file at once, a recalc killed at random moments, and a
user saving the workbook while a recalc runs. The user's file is never lost or half-written.

The children are forks of a clean process that imported xltools once (``harness.start_cli_subprocess``),
so their start costs milliseconds and a kill lands inside the command, not inside Python's imports.
"""

from __future__ import annotations

import builtins
import io
import os
import random
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import (
    Child,
    Result,
    is_temporary,
    message_problems,
    run_cli,
    start_cli_subprocess,
    valid_workbook,
)
from tests.hostile.ooxml import Package

AS_OF = "2026-03-02"
"""A reporting date unlike the template's: every recalc of the workbook below has values to write."""
WORKBOOK = "x.xlsx"
KILLS = 15


@pytest.fixture(scope="module")
def full_goals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full-size Målstyring (8 employees, 29 indicators, 53 weeks): a recalc long enough to hit."""
    from xltools.goals import workbook
    from xltools.workbook.build import TEMPLATE_DATE

    path = tmp_path_factory.mktemp("stress") / "maalstyring.xlsx"
    workbook.build(path, TEMPLATE_DATE)
    return path


def _recalc(path: Path) -> list[str]:
    return ["recalc", str(path), "--as-of", AS_OF]


def _correct(path: Path) -> bool:
    """A readable workbook whose cached values are right for ``AS_OF``."""
    return valid_workbook(path) and run_cli(["recalc", str(path), "--check", "--as-of", AS_OF]).code == 0


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name not in keep)


def _typed_real(package: Package) -> str:
    """The Real cell of the first employee and the first indicator (I01, its hidden id in column A) in week 1."""
    row = package.find_one("Uge 1", "I01")
    return "E" + row[1:]


# -- two at once ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_two_recalcs_of_one_file_at_once(round_: int, full_goals: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sag"
    folder.mkdir()
    path = folder / WORKBOOK
    shutil.copyfile(full_goals, path)
    go = tmp_path / "go"
    children = [start_cli_subprocess(_recalc(path), tmp_path / f"proces{n}", go=go) for n in (1, 2)]
    time.sleep(0.05)
    go.touch()
    results = [child.wait(timeout=30) for child in children]
    described = "\n".join(result.describe() for result in results)
    assert sorted(result.code for result in results) in ([0, 0], [0, 5]), described
    assert all(not message_problems(result) for result in results), described
    assert _correct(path), "the workbook is not readable with correct values afterwards\n" + described
    assert _leftovers(folder, {WORKBOOK}) == [], described


# -- killed at random moments --------------------------------------------------------------------------------


def _kill_when_writing(folder: Path, child: Child, jitter: float, limit: float) -> str:
    """Wait until a file appears beside the workbook (the write has begun), then kill after ``jitter``."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not _leftovers(folder, {WORKBOOK}):
        time.sleep(0.0003)
    time.sleep(jitter)
    child.kill()
    return f"writing+{jitter * 1000:.0f}ms"


def test_recalc_killed_at_random_moments_leaves_old_or_new(full_goals: Path, tmp_path: Path) -> None:
    """15 SIGKILLs: 8 spread over a recalc's run, 7 while it writes (just after a file appears beside
    the workbook). The file is always the old or the new version, readable; what a killed write leaves
    behind is recognisable as its temporary file, and the next run sweeps it."""
    old = full_goals.read_bytes()
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copyfile(full_goals, reference / WORKBOOK)
    clean = start_cli_subprocess(_recalc(reference / WORKBOOK), tmp_path / "proces").wait(timeout=60)
    assert clean.code == 0, clean.describe()
    new = (reference / WORKBOOK).read_bytes()
    span = clean.elapsed
    rng = random.Random(20261123)
    outcomes: list[str] = []
    swept_folders: list[Path] = []
    spread = 8
    for kill in range(KILLS):
        folder = tmp_path / f"drab{kill}"
        folder.mkdir()
        path = folder / WORKBOOK
        path.write_bytes(old)
        go = tmp_path / f"go{kill}"
        child = start_cli_subprocess(_recalc(path), tmp_path / "proces", go=go)
        go.touch()
        if kill < spread:  # one kill in each slice of the run, the last ones after it
            delay = span * 1.1 * (kill + rng.random()) / spread
            time.sleep(delay)
            child.kill()
            moment = f"{delay:.3f}s"
        else:
            moment = _kill_when_writing(folder, child, rng.uniform(0, 0.02), span * 3)
        result = child.wait(timeout=30)
        data = path.read_bytes()
        state = "old" if data == old else "new" if data == new else "other"
        if state == "other":
            assert _correct(path), f"kill {kill} at {moment} left a broken or wrong workbook"
        leftovers = _leftovers(folder, {WORKBOOK})
        assert all(is_temporary(name, WORKBOOK) for name in leftovers), (
            f"kill {kill} at {moment} left files that are not recognisable temporaries: {leftovers}"
        )
        if leftovers:
            swept_folders.append(folder)
        outcomes.append(f"{moment}→{state}{'+' + str(len(leftovers)) if leftovers else ''}(exit {result.code})")
    for folder in swept_folders[:2]:
        result = run_cli(_recalc(folder / WORKBOOK))
        assert result.code == 0, result.describe()
        assert _leftovers(folder, {WORKBOOK}) == [], f"the next run did not sweep {folder.name}: {outcomes}"
    print("kills:", ", ".join(outcomes))


# -- the user saves while a recalc runs ----------------------------------------------------------------------


@contextmanager
def user_saves_while_writing(target: Path, user_bytes: bytes) -> Iterator[dict[str, Any]]:
    """Save the user's version over ``target`` (as Excel does: a new file renamed into place) at the
    moment xltools, having read ``target``, opens a file beside it for writing — its temporary — or at
    the latest when it replaces ``target``. The state says where it happened."""
    target = target.resolve()
    state: dict[str, Any] = {"read": False, "saved": None}
    real_open, real_os_open, real_replace, real_rename = builtins.open, os.open, os.replace, os.rename

    def save(where: str) -> None:
        if state["saved"] is None:
            state["saved"] = where
            staging = target.parent.parent / f"brugerens-{target.name}"
            with real_open(staging, "wb") as out:
                out.write(user_bytes)
            real_replace(staging, target)

    def seen(path: object, writing: bool) -> None:
        if isinstance(path, int) or not isinstance(path, (str, bytes, os.PathLike)):
            return
        resolved = Path(os.fsdecode(path)).resolve()
        if resolved == target and not writing:
            state["read"] = True
        elif writing and resolved.parent == target.parent and resolved != target and state["read"]:
            if not resolved.name.startswith(("~$", ".~lock.")):
                save(f"opening {resolved.name}")

    def patched_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        seen(file, any(flag in mode for flag in "wax+"))
        return real_open(file, mode, *args, **kwargs)

    def patched_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        seen(path, bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)))
        return real_os_open(path, flags, *args, **kwargs)

    def patched_replace(source: Any, destination: Any, *args: Any, **kwargs: Any) -> None:
        if Path(os.fsdecode(destination)).resolve() == target:
            save("replacing the workbook")
        real_replace(source, destination, *args, **kwargs)

    def patched_rename(source: Any, destination: Any, *args: Any, **kwargs: Any) -> None:
        if Path(os.fsdecode(destination)).resolve() == target:
            save("renaming onto the workbook")
        real_rename(source, destination, *args, **kwargs)

    patches = [
        (builtins, "open", patched_open),
        (io, "open", patched_open),
        (os, "open", patched_os_open),
        (os, "replace", patched_replace),
        (os, "rename", patched_rename),
    ]
    originals = [(module, name, getattr(module, name)) for module, name, _ in patches]
    for module, name, value in patches:
        setattr(module, name, value)
    try:
        yield state
    finally:
        for module, name, value in originals:
            setattr(module, name, value)


def _stale_capacity(sources_path: Path, borgere: float, target: Path) -> bytes:
    package = Package.read(sources_path)
    package.set_number(*package.name_target("Borgere"), borgere)
    package.save(target)
    return target.read_bytes()


def test_user_save_between_read_and_write_is_kept(tmp_path: Path) -> None:
    from xltools.capacity import workbook
    from xltools.workbook.build import TEMPLATE_DATE

    template = tmp_path / "skabelon.xlsx"
    workbook.build(template, TEMPLATE_DATE)
    folder = tmp_path / "sag"
    folder.mkdir()
    path = folder / WORKBOOK
    _stale_capacity(template, 331, path)
    user = _stale_capacity(template, 999, tmp_path / "bruger.xlsx")
    with user_saves_while_writing(path, user) as state:
        result = run_cli(["recalc", str(path)])
    assert state["saved"], "xltools never wrote: the workbook was not stale?\n" + result.describe()
    assert path.read_bytes() == user, f"the user's save ({state['saved']}) was overwritten\n" + result.describe()
    assert result.code == 5 and not message_problems(result), result.describe()
    assert _leftovers(folder, {WORKBOOK}) == [], result.describe()


def test_user_save_racing_a_recalc_is_never_lost(full_goals: Path, tmp_path: Path) -> None:
    """A second process saves the user's version at a random moment of a recalc: whatever the timing,
    the user's typed value is in the file afterwards, and a refusal (5) leaves exactly the user's bytes."""
    user_package = Package.read(full_goals)
    cell = _typed_real(user_package)
    user_package.set_number("Uge 1", cell, 7)
    rng = random.Random(5)
    span = 1.5
    for attempt in range(4):
        folder = tmp_path / f"sag{attempt}"
        folder.mkdir()
        path = folder / WORKBOOK
        shutil.copyfile(full_goals, path)
        staging = tmp_path / f"bruger{attempt}.xlsx"
        user_package.save(staging)
        user = staging.read_bytes()
        go = tmp_path / f"go{attempt}"
        child = start_cli_subprocess(_recalc(path), tmp_path / "proces", go=go)
        go.touch()
        started = time.perf_counter()
        time.sleep(rng.uniform(0.05, span))
        os.replace(staging, path)
        result: Result = child.wait(timeout=30)
        span = max(0.2, min(span, result.elapsed))
        moment = time.perf_counter() - started
        described = f"attempt {attempt}, saved after {moment:.3f} s\n" + result.describe()
        assert result.code in (0, 5) and not message_problems(result), described
        assert Package.read(path).value("Uge 1", cell) == 7, "the user's typed value was lost\n" + described
        if result.code == 5:
            assert path.read_bytes() == user, described
        assert _leftovers(folder, {WORKBOOK}) == [], described
