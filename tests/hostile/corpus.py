"""The hostile and careless input corpus: files a consultant, a colleague's program or an attacker may
hand xltools, each written by a function from a freshly built workbook of the real builders, edited at
the zip or XML level so that every other part stays as the builder wrote it.

Every ``Case`` says which tool's workbook it derives from, what exit code each command must give
(keyed by command name, then by role — ``writes`` / ``creates`` / ``reads`` — then ``*``), whether
``--force`` changes that, and which user texts must stay inert text in whatever a command writes.
``python -m tests.hostile.corpus FOLDER`` writes the whole corpus into FOLDER, one sub-folder a case.

Exit codes (``xltools.errors.ExitCode``): 0 ok, 1 stale (``--check``), 2 invalid input, 3 unreadable,
4 internal error, 5 refused to protect data, 64 usage. The choices this corpus makes, where the brief
leaves one open:

* A file that is not a workbook, or a package that is broken, ambiguous or hostile (a bomb, a DOCTYPE,
  a member escaping the package, two members of one name, a part declaring more than a reader should
  inflate) is unreadable: 3 — for every command, as soon as it reads the part. A bomb in a member no
  command reads is carried along untouched.
* A name, table or block a tool needs that is gone or renamed is unreadable: 3. A Målstyring week
  sheet that is deleted or renamed is invalid input: 2 (what today's recalc says: the team broke
  the year's structure in the workbook; ``rollover`` does not read the weeks and still works).
* Text a user typed that could run as a formula (=, +, -, @, tab, line break first) is refused with
  2 in free-text and list columns, list values and Opsætning names; a remark (Bemærkninger) is a
  note and is copied by ``rebuild`` — as text. Control characters and 32,767-character texts are
  accepted (0) and never echoed whole or raw.
* A write that would go through a hard link, into a read-only file or a file open in Excel or
  LibreOffice (owner file beside it) is refused: 5, unless ``--force``. Reading such a file is fine.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tests.hostile import ooxml
from tests.hostile.harness import BRANCHEREDSKAB, MAALSTYRING, RESSOURCEBEREGNER, Command
from tests.hostile.ooxml import GIB, Body, Entry, Package

R, B, M = RESSOURCEBEREGNER, BRANCHEREDSKAB, MAALSTYRING
RECALC, CHECK, MERGE, GOALS, REBUILD, ROLLOVER = "recalc", "recalc --check", "merge", "goals", "rebuild", "rollover"
COMMANDS_OF = {R: (RECALC, CHECK), B: (RECALC, CHECK, MERGE), M: (RECALC, CHECK, GOALS, REBUILD, ROLLOVER)}
"""The commands of today that take each tool's workbooks (new ones join through the CLI's registry)."""

Code = int | frozenset[int]
WORKBOOK = "x.xlsx"
"""The name every case gives its workbook (owner files and outputs are named after it)."""

BOMB_SIZE = 3 * GIB
"""What a bomb inflates to: far beyond memory a recalculation may use (the tests allow 1 GiB)."""

CONTROL = "Firma\x01\x02\x07\x08\x0b\x0c\x1b[31mRØD\x1b[0m\x1f\x7f ApS"
"""Control characters as a paste from another program brings them (ESC colours a terminal)."""
LONG = ("Lang tekst fra et andet system " * 1100)[:32_767]
"""As long as Excel lets a cell be."""
PAYLOADS: tuple[str, ...] = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil","klik")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
)
"""Text that a spreadsheet, or a spreadsheet opening a CSV export, would run as a formula."""
PHONE = "+45 12 34 56 78"
"""Looks like a formula, is a valid Danish phone number: the phone column keeps its own rule."""


# -- the workbooks every case starts from ------------------------------------------------------------


def _cvr(first_seven: str) -> str:
    """A CVR number that passes the modulus-11 check (first seven digits given, check digit found)."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(first_seven, weights, strict=True))
    for last in range(10):
        if (total + last) % 11 == 0:
            return first_seven + str(last)
    return _cvr(str(int(first_seven) + 1))


ROWS: tuple[dict[str, object], ...] = (
    {
        "dato": date(2025, 12, 1),
        "virksomhed": "Bager Hansen ApS",
        "cvr": _cvr("1234567"),
        "adresse": "Torvet 1, 8000 Aarhus C",
        "telefon": PHONE,
        "mail": "kontakt@bagerhansen.dk",
        "kontaktperson": "Lise Holm",
        "virksomhedstype": "Hoteller og restauranter",
        "resultat": "Ordinær åbning",
        "jobfunktion": "Hjælpekok",
        "pladser": 3,
        "besatte": 1,
        "ansvarlig": "KB",
    },
    {
        "dato": date(2025, 12, 8),
        "virksomhed": "Byg & Co",
        "adresse": "Havnen 4",
        "telefon": "87 65 43 21",
        "kontaktperson": "Per Sørensen",
        "virksomhedstype": "Bygge og anlæg",
        "resultat": "Praktikplads",
        "jobfunktion": "Håndværk og byggeri",
        "pladser": 2,
        "besatte": 0,
        "ansvarlig": "LM",
    },
    {
        "dato": date(2025, 12, 15),
        "virksomhed": "Rent Hus",
        "virksomhedstype": "Rejsebureauer, rengøring og anden operationel service",
        "resultat": "Ingen åbning",
        "jobfunktion": "Rengøring",
        "pladser": 0,
        "besatte": 0,
    },
)
"""Brancheredskab rows with every column used somewhere (row 3 in the sheet is the first)."""
FIRST_ROW = 3


