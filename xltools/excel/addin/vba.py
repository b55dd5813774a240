"""VBA module text → ``vbaProject.bin``, byte for byte the same for the same text.

ms-ovba 0.0.1 writes the binary VBA project from module text, through files in the current folder.
Four things in it are corrected here, because each would break the add-in or its reproducibility:

* **compression**: ms-ovba-compression 1.0.1 caps a copy token's length at ``0xFFFF << (bits + 3)``
  instead of MS-OVBA's ``(0xFFFF >> bits) + 3``, so a long match late in a 4 KiB chunk (repeated lines,
  ``'=====`` banners) overflows into the offset and decompresses to garbage;
* **random fields**: the PROJECT stream's CMG, DPB and GC are encrypted with a random seed; a private
  seeded generator makes them fixed (they still decrypt to "not protected, no password, visible");
* **encoding**: the project declares code page 1252, so the module streams are written here as cp1252
  with CRLF line ends (ms-ovba's ``normalize_file`` uses the locale's encoding and appends to old output);
* **missing parts**: class modules (ms-ovba has none; xlwings needs its ``Dictionary`` class on macOS)
  and a project name other than ``VBAProject``.

The project has no compiled cache (``_VBA_PROJECT`` version 0xFFFF), like the add-ins xlwings ships:
Office compiles it from the source text when it opens the file.
"""

from __future__ import annotations

import contextlib
import random
import struct
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ms_ovba.Views.project_ole_file as project_ole_file
import ms_ovba_crypto.ms_ovba_crypto as ovba_crypto
from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Models.Fields.idSizeField import IdSizeField
from ms_ovba.Models.Fields.libid_reference import LibidReference
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Views.dirStream import DirStream
from ms_ovba.Views.project import Project
from ms_ovba_compression.ms_ovba import MsOvba

CODEPAGE = "cp1252"
"""ms-ovba writes PROJECTCODEPAGE 1252: every module stream is encoded with it."""

PROJECT_ID = "{7E3C2A51-96D4-4B0E-8F1A-5C2D0B9E4A63}"
"""Fixed, never random: it is also the key of the CMG/DPB/GC fields."""

Kind = Literal["standard", "class", "document"]

_CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
_DOCUMENT_BASES = {
    "workbook": "00020819-0000-0000-C000-000000000046",
    "worksheet": "00020820-0000-0000-C000-000000000046",
}
_REFERENCES = (  # (libid, version, path, description, name): the references xlwings' own add-in has
    ("00020430-0000-0000-C000-000000000046", "2.0", r"C:\Windows\System32\stdole2.tlb", "OLE Automation", "stdole"),
    (
        "2DF8D04C-5BFA-101B-BDE5-00AA0044DE52",  # Office: IRibbonControl
        "2.0",
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
        "Microsoft Office 16.0 Object Library",
        "Office",
    ),
)
_PROJECT_NAME_RECORD = 0x0004
_PROCEDURAL, _CLASS_OR_DOCUMENT, _MODULE_END = 0x0021, 0x0022, 0x002B
_WRITE = threading.Lock()
"""ms-ovba works in the current folder and through module globals: one project at a time."""


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, its text as a ``.bas``/``.cls`` file holds it, and its kind."""

    name: str
    text: str
    kind: Kind = "standard"


def document(name: str, host: Literal["workbook", "worksheet"]) -> Module:
    """The code-less document module Excel keeps for the workbook (ThisWorkbook) or a sheet (Sheet1)."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "0{{{_DOCUMENT_BASES[host]}}}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "\n".join(lines), "document")


def stream_text(module: Module) -> str:
    """The exact text of the module's stream: what Office and olevba read back.

    The module's text with every line end made CRLF, and a CRLF after the last line if it had none;
    nothing else changes, except that a standard module without an ``Attribute VB_Name`` first line
    gets one, and a class module loses the ``.cls`` export header (``VERSION 1.0 CLASS`` … ``END``)
    and gains the attributes the VBE stores for it (``VB_Base``, ``VB_TemplateDerived``,
    ``VB_Customizable``).
    """
    text = module.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (text if text.endswith("\n") else text + "\n").split("\n")[:-1]
    if module.kind == "class":
        lines = _class_lines(lines)
    name_line = f'Attribute VB_Name = "{module.name}"'
    if lines and lines[0].startswith("Attribute VB_Name"):
        if lines[0] != name_line:
            raise ValueError(f"module {module.name}: its text says {lines[0]!r}")
    else:
        lines.insert(0, name_line)
    return "".join(line + "\r\n" for line in lines)


