"""Every case of the hostile corpus against every command the CLI lists that applies to it.

For each (case, command): the exit code; stderr one clear Danish line per problem (no traceback, no
Python, no English, no raw control characters, no line over 300 characters, no long value echoed
whole, nothing of /etc/passwd); under 10 seconds; for the heavy cases, run in a child process, under
1 GiB peak RSS; the input byte-identical (and nothing else in its folder changed) unless the command
writes it and ended 0; and user text that could run as a formula is text in every workbook written.

Then the outputs: an output that is one of the inputs is always refused, an existing one unless
``--force``; ``demo`` keeps its hands off a folder it did not make.
"""

from __future__ import annotations

import fnmatch
import json
import os
import random
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from tests.hostile import ooxml
from tests.hostile.corpus import BY_NAME, CASES, LAUGHS, WORKBOOK, Case, Run, Sources, with_doctype
from tests.hostile.harness import (
    GIB,
    Command,
    Result,
    changes,
    commands,
    inert_problems,
    message_problems,
    run_cli,
    run_cli_subprocess,
    snapshot,
    valid_workbook,
    workbook_commands,
)

OUTPUTS = {"merge": "samlet.xlsx", "rollover": "naeste-aar.xlsx"}
MEMORY = 1 * GIB


def _pairs(heavy: bool, forced: bool = False) -> list[tuple[Case, Command]]:
    return [
        (case, command)
        for case in CASES
        if case.heavy == heavy and (not forced or case.forced)
        for command in workbook_commands()
        if case.applies(command) and (not forced or command.writes)
    ]


def _id(value: object) -> str:
    if isinstance(value, Case):
        return value.name
    if isinstance(value, Command):
        return value.name.replace(" ", "")
    return str(value)


def _matches(code: int, expected: int | frozenset[int]) -> bool:
    return code in expected if isinstance(expected, frozenset) else code == expected


UP_TO_DATE = "intet ændret"
"""How ``upgrade`` says a workbook already has the current template (every corpus file has)."""


def _left_alone(command: Command, code: int, stdout: str) -> bool:
    """``upgrade`` of a workbook already on the current template: it only reads the version."""
    return command.name == "upgrade" and code == 0 and UP_TO_DATE in stdout


def _written(command: Command, inputs: list[Path], out: Path, code: int) -> list[Path]:
    """The workbooks a command wrote, if it ended 0."""
    if code != 0:
        return []
    found = [path.resolve() for path in inputs if command.writes and path.resolve().is_file()]
    if command.creates and out.is_file():
        found.append(out)
    return found


def _allowed(command: Command, folder: Path, inputs: list[Path], out: Path, code: int, before: dict) -> set[str]:
    """Paths in the case folder a command may have changed."""
    if code != 0:
        return set()
    allowed = set()
    if command.writes:
        for path in inputs:
            allowed.add(str(path.relative_to(folder)))
            if path.exists():
                allowed.add(str(path.resolve().relative_to(folder.resolve())))
        inodes = {before[key][2] for key in allowed if key in before and before[key][0] == "file"}
        allowed |= {key for key, value in before.items() if value[0] == "file" and value[2] in inodes}
    if command.creates:
        allowed.add(str(out.relative_to(folder)))
    return allowed


