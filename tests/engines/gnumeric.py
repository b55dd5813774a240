"""gnumeric (``ssconvert --recalc``) as the third spreadsheet engine: recalculate a copy of a workbook.

gnumeric 1.12.55 reads .xlsx formulas, but not Excel's structured table references (``Kontakter[Dato]``,
``Kontakter[[#This Row],[Dato]]``, ``Kontakter[#Data]``): it stores them as ``_xlfngnumeric.ERROR(…)``
and the error spreads to every dependent cell. The copy it is given has them rewritten to the plain A1
references they stand for, computed from the table parts (``ref``, header and totals rows, column names):

* a whole column → its data body, ``Registrering!$A$3:$A$102``;
* ``[#This Row]`` → the formula's own row, ``$A5`` (row relative, so a shared, validation or conditional
  formatting formula still moves it the way Excel moves the row);
* ``#Data`` / ``#All`` / ``#Headers`` / ``#Totals`` and column ranges ``[[A]:[C]]`` → their rectangles.

Everything that could not be rewritten is reported (a ``#This Row`` in a defined name, a row outside the
table, an unknown column). The functions gnumeric implements are read from its own plugin descriptions
(``plugin.xml``); a name that is not listed there is asked of gnumeric itself (``ERROR.TYPE(F())`` is 5,
#NAME?, only for a function it does not know), so no list of functions is kept by hand.
"""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import xlsxwriter
from lxml import etree

from tests.engines.cells import read_cells
from tests.engines.formulas import (
    NAME,
    STRUCTURED,
    Area,
    Token,
    cell_position,
    join,
    tokenize,
)
from tests.hostile.ooxml import NS, Package, column_letters, quoted

PLUGINS = "/usr/lib/gnumeric/*/plugins/*/plugin.xml"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
_M = "{%s}" % NS["m"]


def ssconvert() -> str | None:
    """The gnumeric command-line converter, if installed."""
    return shutil.which("ssconvert")


# -- tables ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """An Excel table as its part describes it: where it is and what its columns are called."""

    name: str
    sheet: str
    area: Area
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0
    member: str = ""

    @property
    def data(self) -> Area:
        """The data body: the table without its header and totals rows."""
        return Area(
            self.sheet,
            self.area.top + self.header_rows,
            self.area.left,
            self.area.bottom - self.totals_rows,
            self.area.right,
        )

    def column(self, name: str) -> int:
        """The sheet column number of the table column ``name`` (case-insensitive, as Excel matches)."""
        for offset, column in enumerate(self.columns):
            if column.casefold() == name.casefold():
                return self.area.left + offset
        raise KeyError(name)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for part in (PurePosixPath(base).parent / target).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def read_tables(package: Package) -> dict[str, Table]:
    """Every table of the workbook by its name in lower case (Excel's names are case-insensitive)."""
    tables = {}
    for sheet, member in package.sheets().items():
        rels = PurePosixPath(member).parent / "_rels" / (PurePosixPath(member).name + ".rels")
        if str(rels) not in package.members:
            continue
        for rel in package.tree(str(rels)).iterfind("rel:Relationship", NS):
            if rel.get("Type") != TABLE_REL or rel.get("TargetMode") == "External":
                continue
            part = _resolve(member, rel.get("Target", ""))
            if part not in package.members:
                continue
            root = package.tree(part)
            name = root.get("displayName") or root.get("name") or ""
            columns = tuple(column.get("name", "") for column in root.iterfind("m:tableColumns/m:tableColumn", NS))
            tables[name.casefold()] = Table(
                name,
                sheet,
                Area.parse(sheet, root.get("ref", "A1")),
                columns,
                int(root.get("headerRowCount", "1")),
                int(root.get("totalsRowCount", "0")),
                part,
            )
    return tables


# -- structured references ------------------------------------------------------------------------------

_SPECIALS = {"#all", "#data", "#headers", "#totals", "#this row"}


class Unrewritable(ValueError):
    """A structured reference that has no A1 equivalent here; the message says why."""


def _unescape(name: str) -> str:
    return re.sub(r"'(.)", r"\1", name)


