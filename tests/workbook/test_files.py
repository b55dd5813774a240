"""Writing users' files: no save lost, no link broken, no owner changed, never half a workbook."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pytest
import xlsxwriter

from tests.conftest import REPO
from xltools.errors import ExitCode, Refused, Unreadable
from xltools.workbook import files
from xltools.workbook.files import (
    Identity,
    backup,
    check_writable,
    create,
    open_regular,
    owner_file,
    replace,
    sweep,
    via_path,
)
from xltools.workbook.package import XlsxPackage

OLD, NEW = b"the user's workbook", b"what xltools wrote"


def _writing(data: bytes, then: Callable[[], object] = lambda: None) -> Callable[[BinaryIO], None]:
    """A writer that writes ``data`` and then does ``then`` (another program acting meanwhile)."""

    def write(out: BinaryIO) -> None:
        out.write(data)
        then()

    return write


def _temporaries(*folders: Path) -> list[str]:
    return [path.name for folder in folders for path in folder.iterdir() if path.name.startswith(".~xltools-")]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.xlsx"
    path.write_bytes(OLD)
    path.chmod(0o640)
    return path


# -- replacing a file that was read ------------------------------------------------------------


def test_replace_writes_the_new_bytes_and_keeps_the_mode(kb: Path) -> None:
    assert replace(kb, _writing(NEW), Identity.of(kb)) == []
    assert kb.read_bytes() == NEW
    assert stat.S_IMODE(kb.stat().st_mode) == 0o640
    assert _temporaries(kb.parent) == []


def _append(path: Path) -> None:
    path.write_bytes(OLD + b" and a save")


def _same_size_old_time(path: Path) -> None:
    before = path.stat()
    with open(path, "r+b") as out:
        out.write(OLD.upper())
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the change time tells


def _touched(path: Path) -> None:
    before = path.stat()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))


def _excel_save(path: Path) -> None:
    """Excel saves by writing a randomly named file and renaming it over the workbook."""
    (path.parent / "Cedd4100").write_bytes(OLD.upper())
    os.replace(path.parent / "Cedd4100", path)


@pytest.mark.parametrize("save", [_append, _same_size_old_time, _touched, _excel_save])
def test_a_save_by_another_program_while_xltools_writes_is_never_overwritten(
    kb: Path, save: Callable[[Path], None]
) -> None:
    expected = Identity.of(kb)
    saved: list[bytes] = []
    with pytest.raises(Refused) as refused:
        replace(kb, _writing(NEW, lambda: (save(kb), saved.append(kb.read_bytes()))), expected)
    assert refused.value.exit_code == ExitCode.REFUSED
    assert refused.value.messages == [
        f"{kb}: blev ændret af et andet program, mens xltools arbejdede – intet er skrevet; kør igen"
    ]
    assert kb.read_bytes() == saved[0]  # the other program's save is there
    assert _temporaries(kb.parent) == []


def test_a_file_changed_before_writing_starts_is_refused_at_once(kb: Path) -> None:
    expected = Identity.of(kb)
    _append(kb)
    written: list[bytes] = []
    with pytest.raises(Refused, match="ændret af et andet program"):
        replace(kb, written.append, expected)  # type: ignore[arg-type]
    assert written == [] and kb.read_bytes() == OLD + b" and a save"


def test_a_failing_writer_leaves_the_file_and_no_temporary(kb: Path) -> None:
    def fail(out: BinaryIO) -> None:
        out.write(b"half a wor")
        raise ValueError("boom")

    with pytest.raises(ValueError):
        replace(kb, fail, Identity.of(kb))
    with pytest.raises(ValueError):
        create(kb.parent / "new.xlsx", fail)
    assert kb.read_bytes() == OLD
    assert not (kb.parent / "new.xlsx").exists()
    assert _temporaries(kb.parent) == []


def _small_workbook(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Ark").write_number(0, 0, 1)
    workbook.close()
    return path


def test_a_package_refuses_to_save_over_a_save_made_since_it_was_opened(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "a.xlsx")
    with XlsxPackage(path) as package:
        package.set_constant("Ark", 0, 1, "fra xltools")
        assert package.save() == []
    with XlsxPackage(path) as package:
        assert package.value("Ark", 0, 1) == "fra xltools"
        package.set_constant("Ark", 0, 1, "igen")
        _excel_save(path)
        with pytest.raises(Refused, match="ændret af et andet program"):
            package.save()
    assert path.read_bytes() == OLD.upper()


# -- files open in Excel or LibreOffice, symlinks, hard links, read-only files -----------------


@pytest.mark.parametrize(
    ("name", "owner", "program", "kind"),
    [
        ("kb.xlsx", "~$kb.xlsx", "Excel", "ejerfilen"),
        ("kb.xlsx", ".~lock.kb.xlsx#", "LibreOffice", "låsefilen"),
        ("Maalstyring.xlsx", "~$alstyring.xlsx", "Excel", "ejerfilen"),  # Word-style: two letters replaced
    ],
)
def test_a_workbook_open_in_excel_or_libreoffice_is_not_written(
    tmp_path: Path, name: str, owner: str, program: str, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(OLD)
    (tmp_path / owner).write_bytes(b"\x05Hanne")
    assert owner_file(path) == tmp_path / owner
    with pytest.raises(Refused) as refused:
        replace(path, _writing(NEW), Identity.of(path))
    assert refused.value.messages == [
        f"{path}: er åben i {program} ({kind} {owner} findes) – luk den og kør igen, eller brug --force"
    ]
    assert path.read_bytes() == OLD

    notes = replace(path, _writing(NEW), Identity.of(path), force=True)
    assert path.read_bytes() == NEW
    assert notes == [f"{path}: var åben i {program}; skrevet alligevel – gem ikke den åbne udgave oven i den nye"]


def test_a_workbook_opened_in_excel_while_xltools_writes_is_not_written(kb: Path) -> None:
    opened = _writing(NEW, lambda: (kb.parent / "~$kb.xlsx").write_bytes(b"\x05Hanne"))
    with pytest.raises(Refused, match="er åben i Excel"):
        replace(kb, opened, Identity.of(kb))
    assert kb.read_bytes() == OLD
    assert _temporaries(kb.parent) == []


def test_writes_go_through_a_symlink_which_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "share").mkdir()
    (tmp_path / "desk").mkdir()
    real = tmp_path / "share" / "kb.xlsx"
    real.write_bytes(OLD)
    link = tmp_path / "desk" / "kb.xlsx"
    link.symlink_to(Path("..") / "share" / "kb.xlsx")

    assert check_writable(link) == (real, [])
    replace(link, _writing(NEW), Identity.of(link))
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "share" / "kb.xlsx")
    assert real.read_bytes() == NEW
    assert _temporaries(tmp_path / "share", tmp_path / "desk") == []

    (tmp_path / "desk" / "~$kb.xlsx").write_bytes(b"\x05Hanne")  # opened in Excel by the link's name
    with pytest.raises(Refused, match="er åben i Excel"):
        replace(link, _writing(OLD), Identity.of(link))
    assert real.read_bytes() == NEW


def test_a_hard_linked_file_is_refused_and_forcing_notes_the_broken_link(kb: Path) -> None:
    other = kb.parent / "kopi.xlsx"
    os.link(kb, other)
    with pytest.raises(Refused) as refused:
        replace(kb, _writing(NEW), Identity.of(kb))
    assert refused.value.messages == [
        f"{kb}: har 2 navne (hårde links), og de andre ville beholde den gamle udgave – brug --force for at skrive"
        " alligevel"
    ]
    assert kb.read_bytes() == OLD

    notes = replace(kb, _writing(NEW), Identity.of(kb), force=True)
    assert notes == [f"{kb}: forbindelsen til filens andre navne (hårde links) er brudt – de viser den gamle udgave"]
    assert kb.read_bytes() == NEW and other.read_bytes() == OLD


def test_a_read_only_file_is_refused_and_forcing_keeps_it_read_only(kb: Path) -> None:
    kb.chmod(0o444)
    with pytest.raises(Refused) as refused:  # refused even for root, who could write it
        replace(kb, _writing(NEW), Identity.of(kb))
    assert refused.value.messages == [f"{kb}: er skrivebeskyttet – fjern skrivebeskyttelsen, eller brug --force"]
    assert kb.read_bytes() == OLD

    notes = replace(kb, _writing(NEW), Identity.of(kb), force=True)
    assert notes == [f"{kb}: var skrivebeskyttet; skrevet alligevel, og filen er stadig skrivebeskyttet"]
    assert kb.read_bytes() == NEW
    assert stat.S_IMODE(kb.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_run_as_root_the_users_file_keeps_its_owner_group_and_mode(kb: Path) -> None:
    os.chown(kb, 65534, 65534)
    kb.chmod(0o640)
    replace(kb, _writing(NEW), Identity.of(kb))
    forced = create(kb, _writing(NEW + NEW), force=True)
    copy = backup(kb)
    for path in (kb, copy):
        status = path.stat()
        assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (65534, 65534, 0o640)
    assert forced == [] and kb.read_bytes() == copy.read_bytes() == NEW + NEW


def _as_nobody(action: Callable[[], object]) -> tuple[int, str]:
    """Run ``action`` in a forked process as the user nobody; its exit status and what it reports."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.setgid(65534)
            os.setuid(65534)
            report = repr(action())
        except Refused as refused:
            code, report = 5, "\n".join(refused.messages)
        except BaseException as error:
            code, report = 1, repr(error)
        os.write(write, report.encode())
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as reported:
        text = reported.read().decode()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to switch users")
