"""The xltools ribbon: every button, its Danish texts and its Python handler, in one registry.

The add-in's ``customUI14.xml`` is generated from this registry, and its VBA has a single callback,
``OnAction``, which runs ``xltools.excel.ribbon.dispatch(control.Id)`` through xlwings' ``RunPython``.
So a button exists in Excel exactly when it is listed here, and its behaviour lives in Python.

Handlers are named as ``"module:function"`` and imported only when their button is clicked, so the
registry stays light for the add-in build that reads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import xlwings as xw

from xltools.errors import Failure

HANDLERS_MODULE = "xltools.excel.handlers"


@dataclass(frozen=True)
class Button:
    """A ribbon button; ``handler`` is ``"module:function"``, called with the active workbook."""

    id: str
    label: str
    screentip: str
    supertip: str
    handler: str
    image: str
    """A built-in Office icon (``imageMso``)."""


@dataclass(frozen=True)
class Menu:
    """A drop-down of buttons."""

    id: str
    label: str
    screentip: str
    image: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Group:
    """A labelled group of controls on the xltools tab."""

    id: str
    label: str
    controls: tuple[Button | Menu, ...]


def _handler(function: str) -> str:
    return f"{HANDLERS_MODULE}:{function}"


def _validate(tool: str, function: str) -> Button:
    return Button(
        id=function,
        label="Valider og opdater",
        screentip=f"Valider og opdater – {tool}",
        supertip=f"Kontrollerer alle indtastninger i {tool} og opdaterer de beregnede tal.",
        handler=_handler(function),
        image="Refresh",
    )


def _new(tool: str, function: str) -> Button:
    return Button(
        id=function,
        label=tool,
        screentip=f"Ny arbejdsbog – {tool}",
        supertip=f"Opretter en ny, tom {tool}-projektmappe.",
        handler=_handler(function),
        image="FileNew",
    )


RIBBON: tuple[Group, ...] = (
    Group("group_capacity", "Ressourceberegner", (_validate("Ressourceberegner", "validate_capacity"),)),
    Group(
        "group_industry",
        "Brancheredskab",
        (
            _validate("Brancheredskab", "validate_industry"),
            Button(
                id="merge_industry",
                label="Sammenflet filer",
                screentip="Sammenflet filer",
                supertip="Samler flere konsulenters Brancheredskab-filer i én ny fil; dubletter tælles én gang, "
                "og konflikter vises.",
                handler=_handler("merge_industry"),
                image="MergeCells",
            ),
        ),
    ),
    Group(
        "group_goals",
        "Målstyring",
        (
            _validate("Målstyring", "validate_goals"),
            Button(
                id="distribute_goals",
                label="Fordel mål",
                screentip="Fordel mål",
                supertip="Fordeler hvert årsmål på ugernes tomme Mål-celler efter ugernes vægt; "
                "indtastede mål bevares.",
                handler=_handler("distribute_goals"),
                image="GoalSeek",
            ),
            Button(
                id="rebuild_goals",
                label="Genopbyg efter ændret opsætning",
                screentip="Genopbyg efter ændret opsætning",
                supertip="Bygger projektmappen på ny efter ændringer i Opsætning; alle registreringer flyttes "
                "med, og der gemmes en sikkerhedskopi.",
                handler=_handler("rebuild_goals"),
                image="RecurrenceEdit",
            ),
        ),
    ),
    Group(
        "group_general",
        "Generelt",
        (
            Menu(
                id="new_workbook",
                label="Ny arbejdsbog",
                screentip="Ny arbejdsbog",
                image="FileNew",
                buttons=(
                    _new("Ressourceberegner", "new_capacity"),
                    _new("Brancheredskab", "new_industry"),
                    _new("Målstyring", "new_goals"),
                ),
            ),
            Button(
                id="about",
                label="Om",
                screentip="Om xltools",
                supertip="Viser hvilken udgave af xltools der kører.",
                handler=_handler("about"),
                image="Info",
            ),
        ),
    ),
)


def buttons() -> Iterator[Button]:
    """Every button of the ribbon, menus' buttons included, in ribbon order."""
    for group in RIBBON:
        for control in group.controls:
            if isinstance(control, Menu):
                yield from control.buttons
            else:
                yield control


HANDLERS: dict[str, str] = {button.id: button.handler for button in buttons()}
"""Button id → ``"module:function"``: what ``dispatch`` runs for each click."""


def handler(control_id: str) -> Callable[[xw.Book], None]:
    """The function behind a button, imported now."""
    try:
        target = HANDLERS[control_id]
    except KeyError:
        raise LookupError(f"xltools kender ikke knappen {control_id!r}") from None
    module, _, function = target.partition(":")
    found: Callable[[xw.Book], None] = getattr(importlib.import_module(module), function)
    return found


def dispatch(control_id: str) -> None:
    """Run the handler of a clicked button on the workbook Excel called from (``OnAction`` → here).

    A failure the user can act on (``xltools.errors.Failure``, Danish lines) is shown in a message
    box; anything else reaches xlwings, which shows the traceback.
    """
    book = xw.Book.caller()
    try:
        handler(control_id)(book)
    except Failure as failure:
        show_failure(book, failure)


MOST_IN_A_BOX = 12
"""Lines a message box shows; more go to a sheet of a new workbook as well (a Windows message box
grows past the screen and hides its OK button)."""


def show_failure(book: xw.Book, failure: Failure) -> None:
    """The failure's Danish lines; when there are more than fit in a box, all of them on a sheet "Fejl"."""
    show(book, list(failure.messages), mode="critical", sheet="Fejl")


def show(book: xw.Book, lines: list[str], title: str = "xltools", mode: str = "info", sheet: str = "Rapport") -> None:
    """Lines in a message box. More than ``MOST_IN_A_BOX`` are cut there, and every line goes to the sheet
    ``sheet`` of a new, unsaved workbook — made after the box, so the message is shown even if that
    fails; the user's own book is never written to."""
    shown = lines
    if len(lines) > MOST_IN_A_BOX:
        rest = f"… og {len(lines) - MOST_IN_A_BOX} mere – alle {len(lines)} står på arket {sheet} i en ny projektmappe"
        shown = [*lines[:MOST_IN_A_BOX], rest]
    book.app.alert("\n".join(shown), title=title, mode=mode)
    if len(lines) > MOST_IN_A_BOX:
        lines_sheet(book.app, sheet, lines)


def lines_sheet(app: xw.App, name: str, lines: list[str]) -> None:
    """Every line in column A of the sheet ``name`` in a new workbook. Each is typed with Excel's text
    prefix (an apostrophe), so a value quoted in a message can never become a formula."""
    sheet = app.books.add().sheets[0]
    sheet.name = name
    sheet.range((1, 1), (len(lines) + 1, 1)).value = [[name], *(["'" + line] for line in lines)]
