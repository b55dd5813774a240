"""How the hostile tests call xltools — in one place — and what they check on every call.

=================================================================================================
CONNECT: the three points to wire to the real CLI when the cli and files branches land
-------------------------------------------------------------------------------------------------
1. ENTRY      ``xltools.cli.main(argv: list[str]) -> int`` — prints one Danish line per problem on
              stderr and returns the exit code. ``entry()`` uses it as soon as it exists; until then it
              falls back to today's typer ``app`` (which raises SystemExit).
2. COMMANDS   ``xltools.cli.COMMANDS``: name → spec with ``writes: bool`` (rewrites the workbook it is
              given), and optionally ``tools`` (names of the tools whose workbooks it takes; None = any,
              empty = none), ``creates: bool`` (writes a new file) and ``argv(inputs, out) -> list[str]``.
              ``commands()`` reads it; what a spec does not say comes from ``GUESSES`` below. Without a
              registry the names come from the typer app, so a new command is covered by default (with
              the default recipe ``[name, workbook]``, until it gets a line in ``GUESSES``).
3. TEMPORARY  ``TEMPORARY``: the names a write killed half-way may leave beside the workbook (today
              ``.NAME.<random>.xlsx`` from ``tempfile.mkstemp``); the stress tests require every
              leftover to match it and the next run to sweep it.
=================================================================================================
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

import xltools.cli as cli
from tests.hostile.ooxml import column_number

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("child.py")
GIB = 1 << 30

INTERNAL = 4
"""Exit code of a fault in xltools itself (``xltools.errors.ExitCode.INTERNAL``)."""

# -- 1. ENTRY --------------------------------------------------------------------------------------


def _typer_main(argv: list[str]) -> int:
    """Today's CLI (a typer app that exits): the stand-in for ``xltools.cli.main``."""
    try:
        cli.app(args=argv, prog_name="xltools", standalone_mode=True)
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    return 0


def entry() -> Callable[[list[str]], int]:
    """The CLI's calling convention: argv in, exit code out (output on sys.stdout / sys.stderr)."""
    main = getattr(cli, "main", None)
    return main if callable(main) else _typer_main


def call(argv: Sequence[str]) -> int:
    """Run the CLI once in this process; an exception escaping it counts as an internal error."""
    try:
        code = entry()(list(argv))
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except Exception:
        traceback.print_exc()
        code = INTERNAL
    return int(code if code is not None else 0)


# -- 2. COMMANDS -------------------------------------------------------------------------------------

RESSOURCEBEREGNER, BRANCHEREDSKAB, MAALSTYRING = "ressourceberegner", "brancheredskab", "maalstyring"
NEXT_YEAR = "2027"


def _paths(paths: Sequence[Path]) -> list[str]:
    return [str(path) for path in paths]


GUESSES: dict[str, dict[str, Any]] = {
    "recalc": {
        "writes": True,
        "tools": None,
        "argv": lambda inputs, out: ["recalc", *_paths(inputs)],
        "reports": ("--report", "--junit"),
    },
    "merge": {
        "writes": False,
        "creates": True,
        "tools": frozenset({BRANCHEREDSKAB}),
        "argv": lambda inputs, out: ["merge", str(out), *_paths(inputs)],
        "reports": ("--report",),
    },
    "goals": {"writes": True, "tools": frozenset({MAALSTYRING}), "argv": lambda inputs, out: ["goals", str(inputs[0])]},
    "rebuild": {
        "writes": True,
        "tools": frozenset({MAALSTYRING}),
        "argv": lambda inputs, out: ["rebuild", str(inputs[0])],
        "leaves": ("*.backup-*",),
    },
    "rollover": {
        "writes": False,
        "creates": True,
        "tools": frozenset({MAALSTYRING}),
        "argv": lambda inputs, out: ["rollover", str(inputs[0]), "--year", NEXT_YEAR, "--out", str(out)],
    },
    "upgrade": {"writes": True, "tools": None, "argv": lambda inputs, out: ["upgrade", *_paths(inputs)]},
    "build": {
        "writes": False,
        "creates": True,
        "tools": frozenset(),
        "argv": lambda inputs, out: ["build", "--out", str(out)],
    },
    "demo": {
        "writes": False,
        "creates": True,
        "tools": frozenset(),
        "argv": lambda inputs, out: ["demo", "--out", str(out)],
    },
}
"""What the harness assumes of each command the CLI lists, where the registry does not say."""