def test_a_colleagues_file_whose_owner_cannot_be_kept_is_refused_unless_forced() -> None:
    shared = Path(tempfile.mkdtemp(prefix="xltools-shared-"))  # outside root's private pytest folder
    try:
        shared.chmod(0o777)
        path = shared / "kb.xlsx"
        path.write_bytes(OLD)
        os.chown(path, 65533, 65533)
        path.chmod(0o666)  # the colleague lets everyone write it
        code, report = _as_nobody(lambda: replace(path, _writing(NEW), Identity.of(path)))
        assert (code, report) == (
            5,
            f"{path}: ejer og gruppe kan ikke bevares (filen tilhører en anden) – intet er skrevet;"
            " brug --force for at skrive alligevel",
        )
        assert path.read_bytes() == OLD and path.stat().st_uid == 65533
        assert _temporaries(shared) == []

        code, report = _as_nobody(lambda: replace(path, _writing(NEW), Identity.of(path), force=True))
        assert (code, report) == (0, repr([f"{path}: ejer og gruppe kunne ikke bevares; filen ejes nu af din bruger"]))
        assert path.read_bytes() == NEW and path.stat().st_uid == 65534
        assert stat.S_IMODE(path.stat().st_mode) == 0o666
    finally:
        shutil.rmtree(shared)


