"""Combine several consultants' Brancheredskab files into one — nothing silently dropped or doubled.

Rows identical in every column are kept once (and counted). Rows that agree on Dato, company (CVR, or
the name when CVR is blank), Jobfunktion and Resultat but differ in the counts are all kept and listed
as conflicts for a person to settle. The inputs are only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.errors import Invalid
from xltools.industry.layout import LIST_COLUMNS
from xltools.industry.recalc import read_kontakter, read_lists
from xltools.industry.rows import COLUMNS, InvalidRows
from xltools.industry.workbook import build
from xltools.messages import number, quote
from xltools.workbook.files import check_output, create, via_path
from xltools.workbook.package import XlsxPackage
from xltools.workbook.source import FileSource

KEY = ("dato", "company", "jobfunktion", "resultat")


@dataclass
class MergeReport:
    inputs: list[dict[str, Any]] = field(default_factory=list)
    kept: int = 0
    duplicates: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the write path did when forced (not part of the report's data)."""

    def as_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "kept": self.kept, "duplicates": self.duplicates, "conflicts": self.conflicts}

    def lines(self, out: Path) -> list[str]:
        """What the merge into ``out`` did, in Danish: the counts, then one line per conflict."""
        lines = [
            f"{out}: {number(self.kept)} rækker fra {number(len(self.inputs))} filer; {number(self.duplicates)}"
            f" ens rækker holdt én gang; {number(len(self.conflicts))} konflikter at afgøre"
        ]
        for conflict in self.conflicts:
            places = ", ".join(
                f"{Path(row['file']).name} række {row['row']}: {row['pladser']}/{row['besatte']}"
                for row in conflict["rows"]
            )
            lines.append(
                f"  konflikt {quote(date.fromisoformat(conflict['dato']))} {quote(conflict['virksomhed'])}"
                f" {quote(conflict['jobfunktion'])} – {places}"
            )
        return lines


def _union(lists: Sequence[dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for name in LIST_COLUMNS:
        seen: dict[str, str] = {}
        for one in lists:
            for value in one[name]:
                seen.setdefault(value.casefold(), value)
        merged[name] = tuple(seen.values())
    return merged


def merge(out: Path, inputs: Sequence[Path], today: date, force: bool = False) -> MergeReport:
    """Write the new file ``out`` from ``inputs``; raises Invalid (the first bad input's rows, each
    line naming the file), Refused (``out`` is an input, or exists and not ``force``) or Unreadable."""
    check_output(out, inputs, force)  # refused before the inputs are read, and again when written
    report = MergeReport()
    frames, lists = [], []
    for path in inputs:
        try:
            frame = read_kontakter(path, today)
        except InvalidRows as invalid:
            raise Invalid(*[f"{path}: {problem.message}" for problem in invalid.problems]) from None
        with XlsxPackage(Path(path)) as package:
            lists.append(read_lists(FileSource(package)))
        frames.append(frame.assign(_file=str(path), _row=frame.index))
        report.inputs.append({"path": str(path), "rows": len(frame)})
    columns = [column.key for column in COLUMNS]
    combined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    seen: set[tuple[Any, ...]] = set()
    first = []
    for row in combined[columns].itertuples(index=False):
        identity = tuple(None if pd.isna(value) else value for value in row)
        first.append(identity not in seen)
        seen.add(identity)
    report.duplicates = first.count(False)
    kept = combined[first].copy()
    kept["company"] = [
        (cvr if isinstance(cvr, str) and cvr else f"navn:{(name or '').casefold()}")
        for cvr, name in zip(kept["cvr"], kept["virksomhed"], strict=True)
    ]
    for key, group in kept.groupby(list(KEY), sort=True, dropna=False):
        if len(group) > 1:
            report.conflicts.append(
                {
                    "dato": key[0].isoformat(),
                    "virksomhed": group["virksomhed"].iloc[0],
                    "cvr": group["cvr"].iloc[0],
                    "jobfunktion": key[2],
                    "resultat": key[3],
                    "rows": [
                        {"file": file, "row": int(row), "pladser": int(p), "besatte": int(b)}
                        for file, row, p, b in zip(
                            group["_file"], group["_row"], group["pladser"], group["besatte"], strict=True
                        )
                    ],
                }
            )
    kept = kept.sort_values("dato", kind="stable")
    report.kept = len(kept)
    rows, merged_lists = kept[columns].reset_index(drop=True), _union(lists)
    write = via_path(lambda temporary: build(temporary, today, rows, merged_lists))
    report.notes = create(Path(out), write, inputs, force)
    return report
