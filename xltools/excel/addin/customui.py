"""The ribbon XML (``customUI14.xml``): the template's empty tab, filled from the ribbon registry.

The template ``macros/customUI14.xml`` holds the frame (namespace, tab); the groups, buttons and
menus come from ``xltools.excel.ribbon``, so a button id exists once, in Python. Every button calls
``OnAction``, the one VBA callback (``macros/XltoolsRibbon.bas``).
"""

from __future__ import annotations

from lxml import etree

from xltools.excel.ribbon import RIBBON, Button, Menu

NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
"""Office 2010's ribbon schema: the part ``customUI/customUI14.xml``."""
CALLBACK = "OnAction"


def render(template: bytes) -> bytes:
    """The ribbon XML: ``template`` with its single, empty ``tab`` given the registry's groups."""
    root = etree.fromstring(template, etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True))
    if root.tag != f"{{{NAMESPACE}}}customUI":
        raise ValueError(f"the ribbon template's root is {root.tag}, not customUI of {NAMESPACE}")
    tabs = root.findall(f".//{{{NAMESPACE}}}tab")
    if len(tabs) != 1 or len(tabs[0]):
        raise ValueError("the ribbon template must have exactly one tab, and it must be empty")
    for group in RIBBON:
        element = etree.SubElement(tabs[0], f"{{{NAMESPACE}}}group", id=group.id, label=group.label)
        for control in group.controls:
            if isinstance(control, Menu):
                menu = etree.SubElement(
                    element,
                    f"{{{NAMESPACE}}}menu",
                    id=control.id,
                    label=control.label,
                    screentip=control.screentip,
                    imageMso=control.image,
                    size="large",
                    itemSize="normal",
                )
                for button in control.buttons:
                    _button(menu, button, size=None)
            else:
                _button(element, control, size="large")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True, pretty_print=True)


def _button(parent: etree._Element, button: Button, size: str | None) -> None:
    attributes = {
        "id": button.id,
        "label": button.label,
        "screentip": button.screentip,
        "supertip": button.supertip,
        "imageMso": button.image,
        "onAction": CALLBACK,
    }
    if size is not None:  # buttons in a menu take the menu's itemSize
        attributes["size"] = size
    etree.SubElement(parent, f"{{{NAMESPACE}}}button", attributes)
