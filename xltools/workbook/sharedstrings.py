"""The workbook's shared strings (``xl/sharedStrings.xml``), read as bytes in chunks and counted.

Excel stores most text once here and refers to it by index from the cells. Rich text keeps its runs
(``<r><t>``) joined into one string; phonetic guides (``<rPh>``, the reading of Japanese text) are not
part of the text and are left out. The count is bounded, so a part of tiny strings cannot take
gigabytes of memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from xltools.errors import Unreadable
from xltools.messages import number
from xltools.workbook.limits import Limits
from xltools.workbook.safexml import refuse_dtd
from xltools.workbook.sheetxml import Patterns, inline_text, patterns, text

_SST = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sst\b")


def shared_strings(chunks: Iterable[bytes], where: str, limits: Limits) -> list[str]:
    """Every shared string in order; ``where`` names the part in a message."""
    strings: list[str] = []
    pending = b""
    pats: Patterns | None = None
    for chunk in chunks:
        pending += chunk
        if pats is None:
            match = _SST.search(pending)
            if match is None:
                if len(pending) > limits.row_bytes:
                    raise Unreadable(f"{where} er ikke en liste af delte tekster")
                continue
            refuse_dtd(pending[: match.start()], where)
            pats = patterns(match[1])
        cut = pending.rfind(pats.shared_string_end)
        if cut < 0:
            if len(pending) > limits.row_bytes:
                raise Unreadable(f"{where}: en delt tekst er over {limits.row_bytes // (1 << 20)} MiB – afvist")
            continue
        cut += len(pats.shared_string_end)
        _collect(pending[:cut], pats, strings, where, limits)
        pending = pending[cut:]
    if pats is None:
        raise Unreadable(f"{where} er ikke en liste af delte tekster")
    _collect(pending, pats, strings, where, limits)
    return strings


def _collect(data: bytes, pats: Patterns, strings: list[str], where: str, limits: Limits) -> None:
    start, end = b"<" + pats.prefix + b"t>", b"</" + pats.prefix + b"t>"
    inner = slice(len(start), -len(end))
    for match in pats.shared_string.finditer(data):
        body = match[2] or b""
        if body.startswith(start) and body.endswith(end) and b"<" not in body[inner]:  # most: one plain run
            strings.append(text(body[inner], where))
        else:
            strings.append(inline_text(body, pats, where))
    if len(strings) > limits.shared_strings:
        raise Unreadable(f"{where} har over {number(limits.shared_strings)} delte tekster – afvist")
