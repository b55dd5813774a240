"""The ``.xlam`` file: a macro workbook from XlsxWriter, re-packed as an add-in with a ribbon.

XlsxWriter writes the workbook, its settings sheet and the VBA project, but always as a macro-enabled
*workbook* and without a ribbon. The re-pack changes the workbook's content type to the add-in's,
adds ``customUI/customUI14.xml`` with its package relationship, and writes every zip member with
fixed time stamps and attributes in a fixed order, so the same inputs give the same bytes on any
machine with the same zlib.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import xlsxwriter

WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
"""The relationship of the Office 2010 ribbon part ([MS-OI29500]: "CustomUI2")."""
RIBBON_RELATIONSHIP_ID = "rIdXltoolsRibbon"

_CREATED = datetime(2000, 1, 1, tzinfo=UTC)
"""XlsxWriter would stamp now() into docProps/core.xml."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def xlam(
    vba_project: bytes,
    ribbon: bytes,
    sheet: str,
    settings: Sequence[tuple[str, str]],
    properties: Mapping[str, str],
) -> bytes:
    """The add-in's bytes: one sheet named ``sheet`` holding ``settings`` in columns A:B, the VBA
    project, the ribbon, and ``properties`` as custom document properties."""
    return repack(_workbook(vba_project, sheet, settings, properties), ribbon)


def _workbook(
    vba_project: bytes, sheet: str, settings: Sequence[tuple[str, str]], properties: Mapping[str, str]
) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties({"title": "xltools", "author": "xltools", "created": _CREATED})
    for name, value in properties.items():
        workbook.set_custom_property(name, value)
    worksheet = workbook.add_worksheet(sheet)  # code name Sheet1, a document module of the project
    for row, (key, value) in enumerate(settings):
        worksheet.write_string(row, 0, key)
        worksheet.write_string(row, 1, value)
    workbook.add_vba_project(io.BytesIO(vba_project), is_stream=True)
    workbook.close()
    return out.getvalue()


def repack(workbook: bytes, ribbon: bytes) -> bytes:
    """``workbook`` (an ``.xlsm``'s bytes) as an add-in with ``ribbon`` as its Office 2010 ribbon."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        order = [info.filename for info in source.infolist()]
        parts = {name: source.read(name) for name in order}
    types = parts["[Content_Types].xml"].decode("utf-8")
    if types.count(WORKBOOK_TYPE) != 1:
        raise RuntimeError("XlsxWriter's content types no longer name one macro-enabled workbook part")
    parts["[Content_Types].xml"] = types.replace(WORKBOOK_TYPE, ADDIN_TYPE).encode("utf-8")
    relationships = parts["_rels/.rels"].decode("utf-8")
    if relationships.count("</Relationships>") != 1 or RIBBON_RELATIONSHIP in relationships:
        raise RuntimeError("XlsxWriter's package relationships are not what the re-pack expects")
    ribbon_relationship = (
        f'<Relationship Id="{RIBBON_RELATIONSHIP_ID}" Type="{RIBBON_RELATIONSHIP}" Target="{RIBBON_PART}"/>'
    )
    parts["_rels/.rels"] = relationships.replace("</Relationships>", ribbon_relationship + "</Relationships>").encode(
        "utf-8"
    )
    parts[RIBBON_PART] = ribbon  # an .xml part: the package's Default content type covers it
    order.insert(order.index("_rels/.rels") + 1, RIBBON_PART)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the default differs between Windows and Unix
            info.external_attr = 0
            target.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()
