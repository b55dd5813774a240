"""The three-engine agreement: xltools' cached values, LibreOffice's and gnumeric's recalculated values.

A workbook generated and recalculated by xltools carries a cached value in every formula cell. The same
file recalculated by LibreOffice (one batch for all files) and by gnumeric (one call per file, on a copy
whose structured references are rewritten to A1) must give the same value in every formula cell:

* numbers within 1e-9 relative (gnumeric computes in 80-bit long double; LibreOffice stores 15
  significant digits), and within 1e-12 absolute for results that cancel to about zero;
* text exactly; ``""`` equal to blank; booleans and errors exactly.

What gnumeric is not asked is derived from the formula text alone, never from a list kept by hand: a
formula calling a function gnumeric lacks (gnumeric's own function list, see ``gnumeric.knows``), a formula
whose structured reference could not be rewritten, and, transitively, every formula that reads a cell of
such a formula (its whole array range) or a defined name whose definition does. References are parsed
mechanically (A1 cells, ranges, whole rows and columns, with or without a sheet, and defined names);
``OFFSET`` may reach anywhere on the sheets it names and ``INDIRECT`` anywhere at all, so a formula using
them reads whole sheets, respectively the whole workbook.
"""

from __future__ import annotations

import math
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.engines import gnumeric
from tests.engines.cells import Cells, CellValue, FormulaCell, read_cells
from tests.engines.formulas import (
    FUNCTION,
    MAX_COLUMN,
    MAX_ROW,
    NAME,
    REF,
    SHEET_REF,
    STRUCTURED,
    Area,
    area_text,
    cell_position,
    function_name,
    tokenize,
)
from tests.hostile.ooxml import NS, Package
from xltools.recalc import libreoffice

REL_TOL = 1e-9
ABS_TOL = 1e-12

NameKey = tuple[str | None, str]
"""A defined name: its sheet (None for a workbook-level name) and its name in lower case."""