# -- only regular files ------------------------------------------------------------------------


def test_a_fifo_named_xlsx_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "kb.xlsx"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            open_regular(fifo)
        except BaseException as error:  # handed to the test
            outcome.append(error)
        try:
            XlsxPackage(fifo)
        except BaseException as error:
            outcome.append(error)

    started = time.monotonic()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=2)
    if reader.is_alive():  # blocked in open(): give it a writer so the thread ends, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("opening a FIFO blocked")
    assert time.monotonic() - started < 1
    assert len(outcome) == 2
    for error in outcome:
        assert isinstance(error, Unreadable) and error.messages == [f"{fifo}: er ikke en almindelig fil"]
    with pytest.raises(Refused, match="er ikke en almindelig fil"):
        create(fifo, _writing(NEW), force=True)


def test_folders_and_missing_files_are_not_read(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="er ikke en almindelig fil"):
        open_regular(tmp_path)
    with pytest.raises(Unreadable) as missing:
        open_regular(tmp_path / "væk.xlsx")
    assert missing.value.messages == [f"{tmp_path / 'væk.xlsx'}: findes ikke"]


# -- new outputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink", "hardlink"])
def test_an_input_is_never_an_output_even_with_force(tmp_path: Path, spelling: str) -> None:
    (tmp_path / "sub").mkdir()
    source = tmp_path / "ind.xlsx"
    source.write_bytes(OLD)
    out = {
        "same": source,
        "dotdot": tmp_path / "sub" / ".." / "ind.xlsx",
        "symlink": tmp_path / "sub" / "ud.xlsx",
        "hardlink": tmp_path / "sub" / "ud.xlsx",
    }[spelling]
    if spelling == "symlink":
        out.symlink_to(source)
    elif spelling == "hardlink":
        os.link(source, out)
    with pytest.raises(Refused) as refused:
        create(out, _writing(NEW), inputs=[source], force=True)
    assert refused.value.messages == [f"{out}: er også en af inddatafilerne – vælg et andet navn til resultatet"]
    assert source.read_bytes() == OLD
    assert _temporaries(tmp_path, tmp_path / "sub") == []


