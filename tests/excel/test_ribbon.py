"""The ribbon registry, its dispatch and handlers, and the ribbon XML made from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import pytest
import xlwings as xw

from xltools.errors import Invalid
from xltools.excel import handlers, ribbon
from xltools.excel.addin import customui
from xltools.tools import BRANCHEREDSKAB, MAALSTYRING


@dataclass
class FakeApp:
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def alert(self, prompt: str, **options: Any) -> None:
        self.alerts.append({"prompt": prompt, **options})


@dataclass
class FakeName:
    name: str


@dataclass
class FakeBook:
    """What the handlers use of an ``xw.Book``."""

    name: str = "Mappe1.xlsx"
    names: list[FakeName] = field(default_factory=list)
    app: FakeApp = field(default_factory=FakeApp)


def test_registry_names_a_handler_for_every_button() -> None:
    assert set(ribbon.HANDLERS) == {
        "validate_capacity",
        "validate_industry",
        "merge_industry",
        "validate_goals",
        "distribute_goals",
        "rebuild_goals",
        "new_capacity",
        "new_industry",
        "new_goals",
        "about",
    }
    for control_id, target in ribbon.HANDLERS.items():
        assert target == f"xltools.excel.handlers:{control_id}"
    with pytest.raises(LookupError, match="kender ikke knappen"):
        ribbon.handler("nope")


def test_about_shows_the_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    book = FakeBook()
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    ribbon.dispatch("about")
    (alert,) = book.app.alerts
    assert f"xltools {version('xltools')}" in alert["prompt"] and f"xlwings {xw.__version__}" in alert["prompt"]
    assert alert["title"] == "Om xltools"


def test_a_button_of_another_tool_says_so_in_a_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    book = FakeBook(names=[FakeName(name) for name in ("Borgere", "SamtaleDage")])
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    ribbon.dispatch("distribute_goals")
    (alert,) = book.app.alerts
    assert (
        alert["prompt"]
        == "Mappe1.xlsx: er ikke en Målstyring-projektmappe – åbn en Målstyring-projektmappe, og prøv igen"
    )
    assert alert["mode"] == "critical"


def test_a_tools_own_workbook_passes_the_check_and_only_its_own() -> None:
    book = FakeBook(names=[FakeName(name) for name in ("Aar", "DataUger", "Forloeb", "Bagud")])
    handlers.expect_tool(book, MAALSTYRING)  # type: ignore[arg-type]  # no exception
    with pytest.raises(Invalid, match="er ikke en Brancheredskab-projektmappe"):
        handlers.expect_tool(book, BRANCHEREDSKAB)  # type: ignore[arg-type]


def test_ribbon_xml_is_the_template_filled_from_the_registry() -> None:
    template = b'<customUI xmlns="%s"><ribbon><tabs><tab id="t" label="t"/></tabs></ribbon></customUI>' % (
        customui.NAMESPACE.encode()
    )
    xml = customui.render(template)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
    assert xml.count(b'onAction="OnAction"') == len(ribbon.HANDLERS)
    assert b'<menu id="new_workbook" label="Ny arbejdsbog"' in xml
    with pytest.raises(ValueError, match="exactly one tab"):
        customui.render(template.replace(b"<tabs>", b'<tabs><tab id="x" label="x"/>'))
