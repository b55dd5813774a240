"""Chart parts: the ranges their series show, resizing those ranges, and refreshing their data caches.

A chart keeps a copy of the points it shows (``numCache``/``strCache``) so a viewer can draw it without
recalculating; after new values are written those copies must follow. A series over whole columns
(``A1:A1048576``) is refused rather than expanded into a million points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from lxml import etree

from xltools.errors import Unreadable
from xltools.messages import number, quote
from xltools.workbook.refs import Area
from xltools.workbook.values import CellKey, CellValue, format_number, xml_string

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_C = "{%s}" % CHART_NS
_NS = {"c": CHART_NS}
CHART_PART = re.compile(r"^xl/charts/chart[^/]*\.xml$")


def references(root: etree._Element) -> list[str]:
    """The ranges a chart's series refer to, in document order."""
    return [formula.text or "" for formula in root.iter(_C + "f")]


def resize(root: etree._Element, sheet: str, first_row: int, last_row: int) -> bool:
    """Make every series range on ``sheet`` that starts at ``first_row`` end at ``last_row``; True if
    one changed."""
    changed = False
    for formula in root.iter(_C + "f"):
        try:
            area = Area.parse(formula.text or "")
        except ValueError:
            continue
        if area.sheet == sheet and area.first[0] == first_row and area.last[0] != last_row:
            formula.text = str(Area(sheet, area.first, (last_row, area.last[1])))
            changed = True
    return changed


_WORKBOOK_NAME = re.compile(r"^\[0\]!([A-Za-z_][\w.]*)$")
"""A series over a workbook-level defined name, as Excel writes it in a chart part."""


def refresh(
    root: etree._Element,
    values: Mapping[CellKey, CellValue],
    limit: int,
    where: str,
    named: Mapping[str, Sequence[CellValue]] | None = None,
) -> bool:
    """Update the caches of every series that shows one of ``values``' cells or a defined name of
    ``named`` (its points, the name's current extent); True if one changed."""
    changed = False
    by_name = {name.casefold(): points for name, points in (named or {}).items()}
    for ref in root.iter(_C + "numRef", _C + "strRef"):
        text = ref.findtext("c:f", "", _NS)
        name = _WORKBOOK_NAME.match(text)
        if name is not None:
            points = by_name.get(name[1].casefold())
            if points is not None and _set_cache(ref, list(points)):
                changed = True
            continue
        try:
            area = Area.parse(text)
        except ValueError:
            continue
        size = (area.last[0] - area.first[0] + 1) * (area.last[1] - area.first[1] + 1)
        if size > limit:
            raise Unreadable(
                f"{where}: serien {quote(text)} har {number(size)} punkter; højst {number(limit)} – afvist"
            )
        points = [values.get((area.sheet, row, col)) for row, col in area.cells()]
        if any(point is not None for point in points) and _set_cache(ref, points):
            changed = True
    return changed


def _set_cache(ref: etree._Element, points: list[CellValue]) -> bool:
    """Rewrite the cached points a chart series holds; None means "not ours", keep the old point.

    When every point is known the cache is rebuilt whole, so a resized range gets the right count.
    """
    numeric = ref.tag == _C + "numRef"
    cache_tag = _C + ("numCache" if numeric else "strCache")
    old = ref.find(cache_tag)
    existing = (
        {}
        if old is None
        else {_index(pt.get("idx")): pt.findtext("c:v", None, _NS) for pt in old.iterfind("c:pt", _NS)}
    )
    texts: dict[int, str] = {}
    for index, point in enumerate(points):
        if point is None:
            if existing.get(index) is not None:
                texts[index] = existing[index]  # type: ignore[assignment]
        elif point != "":
            texts[index] = format_number(point) if numeric and not isinstance(point, str) else xml_string(str(point))
    count = str(len(points))
    old_count = old.find("c:ptCount", _NS) if old is not None else None
    if old is not None and existing == texts and old_count is not None and old_count.get("val") == count:
        return False
    cache = etree.Element(cache_tag)
    if numeric:
        format_code = old.findtext("c:formatCode", "General", _NS) if old is not None else "General"
        etree.SubElement(cache, _C + "formatCode").text = format_code
    etree.SubElement(cache, _C + "ptCount").set("val", count)
    for index, text in sorted(texts.items()):
        pt = etree.SubElement(cache, _C + "pt", idx=str(index))
        etree.SubElement(pt, _C + "v").text = text
    if old is not None:
        old.addprevious(cache)
        ref.remove(old)
    else:
        ref.append(cache)
    return True


def _index(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1