VARIANTS: dict[str, tuple[str, tuple[str, ...]]] = {"recalc --check": ("recalc", ("--check",))}
"""Invocations worth a column of their own: ``--check`` must never write."""


@dataclass(frozen=True)
class Command:
    """One way to call the CLI on a workbook."""

    name: str
    writes: bool
    """Rewrites the workbook it is given (so the input may change when it ends 0)."""
    creates: bool
    """Writes a new file (``out``)."""
    tools: frozenset[str] | None
    """The tools whose workbooks it takes; None: any; empty: it takes no workbook."""
    make_argv: Callable[[Sequence[Path], Path], list[str]]
    flags: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    """Glob patterns of files it may leave beside its input when it ends 0 (a backup)."""
    reports: tuple[str, ...] = ()
    """Options naming an output file (``--report``), if the CLI knows them."""

    def argv(self, inputs: Sequence[Path], out: Path, *extra: str) -> list[str]:
        return [*self.make_argv(inputs, out), *self.flags, *extra]

    @property
    def role(self) -> str:
        return "writes" if self.writes else "creates" if self.creates else "reads"

    def takes(self, tool: str | None) -> bool:
        """Whether the command applies to a workbook of ``tool`` (None: a file of no tool)."""
        if self.tools is None:
            return True
        return bool(self.tools) and (tool is None or tool in self.tools)


def _registry_argv(spec: Any) -> Callable[[Sequence[Path], Path], list[str]]:
    """The registry's example command line, with every input where it names the workbook."""

    def argv(inputs: Sequence[Path], out: Path) -> list[str]:
        line = spec.example_argv(Path("\0"), out)
        return [part for arg in line for part in (_paths(inputs) if arg == "\0" else [arg])]

    return argv


def _command(name: str, spec: Any | None) -> Command:
    """The registry says what a command writes and takes; the recipes in ``GUESSES`` keep the
    argv of the known commands free of extra outputs (a new command uses its registry example)."""
    guess = GUESSES.get(name)
    if spec is None and guess is None:
        guess = {"writes": True, "tools": None, "argv": lambda inputs, out: [name, *_paths(inputs)]}
    make_argv = guess["argv"] if guess is not None else _registry_argv(spec)
    guess = guess or {}
    writes = spec.writes == "in_place" if spec is not None else guess["writes"]
    creates = spec.writes in ("new_file", "folder") if spec is not None else guess.get("creates", False)
    tools = spec.tools if spec is not None else guess.get("tools")
    return Command(
        name=name,
        writes=bool(writes),
        creates=bool(creates),
        tools=None if tools is None else frozenset(tools),
        make_argv=make_argv,
        leaves=tuple(guess.get("leaves", ())),
        reports=tuple(option for option in guess.get("reports", ()) if knows_option(name, option)),
    )


def command_names() -> list[str]:
    """The commands the CLI itself lists (its registry, else the typer app's commands)."""
    registry = getattr(cli, "COMMANDS", None)
    if registry:
        return list(registry)
    names = []
    for info in cli.app.registered_commands:
        name = info.name or (info.callback.__name__.replace("_", "-") if info.callback else "")
        names.append(name)
    return names


@cache
def commands() -> tuple[Command, ...]:
    """Every command, plus the variants of ``VARIANTS``; a new command is in this list by default."""
    registry = getattr(cli, "COMMANDS", None) or {}
    found = [_command(name, registry.get(name)) for name in command_names()]
    by_name = {command.name: command for command in found}
    for variant, (base, flags) in VARIANTS.items():
        if base in by_name:
            original = by_name[base]
            found.append(
                Command(variant, False, False, original.tools, original.make_argv, flags, reports=original.reports)
            )
    return tuple(found)


def workbook_commands() -> tuple[Command, ...]:
    return tuple(command for command in commands() if command.tools != frozenset())


@cache
def knows_option(command: str, option: str) -> bool:
    """Whether ``xltools COMMAND --help`` mentions ``option``."""
    result = run_cli([command, "--help"])
    return option in result.stdout + result.stderr


# -- 3. TEMPORARY ------------------------------------------------------------------------------------


def is_temporary(name: str, target: str) -> bool:
    """Whether ``name`` is a temporary file a write of ``target`` may leave when killed: the write
    path's ``.~xltools-<pid>-<host>-<hex>.<name[:40]>.tmp``."""
    return re.fullmatch(r"\.~xltools-\d+-\w+-[0-9a-f]+\." + re.escape(target[:40]) + r"\.tmp", name) is not None