def _items(inner: str) -> list[str]:
    """The bracketed items of ``[a],[b]:[c]`` as ``["a", "b:c"]`` (escapes kept)."""
    items, index, current = [], 0, ""
    while index < len(inner):
        char = inner[index]
        if char == "'":
            current += inner[index : index + 2]
            index += 2
            continue
        if char == "[":
            end = index + 1
            while inner[end] != "]":
                end += 2 if inner[end] == "'" else 1
            current += "\x00" + inner[index + 1 : end] + "\x00"
            index = end + 1
            continue
        if char == ",":
            items.append(current.strip())
            current = ""
        elif char == ":":
            current += ":"
        elif not char.isspace():
            raise Unrewritable(f"cannot read {inner!r}")
        index += 1
    items.append(current.strip())
    return [item.replace("\x00:\x00", ":").strip("\x00") for item in items if item]


def resolve(
    text: str, tables: Mapping[str, Table], row: int | None, where: tuple[str, int] | None = None
) -> tuple[Table, Area, bool]:
    """The table, rectangle and this-row flag a structured reference (``Tabel[...]``) stands for; one
    without a table name (``[@Antal]``) means the table holding the cell ``where`` (sheet, column)."""
    name, bracket, rest = text.partition("[")
    table = tables.get(name.casefold())
    if table is None and not name and where is not None and row is not None:
        sheet, column = where
        table = next((t for t in tables.values() if t.sheet == sheet and t.area.contains(row, column)), None)
    if table is None:
        raise Unrewritable(f"no table named {name!r}" if name else "no table holds this cell")
    inner = (bracket + rest)[1:-1] if bracket else ""
    if not inner.strip():
        items: list[str] = []
    elif inner.lstrip().startswith("["):
        items = _items(inner)
    else:
        items = [inner.strip()]
    specials = [item.casefold() for item in items if item.casefold() in _SPECIALS or item.startswith("@")]
    columns = [item for item in items if item.casefold() not in _SPECIALS and not item.startswith("@")]
    for item in items:
        if item.startswith("@"):  # [@Col], the UI's form of [#This Row],[Col]
            specials = [s for s in specials if s != item.casefold()] + ["#this row"]
            if item[1:]:
                columns.append(item[1:].strip("[]"))
    if len(columns) > 1:
        raise Unrewritable(f"more than one column item in {text!r}")
    left, right = table.area.left, table.area.right
    if columns:
        first, _, last = columns[0].partition(":")
        try:
            left = table.column(_unescape(first))
            right = table.column(_unescape(last)) if last else left
        except KeyError as missing:
            raise Unrewritable(f"table {table.name} has no column {missing.args[0]!r}") from None
        left, right = min(left, right), max(left, right)
    whole, data = table.area, table.data
    rows: set[int] = set()
    this_row = False
    for special in specials or ["#data"]:
        if special == "#all":
            rows |= set(range(whole.top, whole.bottom + 1))
        elif special == "#data":
            rows |= set(range(data.top, data.bottom + 1))
        elif special == "#headers":
            if not table.header_rows:
                raise Unrewritable(f"table {table.name} has no header row")
            rows |= set(range(whole.top, data.top))
        elif special == "#totals":
            if not table.totals_rows:
                raise Unrewritable(f"table {table.name} has no totals row")
            rows |= set(range(data.bottom + 1, whole.bottom + 1))
        elif special == "#this row":
            if row is None:
                raise Unrewritable(f"{text!r}: #This Row outside a cell")
            if not data.top <= row <= data.bottom:
                raise Unrewritable(f"{text!r}: row {row} is not a data row of {table.name}")
            rows.add(row)
            this_row = True
    if not rows or max(rows) - min(rows) + 1 != len(rows):
        raise Unrewritable(f"{text!r} is not one rectangle")
    return table, Area(table.sheet, min(rows), left, max(rows), right), this_row


def a1_for(
    text: str, tables: Mapping[str, Table], sheet: str | None, row: int | None, column: int | None = None
) -> str:
    """The A1 reference a structured reference stands for, written from ``sheet`` (None: always qualified)."""
    where = (sheet, column) if sheet is not None and column is not None else None
    table, area, this_row = resolve(text, tables, row, where)
    prefix = "" if sheet == table.sheet else quoted(table.sheet) + "!"
    if this_row and area.top == area.bottom:
        first = f"${column_letters(area.left)}{area.top}"
        if area.left == area.right:
            return prefix + first
        return f"{prefix}{first}:${column_letters(area.right)}{area.top}"
    return prefix + area.a1()


