"""Proof of data-validation rules: LibreOffice evaluates each rule's formula over a corpus of values, and
the verdicts must equal the Python rule's.

A ``<dataValidation>`` of type ``custom`` carries a formula (``formula1``) written relative to the top-left
cell of its ``sqref``: the entry is allowed when it gives TRUE. The proof copies the workbook, adds a sheet
and writes, for each corpus row, the value in one column, the other cells the formula reads on the same
row (``Case.others``, e.g. "Antal pladser" for "besatte ≤ pladser") in further columns, and the formula
moved to that row: its relative references to the validated sheet now point at the proof sheet's row,
its fixed references (``$A$28:$A$33``) still point at the validated sheet, and defined names, ``TODAY()``
and other sheets stay what they are, so the formula is evaluated in the workbook it belongs to.
Each formula is written twice, as an ordinary formula and as an array formula (validation formulas are
array-evaluated in some programs); the two must agree. A TRUE (or a non-zero number) allows the value;
FALSE, text and every error reject it. Built-in types are proven through the formula of Excel's rule for
them (``whole``: ISNUMBER, whole, and the operator; ``list``: equal, case-insensitively, to an item; …).

The Python side is a ``core.rules.Rule`` (evaluated on the whole corpus column at once; its other
references are mapped from their cells' columns, a defined name's value and TODAY() are taken from the
engine), an ``InputSpec`` (``core.inputs.validate``), or any ``judge(value, others) -> bool``.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from tests.engines import edits
from tests.engines.cells import CellValue, read_cells
from tests.engines.formulas import REF, SHEET_REF, Area, area_text, cell_position, parse_point, tokenize
from tests.engines.gnumeric import read_tables, rewrite_formula
from tests.hostile.ooxml import NS, Package, column_letters, column_number, quoted
from xltools.core.expr import Expr, Ref
from xltools.core.inputs import InputSpec, InvalidInput, validate
from xltools.core.logic import serial
from xltools.core.rules import TODAY, Rule
from xltools.recalc import libreoffice

PROOF_SHEET = "xltools-bevis"
Judge = Rule | InputSpec | Callable[[object, Mapping[str, object]], bool]


@dataclass(frozen=True)
class Validation:
    """One ``<dataValidation>``: where it applies, its type and operator, its formulas as written."""

    sheet: str
    sqref: str
    kind: str
    operator: str
    formula1: str | None
    formula2: str | None
    allow_blank: bool

    @property
    def top_left(self) -> str:
        """The cell the formula is written relative to."""
        return self.sqref.split()[0].split(":")[0]

    @property
    def areas(self) -> list[Area]:
        """The ranges the validation applies to."""
        return [Area.parse(self.sheet, part) for part in self.sqref.split()]

    def formula(self) -> str:
        """The formula, relative to the top-left cell, that is TRUE exactly when the entry is allowed."""
        x = self.top_left
        one, two = f"({self.formula1})", f"({self.formula2})"
        if self.kind == "custom":
            return self.formula1 or "TRUE"
        if self.kind in ("none", "any", ""):
            return "TRUE"
        if self.kind == "list":
            source = (self.formula1 or "").strip()
            if source.startswith('"'):
                items = source[1:-1].replace('""', '"').split(",")
                return "OR(" + ",".join(f'{x}="' + item.replace('"', '""') + '"' for item in items) + ")"
            return f"SUMPRODUCT(--({x}={source}))>0"
        value = f"LEN({x})" if self.kind == "textLength" else x
        compare = {
            "between": f"AND({value}>={one},{value}<={two})",
            "notBetween": f"OR({value}<{one},{value}>{two})",
            "equal": f"{value}={one}",
            "notEqual": f"{value}<>{one}",
            "greaterThan": f"{value}>{one}",
            "lessThan": f"{value}<{one}",
            "greaterThanOrEqual": f"{value}>={one}",
            "lessThanOrEqual": f"{value}<={one}",
        }[self.operator]
        if self.kind == "textLength":
            return compare
        if self.kind == "whole":
            return f"AND(ISNUMBER({x}),{x}=INT({x}),{compare})"
        return f"AND(ISNUMBER({x}),{compare})"  # decimal, date, time


def read_validations(path: Path | Package) -> list[Validation]:
    """Every data validation of every sheet, in file order."""
    package = path if isinstance(path, Package) else Package.read(Path(path))
    found = []
    for sheet, member in package.sheets().items():
        if member not in package.members or "worksheets/" not in member:
            continue
        for element in package.tree(member).iterfind("m:dataValidations/m:dataValidation", NS):
            found.append(
                Validation(
                    sheet,
                    element.get("sqref", ""),
                    element.get("type", "none"),
                    element.get("operator", "between"),
                    element.findtext("m:formula1", None, NS),
                    element.findtext("m:formula2", None, NS),
                    element.get("allowBlank") in ("1", "true"),
                )
            )
    return found


def validation_for(validations: Sequence[Validation], sheet: str, where: str) -> Validation:
    """The validation on ``sheet`` covering ``where``: a column (``"L"``, the first validation whose ranges
    include that column) or a cell (``"B4"``, the validation whose ranges include that cell)."""
    if any(char.isdigit() for char in where):
        row, number = cell_position(where)
        for validation in validations:
            if validation.sheet == sheet and any(area.contains(row, number) for area in validation.areas):
                return validation
        raise KeyError(f"no data validation on {sheet}!{where}")
    number = column_number(where.upper())
    for validation in validations:
        if validation.sheet == sheet and any(area.left <= number <= area.right for area in validation.areas):
            return validation
    raise KeyError(f"no data validation on {sheet} column {where}")


# -- the corpus ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One value typed into the validated cell, and the other cells of its row that the formula reads."""

    value: object
    others: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        shown = repr(self.value) if len(repr(self.value)) <= 40 else repr(self.value)[:37] + "…"
        others = ", ".join(f"{column}={value!r}" for column, value in self.others.items())
        return shown + (f" ({others})" if others else "")