# -- results -------------------------------------------------------------------------------------------


@dataclass
class Result:
    argv: list[str]
    code: int
    stdout: str
    stderr: str
    elapsed: float
    peak_rss: int | None = None
    """Bytes; measured for runs in a child process."""
    timed_out: bool = False
    killed_for_memory: bool = False

    def describe(self) -> str:
        def cut(text: str) -> str:
            return text if len(text) < 3000 else text[:1500] + f"\n…[{len(text) - 3000} tegn]…\n" + text[-1500:]

        rss = f", peak {self.peak_rss / 2**20:.0f} MiB" if self.peak_rss is not None else ""
        flags = (" TIMED OUT" if self.timed_out else "") + (" KILLED (memory)" if self.killed_for_memory else "")
        return (
            f"xltools {' '.join(repr(a) if len(a) < 80 else repr(a[:80]) + '…' for a in self.argv)}\n"
            f"exit {self.code} in {self.elapsed:.2f} s{rss}{flags}\n"
            f"--- stdout ---\n{cut(self.stdout)}--- stderr ---\n{cut(self.stderr)}"
        )


@contextmanager
def _working_directory(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli(argv: Sequence[str], cwd: Path | None = None) -> Result:
    """Call the CLI in this process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with _working_directory(cwd), redirect_stdout(out), redirect_stderr(err):
        code = call(argv)
    return Result(list(argv), code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


# -- child processes -------------------------------------------------------------------------------------


def rss(pid: int) -> int:
    """Resident memory of a live process, in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def supervise(pid: int, timeout: float, memory_limit: float | None, ready: Path | None = None) -> dict[str, Any]:
    """Wait for child ``pid``; SIGKILL its process group after ``timeout`` seconds (counted from the
    moment ``ready`` exists) or above ``memory_limit`` bytes resident. Peak RSS comes from wait4."""
    started = None if ready else time.monotonic()
    patience = time.monotonic() + 120  # for a fresh interpreter to import xltools
    timed_out = killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        now = time.monotonic()
        if started is None and (ready is None or ready.exists() or now > patience):
            started = now
        if memory_limit and rss(pid) > memory_limit:
            killed = True
        elif started is not None and now - started > timeout:
            timed_out = True
        if killed or timed_out:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.003)
    return {
        "code": os.waitstatus_to_exitcode(status),
        "maxrss": usage.ru_maxrss * 1024,
        "timed_out": timed_out,
        "killed_for_memory": killed,
    }


class _Zygote:
    """A process that imported xltools once and forks a fresh child per run: no import cost per run,
    and the child's peak RSS (wait4) starts from a clean interpreter, not from pytest's."""

    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
            env=env,
            text=True,
        )

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the zygote died")
        return dict(json.loads(line))

    def alive(self) -> bool:
        return self.process.poll() is None


_zygote: _Zygote | None = None


def zygote() -> _Zygote:
    global _zygote
    if _zygote is None or not _zygote.alive():
        _zygote = _Zygote()
    return _zygote


@dataclass
class Child:
    """A CLI run in a child process, started and not yet waited for."""

    argv: list[str]
    pid: int
    files: dict[str, Path]
    fresh: bool
    process: subprocess.Popen[bytes] | None = None
    started: float = field(default_factory=time.perf_counter)

    def wait(self, timeout: float = 10.0, memory_limit: float | None = 1.1 * GIB) -> Result:
        if self.fresh:
            outcome = supervise(self.pid, timeout, memory_limit, self.files["ready"])
            if self.process is not None:
                self.process.returncode = outcome["code"]
        else:
            outcome = zygote().ask({"op": "wait", "pid": self.pid, "timeout": timeout, "memory_limit": memory_limit})
        try:
            elapsed = float(json.loads(self.files["result"].read_text())["elapsed"])
        except (OSError, ValueError, KeyError):
            elapsed = time.perf_counter() - self.started  # killed: no figure of its own
        read = lambda key: self.files[key].read_text(encoding="utf-8", errors="replace")  # noqa: E731
        return Result(
            self.argv,
            outcome["code"],
            read("stdout"),
            read("stderr"),
            elapsed,
            outcome["maxrss"],
            outcome["timed_out"],
            outcome["killed_for_memory"],
        )

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def start_cli_subprocess(
    argv: Sequence[str], scratch: Path, cwd: Path | None = None, go: Path | None = None, fresh: bool = False
) -> Child:
    """Start the CLI in a child process (output into files in ``scratch``). With ``go`` the child waits,
    after its imports, until that file exists — so several children can start at once. ``fresh``: a new
    interpreter (as the ``xltools`` script starts) rather than a fork of a clean zygote."""
    scratch.mkdir(parents=True, exist_ok=True)
    tag = f"{time.monotonic_ns()}"
    files = {key: scratch / f"child-{tag}.{key}" for key in ("stdout", "stderr", "result", "ready")}
    request = {
        "argv": list(argv),
        "cwd": str(cwd or scratch),
        "go": str(go) if go else None,
        **{key: str(path) for key, path in files.items()},
    }
    if fresh:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONIOENCODING": "utf-8"}
        process = subprocess.Popen(
            [sys.executable, str(CHILD), "run", json.dumps(request)], cwd=REPO, env=env, start_new_session=True
        )
        return Child(list(argv), process.pid, files, True, process)
    pid = zygote().ask({"op": "start", **request})["pid"]
    return Child(list(argv), int(pid), files, False)


