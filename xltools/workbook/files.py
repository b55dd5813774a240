"""Reading and writing users' files without ever destroying their work.

Every write goes to a temporary file in the target's folder and is swapped in only when complete, so a
crash or a kill leaves the old file or the new one, never half of one. Before the swap xltools checks
that nobody else touched the file since it was read (a save in Excel meanwhile would otherwise be
lost), that it is not open in Excel or LibreOffice, not hard-linked and not read-only; a symlink is
written through, and owner, group, mode and extended attributes (ACLs) are kept. New outputs never
clobber a file: not an input, not an existing file (unless forced), not one that appears meanwhile.

Temporary files are named ``.~xltools-<pid>-<host>-<random>.<name>.tmp``; ``sweep`` removes those
whose process is gone (a run killed half-way), never one a live process is still writing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import BinaryIO

from xltools.errors import Refused, Unreadable

Writer = Callable[[BinaryIO], None]
"""Writes a whole file's bytes to the open temporary file it is given."""

FORCE = "--force"
"""The command-line option that overrides a refusal; the refusal messages name it."""

_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
"""This machine in temporary names: a shared folder's temps from another machine are never swept."""
_TEMPORARY = re.compile(r"\.~xltools-(?P<pid>\d+)-(?P<host>[0-9a-f]{6})-[0-9a-f]+\..*\.tmp", re.DOTALL)
_NAME_IN_TEMPORARY = 40
"""Characters of the target's name a temporary name repeats (a name's bytes are limited to 255)."""
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)


@dataclass(frozen=True)
class Identity:
    """Which file, in which version: if any field differs, another program replaced or changed it.

    ``ctime_ns`` catches a write that restored the old modification time (``cp -p``, sync clients).
    """

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path | str) -> Identity:
        """The file ``path`` names now (a symlink is followed)."""
        return cls.of_stat(os.stat(path))

    @classmethod
    def of_fd(cls, fd: int) -> Identity:
        """The file an open descriptor reads: exactly the version whose bytes were read."""
        return cls.of_stat(os.fstat(fd))

    @classmethod
    def of_stat(cls, status: os.stat_result) -> Identity:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


# -- reading -------------------------------------------------------------------------------


