"""Parsing a workbook's XML parts without trusting them: no DTD, no entities, no network, no huge trees.

OOXML never carries a document type declaration, so one is refused outright: that closes entity
expansion ("billion laughs") and external entities (``file:///etc/passwd``) before any parser sees
them. Every part xltools parses into a tree goes through ``parse``; the byte-level sheet and
shared-string readers call ``refuse_dtd`` on the text before their first element.
"""

from __future__ import annotations

from lxml import etree

from xltools.errors import Unreadable

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)
_DECLARATIONS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def refuse_dtd(text: bytes, where: str) -> None:
    """Refuse XML text that declares a document type or an entity (in UTF-8 or UTF-16)."""
    if any(marker in text for marker in _DECLARATIONS):
        raise Unreadable(f"{where} indeholder en DTD – afvist")


def parse(data: bytes, where: str) -> etree._Element:
    """The root element of an XML part; ``where`` names the part in the message if it is refused."""
    refuse_dtd(data, where)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Unreadable(f"{where} er ikke gyldig XML ({_first_line(str(error))})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise Unreadable(f"{where} indeholder en DTD – afvist")
    return root


def _first_line(text: str) -> str:
    return text.splitlines()[0][:200] if text else "ukendt fejl"
