"""Making hostile workbook files for tests: members replaced, bombs, and central directories that lie."""

from __future__ import annotations

import struct
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

Content = bytes | Callable[[bytes], bytes]

_LAUGHS = b"".join(b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)).replace(
    b"lol0", b"lol"
)
DOCTYPES = {
    "billion laughs": b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + _LAUGHS + b"]>",
    "external entity": b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
}


def rewrite(source: Path, target: Path, changes: Mapping[str, Content], extra: Mapping[str, bytes] = {}) -> Path:
    """A copy of ``source`` with some members' bytes replaced (or transformed) and others added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            change = changes.get(info.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            new.writestr(info.filename, data)
        for name, data in extra.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a duplicate name is what some tests want
                new.writestr(name, data)
    return target


def with_doctype(kind: str) -> Callable[[bytes], bytes]:
    """Put a DOCTYPE with entities after the XML declaration, and use the entity in the root's text."""

    def change(data: bytes) -> bytes:
        declaration_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        entity = b"&lol9;" if kind == "billion laughs" else b"&xxe;"
        root_end = data.index(b">", data.index(b"<", declaration_end + 1)) + 1
        return data[:declaration_end] + DOCTYPES[kind] + data[declaration_end:root_end] + entity + data[root_end:]

    return change


def bomb(target: Path, name: str, size: int, chunk: bytes = b" " * (1 << 20), base: Path | None = None) -> Path:
    """A package with member ``name`` of ``size`` repetitive bytes (deflates ~1,000×), written in chunks;
    the other members come from ``base``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        if base is not None:
            with zipfile.ZipFile(base) as old:
                for info in old.infolist():
                    if info.filename != name:
                        new.writestr(info.filename, old.read(info))
        with new.open(name, "w") as member:
            left = size
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return target


def lie(path: Path, name: str, *, size: int | None = None, flags: int | None = None) -> None:
    """Make the central directory and the local header declare another inflated size or flags."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    count, directory_size, directory_at = struct.unpack("<HLL", data[end + 10 : end + 20])
    at = directory_at
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[at + 28 : at + 34])
        entry_name = bytes(data[at + 46 : at + 46 + name_length]).decode("utf-8")
        local = struct.unpack("<L", data[at + 42 : at + 46])[0]
        if entry_name == name:
            if size is not None:
                struct.pack_into("<L", data, at + 24, size)
                struct.pack_into("<L", data, local + 22, size)
            if flags is not None:
                struct.pack_into("<H", data, at + 8, flags)
                struct.pack_into("<H", data, local + 6, flags)
        at += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


@contextmanager
def deadline(seconds: float = 10.0) -> Iterator[None]:
    """Fail if the block takes longer than ``seconds`` (the bound a hostile file must be refused in)."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"