def build_sources(folder: Path) -> Sources:
    """Build each tool's workbook with the real builders (a few seconds; once per test session)."""
    from xltools.capacity import workbook as capacity
    from xltools.goals import workbook as goals
    from xltools.goals.setup import Employee, Indicator, Setup
    from xltools.industry import workbook as industry
    from xltools.industry.rows import validate_rows
    from xltools.workbook.build import TEMPLATE_DATE

    folder.mkdir(parents=True, exist_ok=True)
    capacity.build(folder / f"{R}.xlsx", TEMPLATE_DATE)
    rows = validate_rows([dict(row) for row in ROWS], dict(industry.DEFAULT_LISTS), TEMPLATE_DATE)
    industry.build(folder / f"{B}.xlsx", TEMPLATE_DATE, rows)
    setup = Setup(
        2026,
        (Employee("E1", "Anne Hansen"), Employee("E2", "Bo Jensen")),
        (
            Indicator("I01", "Afholdt", "Jobsamtaler", "antal", 120.0),
            Indicator("I02", "Afholdt", "Undervisning", "timer", 40.0),
            Indicator("I03", "Salg", "Kanvas", "antal", None),
        ),
    )
    registrations = {("r", 1, "I01", 0): 3.0, ("r", 2, "I03", 1): 5.0, ("m", 1, "I01", 0): 2.0}
    goals.build(folder / f"{M}.xlsx", TEMPLATE_DATE, setup, registrations, remarks={1: "Første uge"})
    return Sources(folder)


@dataclass(frozen=True)
class Sources:
    """The freshly built workbooks: Ressourceberegner (the template), Brancheredskab (``ROWS``) and a
    compact Målstyring for 2026 (two employees, three indicators, two with an Årsmål, a remark)."""

    folder: Path

    def path(self, tool: str) -> Path:
        return self.folder / f"{tool}.xlsx"

    def package(self, tool: str) -> Package:
        return Package.read(self.path(tool))


# -- cases ---------------------------------------------------------------------------------------------------

Make = Callable[[Path, Sources], list[Path]]


@dataclass(frozen=True)
class Case:
    name: str
    tool: str | None
    """The tool whose commands apply (None: every command that takes a workbook)."""
    make: Make
    """Writes the case into a folder; returns the path(s) to hand the command."""
    expect: Mapping[str, Code]
    """Exit code(s) by command name, role (writes / creates / reads) or "*"."""
    source: str | None = None
    """The tool whose freshly built workbook the case derives from."""
    heavy: bool = False
    """Run in a child process: memory, time or a hang is the point."""
    seconds: float = 10.0
    """The longest a command may take on the case."""
    skip: frozenset[str] = frozenset()
    """Commands the case says nothing about (they do not read what the case breaks)."""
    forced: Mapping[str, Code] = field(default_factory=dict)
    """Exit codes with ``--force`` (for writing commands), where it changes them."""
    texts: tuple[str, ...] = ()
    """User texts that must stay inert text in any workbook a command writes."""
    carried_by: frozenset[str] = frozenset()
    """Commands whose written workbook must show ``texts`` (they copy them)."""
    problems: int = 1
    """At least this many stderr lines when the command fails (one per problem)."""
    after: Callable[[Run], None] | None = None
    """Extra checks once a command ran."""
    note: str = ""

    def expected(self, command: Command, forced: bool = False) -> Code | None:
        table = self.forced if forced else self.expect
        for key in (command.name, command.role, "*"):
            if key in table:
                return table[key]
        return None

    def applies(self, command: Command) -> bool:
        return command.takes(self.tool) and command.name not in self.skip and self.expected(command) is not None

    @property
    def long_values(self) -> tuple[str, ...]:
        return tuple(text for text in self.texts if len(text) > 300)


@dataclass
class Run:
    """One command on one case, for a case's extra checks."""

    case: Case
    command: Command
    folder: Path
    inputs: list[Path]
    code: int
    written: list[Path]
    """Workbooks the command wrote (its input rewritten, or its new file)."""
    before: dict[str, bytes]
    """Input bytes before the run, by path."""


def _codes(code: Code, **commands: Code) -> dict[str, Code]:
    """``code`` for every command, except those given (names with _ for space and -: recalc__check)."""
    table: dict[str, Code] = {"*": code}
    for name, value in commands.items():
        table[name.replace("__", " --")] = value
    return table