def same(a: CellValue, b: CellValue) -> bool:
    """Whether two engines' values agree (numbers within tolerance, ``""`` equal to blank)."""
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        assert isinstance(a.data, float) and isinstance(b.data, float)
        return math.isclose(a.data, b.data, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a.data == b.data


# -- what a formula reads ---------------------------------------------------------------------------


@dataclass
class Reads:
    """What one formula (or defined name) reads: areas, defined names, functions, and dynamic reach."""

    areas: list[Area] = field(default_factory=list)
    names: set[NameKey] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    structured: bool = False
    everything: bool = False


def reads(formula: str, sheet: str | None, defined: dict[NameKey, str]) -> Reads:
    """Parse what a formula reads; ``sheet`` is where it stands (None for a defined name's definition)."""
    found = Reads()
    tokens = tokenize(formula)
    for token in tokens:
        if token.kind == FUNCTION:
            found.functions.add(function_name(token))
        elif token.kind == STRUCTURED:
            found.structured = True
        elif token.kind == REF and sheet is not None:
            found.areas.append(Area.parse(sheet, token.text))
        elif token.kind == SHEET_REF and token.sheet is not None:
            if ":" in token.sheet:  # a 3-D reference: every sheet may be read
                found.everything = True
            else:
                found.areas.append(Area.parse(token.sheet, area_text(token)))
        elif token.kind == NAME:
            name = token.text.rpartition("!")[2].casefold()
            scope = token.sheet if token.sheet is not None else sheet
            if (scope, name) in defined:
                found.names.add((scope, name))
            elif (None, name) in defined:
                found.names.add((None, name))
    if "INDIRECT" in found.functions:
        found.everything = True
    if "OFFSET" in found.functions:
        found.areas = [Area(area.sheet, 1, 1, MAX_ROW, MAX_COLUMN) for area in found.areas]
    return found


def defined_names(package: Package) -> dict[NameKey, str]:
    """Every defined name's definition, keyed by (sheet or None, name in lower case)."""
    sheets = list(package.sheets())
    names = {}
    for element in package.tree("xl/workbook.xml").iterfind("m:definedNames/m:definedName", NS):
        local = element.get("localSheetId")
        scope = sheets[int(local)] if local is not None and int(local) < len(sheets) else None
        names[(scope, element.get("name", "").casefold())] = element.text or ""
    return names


@dataclass
class _Unit:
    """One formula as the dependency analysis sees it: its cells (an array's whole range) and its reads."""

    sheet: str
    anchor: str
    cells: list[tuple[int, int]]
    reads: Reads


def gnumeric_exclusions(
    cells: Cells, names: dict[NameKey, str], unrewritten_cells: Iterable[tuple[str, str]] = ()
) -> dict[tuple[str, str], str]:
    """The formula cells gnumeric is not asked about, each with its reason (see the module docstring).

    ``cells`` and ``names`` are those of the copy gnumeric is given (structured references rewritten);
    ``unrewritten_cells`` are the cells whose structured references stayed.
    """
    units: dict[tuple[str, str], _Unit] = {}
    for formula in cells.formulas.values():
        anchor = formula.anchor or formula.cell
        unit = units.get((formula.sheet, anchor))
        if unit is None:
            unit = units[(formula.sheet, anchor)] = _Unit(
                formula.sheet, anchor, [], reads(formula.formula, formula.sheet, names)
            )
        unit.cells.append(cell_position(formula.cell))
    name_reads = {key: reads(text, key[0], names) for key, text in names.items()}
    lacking = gnumeric.lacking(
        {f for unit in units.values() for f in unit.reads.functions}
        | {f for r in name_reads.values() for f in r.functions}
    )
    stuck = set(unrewritten_cells)

    reasons: dict[tuple[str, str], str] = {}
    tainted: dict[str, set[tuple[int, int]]] = {}
    tainted_names: dict[NameKey, str] = {}

    def taint(unit: _Unit, reason: str) -> None:
        """Mark a formula (its whole range) as not asked, with its reason."""
        reasons[(unit.sheet, unit.anchor)] = reason
        tainted.setdefault(unit.sheet, set()).update(unit.cells)

    def hits(found: Reads) -> bool:
        """Whether what a formula reads meets a cell already not asked about."""
        if found.everything and tainted:
            return True
        for area in found.areas:
            marked = tainted.get(area.sheet)
            if not marked:
                continue
            if area.size <= len(marked):
                if any(cell in marked for cell in area.cells()):
                    return True
            elif any(area.contains(row, column) for row, column in marked):
                return True
        return False

    for key, found in name_reads.items():
        missing = found.functions & lacking
        if missing:
            tainted_names[key] = "function gnumeric lacks: " + ", ".join(sorted(missing))
        elif found.structured:
            tainted_names[key] = "structured reference not rewritten"
    for unit in units.values():
        missing = unit.reads.functions & lacking
        if missing:
            taint(unit, "function gnumeric lacks: " + ", ".join(sorted(missing)))
        elif (unit.sheet, unit.anchor) in stuck or unit.reads.structured:
            taint(unit, "structured reference not rewritten")
    changed = bool(reasons or tainted_names)
    while changed:
        changed = False
        for key, found in name_reads.items():
            if key not in tainted_names and (found.names & tainted_names.keys() or hits(found)):
                tainted_names[key] = "depends on a skipped cell or name"
                changed = True
        for unit in units.values():
            if (unit.sheet, unit.anchor) in reasons:
                continue
            used = unit.reads.names & tainted_names.keys()
            if used:
                taint(unit, "uses a skipped defined name: " + ", ".join(sorted(name for _, name in used)))
                changed = True
            elif hits(unit.reads):
                taint(unit, "depends on a skipped cell")
                changed = True
    skipped = {}
    for formula in cells.formulas.values():
        reason = reasons.get((formula.sheet, formula.anchor or formula.cell))
        if reason:
            skipped[(formula.sheet, formula.cell)] = reason
    return skipped


# -- the comparison --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """A formula cell where an engine's value differs from xltools' cached value."""

    sheet: str
    cell: str
    formula: str
    xltools: CellValue
    libreoffice: CellValue
    gnumeric: CellValue | None
    """None when gnumeric was not asked (see ``Agreement.skipped``)."""
    engines: tuple[str, ...]
    note: str = ""

    def __str__(self) -> str:
        gnm = "not asked" if self.gnumeric is None else str(self.gnumeric)
        where = FormulaCell(self.sheet, self.cell, self.formula, self.xltools).where
        note = f" [{self.note}]" if self.note else ""
        return (
            f"{where}: ={self.formula} — xltools {self.xltools}, LibreOffice {self.libreoffice}, "
            f"gnumeric {gnm} ({' and '.join(self.engines)} differ){note}"
        )


@dataclass
class Agreement:
    """The agreement of one workbook: what each engine was asked, what gnumeric skipped, what differs."""

    workbook: Path
    formula_cells: int
    asked: dict[str, int]
    skipped: dict[tuple[str, str], str]
    disagreements: list[Disagreement]
    unrewritten: list[gnumeric.Unrewritten]
    parse_failures: list[gnumeric.ParseFailure]
    seconds: dict[str, float]

    @property
    def unparsed_but_asked(self) -> list[gnumeric.ParseFailure]:
        """Formulas gnumeric could not parse although the analysis asked it about them."""
        return [f for f in self.parse_failures if f.sheet is not None and (f.sheet, f.cell) not in self.skipped]

    @property
    def skipped_by_reason(self) -> Counter[str]:
        """How many formula cells gnumeric was not asked about, per reason."""
        return Counter(self.skipped.values())

    def summary(self) -> str:
        """Lines for a human: counts per engine, gnumeric's skips by reason, and every disagreement."""
        lines = [
            f"{self.workbook.name}: {self.formula_cells} formula cells; asked LibreOffice {self.asked['libreoffice']}, "
            f"gnumeric {self.asked['gnumeric']}; skipped for gnumeric {len(self.skipped)}"
            + (f" (gnumeric {self.seconds.get('gnumeric', 0):.1f} s)" if self.seconds else "")
        ]
        for reason, count in sorted(self.skipped_by_reason.items()):
            lines.append(f"  skipped for gnumeric, {reason}: {count}")
        for problem in self.unrewritten:
            lines.append(f"  not rewritten for gnumeric: {problem.where}: {problem.reference} ({problem.reason})")
        for failure in self.unparsed_but_asked:
            lines.append(f"  gnumeric could not parse {failure.sheet}!{failure.cell}: {failure.reason}")
        lines.append(f"  disagreements: {len(self.disagreements)}")
        lines.extend(f"  {d}" for d in self.disagreements)
        return "\n".join(lines)


def compare(
    workbook: Path,
    xltools_cells: Cells,
    libreoffice_cells: Cells,
    gnumeric_cells: Cells,
    run: gnumeric.GnumericRun,
    prepared_cells: Cells,
    names: dict[NameKey, str],
) -> Agreement:
    """Compare every formula cell of ``xltools_cells`` with the two engines' values."""
    stuck = {(p.sheet or "", p.place) for p in run.rewrite.unrewritten if p.kind == "cell"}
    skipped = gnumeric_exclusions(prepared_cells, names, stuck)
    disagreements = []
    for (sheet, cell), formula in xltools_cells.formulas.items():
        ours = formula.value
        lo = libreoffice_cells.value(sheet, cell)
        gnm = None if (sheet, cell) in skipped else gnumeric_cells.value(sheet, cell)
        engines = []
        if not same(ours, lo):
            engines.append("LibreOffice")
        if gnm is not None and not same(ours, gnm):
            engines.append("gnumeric")
        if engines:
            note = ""
            written = gnumeric_cells.formulas.get((sheet, cell))
            if gnm is not None and written is not None and gnumeric.unparsed(written.formula):
                note = "gnumeric could not parse the formula"
            disagreements.append(Disagreement(sheet, cell, formula.formula, ours, lo, gnm, tuple(engines), note))
    total = len(xltools_cells.formulas)
    return Agreement(
        workbook,
        total,
        {"libreoffice": total, "gnumeric": total - len(skipped)},
        skipped,
        disagreements,
        run.rewrite.unrewritten,
        run.parse_failures,
        {"gnumeric": run.seconds},
    )


def check_agreement(workbooks: Sequence[Path], work: Path) -> list[Agreement]:
    """Recalculate the workbooks with LibreOffice (one batch) and gnumeric (one call each) and compare
    every formula cell with xltools' cached value. ``work`` receives the copies and the engines' files."""
    inputs = work / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    copies = []
    for number, path in enumerate(workbooks):
        copy = inputs / f"{number:02d}-{Path(path).name}"
        shutil.copyfile(path, copy)
        copies.append(copy)
    started = time.perf_counter()
    lo_outputs = libreoffice.recalculate(copies, work / "libreoffice")
    lo_seconds = time.perf_counter() - started
    results = []
    for original, copy, lo_output in zip(workbooks, copies, lo_outputs, strict=True):
        run = gnumeric.recalculate(copy, work / "gnumeric" / copy.name)
        prepared = Package.read(run.prepared)
        agreement = compare(
            Path(original),
            read_cells(copy),
            read_cells(lo_output),
            read_cells(run.output),
            run,
            read_cells(prepared),
            defined_names(prepared),
        )
        agreement.seconds["libreoffice (whole batch)"] = lo_seconds
        results.append(agreement)
    return results
