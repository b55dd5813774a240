"""A large Brancheredskab made fast: a small built workbook whose Kontakter rows are repeated as bytes.

Building 100,000 rows with XlsxWriter takes minutes and gigabytes; repeating the rows of a 50-row
build in the sheet XML takes seconds. Every row gets its own company name, address and mail (new
shared strings, as Excel would store them), the table's range grows, every other part is kept.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

SHEET, TABLE, STRINGS = "xl/worksheets/sheet1.xml", "xl/tables/table1.xml", "xl/sharedStrings.xml"
HEADER = 2  # Excel's number of the table's header row
_ROW = re.compile(rb'<row r="(\d+)".*?</row>', re.S)
_OWN = {b"B": "Virksomhed {n}", b"D": "Demovej {n}, 8000 Aarhus C", b"F": "kontakt{n}@example.dk"}


def grow(source: Path, target: Path, rows: int) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        strings = old.read(STRINGS)
        first_new_string = len(re.findall(rb"<si>", strings))
        for info in old.infolist():
            if info.filename == SHEET:
                with new.open(info.filename, "w") as out:
                    _write_sheet(old.read(info), out, rows, first_new_string)
            elif info.filename == STRINGS:
                with new.open(info.filename, "w") as out:
                    _write_strings(strings, out, rows)
            elif info.filename == TABLE:
                new.writestr(info, re.sub(rb'ref="A2:R\d+"', b'ref="A2:R%d"' % (HEADER + rows), old.read(info)))
            else:
                new.writestr(info, old.read(info))
    return target


def _template(row: bytes) -> bytes:
    """A row as a %-template: its number, and the shared strings of the columns each row owns."""
    template = re.sub(rb'(<row r="|<c r="[A-Z]+)\d+', rb"\1%(n)d", row.replace(b"%", b"%%"))
    for col in _OWN:
        template = re.sub(rb'(<c r="' + col + rb'%\(n\)d"[^>]*><v>)\d+(</v>)', rb"\1%(" + col + rb")d\2", template)
    return template


def _write_sheet(data: bytes, out: IO[bytes], rows: int, first_string: int) -> None:
    found = [match for match in _ROW.finditer(data) if int(match[1]) > HEADER]
    templates = [_template(match[0]) for match in found]
    write = out.write
    write(
        re.sub(rb'<dimension ref="A1:R\d+"/>', b'<dimension ref="A1:R%d"/>' % (HEADER + rows), data[: found[0].start()])
    )
    batch = []
    for index in range(rows):
        string = first_string + len(_OWN) * index
        fields = {b"n": HEADER + 1 + index, **{col: string + k for k, col in enumerate(_OWN)}}
        batch.append(templates[index % len(templates)] % fields)
        if len(batch) == 2_000:
            write(b"".join(batch))
            batch = []
    write(b"".join(batch) + data[found[-1].end() :])


def _write_strings(data: bytes, out: IO[bytes], rows: int) -> None:
    end = data.rindex(b"</sst>")
    write = out.write
    write(re.sub(rb' (count|uniqueCount)="\d+"', b"", data[:end], count=2))
    for start in range(0, rows, 2_000):
        texts = (text.format(n=n + 1) for n in range(start, min(rows, start + 2_000)) for text in _OWN.values())
        write(b"".join(b"<si><t>%s</t></si>" % text.encode() for text in texts))
    write(data[end:])