def _save(
    package: Package, folder: Path, bodies: Mapping[str, Body] | None = None, extra: Sequence[Entry] = ()
) -> list[Path]:
    return [package.save(folder / WORKBOOK, dict(bodies or {}), extra)]


def _stale(package: Package, tool: str) -> Package:
    """Make the cached values out of date, so that recalc must write (and reads chart parts)."""
    if tool == R:
        package.set_number(*package.name_target("Borgere"), 331)
    elif tool == B:
        package.set_cached(*package.name_target("StatMaaneder"), 99)
    else:
        package.set_cached(*package.name_target("Indikatorer"), 99)
    return package


def _root_start_end(xml: bytes) -> int:
    """Index just past the root element's start tag."""
    position = 0
    while True:
        position = xml.index(b"<", position)
        if xml[position + 1 : position + 2] not in (b"?", b"!"):
            break
        position += 1
    quote = None
    for index in range(position, len(xml)):
        char = xml[index : index + 1]
        if quote:
            quote = None if char == quote else quote
        elif char in (b'"', b"'"):
            quote = char
        elif char == b">":
            return index + 1
    raise ValueError("no root element")


LAUGHS = b"".join(
    [b'<!ENTITY lol "lol">']
    + [b'<!ENTITY lol%d "%s">' % (n, (b"&lol%s;" % (str(n - 1).encode() if n > 1 else b"")) * 10) for n in range(1, 10)]
)
EXTERNAL = b'<!ENTITY xxe SYSTEM "file:///etc/passwd">'


def with_doctype(xml: bytes, kind: str) -> bytes:
    """The part with a DOCTYPE declaring entities, and a reference to them inside its root element:
    ``laughs`` (nine nested levels of ten: a billion "lol"s) or ``external`` (/etc/passwd)."""
    start = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    end = _root_start_end(xml)
    root = re.match(rb"<([\w:.-]+)", xml[xml.index(b"<", start) :])
    assert root
    entities, reference = (LAUGHS, b"&lol9;") if kind == "laughs" else (EXTERNAL, b"&xxe;")
    doctype = b"\n<!DOCTYPE " + root.group(1) + b" [" + entities + b"]>"
    return xml[:start] + doctype + xml[start:end] + reference + xml[end:]


def _xml_bomb(xml: bytes, size: int = BOMB_SIZE) -> Body:
    """The part, with ``size`` bytes of whitespace inside its root element: still well-formed XML."""
    end = _root_start_end(xml)
    return ooxml.bomb(xml[:end], size, xml[end:])


def _part(package: Package, part: str) -> str:
    """A member by a short label: "sheet:" and a sheet's name, or the member's own name."""
    return package.sheet_member(part.removeprefix("sheet:")) if part.startswith("sheet:") else part


# -- 1. files that are not workbooks ------------------------------------------------------------------


def _bytes_case(name: str, data: Callable[[Sources], bytes], source: str | None = None, note: str = "") -> Case:
    def make(folder: Path, sources: Sources) -> list[Path]:
        path = folder / WORKBOOK
        path.write_bytes(data(sources))
        return [path]

    return Case(name, None, make, _codes(3), source=source, note=note)


def _truncated(fraction_or_offset: float | str) -> Callable[[Sources], bytes]:
    def data(sources: Sources) -> bytes:
        whole = sources.path(B).read_bytes()
        end_record = whole.rindex(b"PK\x05\x06")
        central = int.from_bytes(whole[end_record + 16 : end_record + 20], "little")
        cut = {
            "signature": 2,
            "header": 20,
            "central": central,
            "end": len(whole) - 8,
        }.get(str(fraction_or_offset))
        if cut is None:
            cut = int(len(whole) * float(fraction_or_offset))
        return whole[:cut]

    return data


