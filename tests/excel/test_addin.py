"""The built add-in ``xltools.xlam``: its VBA read back by two independent readers, its ribbon and
package parts, its UDF wrappers against xlwings' own "Import Functions", and reproducible bytes.

How module text is compared: olevba's ``extract_macros`` gives each module stream's whole text,
``Attribute`` lines included, decoded as cp1252 with its CRLF line ends. It must equal, character
for character:

* ``XltoolsRibbon``: the file ``macros/XltoolsRibbon.bas`` (kept with CRLF and its VB_Name line);
* ``xlwings``: the installed ``xlwings/xlwings_custom_addin.bas`` with ``PROJECT_NAME = "xltools"``;
* ``Dictionary``: the installed ``xlwings/addin/Dictionary.cls`` without the four-line ``.cls`` export
  header, plus the three attributes the VBE stores for a class (``VB_Base`` after ``VB_Name``,
  ``VB_TemplateDerived`` and ``VB_Customizable`` after ``VB_Exposed``);
* ``xlwings_udfs``: the file xlwings' ``import_udfs`` hands to Excel, with CRLF line ends;
* ``ThisWorkbook``, ``Sheet1``: the eight attribute lines Excel writes for a code-less document module.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from lxml import etree
from oletools.olevba import VBA_Parser

from tests.conftest import REPO
from xltools.excel import dialogs, ribbon
from xltools.excel.addin import package
from xltools.excel.addin.build import PROPERTY_ADDIN, PROPERTY_XLWINGS
from xltools.recalc.libreoffice import soffice

CUSTOM_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
XLWINGS = Path(xlwings.__file__).parent
MODULES = {"ThisWorkbook", "Sheet1", "XltoolsDialogs", "XltoolsRibbon", "xlwings", "xlwings_udfs", "Dictionary"}

# xlwings' "Import Functions" (xlwings.udfs.import_udfs) run against a stand-in for Excel's workbook
# that keeps the file Excel would import; pywin32 stubbed, the decorators bound as on Windows.
IMPORT_FUNCTIONS = r"""
import sys, types
for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
class ComError(Exception): pass
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["pywintypes"].com_error = ComError
sys.modules["win32com.client"].Dispatch = lambda *a, **k: None
sys.modules["win32com"].client = sys.modules["win32com.client"]
import xlwings, xlwings.udfs as udfs
xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = udfs.xlfunc, udfs.xlarg, udfs.xlret, udfs.xlsub
module = __import__(sys.argv[1], fromlist=["_"])  # known to xlwings already: no look for embedded code over COM
udfs.udf_modules[sys.argv[1]] = {"filename": module.__file__, "filetime": None, "module": module}
imported = []
class Components:
    def __call__(self, name): raise ComError(name)
    def Remove(self, component): pass
    def Import(self, path): imported.append(open(path, encoding="utf-8", newline="").read())
class Application:
    Version = "16.0"
    def MacroOptions(self, *args, **kwargs): pass
book = types.SimpleNamespace(Name="xltools.xlam", VBProject=types.SimpleNamespace(VBComponents=Components()),
                             Application=Application())