def project(modules: Sequence[Module], name: str, seed: int = 0) -> bytes:
    """The ``vbaProject.bin`` holding ``modules`` (in this order), with the Office and stdole references.

    The result depends only on the arguments. Text outside code page 1252 raises
    ``UnicodeEncodeError``, rather than being stored in a form Office would misread.
    """
    _fix_compression()
    vba = VbaProject()
    vba.project_id = PROJECT_ID
    vba.include_projectwm()
    for libid, version, path, description, reference in _REFERENCES:
        registered = ReferenceRegistered(LibidReference(uuid.UUID(libid), version, "0", path, description))
        vba.add_reference(Reference(registered, reference))
    streams = [(_ovba_module(module), stream_text(module).encode(CODEPAGE)) for module in modules]
    with _WRITE, tempfile.TemporaryDirectory(prefix="xltools-vba-") as scratch, contextlib.chdir(scratch):
        for number, (ovba_module, data) in enumerate(streams):
            base = Path(scratch) / f"module{number}"
            base.with_suffix(".new").write_bytes(data)  # what ms-ovba compresses into the stream
            ovba_module.add_file(str(base))
            vba.add_module(ovba_module)
        with _seeded_crypto(seed), _named_project(name):
            project_ole_file.ProjectOleFile.write_file(vba)
        return (Path(scratch) / "vbaProject.bin").read_bytes()


class _ClassModule(StdModule):  # type: ignore[misc]
    """A class module: ``Class=Name`` in the PROJECT stream and MODULETYPE 0x0022 in the dir stream."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.type = "Class"

    def pack(self, endian: str, codepage: str) -> bytes:
        packed: bytes = super().pack(endian, codepage)
        procedural = struct.pack("<HIHI", _PROCEDURAL, 0, _MODULE_END, 0)
        if not packed.endswith(procedural):
            raise RuntimeError("ms-ovba's module record changed; the class module record cannot be written")
        return packed[: -len(procedural)] + struct.pack("<HIHI", _CLASS_OR_DOCUMENT, 0, _MODULE_END, 0)


def _ovba_module(module: Module) -> Any:
    kinds = {"standard": StdModule, "class": _ClassModule, "document": DocModule}
    return kinds[module.kind](module.name)


def _class_lines(lines: list[str]) -> list[str]:
    if lines[0].startswith("VERSION "):
        lines = lines[lines.index("END") + 1 :]
    count = 0
    while count < len(lines) and lines[count].startswith("Attribute VB_"):
        count += 1
    head, body = lines[:count], lines[count:]
    if not any(line.startswith("Attribute VB_Base") for line in head):
        head.insert(1, f"Attribute VB_Base = {_CLASS_BASE}")
    if not any(line.startswith("Attribute VB_TemplateDerived") for line in head):
        exposed = next((i + 1 for i, line in enumerate(head) if line.startswith("Attribute VB_Exposed")), len(head))
        head[exposed:exposed] = ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    return head + body


def _fix_compression() -> None:
    """Give ms-ovba-compression MS-OVBA's copy-token limit (2.4.1.3.19.3); idempotent.

    The class attribute is replaced, not overridden in a subclass: the matcher calls
    ``MsOvba.copytoken_help`` by class name, and ms-ovba creates plain ``MsOvba()`` objects.
    """
    original = MsOvba.copytoken_help
    if getattr(original, "xltools_fixed", False):
        return

    def copytoken_help(difference: int) -> dict[str, int]:
        help_ = dict(original(difference))
        help_["maxLength"] = (0xFFFF >> help_["bitCount"]) + 3
        return help_

    copytoken_help.xltools_fixed = True  # type: ignore[attr-defined]
    MsOvba.copytoken_help = staticmethod(copytoken_help)  # type: ignore[method-assign]


@contextlib.contextmanager
def _seeded_crypto(seed: int) -> Iterator[None]:
    """ms-ovba-crypto draws its seed bytes from the module ``random``; lend it a private generator."""
    shared = ovba_crypto.random  # type: ignore[attr-defined]
    ovba_crypto.random = random.Random(seed)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        ovba_crypto.random = shared  # type: ignore[attr-defined]


@contextlib.contextmanager
def _named_project(name: str) -> Iterator[None]:
    """Write ``name`` where ms-ovba hard-codes "VBAProject": the dir stream's PROJECTNAME and ``Name=``."""
    encoded = name.encode(CODEPAGE)

    class NamedDirStream(DirStream):  # type: ignore[misc]
        def _load_information(self) -> list[Any]:
            records: list[Any] = super()._load_information()
            return [
                IdSizeField(_PROJECT_NAME_RECORD, len(encoded), encoded)
                if getattr(record, "_id", None) == _PROJECT_NAME_RECORD
                else record
                for record in records
            ]

    class NamedProject(Project):  # type: ignore[misc]
        def __str__(self) -> str:
            text: str = super().__str__()
            return text.replace('Name="VBAProject"', f'Name="{name}"', 1)

    views = project_ole_file.DirStream, project_ole_file.Project
    project_ole_file.DirStream, project_ole_file.Project = NamedDirStream, NamedProject
    try:
        yield
    finally:
        project_ole_file.DirStream, project_ole_file.Project = views
