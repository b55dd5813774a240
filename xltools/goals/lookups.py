"""What the week sheets and the Forside show from Opsætning, looked up live by the hidden stable ids.

``IFERROR(INDEX(OpsIndikator,MATCH($A8,OpsIndikatorId,0))&"","(fjernet – genopbyg)")``: a rename in
Opsætning shows everywhere at once, in Excel alone; an id that is no longer in Opsætning shows the
fallback until ``xltools rebuild`` (the button "Genopbyg efter ændret opsætning") builds the sheets
again. INDEX/MATCH on one column, no dynamic arrays: every Excel, LibreOffice and gnumeric computes it.
"""

from __future__ import annotations

from xltools.core.expr import Const, Expr, Ref
from xltools.core.logic import If, IsBlank
from xltools.core.lookup import IfError, Index, Match
from xltools.core.strings import Concat
from xltools.goals.layout import SETUP_NAMES

FALLBACK = "(fjernet – genopbyg)"


def column(key: str) -> Ref:
    """An Opsætning table column by its defined name (key as in SETUP_NAMES)."""
    return Ref(SETUP_NAMES[key])


def employee_name(employee_id: Expr) -> Expr:
    return _text("medarbejder", employee_id, "medarbejder_id")


def indicator_text(key: str, indicator_id: Expr) -> Expr:
    """The section, name or unit (``key``) of the indicator with ``indicator_id``."""
    return _text(key, indicator_id, "id")


def aarsmaal(indicator_id: Expr) -> Expr:
    """The indicator's Årsmål, or "" when it has none (or its id is gone: no goal to compare with)."""
    found = Index(column("aarsmaal"), Match(indicator_id, column("id")))
    return IfError(If(IsBlank(found), Const(""), found), Const(""))


def _text(key: str, ident: Expr, ids: str) -> Expr:
    found = Index(column(key), Match(ident, column(ids)))
    return IfError(Concat((found, Const(""))), Const(FALLBACK))