def default_corpus(today: date | None = None) -> list[Case]:
    """Values a user may type: numbers, negatives, decimals, dates with a time of day, digits as text,
    phone numbers, good and bad e-mails, formula-like text, Danish letters, spaces, 255+ characters,
    booleans and a blank."""
    now = serial(today or date.today())
    values: list[object] = [
        0.0, 1.0, 5.0, 8.0, 20.0, 21.0, 44.0, 52.0, 53.0, 330.0, 50000.0, -1.0, -0.5, 0.3, 0.9, 0.95, 1.5, 12.25,
        1e-9, 12345678.0, 29876541.0, 1e15,
        36525.0, 36526.0, 36526.5, 45658.0, 45658.75, now - 1, now, now + 0.5, now + 0.999, now + 1, now + 1.25,
        "", " ", "abc", "12", "0", "1,5", "12345678", "29876541", "2987654", "298765410", "1234 5678", "12.345678",
        "12345678 ", " 12345678", "+45 12 34 56 78", "+4512345678", "0045 12345678", "12-34-56-78", "1234567",
        "123456789", "+46 12 34 56 78", "navn@firma.dk", "a@b.co", "fornavn.efternavn@kommune.dk", "navn@firma",
        "navn@.dk", "@firma.dk", "navn@@firma.dk", "navn firma@x.dk", "navn@firma.d", "navn@firma.dk.",
        "=1+1", "+45", "-5", "@SUM(A1)", '=HYPERLINK("http://x.dk")', "\tTab", "linje\nskift", "Æblegården ApS",
        "Søren Østergård", "Århus", "æøå", "ÆØÅ", "a b", "x" * 255, "x" * 256, "ø" * 300, True, False, None,
    ]  # fmt: skip
    return [Case(value) for value in values]