@dataclass(frozen=True)
class Unrewritten:
    """A structured reference left as it was: where (a cell, a validation's or conditional format's range,
    or a defined name), the reference, and why."""

    kind: str
    """``cell``, ``validation``, ``conditional format`` or ``name``."""
    sheet: str | None
    place: str
    """The cell, the range (sqref), or the defined name."""
    reference: str
    reason: str

    @property
    def where(self) -> str:
        if self.kind == "name":
            return f"name {self.place}"
        where = f"{quoted(self.sheet or '')}!{self.place}"
        return where if self.kind == "cell" else f"{where} ({self.kind})"


def rewrite_formula(
    formula: str, tables: Mapping[str, Table], sheet: str | None, row: int | None, column: int | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """The formula with its structured references (and bare table names) as A1, written from ``sheet``'s
    ``row`` (and ``column``, for a reference without a table name); the reasons for any left."""
    if "[" not in formula and not any(table.name.casefold() in formula.casefold() for table in tables.values()):
        return formula, []
    problems = []
    out: list[Token] = []
    for token in tokenize(formula):
        bare_table = token.kind == NAME and token.sheet is None and token.text.casefold() in tables
        if token.kind == STRUCTURED or bare_table:
            try:
                out.append(Token(token.kind, a1_for(token.text, tables, sheet, row, column)))
                continue
            except Unrewritable as problem:
                problems.append((token.text, str(problem)))
        out.append(token)
    return join(out), problems


@dataclass
class Rewrite:
    """What the rewrite of a copy did: formulas changed, and references that stayed structured."""

    changed: int = 0
    unrewritten: list[Unrewritten] = field(default_factory=list)


def _top_row(sqref: str) -> int:
    return cell_position(sqref.split()[0].split(":")[0])[0]


def rewrite_structured_references(package: Package) -> Rewrite:
    """Rewrite every structured reference of the package in place: cells (incl. shared and array
    formulas), defined names, data validations (also Excel 2010's ``x14`` ones) and conditional formats."""
    tables = read_tables(package)
    report = Rewrite()
    if not tables:
        return report

    def apply(element: etree._Element, kind: str, sheet: str | None, place: str, row: int | None) -> None:
        if not element.text:
            return
        column = cell_position(place.split()[0].split(":")[0])[1] if kind != "name" else None
        text, problems = rewrite_formula(element.text, tables, sheet, row, column)
        if text != element.text:
            element.text = text
            report.changed += 1
        for reference, reason in problems:
            report.unrewritten.append(Unrewritten(kind, sheet, place, reference, reason))

    for sheet, member in package.sheets().items():
        if member not in package.members or "worksheets/" not in member:
            continue
        root = package.tree(member)
        for cell in root.iterfind("m:sheetData/m:row/m:c", NS):
            formula = cell.find("m:f", NS)
            if formula is not None:
                ref = cell.get("r", "A1")
                apply(formula, "cell", sheet, ref, cell_position(ref)[0])
        for validation in root.iterfind("m:dataValidations/m:dataValidation", NS):
            sqref = validation.get("sqref", "A1")
            for tag in ("m:formula1", "m:formula2"):
                for formula in validation.iterfind(tag, NS):
                    apply(formula, "validation", sheet, sqref, _top_row(sqref))
        for validation in root.iter("{%s}dataValidation" % X14):
            sqref = validation.findtext("{%s}sqref" % XM) or "A1"
            for formula in validation.iter("{%s}f" % XM):
                apply(formula, "validation", sheet, sqref, _top_row(sqref))
        for conditional in root.iterfind("m:conditionalFormatting", NS):
            sqref = conditional.get("sqref", "A1")
            for formula in conditional.iterfind("m:cfRule/m:formula", NS):
                apply(formula, "conditional format", sheet, sqref, _top_row(sqref))
    for name in package.tree("xl/workbook.xml").iterfind("m:definedNames/m:definedName", NS):
        apply(name, "name", None, name.get("name", ""), None)
    return report


# -- gnumeric's functions ------------------------------------------------------------------------------

_KNOWN: dict[str, bool] = {}


def listed_functions() -> frozenset[str]:
    """The functions gnumeric's plugins declare (their ``plugin.xml``), upper case."""
    names: set[str] = set()
    for path in glob.glob(PLUGINS):
        text = Path(path).read_text(encoding="utf-8")
        names |= {name.upper() for name in re.findall(r'<function name="([^"]+)"', text)}
    return frozenset(names)


_LISTED: frozenset[str] | None = None


def knows(names: Iterable[str]) -> dict[str, bool]:
    """Whether gnumeric implements each function: its plugin list, else gnumeric asked directly (one
    ``ssconvert`` run for all names not yet known; answers are kept for the process)."""
    global _LISTED
    if _LISTED is None:
        _LISTED = listed_functions()
    wanted = {name.upper() for name in names}
    unknown = sorted(name for name in wanted - _LISTED if name not in _KNOWN)
    if unknown:
        _KNOWN.update(_probe(unknown))
    return {name: name in _LISTED or _KNOWN[name] for name in wanted}


def lacking(names: Iterable[str]) -> set[str]:
    """The functions among ``names`` that gnumeric does not implement."""
    return {name for name, known in knows(names).items() if not known}


def _probe(names: list[str]) -> dict[str, bool]:
    """Ask gnumeric: ``ERROR.TYPE(F())`` is 5 (#NAME?) exactly when it does not know F."""
    executable = ssconvert()
    if executable is None:
        raise FileNotFoundError("gnumeric (ssconvert) is not installed")
    with tempfile.TemporaryDirectory(prefix="xltools-gnm-probe-") as folder:
        source, out = Path(folder) / "probe.xlsx", Path(folder) / "out.xlsx"
        book = xlsxwriter.Workbook(str(source))
        sheet = book.add_worksheet("Probe")
        for row, name in enumerate(names):
            sheet.write_formula(row, 0, f"=ERROR.TYPE({name}())", None, -1)
        book.close()
        subprocess.run([executable, "--recalc", str(source), str(out)], capture_output=True, text=True, check=True)
        cells = read_cells(out)
    sheet = cells.sheets[0]
    answers = {}
    for row, name in enumerate(names, start=1):
        value = cells.value(sheet, f"A{row}")
        answers[name] = not (value.kind == "number" and value.data == 5.0)
    return answers


# -- recalculation ---------------------------------------------------------------------------------------

_STDERR = re.compile(
    r"^(?:(?P<sheet>.+?)!(?P<cell>[A-Z]+[0-9]+) : )?At (?P<at>[A-Z]+[0-9]+): '(?P<formula>.*)' (?P<why>.*)$"
)


@dataclass(frozen=True)
class ParseFailure:
    """A formula gnumeric could not parse, as its stderr names it."""

    sheet: str | None
    cell: str
    formula: str
    reason: str


@dataclass
class GnumericRun:
    """One recalculation: the copy gnumeric was given, its output, the rewrite, and what it complained of."""

    source: Path
    prepared: Path
    output: Path
    rewrite: Rewrite
    parse_failures: list[ParseFailure]
    stderr: str
    seconds: float


def prepare(source: Path, target: Path) -> Rewrite:
    """Write a copy of ``source`` with its structured references as A1 (every other part kept)."""
    package = Package.read(source)
    report = rewrite_structured_references(package)
    package.save(target)
    return report


def recalculate(source: Path, output: Path, timeout: float = 300) -> GnumericRun:
    """Recalculate a copy of ``source`` with gnumeric and save the result as .xlsx at ``output``."""
    executable = ssconvert()
    if executable is None:
        raise FileNotFoundError("gnumeric (ssconvert) is not installed")
    output.parent.mkdir(parents=True, exist_ok=True)
    prepared = output.with_name(output.stem + ".gnumeric-in.xlsx")
    rewrite = prepare(source, prepared)
    started = time.perf_counter()
    finished = subprocess.run(
        [executable, "--recalc", str(prepared), str(output)], capture_output=True, text=True, timeout=timeout
    )
    seconds = time.perf_counter() - started
    if finished.returncode != 0 or not output.exists():
        raise RuntimeError(f"ssconvert failed ({finished.returncode}) on {source}: {finished.stderr[-500:]}")
    failures = []
    for line in finished.stderr.splitlines():
        match = _STDERR.match(line)
        if match:
            sheet = match.group("sheet")
            if sheet and sheet.startswith("'") and sheet.endswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            failures.append(
                ParseFailure(
                    sheet, match.group("cell") or match.group("at"), match.group("formula"), match.group("why")
                )
            )
    return GnumericRun(source, prepared, output, rewrite, failures, finished.stderr, seconds)


def unparsed(formula: str) -> bool:
    """Whether gnumeric wrote the formula back as one it could not parse."""
    return formula.startswith("_xlfngnumeric.ERROR(")