def open_regular(path: Path | str) -> tuple[BinaryIO, Identity]:
    """Open a regular file for reading, with the identity of the version opened.

    A FIFO, device or folder is refused without blocking: the file is opened non-blocking and checked
    with fstat before a single byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC | _O_BINARY)
    except FileNotFoundError:
        raise Unreadable(f"{path}: findes ikke") from None
    except PermissionError:
        raise Unreadable(f"{path}: xltools må ikke læse filen (adgang nægtet)") from None
    except IsADirectoryError:
        raise Unreadable(f"{path}: er ikke en almindelig fil") from None
    except OSError as error:
        raise Unreadable(f"{path}: kan ikke åbnes ({error.strerror})") from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(f"{path}: er ikke en almindelig fil")
        if _O_NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), Identity.of_stat(status)
    except BaseException:
        os.close(fd)
        raise


# -- checks before writing -------------------------------------------------------------------


def owner_file(path: Path | str) -> Path | None:
    """The file Excel (``~$NAME``) or LibreOffice (``.~lock.NAME#``) keeps beside a workbook it has open.

    Both the name given and the file a symlink points to are checked; Word-style owner names, which
    replace the first one or two letters of a long name, count too.
    """
    path = Path(path)
    for named in dict.fromkeys([path, Path(os.path.realpath(path))]):
        name, stem = named.name, Path(named.name).stem
        candidates = ["~$" + name, ".~lock." + name + "#"]
        if len(stem) >= 8:
            candidates.append("~$" + name[2:])
        elif len(stem) == 7:
            candidates.append("~$" + name[1:])
        for candidate in candidates:
            if os.path.lexists(named.parent / candidate):
                return named.parent / candidate
    return None


def check_writable(path: Path | str, force: bool = False) -> tuple[Path, list[str]]:
    """The file to write for ``path`` (symlinks resolved, so the link stays a link) and notes.

    Refuses a file open in Excel or LibreOffice, a hard-linked file (its other names would keep the
    old version) and a read-only file, unless ``force``; then each becomes a note. Anything but a
    regular file is always refused. A missing file has nothing to protect.
    """
    real = Path(os.path.realpath(path))
    try:
        status = os.stat(real)
    except FileNotFoundError:
        return real, []
    if not stat.S_ISREG(status.st_mode):
        raise Refused(f"{path}: er ikke en almindelig fil")
    problems: list[tuple[str, str]] = []  # (refusal, note when forced)
    owner = owner_file(path)
    if owner is not None:
        program, kind = ("LibreOffice", "låsefilen") if owner.name.startswith(".~lock.") else ("Excel", "ejerfilen")
        problems.append(
            (
                f"{path}: er åben i {program} ({kind} {owner.name} findes) – luk den og kør igen, eller brug {FORCE}",
                f"{path}: var åben i {program}; skrevet alligevel – gem ikke den åbne udgave oven i den nye",
            )
        )
    if status.st_nlink > 1:
        problems.append(
            (
                f"{path}: har {status.st_nlink} navne (hårde links), og de andre ville beholde den gamle udgave"
                f" – brug {FORCE} for at skrive alligevel",
                f"{path}: forbindelsen til filens andre navne (hårde links) er brudt – de viser den gamle udgave",
            )
        )
    if not status.st_mode & 0o222 or not os.access(real, os.W_OK):
        problems.append(
            (
                f"{path}: er skrivebeskyttet – fjern skrivebeskyttelsen, eller brug {FORCE}",
                f"{path}: var skrivebeskyttet; skrevet alligevel, og filen er stadig skrivebeskyttet",
            )
        )
    if problems and not force:
        raise Refused(*(refusal for refusal, _ in problems))
    return real, [note for _, note in problems]


def check_output(path: Path | str, inputs: Sequence[Path | str] = (), force: bool = False) -> tuple[Path, list[str]]:
    """The file to create for ``path`` and notes, refusing what must not be overwritten.

    An input is refused always, even with ``force``: by its resolved path, and by device and inode
    (a hard link, another spelling on a case-insensitive disk). An existing file is refused unless
    ``force``, and then must pass ``check_writable``.
    """
    real = Path(os.path.realpath(path))
    try:
        status: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        status = None
    for source in inputs:
        same = Path(os.path.realpath(source)) == real
        if not same and status is not None:
            try:
                same = os.path.samestat(os.stat(source), status)
            except OSError:
                same = False
        if same:
            raise Refused(f"{path}: er også en af inddatafilerne – vælg et andet navn til resultatet")
    if status is None:
        return real, []
    if not force:
        raise Refused(f"{path}: findes allerede – vælg et andet navn, eller brug {FORCE}")
    return check_writable(path, force=True)


# -- writing ---------------------------------------------------------------------------------


def replace(path: Path | str, write: Writer, expected: Identity, force: bool = False) -> list[str]:
    """Replace the file ``path`` names with what ``write`` writes; returns notes (only when forced).

    ``expected`` is the identity of the version that was read (``open_regular``, ``XlsxPackage``); if
    the file differs right before the swap, another program saved it meanwhile, and nothing is
    written. The new file keeps owner, group, mode and extended attributes. On any failure the
    temporary file is removed and the file is untouched.
    """
    real, notes = check_writable(path, force)
    try:
        status = os.stat(real)
    except FileNotFoundError:
        raise Refused(_changed(path)) from None
    if Identity.of_stat(status) != expected:
        raise Refused(_changed(path))
    return notes + _swap(Path(path), real, write, expected, status, force)


def create(path: Path | str, write: Writer, inputs: Sequence[Path | str] = (), force: bool = False) -> list[str]:
    """Write a new output file; returns notes (only when an existing file was forced over).

    Refused: an input as output (always), an existing file (unless ``force``). The new file is linked
    into place, which fails if a file of that name appeared meanwhile, so that one is never clobbered;
    it gets the mode any new file there would get (umask, default ACL, setgid folder).
    """
    path = Path(path)
    real, notes = check_output(path, inputs, force)
    try:
        status = os.stat(real)
    except FileNotFoundError:
        pass
    else:  # forced: replace it like a file that was read, unless it changes while we write
        return notes + _swap(path, real, write, Identity.of_stat(status), status, force=True)
    _sweep_once(real.parent)
    fd, temporary = _temporary(path, real, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if not _link_new(temporary, real):
            raise Refused(f"{path}: blev oprettet af et andet program, mens xltools arbejdede – intet er skrevet")
    finally:
        _discard(temporary)
    _sync_folder(real.parent)
    return notes


def backup(path: Path | str, now: datetime | None = None) -> Path:
    """Copy a file beside itself as ``<stem>.backup-<YYYYmmdd-HHMMSS><suffix>``; returns the copy.

    An existing backup is never overwritten (``-2``, ``-3`` … are added); the copy keeps the
    original's mode, owner and group where allowed, and its modification time.
    """
    path = Path(path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    source, _ = open_regular(path)
    with source:
        status = os.fstat(source.fileno())
        fd, temporary = _temporary(path, path, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
                out.flush()
                _copy_metadata(out.fileno(), path, status)
                if os.utime in os.supports_fd:
                    os.utime(out.fileno(), ns=(status.st_atime_ns, status.st_mtime_ns))
                os.fsync(out.fileno())
            for number in count(1):
                tail = "" if number == 1 else f"-{number}"
                copy = path.with_name(f"{path.stem}.backup-{stamp}{tail}{path.suffix}")
                if _link_new(temporary, copy):
                    break
        finally:
            _discard(temporary)
    _sync_folder(path.parent)
    return copy


def via_path(make: Callable[[Path], None]) -> Writer:
    """A writer for a builder that needs a file name (XlsxWriter): it builds into a private scratch
    folder, and the bytes are copied into the temporary file."""

    def write(out: BinaryIO) -> None:
        with tempfile.TemporaryDirectory(prefix="xltools-") as scratch:
            built = Path(scratch) / "workbook.xlsx"
            make(built)
            with open(built, "rb") as source:
                shutil.copyfileobj(source, out, 1 << 20)

    return write


def sweep(folder: Path | str) -> list[Path]:
    """Remove xltools' temporary files in ``folder`` left by processes that are gone; returns them.

    A file of a live process (or of another machine, whose processes cannot be checked) is kept.
    """
    removed: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            found = [entry for entry in entries if _TEMPORARY.fullmatch(entry.name)]
    except OSError:
        return removed
    for entry in found:
        match = _TEMPORARY.fullmatch(entry.name)
        assert match is not None
        if match["host"] != _HOST or _alive(int(match["pid"])):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # removed by another sweep, or not ours to remove
    return removed


# -- internals -------------------------------------------------------------------------------


def _sweep_once(folder: Path) -> None:
    """``sweep`` a folder before a write; in a batch only before its first write there: thousands of
    workbooks in one folder list it once, not once each (which grew with the square of their number)."""
    if _BATCH is None:
        sweep(folder)
    elif folder not in _BATCH.swept:
        sweep(folder)
        _BATCH.swept.add(folder)


def _changed(path: Path | str) -> str:
    return f"{path}: blev ændret af et andet program, mens xltools arbejdede – intet er skrevet; kør igen"


def _swap(path: Path, real: Path, write: Writer, expected: Identity, status: os.stat_result, force: bool) -> list[str]:
    """Write a temporary file beside ``real`` and rename it over ``real`` if that is still ``expected``."""
    _sweep_once(real.parent)
    fd, temporary = _temporary(path, real, 0o600)
    notes: list[str] = []
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            if not _copy_metadata(out.fileno(), real, status):
                if not force:
                    raise Refused(
                        f"{path}: ejer og gruppe kan ikke bevares (filen tilhører en anden) – intet er skrevet;"
                        f" brug {FORCE} for at skrive alligevel"
                    )
                notes.append(f"{path}: ejer og gruppe kunne ikke bevares; filen ejes nu af din bruger")
            os.fsync(out.fileno())
        try:
            now = Identity.of(real)
        except FileNotFoundError:
            now = None
        if now != expected:
            raise Refused(_changed(path))
        if not force:
            check_writable(path)  # opened in Excel or LibreOffice, or linked, meanwhile: refused
        try:
            os.replace(temporary, real)
        except PermissionError:
            raise Refused(f"{path}: xltools må ikke erstatte filen (adgang nægtet) – intet er skrevet") from None
    except BaseException:
        _discard(temporary)
        raise
    _sync_folder(real.parent)
    return notes


def _temporary(path: Path, real: Path, mode: int) -> tuple[int, Path]:
    """A new, exclusively created temporary file beside ``real``, open for writing."""
    name = f".~xltools-{os.getpid()}-{_HOST}-{secrets.token_hex(4)}.{real.name[:_NAME_IN_TEMPORARY]}.tmp"
    temporary = real.parent / name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY
    try:
        return os.open(temporary, flags, mode), temporary
    except PermissionError:
        raise Refused(f"{path}: xltools må ikke skrive i mappen {real.parent} – intet er skrevet") from None


def _copy_metadata(fd: int, source: Path, status: os.stat_result) -> bool:
    """Give the open file ``source``'s owner, group, extended attributes and mode; False when owner or
    group could not be kept (not root, the file is someone else's)."""
    kept = True
    if hasattr(os, "fchown"):
        mine = os.fstat(fd)
        if (mine.st_uid, mine.st_gid) != (status.st_uid, status.st_gid):
            try:
                os.fchown(fd, status.st_uid, status.st_gid)
            except PermissionError:
                kept = False
    if hasattr(os, "listxattr"):  # ACLs live here; best effort, a file system may lack them
        try:
            names = os.listxattr(source)
        except OSError:
            names = []
        for name in names:
            try:
                os.setxattr(fd, name, os.getxattr(source, name))
            except OSError:
                continue
    if hasattr(os, "fchmod"):  # after chown, which clears setuid and setgid bits
        os.fchmod(fd, stat.S_IMODE(status.st_mode))
    return kept


def _link_new(temporary: Path, final: Path) -> bool:
    """Give the complete ``temporary`` the name ``final`` only if no file has it; False if one has.

    A hard link cannot clobber. Where the file system has none (FAT, some network shares) the name is
    reserved with an exclusive create, and the temporary renamed over that reservation if it is untouched.
    """
    try:
        os.link(temporary, final, follow_symlinks=False)
        return True
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
    try:
        fd = os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY, 0o666)
    except FileExistsError:
        return False
    try:
        reserved = Identity.of_fd(fd)
    finally:
        os.close(fd)
    try:
        if Identity.of(final) != reserved:
            return False  # another program wrote into the reservation: it is theirs now
        os.replace(temporary, final)
    except BaseException:
        try:
            if Identity.of(final) == reserved:
                os.unlink(final)
        except OSError:
            pass
        raise
    return True


def _discard(temporary: Path) -> None:
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass


@dataclass
class _BatchWrites:
    """What a batch of writes does once per folder rather than once per file."""

    swept: set[Path] = field(default_factory=set)
    unsynced: set[Path] = field(default_factory=set)
    """Folders whose renames are still to be made durable."""


_BATCH: _BatchWrites | None = None
"""Set inside ``folders_synced_once`` and in a batch's worker processes."""


@contextmanager
def folders_synced_once() -> Iterator[None]:
    """Within the block, a folder a file was renamed into is synced once, as the block ends, rather than
    after each rename: a batch of thousands of workbooks in one folder syncs it once (and sweeps it
    once). Each file is still synced itself, and checked to be the version that was read, right before
    its own rename, so a crash or a kill leaves every file its old or its new version; the folder's sync
    is what keeps the renames through a power cut."""
    global _BATCH
    if _BATCH is not None:  # inside another such block: that one syncs
        yield
        return
    _BATCH = _BatchWrites()
    try:
        yield
    finally:
        batch, _BATCH = _BATCH, None
        sync_folders(batch.unsynced)


def leave_folder_syncs_to_parent() -> None:
    """In a worker process of a batch: renames' folders are left for the batch's process to sync when
    the batch ends (``sync_folders``), as the worker cannot tell when its last file is done."""
    global _BATCH
    _BATCH = _BatchWrites()


def sync_folders(folders: Iterable[Path]) -> None:
    """Make the renames in ``folders`` durable, each folder once."""
    for folder in sorted(set(folders)):
        _fsync_folder(folder)


def _sync_folder(folder: Path) -> None:
    if _BATCH is not None:
        _BATCH.unsynced.add(folder)
    else:
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable: fsync the folder (POSIX; some file systems cannot, which is harmless)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` may still exist; when unsure, yes (its file is then kept)."""
    if os.name != "posix" or pid <= 0:
        return True  # Windows' os.kill(pid, 0) would not probe but interrupt the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # PermissionError: alive, another user's
    return True