def run_cli_subprocess(
    argv: Sequence[str],
    scratch: Path,
    cwd: Path | None = None,
    timeout: float = 10.0,
    memory_limit: float | None = 1.1 * GIB,
    fresh: bool = False,
) -> Result:
    """Run the CLI in a child process where memory, time or a hang is the point: killed after
    ``timeout`` seconds or above ``memory_limit`` bytes resident; peak RSS measured by wait4."""
    return start_cli_subprocess(argv, scratch, cwd, fresh=fresh).wait(timeout, memory_limit)


# -- checks -------------------------------------------------------------------------------------------------

LONGEST_LINE = 300
DANISH = re.compile(
    r"[æøåÆØÅ]|\b(ikke|kan|skal|mangler|findes|fil|filen|filer|arket|navnet|tabellen|fundet|række|kolonne|"
    r"er|og|af|til|med|en|et|det|den|der|som|for|på|uden|brug|regnearket|mappen|mål|ugyldig|ukendt|"
    r"tom|læses|skrive|skrives|gemt|åben|låst|findes|springer|over|fejl|stoppet|nægter|afvist|ugyldige|inddata|"
    r"problemer|genberegnet|uændrede|intern|sprunget|afbrudt|kørt|regneark|forkert|kommandolinje)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(error|errors|cannot|can't|failed|failure|invalid|unreadable|stale|warning|exception|no such|"
    r"not found|is not|permission denied|refused|traceback|usage)\b",
    re.IGNORECASE,
)
PYTHON = re.compile(
    r"Traceback|File \"|Error:|\w+(Error|Exception|Warning)\b|BadZipFile|\[Errno|<[\w.]+ object at 0x|\bNone\b"
)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
LEAKS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "lollollol")


def _without_paths(line: str) -> str:
    """A message line without its file paths and quoted values (they may hold any word)."""
    line = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", " ", line)
    return re.sub(r"(?:[\w.~$#+-]*/)+[^\s:,;'\")]*", " ", line)


def message_problems(result: Result, long_values: Sequence[str] = ()) -> list[str]:
    """Why stderr is not one clear Danish line per problem (an empty list when it is)."""
    problems = []
    lines = [line for line in result.stderr.split("\n") if line.strip()]
    if result.code != 0 and not lines:
        problems.append(f"exit {result.code} without a word on stderr")
    for line in lines:
        shown = repr(line[:120])
        if len(line) > LONGEST_LINE:
            problems.append(f"line of {len(line)} characters (over {LONGEST_LINE}): {shown}")
        if RAW_CONTROL.search(line):
            problems.append(f"raw control character on the terminal: {shown}")
        text = _without_paths(line)
        if PYTHON.search(text):
            problems.append(f"Python shows through ({PYTHON.search(text).group()!r}): {shown}")  # type: ignore[union-attr]
        if ENGLISH.search(text):
            problems.append(f"English ({ENGLISH.search(text).group()!r}): {shown}")  # type: ignore[union-attr]
        if not DANISH.search(text):
            problems.append(f"not Danish: {shown}")
    for value in long_values:
        if len(value) > LONGEST_LINE and value[:LONGEST_LINE] in result.stderr + result.stdout:
            problems.append(f"a {len(value)}-character value echoed whole")
    for leak in LEAKS:
        if leak in result.stderr + result.stdout:
            problems.append(f"leaked {leak!r} (an entity was expanded)")
    for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        if "Traceback (most recent call last)" in text:
            problems.insert(0, f"a Python traceback on {stream}")
    if len(problems) > 8:
        problems = [*problems[:8], f"… and {len(problems) - 8} more problems with the messages"]
    return problems


