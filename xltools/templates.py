"""The template version of each tool's workbooks, known without importing the tools themselves.

A workbook records the version it was built as in its ``xltools.version`` property. ``xltools
--version`` prints these versions and ``recalc`` refuses a workbook built by a newer xltools; neither
should have to import XlsxWriter, pandas or a tool's layout to know them.
"""

from __future__ import annotations

TEMPLATE_VERSIONS: dict[str, int] = {"ressourceberegner": 2, "brancheredskab": 2, "maalstyring": 2}
"""Tool name → the version its templates carry. Raise a tool's number when its workbook changes in a
way an older xltools would misread, so that an older xltools refuses the newer workbooks."""

PROPERTY_TOOL = "xltools.tool"
PROPERTY_VERSION = "xltools.version"
PROPERTY_AS_OF = "xltools.as_of"
"""The custom document properties every workbook carries: which tool, which template version, and the
reporting date its cached values are computed for."""
