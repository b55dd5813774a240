"""A Ressourceberegner from an earlier template, rebuilt on the current one with its inputs carried over.

Every version names its input cells the same way (``Borgere``, ``Andel``, …), so the inputs are read by
name exactly as typed — a value the rules would refuse is carried too: it is the user's, and the new
workbook's validation shows it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xltools.capacity import inputs as spec
from xltools.capacity.workbook import build
from xltools.errors import Invalid
from xltools.workbook.package import XlsxPackage, type_values
from xltools.workbook.refs import cell_name


def previous(package: XlsxPackage) -> dict[str, float | str | None]:
    """The typed inputs, by defined name (a cell that holds a formula is left to the new template); a
    TRUE/FALSE, which no input can mean, is refused naming its cell rather than dropped."""
    found: dict[str, float | str | None] = {}
    for input_spec in spec.WORKBOOK_INPUTS:
        name = input_spec.defined_name
        area = package.area(name) if name else None
        if name is None or area is None or package.has_formula(area.sheet, *area.first):
            continue
        value = package.value(area.sheet, *area.first)
        if isinstance(value, bool):
            raise Invalid(f"{area.sheet}!{cell_name(*area.first)} ({input_spec.label}): {input_spec.rule}")
        found[name] = value
    return found


def write(path: Path, inputs: dict[str, float | str | None]) -> None:
    """A new Ressourceberegner at ``path`` holding ``inputs``."""
    build(path, date.today())
    type_values(path, inputs)
