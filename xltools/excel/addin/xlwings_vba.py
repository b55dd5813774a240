"""xlwings' own VBA, taken from the installed xlwings package as text.

The add-in needs xlwings' custom-add-in module (``RunPython``, the UDF bridge ``XLPy``, the settings
lookup) and, because macOS compiles the branch that uses it, the ``Dictionary`` class. The module
declares the DLL of exactly its xlwings version (``xlwings64-<version>.dll``, installed beside the
user's Python by xlwings' Windows wheel), so it is always read from the xlwings installed where the
add-in is built, never kept as a copy. Both files carry their licences (BSD-3-Clause, MIT), kept.
"""

from __future__ import annotations

import re
from importlib.resources import files

import xlwings

from xltools.errors import Usage
from xltools.excel.addin.vba import CODEPAGE, Module

_PROJECT_NAME = re.compile(r'^(Public Const PROJECT_NAME As String = )"myaddin"(\r?)$', re.MULTILINE)
_VERSION = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"\r?$', re.MULTILINE)


def installed_version() -> str:
    return str(xlwings.__version__)


def modules(project_name: str, version: str | None = None) -> list[Module]:
    """The ``xlwings`` standard module (its ``PROJECT_NAME`` set) and the ``Dictionary`` class module.

    ``version``, when given, must be the installed xlwings' version (``Usage`` otherwise): a build
    asked for one xlwings must not quietly carry another's DLL names.
    """
    installed = installed_version()
    if version is not None and version != installed:
        raise Usage(
            f"xlwings {version} er bedt om, men xlwings {installed} er installeret"
            f" – installér den først (pip install xlwings=={version})"
        )
    package = files("xlwings")
    text = (package / "xlwings_custom_addin.bas").read_bytes().decode(CODEPAGE)
    declared = _VERSION.search(text)
    if declared is None or declared[1] != installed:
        raise RuntimeError(f"xlwings {installed}'s VBA declares version {declared[1] if declared else 'none'}")
    text, replaced = _PROJECT_NAME.subn(rf'\g<1>"{project_name}"\g<2>', text)
    if replaced != 1:
        raise RuntimeError('xlwings\' custom add-in module no longer has PROJECT_NAME = "myaddin"')
    dictionary = (package / "addin" / "Dictionary.cls").read_bytes().decode(CODEPAGE)
    return [Module("xlwings", text), Module("Dictionary", dictionary, "class")]