udfs.import_udfs(sys.argv[1], book)
open(sys.argv[2], "w", encoding="utf-8", newline="").write(imported[0])
"""


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.fixture(scope="module")
def extracted(addin: Path) -> dict[str, str]:
    parser = VBA_Parser(str(addin))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def xlwings_udfs_from_excel_import(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("import-functions") / "xlwings_udfs.bas"
    subprocess.run([sys.executable, "-c", IMPORT_FUNCTIONS, "xltools.excel.udfs", str(out)], check=True)
    return _crlf(out.read_text(encoding="utf-8"))


def expected_modules(udfs_text: str) -> dict[str, str]:
    custom = (XLWINGS / "xlwings_custom_addin.bas").read_bytes().decode("cp1252")
    assert custom.count('PROJECT_NAME As String = "myaddin"') == 1
    cls = (XLWINGS / "addin" / "Dictionary.cls").read_bytes().decode("cp1252").split("\r\n")
    assert cls[:4] == ["VERSION 1.0 CLASS", "BEGIN", "  MultiUse = -1  'True", "END"]
    cls = cls[4:]
    cls.insert(1, 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"')
    exposed = cls.index("Attribute VB_Exposed = True") + 1
    cls[exposed:exposed] = ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    document = (
        'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "0{{{guid}-0000-0000-C000-000000000046}}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n"
    )
    return {
        "ThisWorkbook": document.format(name="ThisWorkbook", guid="00020819"),
        "Sheet1": document.format(name="Sheet1", guid="00020820"),
        "XltoolsDialogs": (REPO / "macros" / "XltoolsDialogs.bas").read_bytes().decode("cp1252"),
        "XltoolsRibbon": (REPO / "macros" / "XltoolsRibbon.bas").read_bytes().decode("cp1252"),
        "xlwings": custom.replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xltools"'),
        "Dictionary": "\r\n".join(cls),
        "xlwings_udfs": udfs_text,
    }


def test_olevba_reads_back_every_module_exactly(extracted: dict[str, str], xlwings_udfs_from_excel_import: str) -> None:
    expected = expected_modules(xlwings_udfs_from_excel_import)
    assert set(extracted) == MODULES
    for name in sorted(MODULES):
        assert extracted[name] == expected[name], name


def test_udf_wrappers_are_xlwings_import_functions_output(
    extracted: dict[str, str], xlwings_udfs_from_excel_import: str
) -> None:
    assert extracted["xlwings_udfs"] == xlwings_udfs_from_excel_import
    for name in ("CAPACITY", "FTE_NEEDED", "YEARLY_CONVERSATIONS", "AGE_STATUS", "CVR_VALID", "GOAL_STATUS"):
        assert f'XLPy.CallUDF("xltools.excel.udfs", "{name}"' in extracted["xlwings_udfs"]
    assert f"xlwings64-{xlwings.__version__}.dll" in extracted["xlwings"]


def test_project_is_named_xltools_and_marked(addin: Path) -> None:
    with zipfile.ZipFile(addin) as xlam:
        project = olefile.OleFileIO(xlam.read("xl/vbaProject.bin"))
        custom = xlam.read("docProps/custom.xml").decode("utf-8")
        sheet = xlam.read("xl/workbook.xml").decode("utf-8")
    lines = project.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    assert 'Name="xltools"' in lines and "Class=Dictionary" in lines and "Module=XltoolsRibbon" in lines
    assert {'CMG="', 'DPB="', 'GC="'} <= {line[: line.find('"') + 1] for line in lines}
    assert f'name="{PROPERTY_ADDIN}"' in custom and f'name="{PROPERTY_XLWINGS}"' in custom
    assert '<sheet name="xltools.conf"' in sheet


def test_ribbon_part_is_registered_and_the_workbook_is_an_addin(addin: Path) -> None:
    with zipfile.ZipFile(addin) as xlam:
        names = xlam.namelist()
        types = etree.fromstring(xlam.read("[Content_Types].xml"))
        rels = etree.fromstring(xlam.read("_rels/.rels"))
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{ct}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{ct}Default")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert package.WORKBOOK_TYPE not in overrides.values()
    assert defaults["xml"] == "application/xml" and "/customUI/customUI14.xml" not in overrides
    ui = [r for r in rels if r.get("Type") == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"]
    assert [r.get("Target") for r in ui] == ["customUI/customUI14.xml"]
    assert "customUI/customUI14.xml" in names


def _custom_ui(addin: Path) -> etree._Element:
    with zipfile.ZipFile(addin) as xlam:
        return etree.fromstring(xlam.read("customUI/customUI14.xml"))


def test_every_onaction_is_a_sub_of_the_vba(addin: Path, extracted: dict[str, str]) -> None:
    callbacks = {element.get("onAction") for element in _custom_ui(addin).iter() if element.get("onAction")}
    assert callbacks == {"OnAction"}
    standard = [text for name, text in extracted.items() if name not in {"ThisWorkbook", "Sheet1", "Dictionary"}]
    for callback in callbacks:
        signature = re.compile(rf"^(Public )?Sub {callback}\(control As IRibbonControl\)\r$", re.MULTILINE)
        assert sum(len(signature.findall(text)) for text in standard) == 1


def test_every_dialog_python_runs_is_a_function_of_the_addins_vba(extracted: dict[str, str]) -> None:
    for macro in dialogs.MACROS:
        module, function = macro.split(".")
        signature = rf"^Public Function {function}\(ByVal \w+ As String, ByVal Title As String\) As String\r$"
        assert len(re.findall(signature, extracted[module], re.MULTILINE)) == 1, macro


def test_ribbon_ids_are_the_registry_and_every_handler_imports(addin: Path) -> None:
    root = _custom_ui(addin)
    buttons = [element.get("id") for element in root.iter(f"{CUSTOM_UI}button")]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert sorted(buttons) == sorted(ribbon.HANDLERS)
    for element in root.iter(f"{CUSTOM_UI}button"):
        assert element.get("onAction") == "OnAction" and element.get("label")
    for control_id in ribbon.HANDLERS:
        assert callable(ribbon.handler(control_id))
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", control_id)  # safe inside RunPython's '...' literal
    labels = {element.get("label") for element in root.iter()}
    assert {"Valider og opdater", "Fordel mål", "Genopbyg efter ændret opsætning", "Sammenflet filer"} <= labels
    assert {"Ny arbejdsbog", "Om", "Ressourceberegner", "Brancheredskab", "Målstyring", "Generelt"} <= labels


def test_two_builds_in_other_processes_are_byte_identical(addin: Path, tmp_path: Path) -> None:
    other = tmp_path / "again" / "xltools.xlam"
    environment = {
        **os.environ,
        "TZ": "Pacific/Chatham",
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONHASHSEED": "4711",
    }
    code = "import sys; from pathlib import Path; from xltools.excel.addin.build import build; build(Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(other)], cwd="/", env=environment, check=True)
    assert other.read_bytes() == addin.read_bytes()


@pytest.mark.libreoffice
def test_libreoffice_loads_the_addin_and_lists_its_modules(
    addin: Path, extracted: dict[str, str], tmp_path: Path
) -> None:
    executable = soffice()
    if executable is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [
            executable,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=Calc MS Excel 2007 VBA XML",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(addin),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    library = "{http://openoffice.org/2000/library}"
    with zipfile.ZipFile(tmp_path / "xltools.ods") as ods:
        index = etree.fromstring(ods.read("Basic/xltools/script-lb.xml"), etree.XMLParser(load_dtd=False))
        assert index.get(f"{library}name") == "xltools"
        listed = {element.get(f"{library}name") for element in index.iter(f"{library}element")}
        assert listed == MODULES
        for name in MODULES:
            module = etree.fromstring(ods.read(f"Basic/xltools/{name}.xml"), etree.XMLParser(load_dtd=False))
            lines = (module.text or "").split("\n")
            while lines[0].startswith("Rem Attribute VBA_ModuleType=") or lines[0].startswith("Option VBASupport"):
                lines.pop(0)
            if lines[0] == "Option ClassModule":
                lines.pop(0)
            # LibreOffice keeps the code and drops every Attribute line
            code = [line for line in extracted[name].split("\r\n") if not line.startswith("Attribute ")]
            assert "\n".join(lines).rstrip("\n") == "\n".join(code).rstrip("\n"), name
