"""A batch's outcomes as files for people and CI: a JSON report and a JUnit XML report.

JUnit XML is what GitLab, GitHub and Azure DevOps show as test results: one ``<testcase>`` per
workbook (classname ``xltools.recalc.<tool>``, name the path). Stale values and invalid input are
failures — the workbook needs a person —, an unreadable file and a fault in xltools are errors, and
a refused or not-run workbook is skipped. Text from files and paths is made safe for XML and UTF-8.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from xltools.errors import ExitCode
from xltools.messages import escape
from xltools.recalc.engine import Outcome

_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""What XML 1.0 cannot carry; compiled on first use (9 ms, on every run that writes no report)."""
_FAILURES = {ExitCode.STALE, ExitCode.INVALID}
_ERRORS = {ExitCode.UNREADABLE, ExitCode.INTERNAL}


def json_report(outcomes: Sequence[Outcome]) -> bytes:
    """Every workbook's ``Outcome.report()``, in order, as UTF-8 JSON."""
    text = json.dumps([outcome.report() for outcome in outcomes], ensure_ascii=False, indent=2, default=_plain)
    return text.encode("utf-8", "backslashreplace")  # a file name that is not UTF-8 stays readable


def _plain(value: Any) -> Any:
    """What JSON cannot hold by itself: NumPy scalars as numbers, dates as ISO text, the rest as text."""
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def junit_report(outcomes: Sequence[Outcome], seconds: float, started: datetime) -> bytes:
    """The outcomes as one JUnit ``<testsuite>`` with counts and times."""
    counts = {
        "tests": len(outcomes),
        "failures": sum(outcome.exit_code in _FAILURES for outcome in outcomes),
        "errors": sum(outcome.exit_code in _ERRORS for outcome in outcomes),
        "skipped": sum(outcome.exit_code in (ExitCode.REFUSED, None) for outcome in outcomes),
    }
    attributes = {key: str(value) for key, value in counts.items()}
    attributes["time"] = f"{seconds:.3f}"
    root = ET.Element("testsuites", {"name": "xltools recalc", **attributes})
    suite = ET.SubElement(
        root, "testsuite", {"name": "xltools recalc", **attributes, "timestamp": started.isoformat(timespec="seconds")}
    )
    for outcome in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"xltools.recalc.{outcome.tool or 'ukendt'}",
                "name": _safe(str(outcome.path)),
                "time": f"{outcome.seconds:.3f}",
            },
        )
        _result(case, outcome)
        if outcome.notes:
            ET.SubElement(case, "system-out").text = _safe("\n".join(outcome.notes))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _result(case: ET.Element, outcome: Outcome) -> None:
    if outcome.ok:
        return
    code = outcome.exit_code
    tag = "failure" if code in _FAILURES else "error" if code in _ERRORS else "skipped"
    first = outcome.errors[0] if outcome.errors else ""
    attributes = {"message": _safe(first)}
    if code is not None:
        attributes["type"] = f"{code.label} ({int(code)})"
    element = ET.SubElement(case, tag, attributes)
    element.text = _safe("\n".join(outcome.errors))


def _safe(text: str) -> str:
    """Text XML 1.0 can carry: control characters and unpaired surrogates (a file name that is not
    UTF-8) written as escapes."""
    return re.sub(_NOT_XML, lambda match: escape(match.group()), text)