def test_an_existing_output_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "ud.xlsx"
    out.write_bytes(OLD)
    with pytest.raises(Refused) as refused:
        create(out, _writing(NEW))
    assert refused.value.messages == [f"{out}: findes allerede – vælg et andet navn, eller brug --force"]
    assert out.read_bytes() == OLD
    assert create(out, _writing(NEW), force=True) == []
    assert out.read_bytes() == NEW


def test_a_new_output_gets_the_mode_of_any_new_file(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        create(tmp_path / "ud.xlsx", _writing(NEW))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "ud.xlsx").stat().st_mode) == 0o640
    assert (tmp_path / "ud.xlsx").read_bytes() == NEW
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_file_that_appears_while_the_output_is_written_is_not_clobbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    if not hard_links:  # FAT, some network shares: the fallback reserves the name instead

        def no_link(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    out = tmp_path / "ud.xlsx"
    with pytest.raises(Refused) as refused:
        create(out, _writing(NEW, lambda: out.write_bytes(b"a colleague's file")))
    assert refused.value.messages == [
        f"{out}: blev oprettet af et andet program, mens xltools arbejdede – intet er skrevet"
    ]
    assert out.read_bytes() == b"a colleague's file"
    assert _temporaries(tmp_path) == []

    other = tmp_path / "andet.xlsx"
    create(other, _writing(NEW))
    assert other.read_bytes() == NEW and _temporaries(tmp_path) == []
    first = backup(other, datetime(2026, 1, 5))
    assert first.read_bytes() == NEW and _temporaries(tmp_path) == []


def test_a_builder_that_needs_a_file_name_writes_through_a_scratch_folder(tmp_path: Path) -> None:
    out = tmp_path / "ud.xlsx"
    create(out, via_path(_small_workbook))
    with XlsxPackage(out) as package:
        assert package.value("Ark", 0, 0) == 1


# -- temporary files and backups ---------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sweep_removes_only_temporaries_whose_process_is_gone(tmp_path: Path) -> None:
    host = files._HOST
    live = tmp_path / f".~xltools-{os.getpid()}-{host}-0a1b2c3d.kb.xlsx.tmp"
    dead = tmp_path / f".~xltools-{_dead_pid()}-{host}-0a1b2c3d.kb.xlsx.tmp"
    elsewhere = tmp_path / f".~xltools-{_dead_pid()}-{'0' * 6 if host != '0' * 6 else '1' * 6}-0a1b2c3d.kb.xlsx.tmp"
    lookalikes = [tmp_path / ".~xltools-notes.txt", tmp_path / "~$kb.xlsx", tmp_path / ".~lock.kb.xlsx#"]
    for path in (live, dead, elsewhere, *lookalikes):
        path.write_bytes(b"partial")
    assert sweep(tmp_path) == [dead]
    assert all(path.exists() for path in (live, elsewhere, *lookalikes))
    assert not dead.exists()


def test_a_batch_sweeps_a_folder_once_and_a_single_write_always(kb: Path) -> None:
    """The add-in's long-lived process sweeps before every write; a batch only before its first write in a
    folder (listing a folder of thousands once per workbook grew with the square of their number)."""

    def leftover() -> Path:
        dead = kb.parent / f".~xltools-{_dead_pid()}-{files._HOST}-0a1b2c3d.kb.xlsx.tmp"
        dead.write_bytes(b"partial")
        return dead

    for _ in range(2):  # outside a batch: each write sweeps what a killed process left since
        dead = leftover()
        replace(kb, _writing(NEW), Identity.of(kb))
        assert not dead.exists()
    with files.folders_synced_once():
        replace(kb, _writing(OLD), Identity.of(kb))
        dead = leftover()
        replace(kb, _writing(NEW), Identity.of(kb))
        assert dead.exists()  # left for the next batch or write
    replace(kb, _writing(OLD), Identity.of(kb))
    assert not dead.exists()


def test_backups_are_named_by_time_and_never_overwritten(kb: Path) -> None:
    moment = datetime(2026, 1, 5, 10, 15, 0)
    first = backup(kb, moment)
    kb.write_bytes(NEW)
    second, third = backup(kb, moment), backup(kb, moment)
    assert [path.name for path in (first, second, third)] == [
        "kb.backup-20260105-101500.xlsx",
        "kb.backup-20260105-101500-2.xlsx",
        "kb.backup-20260105-101500-3.xlsx",
    ]
    assert first.read_bytes() == OLD and second.read_bytes() == third.read_bytes() == NEW
    assert stat.S_IMODE(first.stat().st_mode) == 0o640
    assert first.stat().st_mtime_ns <= kb.stat().st_mtime_ns
    assert _temporaries(kb.parent) == []


# -- killed at any moment: the old file or the new one, never half --------------------------------

CHILD = """
import sys
import tempfile
from pathlib import Path
from xltools.workbook.files import Identity, replace

target, *sources = map(Path, sys.argv[1:])
contents = [source.read_bytes() for source in sources]

def chunks(data):
    def write(out):
        for start in range(0, len(data), 1 << 16):
            out.write(data[start : start + (1 << 16)])
    return write

print("ready", flush=True)
turn = 1
while True:
    replace(target, chunks(contents[turn % 2]), Identity.of(target))
    turn += 1
"""


def test_a_kill_at_any_moment_leaves_one_whole_version_and_sweepable_temporaries(tmp_path: Path) -> None:
    rng = random.Random(20260105)
    sources, digests = [], set()
    for letter in "AB":
        body = rng.randbytes(3 << 20)
        data = hashlib.sha256(body).hexdigest().encode() + body  # a checksum header
        (tmp_path / letter).write_bytes(data)
        sources.append(tmp_path / letter)
        digests.add(hashlib.sha256(data).hexdigest())
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "kb.xlsx"
    target.write_bytes(sources[0].read_bytes())
    seen, swept = set(), 0
    for _ in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target), *map(str, sources)], stdout=subprocess.PIPE, cwd=REPO
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        assert digest in digests, "the target is not exactly A or B"
        seen.add(digest)
        leftovers = _temporaries(folder)
        assert sorted(path.name for path in sweep(folder)) == sorted(leftovers)
        swept += len(leftovers)
        assert _temporaries(folder) == [] and os.listdir(folder) == ["kb.xlsx"]
    assert seen == digests, "the child never finished a replace"
    assert swept > 0, "no kill landed while a temporary file was being written"