Snapshot = dict[str, tuple[Any, ...]]


def snapshot(folder: Path) -> Snapshot:
    """Everything in ``folder``: kind, permission bits, and content hash or link target. Never opens
    anything but regular files (a FIFO must not block the test)."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        key = str(path.relative_to(folder))
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISLNK(info.st_mode):
            found[key] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            found[key] = ("file", mode, info.st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
        elif stat.S_ISDIR(info.st_mode):
            found[key] = ("dir", mode)
        else:
            found[key] = ("other", mode, info.st_ino)
    return found


def changes(before: Snapshot, after: Snapshot) -> dict[str, str]:
    """What differs between two snapshots, by path."""
    found = {}
    for key in sorted(set(before) | set(after)):
        if key not in after:
            found[key] = "removed"
        elif key not in before:
            found[key] = "created"
        elif before[key] != after[key]:
            what = [
                name
                for name, old, new in zip(("kind", "mode", "inode", "content"), before[key], after[key], strict=False)
                if old != new
            ]
            found[key] = "changed " + "/".join(what)
    return found


_F_TAGS = ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}f",)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MARKERS = ("cmd|", "http://evil", "SUM(1,1)", "SUM(A1)")


def _cores(text: str) -> set[str]:
    stripped = text.strip()
    return {stripped, stripped.lstrip("="), stripped.lstrip("=+-@")} - {""}


def inert_problems(path: Path, texts: Sequence[str]) -> tuple[list[str], int]:
    """Whether a written workbook holds ``texts`` only as text: no formula made of them, and every cell
    showing one is a shared or inline string. Returns the problems and how many cells show them."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    problems: list[str] = []
    shown = 0
    wanted = {text.strip() for text in texts}
    cores = set().union(*(_cores(text) for text in texts)) if texts else set()
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        strings: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = etree.fromstring(package.read("xl/sharedStrings.xml"), parser)
            strings = ["".join(si.itertext()) for si in root.iterfind(_MAIN + "si")]
        for name in names:
            if not re.match(r"xl/worksheets/sheet[^/]*\.xml$", name):
                continue
            root = etree.fromstring(package.read(name), parser)
            arrays = _array_ranges(root)
            for cell in root.iter(_MAIN + "c"):
                formula = cell.find(_MAIN + "f")
                where = f"{name} {cell.get('r')}"
                if formula is not None and formula.text:
                    body = formula.text.strip()
                    code = re.sub(r'"(?:[^"]|"")*"', '""', body)  # text inside a formula's quotes is inert
                    if body in cores or any(marker in code for marker in MARKERS):
                        problems.append(f"{where}: formula {body[:80]!r} made of user text")
                kind = cell.get("t")
                if kind == "s":
                    text = strings[int(cell.findtext(_MAIN + "v", "0"))]
                elif kind == "inlineStr":
                    text = "".join(cell.find(_MAIN + "is").itertext())  # type: ignore[union-attr]
                else:
                    text = cell.findtext(_MAIN + "v") or ""
                text = re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text).strip()
                if text in wanted:
                    shown += 1
                    computed = _in_ranges(cell.get("r", ""), arrays)  # a dynamic array's result shows it
                    if formula is None and kind not in ("s", "inlineStr") and not computed:
                        problems.append(f"{where}: {text[:40]!r} stored as t={kind!r}, not as a string")
    return problems, shown


def _point(ref: str) -> tuple[int, int]:
    letters, digits = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref).groups()  # type: ignore[union-attr]
    return int(digits), column_number(letters)


def _array_ranges(root: etree._Element) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right) of every array formula's range on a sheet."""
    found = []
    for formula in root.iter(_MAIN + "f"):
        if formula.get("t") == "array" and formula.get("ref"):
            first, _, last = formula.get("ref", "").partition(":")
            (top, left), (bottom, right) = _point(first), _point(last or first)
            found.append((top, left, bottom, right))
    return found


def _in_ranges(ref: str, ranges: list[tuple[int, int, int, int]]) -> bool:
    row, col = _point(ref)
    return any(top <= row <= bottom and left <= col <= right for top, left, bottom, right in ranges)


def valid_workbook(path: Path) -> bool:
    """A zip whose members all inflate with the right CRC, and which has a workbook part."""
    try:
        with zipfile.ZipFile(path) as package:
            return package.testzip() is None and "xl/workbook.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