def _ole(streams: Sequence[str]) -> bytes:
    """An OLE compound file as .xls files and password-protected OOXML files are: the header and a
    directory sector naming the streams (enough for any reader to know what it is)."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")
    header[0x20:0x22] = (6).to_bytes(2, "little")
    header[0x2C:0x30] = (1).to_bytes(4, "little")
    header[0x30:0x34] = (1).to_bytes(4, "little")
    header[0x38:0x3C] = (4096).to_bytes(4, "little")
    header[0x3C:0x40] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x44:0x48] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x4C:0x50] = (0).to_bytes(4, "little")
    header[0x50:0x200] = b"\xff" * (0x200 - 0x50)
    fat = bytearray(b"\xff" * 512)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    directory = bytearray()
    for index, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0 : len(encoded)] = encoded
        entry[0x40:0x42] = len(encoded).to_bytes(2, "little")
        entry[0x42] = 5 if index == 0 else 2
        entry[0x43] = 1
        entry[0x44:0x50] = b"\xff" * 12
        entry[0x74:0x78] = (0xFFFFFFFE).to_bytes(4, "little")
        directory += entry
    directory += b"\0" * (-len(directory) % 512)
    return bytes(header + fat + directory + b"\0" * 1024)


def _xlsb(sources: Sources) -> bytes:
    """The Ressourceberegner as an .xlsb would carry it: the same package, binary parts (.bin)."""
    package = sources.package(R)
    binary = b"\x83\x01\x00\x80\x01\x00\x99\x01\x04\x00\x00\x00\x00\x84\x01\x00"
    for name in list(package.members):
        if name.startswith("xl/") and name.endswith(".xml"):
            package.members[name.removesuffix(".xml") + ".bin"] = binary + name.encode()
            package.delete(name)
    for name in list(package.members):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            data = package.data(name).replace(b".xml.rels", b".bin.rels")
            data = re.sub(rb'(Target|PartName)="(/?xl/[^"]*?)\.xml"', rb'\1="\2.bin"', data)
            data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.binary.macroEnabled.main")
            package.delete(name)
            package.members[name.replace(".xml.rels", ".bin.rels")] = data
    with tempfile.TemporaryDirectory() as scratch:
        return package.save(Path(scratch) / "x.xlsb").read_bytes()


def not_workbooks() -> list[Case]:
    csv = (
        "Dato;Virksomhedens navn;CVR-nummer;Virksomhedstype;Resultat af kontakt;Jobfunktion;Antal pladser\n"
        "01-12-2025;Bager Hansen ApS;12345674;Hoteller og restauranter;Ordinær åbning;Hjælpekok;3\n"
    )
    cases = [
        _bytes_case("not_a_zip", lambda s: b"Dette er ikke et regneark, men en tekst.\n" * 40),
        _bytes_case("empty_file", lambda s: b""),
        _bytes_case("csv_renamed_xlsx", lambda s: b"\xef\xbb\xbf" + csv.encode()),
        _bytes_case("xls_ole", lambda s: _ole(["Workbook", "\x05SummaryInformation"]), note="Excel 97-2003"),
        _bytes_case(
            "encrypted_ooxml",
            lambda s: _ole(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]),
            note="a password-protected .xlsx is an OLE container, not a zip",
        ),
        _bytes_case(
            "xlsb_package", _xlsb, R, note="xl/workbook.bin; its custom properties still say ressourceberegner"
        ),
    ]
    for cut in ("signature", "header", 0.33, 0.66, "central", "end"):
        label = cut if isinstance(cut, str) else f"{int(cut * 100)}pct"
        cases.append(_bytes_case(f"truncated_{label}", _truncated(cut), B))
    return cases


# -- 2. zip bombs ---------------------------------------------------------------------------------------------


def _bomb_case(
    name: str,
    tool: str,
    part: str,
    expect: Mapping[str, Code],
    stale: bool = False,
    after: Callable[[Run], None] | None = None,
    note: str = "",
) -> Case:
    def make(folder: Path, sources: Sources) -> list[Path]:
        package = _stale(sources.package(tool), tool) if stale else sources.package(tool)
        member = _part(package, part)
        if member in package.members:
            return _save(package, folder, {member: _xml_bomb(package.data(member))})
        package.add_member(member, b"", ("png", "image/png"))
        return _save(package, folder, {member: ooxml.bomb(b"\x89PNG\r\n\x1a\n", BOMB_SIZE, filler=b"\0")})

    return Case(name, tool, make, expect, source=tool, heavy=True, after=after, note=note)


def _lying(declared_gb: bool) -> Make:
    def make(folder: Path, sources: Sources) -> list[Path]:
        package = sources.package(R)
        member = package.sheet_member("Ressourceberegner")
        real = package.data(member)
        if declared_gb:  # the real data, declared as 5 GiB (zip64)
            entry = Entry(member, ooxml.deflated(real), declared_size=5 * GIB)
        else:  # declared as the real part (size and CRC), inflates to 3 GiB
            entry = Entry(member, _xml_bomb(real), declared_size=len(real), declared_crc=ooxml.zlib.crc32(real))
        entries = [entry if e.name == member else e for e in package.entries()]
        return [ooxml.write_zip(folder / WORKBOOK, entries)]

    return make


def bombs() -> list[Case]:
    three = _codes(3)
    cases = [
        _bomb_case("bomb_sheet_R", R, "sheet:Ressourceberegner", three),
        _bomb_case("bomb_sheet_B", B, "sheet:Registrering", three),
        _bomb_case("bomb_sheet_M", M, "sheet:Opsætning", three),
        _bomb_case("bomb_shared_strings_R", R, "xl/sharedStrings.xml", three),
        _bomb_case("bomb_shared_strings_B", B, "xl/sharedStrings.xml", three),
        _bomb_case("bomb_workbook_xml_R", R, "xl/workbook.xml", three),
        _bomb_case(
            "bomb_chart_R",
            R,
            "xl/charts/chart1.xml",
            _codes(3, recalc__check=frozenset({1, 3})),
            stale=True,
            note="stale, so recalc must refresh the chart's cache; --check need not read charts",
        ),
        _bomb_case("bomb_custom_properties_R", R, "docProps/custom.xml", three),
    ]
    cases.append(
        _bomb_case(
            "bomb_unread_member_R",
            R,
            "xl/media/image1.png",
            three,
            note="no command reads an image, but a member of 3 GiB is beyond every real workbook: refused at once",
        )
    )
    cases.append(
        Case("bomb_size_lies_R", R, _lying(False), three, R, heavy=True, note="declared 16 kB, inflates to 3 GiB")
    )
    cases.append(
        Case("bomb_declares_5gb_R", R, _lying(True), three, R, heavy=True, note="zip64 size of 5 GiB, real data small")
    )
    return cases


# -- 3. entities in every XML part xltools reads --------------------------------------------------------------

PACKAGE_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/custom.xml",
    "xl/sharedStrings.xml",
)
"""Parts every command reads (to open a package and know which tool's workbook it is)."""

ENTITY_PARTS: dict[str, tuple[tuple[str, frozenset[str], bool], ...]] = {
    R: (("sheet:Ressourceberegner", frozenset(), False), ("xl/charts/chart1.xml", frozenset(), True)),
    B: (
        ("sheet:Registrering", frozenset(), False),
        ("sheet:Overblik", frozenset({MERGE}), False),
        ("sheet:Statistik", frozenset({MERGE}), False),
        ("sheet:Lister", frozenset(), False),
        ("xl/tables/table1.xml", frozenset(), False),
        ("xl/charts/chart1.xml", frozenset({MERGE}), True),
    ),
    M: (
        ("sheet:Forside", frozenset({ROLLOVER}), False),
        ("sheet:Opsætning", frozenset(), False),
        ("sheet:Uge 1", frozenset({ROLLOVER}), False),
        ("sheet:Arkiv", frozenset({ROLLOVER}), False),
        ("sheet:Data", frozenset({REBUILD, ROLLOVER}), False),
        ("xl/charts/chart1.xml", frozenset({REBUILD, ROLLOVER}), True),
    ),
}
"""Per tool: (part, commands that do not read it, whether the file must be stale for it to be read)."""


def _label(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", part.removeprefix("sheet:").replace("ø", "oe").replace("æ", "ae")).strip("_")


def _entity_case(tool: str, part: str, kind: str, skip: frozenset[str], stale: bool) -> Case:
    def make(folder: Path, sources: Sources) -> list[Path]:
        package = _stale(sources.package(tool), tool) if stale else sources.package(tool)
        member = _part(package, part)
        package.set(member, with_doctype(package.data(member), kind))
        return _save(package, folder)

    expect = _codes(3, recalc__check=frozenset({1, 3})) if stale else _codes(3)
    return Case(f"entity_{kind}_{tool[0].upper()}_{_label(part)}", tool, make, expect, source=tool, skip=skip)


def entities() -> list[Case]:
    cases = []
    for tool in (R, B, M):
        parts = [(part, frozenset(), False) for part in PACKAGE_PARTS] + list(ENTITY_PARTS[tool])
        for part, skip, stale in parts:
            for kind in ("laughs", "external"):
                cases.append(_entity_case(tool, part, kind, skip, stale))
    return cases


# -- 4. member names: escaping the package, or twice --------------------------------------------------------


def _traversal(tool: str) -> Make:
    def make(folder: Path, sources: Sources) -> list[Path]:
        inner = folder / "a" / "b"
        inner.mkdir(parents=True)
        evil = [
            Entry(name, ooxml.deflated(b"ond\n")) for name in ("../../evil.txt", "/abs.txt", "xl/../../../evil2.txt")
        ]
        return [sources.package(tool).save(inner / WORKBOOK, extra=evil)]

    return make


def _nothing_escaped(run: Run) -> None:
    assert not (run.folder / "evil.txt").exists() and not (run.folder / "a" / "evil.txt").exists()
    assert not Path("/abs.txt").exists()


def _duplicate(tool: str) -> Make:
    """Two xl/workbook.xml: the second one's first input name points at another cell."""

    def make(folder: Path, sources: Sources) -> list[Path]:
        package = sources.package(tool)
        original = package.data("xl/workbook.xml")
        name = {R: "Borgere", B: "Opgoerelsesdato", M: "Aar"}[tool]
        package.tree("xl/workbook.xml")
        element = package.defined_name(name)
        assert element is not None and element.text
        element.text = re.sub(r"\$(\d+)$", lambda m: f"${int(m.group(1)) + 1}", element.text)
        second = package.data("xl/workbook.xml")
        package.set("xl/workbook.xml", original)
        return _save(package, folder, extra=[Entry("xl/workbook.xml", ooxml.deflated(second))])

    return make


def package_names() -> list[Case]:
    cases = []
    for tool in (R, B, M):
        cases.append(
            Case(f"member_escapes_{tool[0].upper()}", tool, _traversal(tool), _codes(3), tool, after=_nothing_escaped)
        )
        cases.append(Case(f"member_twice_{tool[0].upper()}", tool, _duplicate(tool), _codes(3), tool))
    return cases


# -- 5. renamed and deleted sheets, names and tables ---------------------------------------------------------


def _edit(tool: str, edit: Callable[[Package], object]) -> Make:
    def make(folder: Path, sources: Sources) -> list[Path]:
        package = sources.package(tool)
        edit(package)
        return _save(package, folder)

    return make


def _rename_table(package: Package) -> None:
    table = package.tree("xl/tables/table1.xml")
    table.set("name", "Kontakter2")
    table.set("displayName", "Kontakter2")
    package.replace_bytes(b"Kontakter[", b"Kontakter2[")


def structure() -> list[Case]:
    return [
        Case("name_deleted_R_Borgere", R, _edit(R, lambda p: p.delete_defined_name("Borgere")), _codes(3), R),
        Case(
            "name_renamed_R_Borgere",
            R,
            _edit(R, lambda p: p.rename_defined_name("Borgere", "Borgere2")),
            _codes(3),
            R,
            note="formulas follow the new name, as in Excel's Name Manager; xltools reads by name",
        ),
        Case(
            "sheet_renamed_R",
            R,
            _edit(R, lambda p: p.rename_sheet("Ressourceberegner", "Beregner 2026")),
            _codes(0),
            R,
            note="names and charts follow the new sheet name; reading by name still works",
        ),
        Case(
            "sheet_deleted_B_Statistik",
            B,
            _edit(B, lambda p: p.delete_sheet("Statistik")),
            _codes(3, merge=0),
            B,
            note="merge reads only the table and the lists",
        ),
        Case("table_renamed_B_Kontakter", B, _edit(B, _rename_table), _codes(3), B),
        Case(
            "name_deleted_B_Opgoerelsesdato",
            B,
            _edit(B, lambda p: p.delete_defined_name("Opgoerelsesdato")),
            _codes(3),
            B,
            skip=frozenset({MERGE}),
        ),
        Case(
            "week_deleted_M",
            M,
            _edit(M, lambda p: p.delete_sheet("Uge 5")),
            _codes(2, rollover=0),
            M,
            note="rollover reads only Opsætning",
        ),
        Case(
            "week_renamed_M",
            M,
            _edit(M, lambda p: p.rename_sheet("Uge 5", "Uge 5 ferie")),
            _codes(2, rollover=0),
            M,
        ),
        Case("name_deleted_M_Aar", M, _edit(M, lambda p: p.delete_defined_name("Aar")), _codes(3), M),
    ]


# -- 6. ranges over whole columns -----------------------------------------------------------------------------


def _whole_chart(package: Package) -> None:
    _stale(package, B)
    chart = package.data("xl/charts/chart1.xml")
    chart = chart.replace(b"[0]!DiagramAabneBrancher<", b"Statistik!$A:$A<")
    chart = chart.replace(b"[0]!DiagramAabne<", b"Statistik!$B$1:$B$1048576<")
    package.set("xl/charts/chart1.xml", chart)


def _whole_table(package: Package) -> None:
    package.replace_bytes(b'ref="A2:R5"', b'ref="A2:R1048576"', ["xl/tables/table1.xml"])


def whole_columns() -> list[Case]:
    return [
        Case(
            "whole_column_chart_B",
            B,
            _edit(B, _whole_chart),
            _codes(3, recalc__check=frozenset({1, 3})),
            B,
            heavy=True,
            skip=frozenset({MERGE}),
            note="a chart series over Statistik!$A:$A and $B$1:$B$1048576: over the points a chart may have (3)",
        ),
        Case(
            "whole_column_table_B",
            B,
            _edit(B, _whole_table),
            _codes(3),
            B,
            heavy=True,
            note="the table Kontakter over A2:R1048576: over the table-row limit, refused at once (3)",
        ),
        Case(
            "whole_column_name_R",
            R,
            _edit(R, lambda p: setattr(p.defined_name("Borgere"), "text", "Ressourceberegner!$B:$B")),
            _codes(3),
            R,
            note="an input's name over a whole column is no longer one input cell",
        ),
    ]


# -- 7. what users type: control characters, 32,767 characters, formula payloads ----------------------------


def _typed(tool: str, edit: Callable[[Package], object]) -> Make:
    return _edit(tool, edit)


def _column(package: Package, header: str) -> str:
    return ooxml.split_ref(package.find_one("Registrering", header))[0]


def _type_row(columns: Sequence[str], text: str, row: int = FIRST_ROW) -> Callable[[Package], None]:
    def edit(package: Package) -> None:
        for header in columns:
            package.set_text("Registrering", f"{_column(package, header)}{row}", text)

    return edit


FREE_TEXT = ("Virksomhedens navn", "Adresse", "Kontaktperson", "Ansvarlig")


def _add_to_list(text: str, use_in_row: bool) -> Callable[[Package], None]:
    """Add ``text`` below the Jobfunktion list on Lister (and use it in the first row)."""

    def edit(package: Package) -> None:
        letters = ooxml.split_ref(package.find_one("Lister", "Jobfunktion"))[0]
        row = 2
        while package.value("Lister", f"{letters}{row}") not in (None, ""):
            row += 1
        package.set_text("Lister", f"{letters}{row}", text)
        if use_in_row:
            _type_row(("Jobfunktion",), text)(package)

    return edit


def _type_inputs(text: str) -> Callable[[Package], None]:
    def edit(package: Package) -> None:
        for name in ("Scenarie", "Borgere"):
            package.set_text(*package.name_target(name), text)

    return edit


def _type_employee(text: str) -> Callable[[Package], None]:
    return lambda package: package.set_text("Opsætning", package.find_one("Opsætning", "Anne Hansen"), text)


def _type_indicator(text: str) -> Callable[[Package], None]:
    def edit(package: Package) -> None:
        package.set_text("Opsætning", package.find_one("Opsætning", "Jobsamtaler"), text)
        for ref in package.find("Opsætning", "Afholdt"):  # the whole section, so the layout keeps its shape
            package.set_text("Opsætning", ref, text)

    return edit


def _type_remark(text: str) -> Callable[[Package], None]:
    return lambda package: package.set_text("Uge 1", package.find_one("Uge 1", "Første uge"), text)


ACCEPTED_TEXT = {
    R: _codes(2),
    B: _codes(0, recalc__check=frozenset({0, 1})),
    M: _codes(0, recalc__check=frozenset({0, 1})),
}


def _text_cases(label: str, text: str) -> list[Case]:
    """The text in every place a user types: accepted when plain (control characters, long), refused
    where it could run as a formula, copied as text where a command copies it."""
    formula = text in PAYLOADS
    texts = (text,)
    refused = _codes(2)
    b_accepted, m_accepted = ACCEPTED_TEXT[B], ACCEPTED_TEXT[M]
    cases = [
        Case(f"{label}_R_inputs", R, _typed(R, _type_inputs(text)), _codes(2), R, texts=texts, problems=2),
        Case(
            f"{label}_B_free_text",
            B,
            _typed(B, _type_row(FREE_TEXT, text)),
            refused if formula else b_accepted,
            B,
            texts=texts,
            carried_by=frozenset() if formula else frozenset({MERGE}),
            problems=len(FREE_TEXT),
        ),
        Case(
            f"{label}_B_list_column",
            B,
            _typed(B, _type_row(("Jobfunktion",), text) if formula else _add_to_list(text, use_in_row=True)),
            refused if formula else b_accepted,
            B,
            texts=texts,
            carried_by=frozenset() if formula else frozenset({MERGE}),
        ),
        Case(
            f"{label}_M_employee",
            M,
            _typed(M, _type_employee(text)),
            refused if formula else m_accepted,
            M,
            texts=texts,
            carried_by=frozenset() if formula else frozenset({REBUILD, ROLLOVER}),
        ),
        Case(
            f"{label}_M_indicator",
            M,
            _typed(M, _type_indicator(text)),
            refused if formula else m_accepted,
            M,
            texts=texts,
            carried_by=frozenset() if formula else frozenset({REBUILD, ROLLOVER}),
        ),
        Case(
            f"{label}_M_remark",
            M,
            _typed(M, _type_remark(text)),
            _codes(0),
            M,
            skip=frozenset({ROLLOVER}),
            texts=texts,
            carried_by=frozenset({REBUILD}),
            note="a remark is a note: kept, and copied by rebuild as text",
        ),
    ]
    if formula:
        cases.append(
            Case(f"{label}_B_lister", B, _typed(B, _add_to_list(text, use_in_row=False)), refused, B, texts=texts)
        )
    return cases


def user_text() -> list[Case]:
    cases = _text_cases("control", CONTROL) + _text_cases("long", LONG)
    for index, payload in enumerate(PAYLOADS, start=1):
        cases += _text_cases(f"formula{index}", payload)
    looks_like_formula = ("Firma =1+1 A/S", "Vej 1 - 3", "KB @ Aarhus")
    cases.append(
        Case(
            "formula_inside_B",
            B,
            _typed(B, lambda p: [_type_row((h,), t)(p) for h, t in zip(FREE_TEXT, looks_like_formula, strict=False)]),
            ACCEPTED_TEXT[B],
            B,
            texts=(*looks_like_formula, PHONE),
            carried_by=frozenset({MERGE}),
            note="=, -, @ inside a text, and a phone number starting with +45, are fine and stay text",
        )
    )
    names = ("Bo -2+3 Jensen", "Samtaler @ virksomheder")

    def rename(package: Package) -> None:
        package.set_text("Opsætning", package.find_one("Opsætning", "Bo Jensen"), names[0])
        package.set_text("Opsætning", package.find_one("Opsætning", "Kanvas"), names[1])

    cases.append(
        Case(
            "formula_inside_M",
            M,
            _typed(M, rename),
            ACCEPTED_TEXT[M],
            M,
            texts=names,
            carried_by=frozenset({REBUILD, ROLLOVER}),
        )
    )
    return cases


# -- 8. the file system -------------------------------------------------------------------------------------


def _file_case(
    name: str,
    tool: str,
    arrange: Callable[[Path, Path], Path],
    expect: Mapping[str, Code],
    forced: Mapping[str, Code] | None = None,
    after: Callable[[Run], None] | None = None,
    note: str = "",
) -> Case:
    """A stale workbook (so a write is due) placed by ``arrange(folder, workbook) -> path to hand over``."""

    def make(folder: Path, sources: Sources) -> list[Path]:
        workbook = _stale(sources.package(tool), tool).save(folder / WORKBOOK)
        return [arrange(folder, workbook)]

    return Case(name, tool, make, expect, source=tool, forced=forced or {}, after=after, note=note)


def _symlink(folder: Path, workbook: Path) -> Path:
    (folder / "echt").mkdir()
    target = folder / "echt" / WORKBOOK
    workbook.rename(target)
    link = folder / WORKBOOK
    link.symlink_to(Path("echt") / WORKBOOK)
    return link


def _still_linked(run: Run) -> None:
    link = run.inputs[0]
    assert link.is_symlink() and os.readlink(link) == str(Path("echt") / WORKBOOK), "the link was replaced"
    target = run.folder / "echt" / WORKBOOK
    if run.command.writes and run.code == 0:
        assert target.read_bytes() != run.before[str(link)], "the write did not reach the link's target"


def _hard_link(folder: Path, workbook: Path) -> Path:
    os.link(workbook, folder / "kopi.xlsx")
    return workbook


def _read_only(folder: Path, workbook: Path) -> Path:
    workbook.chmod(0o444)
    return workbook


def _mode_kept(run: Run) -> None:
    assert stat.S_IMODE(run.inputs[0].stat().st_mode) == 0o444, "the read-only mode was not kept"


def _owner(name: str) -> Callable[[Path, Path], Path]:
    content = {
        "excel": b"\x0bKirsten Bach" + b" " * 43 + b"\x0bKirsten Bach" + b"\0" * 40,
        "libreoffice": b"Kirsten Bach,jc-pc-17,jc-pc-17,23.11.2026 08:14,file:///C:/Users/kb/AppData/LibreOffice/4;",
    }

    def arrange(folder: Path, workbook: Path) -> Path:
        owner = f"~${workbook.name}" if name == "excel" else f".~lock.{workbook.name}#"
        (folder / owner).write_bytes(content[name])
        return workbook

    return arrange


def _fifo(folder: Path, sources: Sources) -> list[Path]:
    path = folder / WORKBOOK
    os.mkfifo(path)
    return [path]


def _directory(folder: Path, sources: Sources) -> list[Path]:
    path = folder / WORKBOOK
    path.mkdir()
    return [path]


def _missing(folder: Path, sources: Sources) -> list[Path]:
    return [folder / WORKBOOK]


def file_system() -> list[Case]:
    cases = []
    for tool in (R, B, M):
        letter = tool[0].upper()
        refused = _codes(0, writes=5, recalc__check=1)  # stale, so --check says so (and writes nothing)
        cases += [
            _file_case(
                f"symlink_{letter}",
                tool,
                _symlink,
                _codes(0, recalc__check=1),
                after=_still_linked,
                note="a write goes through the link: the link stays, its target is updated",
            ),
            _file_case(f"hard_link_{letter}", tool, _hard_link, refused, _codes(0)),
            _file_case(f"read_only_{letter}", tool, _read_only, refused, _codes(0), after=_mode_kept),
            _file_case(f"owner_excel_{letter}", tool, _owner("excel"), refused, _codes(0)),
            _file_case(f"owner_libreoffice_{letter}", tool, _owner("libreoffice"), refused, _codes(0)),
        ]
    cases += [
        # a blocked open would hang until the harness kills it; 3 s leaves room for start-up on a busy machine
        Case("fifo_named_xlsx", None, _fifo, _codes(3), heavy=True, seconds=3.0, note="must not block on open"),
        Case(
            "directory_named_xlsx",
            None,
            _directory,
            _codes(3, recalc=frozenset({0, 3}), recalc__check=frozenset({0, 3})),
            note="recalc takes folders: an empty one may be fine",
        ),
        Case("missing_file", None, _missing, _codes(3)),
    ]
    return cases


CASES: tuple[Case, ...] = tuple(
    not_workbooks()
    + bombs()
    + entities()
    + package_names()
    + structure()
    + whole_columns()
    + user_text()
    + file_system()
)
BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"


def main(argv: Sequence[str]) -> int:
    """Write the whole corpus into a folder (one sub-folder per case), to try it on a real CLI."""
    if len(argv) != 1:
        print("brug: python -m tests.hostile.corpus MAPPE", file=sys.stderr)
        return 64
    root = Path(argv[0])
    sources = build_sources(root / "_kilder")
    for case in CASES:
        folder = root / case.name
        folder.mkdir(parents=True, exist_ok=True)
        paths = case.make(folder, sources)
        print(f"{case.name}: {', '.join(str(p) for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
