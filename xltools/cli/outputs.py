"""Output files a command names (reports, new workbooks): never an input, never an existing file
unless forced, and written whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from xltools.errors import Refused, Usage
from xltools.workbook.files import check_output, create


def check_outputs(outputs: Sequence[Path], inputs: Sequence[Path], force: bool) -> None:
    """Refuse, before any work, an output that is an input (always), an existing one (unless
    ``force``), one named twice, or one in a folder that does not exist."""
    for index, output in enumerate(outputs):
        folder = Path(output).parent
        if not folder.is_dir():
            raise Usage(f"{output}: mappen {folder} findes ikke – opret den, eller vælg en anden")
        if any(os.path.realpath(output) == os.path.realpath(other) for other in outputs[:index]):
            raise Refused(f"{output}: er navnet som to resultatfiler – vælg to forskellige navne")
        check_output(output, inputs, force)


def write_output(path: Path, data: bytes, inputs: Sequence[Path], force: bool) -> list[str]:
    """Create ``path`` with ``data`` atomically; returns the write path's notes."""

    def write(out: BinaryIO) -> None:
        out.write(data)

    return create(path, write, inputs, force)