def with_others(corpus: Sequence[Case], column: str, values: Sequence[object]) -> list[Case]:
    """Every case combined with every value of another cell of the row (``column``), e.g. Antal pladser."""
    return [Case(case.value, {**case.others, column.upper(): other}) for case in corpus for other in values]


# -- moving the formula to the proof sheet ---------------------------------------------------------------


class Unsupported(ValueError):
    """A validation formula the proof cannot move to its sheet (e.g. a range with one end fixed)."""


def _columns_read(formula: str, sheet: str) -> list[int]:
    """The columns of the validated sheet that the formula reads relatively (row not fixed)."""
    found: list[int] = []
    for token in tokenize(formula):
        if token.kind == REF or (token.kind == SHEET_REF and token.sheet == sheet):
            points = [parse_point(part) for part in area_text(token).split(":")]
            if all(point.row and not point.row_fixed for point in points):
                found.extend(point.column for point in points)
    return list(dict.fromkeys(found))


def move(formula: str, sheet: str, top: int, row: int, columns: Mapping[int, int]) -> str:
    """The validation formula (relative to row ``top`` of ``sheet``) as it reads on the proof sheet's
    ``row``: relative references follow ``columns`` (validated sheet column → proof column), references with
    a fixed row stay on ``sheet``."""
    out = []
    for token in tokenize(formula):
        if token.kind == REF or (token.kind == SHEET_REF and token.sheet == sheet):
            points = [parse_point(part) for part in area_text(token).split(":")]
            relative = [bool(point.row and not point.row_fixed) for point in points]
            if all(relative):
                moved = [f"{column_letters(columns[point.column])}{row + point.row - top}" for point in points]
                out.append(":".join(moved))
                continue
            if any(relative):
                raise Unsupported(f"{token.text}: one end of the range moves, the other is fixed")
            out.append(f"{quoted(sheet)}!{area_text(token)}")
        else:
            out.append(token.text)
    return "".join(out)


# -- the proof ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One case: what the engine's formula gave (plain and as an array formula), and both verdicts."""

    case: Case
    engine: CellValue
    engine_array: CellValue
    python: bool

    @property
    def engine_allows(self) -> bool:
        """Whether LibreOffice's result lets the value in."""
        return allows(self.engine)

    @property
    def undecided(self) -> bool:
        """A case with a boolean: LibreOffice stores booleans as numbers (ISNUMBER(TRUE) is TRUE there,
        FALSE in Excel), so its verdict cannot stand in for Excel's."""
        return any(isinstance(value, bool) for value in (self.case.value, *self.case.others.values()))

    @property
    def agrees(self) -> bool:
        """Whether LibreOffice (plain and as an array formula) and Python give the same verdict."""
        return self.engine_allows == self.python and allows(self.engine_array) == self.engine_allows

    def __str__(self) -> str:
        array = "" if allows(self.engine_array) == self.engine_allows else f", as array {self.engine_array}"
        return f"{self.case}: LibreOffice {self.engine}{array}, Python {'allows' if self.python else 'rejects'}"


def allows(value: CellValue) -> bool:
    """Whether a validation formula's result lets the entry in: TRUE or a non-zero number."""
    if value.kind == "bool":
        return bool(value.data)
    return value.kind == "number" and value.data != 0