def _leaks(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        with zipfile.ZipFile(path) as package:
            for info in package.infolist():
                if info.file_size < 50_000_000 and b"root:x:0:0" in package.read(info):
                    found.append(f"{path.name}:{info.filename} holds /etc/passwd")
    return found


def exercise(case: Case, command: Command, sources: Sources, folder: Path, heavy: bool, forced: bool = False) -> Result:
    """Run one command on one case and check everything the suite promises; returns the result."""
    inputs = case.make(folder, sources)
    out = folder / OUTPUTS.get(command.name, "ud.xlsx")
    argv = command.argv(inputs, out, *(["--force"] if forced else []))
    before = snapshot(folder)
    input_bytes = {str(path): path.read_bytes() for path in inputs if path.is_file()}
    if heavy:
        result = run_cli_subprocess(argv, folder.parent / "proces", cwd=folder, timeout=case.seconds + 2)
    else:
        result = run_cli(argv, cwd=folder)
    expected = case.expected(command, forced)
    assert expected is not None
    if _left_alone(command, result.code, result.stdout):
        expected = 0  # nothing to upgrade: nothing read beyond the version, nothing written, nothing to refuse
    wrote = 0 if result.code == 0 and not _left_alone(command, result.code, result.stdout) else 1
    failures = []
    if not _matches(result.code, expected):
        failures.append(f"exit {result.code}, expected {expected}")
    failures += message_problems(result, case.long_values)
    if result.code == 2 and len([line for line in result.stderr.splitlines() if line.strip()]) < case.problems:
        failures.append(f"fewer than {case.problems} lines for {case.problems} problems")
    if result.elapsed >= case.seconds or result.timed_out:
        failures.append(
            f"took {result.elapsed:.2f} s (limit {case.seconds} s)" + (", timed out" if result.timed_out else "")
        )
    if heavy and (result.killed_for_memory or (result.peak_rss or 0) >= MEMORY):
        failures.append(f"peak RSS {(result.peak_rss or 0) / 2**20:.0f} MiB (limit {MEMORY / 2**20:.0f} MiB)")
    after = snapshot(folder)
    allowed = _allowed(command, folder, inputs, out, wrote, before)
    patterns = command.leaves if wrote == 0 else ()
    for path, change in changes(before, after).items():
        if path not in allowed and not any(fnmatch.fnmatch(Path(path).name, p) for p in patterns):
            failures.append(
                f"{path}: {change}" + (" (the input must stay byte-identical)" if path in input_bytes else "")
            )
    written = _written(command, inputs, out, wrote)
    if case.texts:
        for path in written:
            problems, shown = inert_problems(path, case.texts)
            failures += [f"{path.name}: {problem}" for problem in problems]
            if command.name in case.carried_by and shown == 0:
                failures.append(f"{path.name}: the user's text was not carried over")
    failures += _leaks(written)
    if case.after and not failures:
        try:
            case.after(Run(case, command, folder, inputs, wrote or result.code, written, input_bytes))
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, (
        f"{case.name} × {command.name}{' --force' if forced else ''}\n  - "
        + "\n  - ".join(failures)
        + "\n"
        + result.describe()
    )
    return result


@pytest.mark.parametrize(("case", "command"), _pairs(heavy=False), ids=_id)
def test_case(case: Case, command: Command, sources: Sources, folder: Path) -> None:
    exercise(case, command, sources, folder, heavy=False)


@pytest.mark.parametrize(("case", "command"), _pairs(heavy=True), ids=_id)
def test_heavy_case(case: Case, command: Command, sources: Sources, folder: Path) -> None:
    """Bombs, a FIFO, ranges over a million rows: in a child process, for memory and hangs."""
    exercise(case, command, sources, folder, heavy=True)


@pytest.mark.parametrize(("case", "command"), _pairs(heavy=False, forced=True), ids=_id)
def test_case_forced(case: Case, command: Command, sources: Sources, folder: Path) -> None:
    """``--force`` writes through what xltools refuses by default (hard link, read-only, owner file)."""
    exercise(case, command, sources, folder, heavy=False, forced=True)


def test_every_command_is_exercised() -> None:
    """A command the CLI lists is in the matrix by default; this fails when one has no case at all."""
    counts = {command.name: sum(case.applies(command) for case in CASES) for command in workbook_commands()}
    assert all(count >= 20 for count in counts.values()), counts
    assert {"recalc", "merge", "goals", "rebuild", "rollover"} <= {command.name for command in commands()}


# -- outputs --------------------------------------------------------------------------------------------

TOOL_OF = {"merge": "brancheredskab", "rollover": "maalstyring"}


def _output_slots() -> list[tuple[Command, str]]:
    """(command, "out" or a report option): every place a command writes a file it is told to."""
    slots = []
    for command in workbook_commands():
        if command.creates:
            slots.append((command, "out"))
        slots += [(command, option) for option in command.reports]
    return slots


def _slot_id(value: object) -> str:
    return value.name.replace(" ", "") if isinstance(value, Command) else str(value).lstrip("-")


def _argv_with_output(command: Command, inputs: list[Path], target: Path, slot: str, folder: Path) -> list[str]:
    if slot == "out":
        return command.argv(inputs, target)
    return command.argv(inputs, folder / OUTPUTS.get(command.name, "ud.xlsx"), slot, str(target))


def _input_for(command: Command, sources: Sources, folder: Path) -> Path:
    tool = TOOL_OF.get(command.name) or next(iter(sorted(command.tools or {"ressourceberegner"})))
    path = folder / WORKBOOK
    path.write_bytes(sources.path(tool).read_bytes())
    return path


@pytest.mark.parametrize("forced", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("via_link", [False, True], ids=["path", "link"])
@pytest.mark.parametrize(("command", "slot"), _output_slots(), ids=_slot_id)
def test_output_that_is_an_input_is_refused(
    command: Command, slot: str, via_link: bool, forced: bool, sources: Sources, folder: Path
) -> None:
    source = _input_for(command, sources, folder)
    target = source
    if via_link:
        target = folder / "link.xlsx"
        target.symlink_to(source.name)
    argv = _argv_with_output(command, [source], target, slot, folder) + (["--force"] if forced else [])
    before = snapshot(folder)
    result = run_cli(argv, cwd=folder)
    assert result.code == 5 and not message_problems(result), result.describe()
    assert not changes(before, snapshot(folder)), result.describe()


@pytest.mark.parametrize("forced", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize(("command", "slot"), _output_slots(), ids=_slot_id)
def test_existing_output_is_refused_unless_forced(
    command: Command, slot: str, forced: bool, sources: Sources, folder: Path
) -> None:
    source = _input_for(command, sources, folder)
    target = folder / ("rapport.json" if slot != "out" else "eksisterende.xlsx")
    target.write_bytes(b"brugerens egen fil\n")
    argv = _argv_with_output(command, [source], target, slot, folder) + (["--force"] if forced else [])
    before = snapshot(folder)
    result = run_cli(argv, cwd=folder)
    problems = message_problems(result)
    if not forced:
        assert result.code == 5 and not problems, result.describe()
        assert not changes(before, snapshot(folder)), result.describe()
    else:
        assert result.code == 0 and not problems, result.describe()
        if slot == "out":
            assert valid_workbook(target), result.describe()
        elif slot == "--junit":
            assert etree.fromstring(target.read_bytes()).tag == "testsuites"
        else:
            json.loads(target.read_text(encoding="utf-8"))


def test_demo_refuses_a_folder_it_did_not_make(folder: Path) -> None:
    (folder / "vigtigt.txt").write_text("En kollegas noter, som ikke må forsvinde.\n", encoding="utf-8")
    before = snapshot(folder)
    result = run_cli(["demo", "--out", str(folder)])
    assert result.code == 5 and not message_problems(result), result.describe()
    assert not changes(before, snapshot(folder)), result.describe()


def test_demo_reuses_a_folder_it_made(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    first = run_cli(["demo", "--out", str(out)])
    assert first.code == 0 and not message_problems(first), first.describe()
    second = run_cli(["demo", "--out", str(out)])
    assert second.code == 0 and not message_problems(second), second.describe()


def test_folder_run_skips_a_workbook_open_in_excel(sources: Sources, folder: Path) -> None:
    """``recalc FOLDER``: a workbook with an owner file beside it is left alone, with a note."""
    path = folder / WORKBOOK
    package = sources.package("ressourceberegner")
    package.set_number(*package.name_target("Borgere"), 331)
    package.save(path)
    (folder / f"~${WORKBOOK}").write_bytes(b"\x0bKirsten Bach")
    before = snapshot(folder)
    result = run_cli(["recalc", str(folder)])
    assert result.code in (0, 5) and not message_problems(result), result.describe()
    assert WORKBOOK in result.stderr, "no note about the skipped workbook\n" + result.describe()
    assert not changes(before, snapshot(folder)), result.describe()


def test_folder_run_opens_only_regular_files(sources: Sources, folder: Path) -> None:
    """``recalc FOLDER`` with a FIFO named like a workbook: no hang, the real workbook is recalculated."""
    os.mkfifo(folder / WORKBOOK)
    real = folder / "y.xlsx"
    package = sources.package("ressourceberegner")
    package.set_number(*package.name_target("Borgere"), 331)
    package.save(real)
    before = real.read_bytes()
    result = run_cli_subprocess(["recalc", str(folder)], folder.parent / "proces", timeout=5)
    assert not result.timed_out and result.code in (0, 3) and not message_problems(result), result.describe()
    assert real.read_bytes() != before, "the regular workbook beside the FIFO was not recalculated"


# -- the corpus's own machinery ---------------------------------------------------------------------------------


def test_crc_arithmetic_agrees_with_zlib() -> None:
    rng = random.Random(7)
    for _ in range(20):
        a, b = rng.randbytes(rng.randrange(2000)), rng.randbytes(rng.randrange(2000))
        assert ooxml.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
        count = rng.randrange(1, 40)
        assert ooxml.crc32_repeat(zlib.crc32(b), len(b), count) == zlib.crc32(b * count)


def test_bomb_inflates_to_what_it_declares() -> None:
    body = ooxml.bomb(b"<sst>", 12 * ooxml.MIB, b"</sst>")
    data = zlib.decompressobj(-15).decompress(b"".join(body.chunks()))
    assert len(data) == body.size and zlib.crc32(data) == body.crc and data.startswith(b"<sst>   ")
    assert body.compressed_size < body.size / 500


def test_doctype_parts_stay_well_formed(sources: Sources) -> None:
    """The entity cases are refused for their DOCTYPE, not for broken XML: take the declaration and the
    reference out again and the part is what the builder wrote; an external entity parses unresolved."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    package = sources.package("maalstyring")
    for member in ("[Content_Types].xml", "xl/workbook.xml", package.sheet_member("Uge 1"), "docProps/custom.xml"):
        original = package.data(member)
        for kind, reference in (("laughs", b"&lol9;"), ("external", b"&xxe;")):
            hostile = with_doctype(original, kind)
            declaration = hostile[hostile.index(b"\n<!DOCTYPE") : hostile.index(b"]>") + 2]
            assert hostile.replace(declaration, b"").replace(reference, b"", 1) == original
        root = etree.fromstring(with_doctype(original, "external"), parser)
        assert root.getroottree().docinfo.internalDTD is not None
    assert LAUGHS.count(b"<!ENTITY") == 10


def test_case_names_say_what_they_are() -> None:
    assert "bomb_unread_member_R" in BY_NAME and "fifo_named_xlsx" in BY_NAME
    assert all(case.heavy for case in CASES if case.name.startswith("bomb_"))