@dataclass
class Proof:
    """The proof of one column's validation: the formula, and a verdict per corpus case."""

    workbook: Path
    sheet: str
    column: str
    validation: Validation
    formula: str
    verdicts: list[Verdict]
    environment: dict[str, object]

    @property
    def mismatches(self) -> list[Verdict]:
        """Cases where LibreOffice's verdict differs from Python's (boolean cases left out: see ``undecided``)."""
        return [verdict for verdict in self.verdicts if not verdict.agrees and not verdict.undecided]

    @property
    def undecided(self) -> list[Verdict]:
        """Boolean cases where the verdicts differ: LibreOffice cannot judge booleans as Excel does."""
        return [verdict for verdict in self.verdicts if not verdict.agrees and verdict.undecided]

    def summary(self) -> str:
        """Lines for a human: the formula, the counts, and every disagreeing case."""
        head = (
            f"{self.workbook.name} {quoted(self.sheet)}!{self.column} ({self.validation.kind}, "
            f"sqref {self.validation.sqref}, allowBlank {int(self.validation.allow_blank)}): ={self.formula}\n"
            f"  {len(self.verdicts)} cases, {sum(v.engine_allows for v in self.verdicts)} allowed by LibreOffice, "
            f"{len(self.mismatches)} disagree with Python"
            + (f" (and {len(self.undecided)} boolean case(s) LibreOffice cannot decide)" if self.undecided else "")
        )
        return "\n".join([head, *(f"    {verdict}" for verdict in self.mismatches)])


@dataclass
class Request:
    """A workbook, a sheet, and the rule (``Judge``) of each validated column to prove over a corpus."""

    workbook: Path
    sheet: str
    rules: Mapping[str, Judge]
    corpus: Sequence[Case] = field(default_factory=default_corpus)


def _refs(node: object) -> list[Ref]:
    """Every ``Ref`` inside an expression tree (dataclass fields, recursively)."""
    if isinstance(node, Ref):
        return [node]
    found = []
    if dataclasses.is_dataclass(node):
        for item in dataclasses.fields(node):
            child = getattr(node, item.name)
            if isinstance(child, Expr):
                found.extend(_refs(child))
    return found


def _engine_names(judge: Judge) -> list[str]:
    """Defined names a rule reads (``Ref`` without a cell): their values are taken from the engine."""
    if not isinstance(judge, Rule):
        return []
    return [ref.name for ref in _refs(judge) if ref.ref is None and ref is not judge.arg]


def python_verdicts(judge: Judge, corpus: Sequence[Case], environment: Mapping[str, object]) -> list[bool]:
    """The Python rule's verdict on every case."""
    if isinstance(judge, Rule):
        if not isinstance(judge.arg, Ref):
            raise TypeError(f"the rule's argument must be a Ref, not {judge.arg!r}")
        env: dict[str, Any] = dict(environment)
        env[judge.arg.name] = np.array([case.value for case in corpus], dtype=object)
        for ref in _refs(judge):
            if ref.ref is not None and ref is not judge.arg:
                letters = "".join(char for char in ref.ref if char.isalpha()).upper()
                env[ref.name] = np.array([case.others.get(letters) for case in corpus], dtype=object)
        result = judge.evaluate(env)
        return [bool(item) for item in np.asarray(result, dtype=bool)]
    if isinstance(judge, InputSpec):
        verdicts = []
        for case in corpus:
            try:
                validate([judge], {judge.key: case.value})
                verdicts.append(True)
            except InvalidInput:
                verdicts.append(False)
        return verdicts
    return [bool(judge(case.value, case.others)) for case in corpus]


@dataclass
class _Plan:
    """A proof workbook being built: its request, where each column's cases and verdicts go."""

    request: Request
    copy: Path
    blocks: list[tuple[str, Validation, str, int, int, list[int]]]
    """Per column: letter, validation, moved formula of row 1, value column, verdict column, other columns."""
    names: dict[str, str]
    """Environment key → proof-sheet cell holding its engine value (TODAY and defined names)."""


def _plan(request: Request, copy: Path) -> _Plan:
    """Write the proof copy of a request's workbook: cases, other cells and moved formulas."""
    package = Package.read(Path(request.workbook))
    validations = read_validations(package)
    tables = read_tables(package)
    edits.add_sheet(package, PROOF_SHEET)
    corpus = list(request.corpus)
    blocks = []
    next_column = 1
    for letter in request.rules:
        validation = validation_for(validations, request.sheet, letter)
        top, own = cell_position(validation.top_left)
        formula, problems = rewrite_formula(validation.formula(), tables, request.sheet, top)
        if problems:
            raise Unsupported(f"{request.sheet}!{letter}: {problems}")
        others = [column for column in _columns_read(formula, request.sheet) if column != own]
        columns = {own: next_column, **{c: next_column + 1 + i for i, c in enumerate(others)}}
        verdict = next_column + 1 + len(others)
        for index, case in enumerate(corpus):
            row = index + 1
            edits.set_value(package, PROOF_SHEET, f"{column_letters(next_column)}{row}", _cell(case.value))
            for column in others:
                value = case.others.get(column_letters(column))
                edits.set_value(package, PROOF_SHEET, f"{column_letters(columns[column])}{row}", _cell(value))
            moved = move(formula, request.sheet, top, row, columns)
            edits.set_value(package, PROOF_SHEET, f"{column_letters(verdict)}{row}", edits.Formula(moved))
            array_cell = f"{column_letters(verdict + 1)}{row}"
            edits.set_value(package, PROOF_SHEET, array_cell, edits.Formula(moved, array=True))
        blocks.append((letter, validation, formula, next_column, verdict, others))
        next_column = verdict + 2
    names: dict[str, str] = {TODAY: f"{column_letters(next_column)}1"}
    edits.set_value(package, PROOF_SHEET, names[TODAY], edits.Formula("TODAY()"))
    for judge in request.rules.values():
        for name in _engine_names(judge):
            if name not in names:
                names[name] = f"{column_letters(next_column)}{len(names) + 1}"
                edits.set_value(package, PROOF_SHEET, names[name], edits.Formula(name))
    package.save(copy)
    return _Plan(request, copy, blocks, names)


def _cell(value: object) -> edits.CellInput:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a corpus value must be a number, text, boolean or None, not {value!r}")


def prove_validations(requests: Sequence[Request], work: Path) -> list[list[Proof]]:
    """Prove every requested column's validation; all workbooks go to LibreOffice in one batch."""
    inputs = work / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    plans = [
        _plan(request, inputs / f"{number:02d}-proof-{Path(request.workbook).stem}.xlsx")
        for number, request in enumerate(requests)
    ]
    outputs = libreoffice.recalculate([plan.copy for plan in plans], work / "libreoffice")
    results = []
    for plan, output in zip(plans, outputs, strict=True):
        cells = read_cells(output)
        environment: dict[str, object] = {key: cells.value(PROOF_SHEET, ref).python for key, ref in plan.names.items()}
        proofs = []
        for letter, validation, formula, _, verdict_column, _ in plan.blocks:
            judge = plan.request.rules[letter]
            corpus = list(plan.request.corpus)
            python = python_verdicts(judge, corpus, environment)
            verdicts = [
                Verdict(
                    case,
                    cells.value(PROOF_SHEET, f"{column_letters(verdict_column)}{row}"),
                    cells.value(PROOF_SHEET, f"{column_letters(verdict_column + 1)}{row}"),
                    python[row - 1],
                )
                for row, case in enumerate(corpus, start=1)
            ]
            proofs.append(
                Proof(
                    Path(plan.request.workbook), plan.request.sheet, letter, validation, formula, verdicts, environment
                )
            )
        results.append(proofs)
    return results


def prove(
    workbook: Path,
    sheet: str,
    rules: Mapping[str, Judge],
    corpus: Sequence[Case] | None = None,
    work: Path | None = None,
) -> list[Proof]:
    """Prove the validations of ``sheet``'s columns (letter → rule) in ``workbook`` over ``corpus``
    (default: ``default_corpus()``); one LibreOffice run. ``work`` defaults to a temporary folder."""
    import tempfile

    request = Request(workbook, sheet, rules, corpus if corpus is not None else default_corpus())
    if work is not None:
        return prove_validations([request], work)[0]
    folder = Path(tempfile.mkdtemp(prefix="xltools-proof-"))
    try:
        return prove_validations([request], folder)[0]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
