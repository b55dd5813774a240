"""Print layout proof: LibreOffice prints the workbook to PDF; pages are counted per sheet and each sheet's
effective scale is computed from the file's own page setup.

* Pages: ``soffice --convert-to pdf`` (one call for all files, a private profile) prints every visible
  sheet; hidden sheets do not print. LibreOffice writes one PDF bookmark per printed sheet, pointing at
  its first page, so the pages of a sheet are those from its bookmark to the next. Each page's footer
  line (``pdftotext -layout``, the page's last line; one call, pages split at form feeds) is read as
  well: the sheets are to carry their name in the footer (``&A``), and ``PrintedPage.footer_names_sheet``
  says whether the page shows it. Without bookmarks the footer decides (a page without a sheet name
  continues the sheet before).
* Scale: from the sheet's XML, as Excel computes it — the print area (``_xlnm.Print_Area``, else the
  cells with content, merged areas and drawings), column widths (Excel's pixel rule for the default
  Calibri 11, maximum digit width 7 px, whose metrics Carlito shares), row heights, the margins, the
  orientation and paper, and either the fixed ``scale`` or fit-to-page (``fitToWidth``/``fitToHeight``,
  0 = as many pages as needed): scale = min(1, pages wide × printable width / content width, …).
* ``render_pages`` makes PNGs (``pdftoppm -png -r 50``) for a human to look at.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tests.engines.formulas import MAX_COLUMN, MAX_ROW, Area, cell_position
from tests.hostile.ooxml import NS, Package
from xltools.recalc import libreoffice

POINTS_PER_INCH = 72.0
DIGIT_PIXELS = 7  # Calibri 11 (and Carlito): the maximum digit width Excel's column widths count in
PAPER_POINTS = {9: (595.28, 841.89), 1: (612.0, 792.0), 8: (841.89, 1190.55), 11: (419.53, 595.28)}
A4 = 9
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
EMU_PER_POINT = 12700


def convert_to_pdf(paths: Sequence[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Print each workbook to PDF with LibreOffice (a private profile)."""
    return libreoffice.convert(paths, out_dir, "pdf", timeout)


def render_pages(pdf: Path, out_dir: Path, resolution: int = 50) -> list[Path]:
    """Every page of ``pdf`` as a PNG (``pdftoppm -png -r resolution``), for a human look."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(prefix)], check=True)
    return sorted(out_dir.glob(pdf.stem + "-*.png"))


# -- pages of a PDF --------------------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*(?:endobj|stream)", re.DOTALL)


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode("ascii"))
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
    text = raw[1:-1]
    text = re.sub(rb"\\([()\\])", rb"\1", text)
    return text.decode("latin-1")


def bookmarks(pdf: Path) -> list[tuple[str, int]]:
    """The PDF's top-level bookmarks as (title, first page number), in order: LibreOffice writes one per
    printed sheet. Read from the file's objects (LibreOffice writes no object streams)."""
    data = pdf.read_bytes()
    pages = re.search(rb"/Type\s*/Pages.*?/Kids\s*\[(.*?)\]", data, re.DOTALL)
    if pages is None:
        raise ValueError(f"{pdf}: no page tree")
    order = {int(ref): index + 1 for index, ref in enumerate(re.findall(rb"(\d+)\s+0\s+R", pages.group(1)))}
    found = []
    for match in re.finditer(rb"/Title\s*(<[0-9A-Fa-f]*>|\((?:[^()\\]|\\.)*\))\s*/Dest\s*\[\s*(\d+)\s+0\s+R", data):
        found.append((_pdf_string(match.group(1)), order.get(int(match.group(2)), 0)))
    if not found:  # other key orders: look at each outline item
        for match in re.finditer(rb"<<([^<>]*(?:<[0-9A-Fa-f]*>[^<>]*)*)>>", data):
            body = match.group(1)
            title = re.search(rb"/Title\s*(<[0-9A-Fa-f]*>|\((?:[^()\\]|\\.)*\))", body)
            dest = re.search(rb"/Dest\s*\[\s*(\d+)\s+0\s+R", body)
            if title and dest:
                found.append((_pdf_string(title.group(1)), order.get(int(dest.group(1)), 0)))
    return sorted(found, key=lambda item: item[1])


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (``pdftotext -layout``; pages are separated by form feeds)."""
    finished = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    pages = finished.stdout.decode("utf-8", errors="replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def footer_line(text: str) -> str:
    """A page's last non-empty line: where the footer prints."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# -- the scale a sheet prints at ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How a sheet's print area fits its paper: the effective scale and what it comes from."""

    value: float
    rule: str
    """``fit W×H`` (fit to W pages wide, H tall; 0 = as many as needed) or ``scale N %``."""
    paper: int
    orientation: str
    print_area: str
    content: tuple[float, float]
    """Width and height of the print area, in points at 100 %."""
    printable: tuple[float, float]
    """Width and height inside the margins, in points."""

    def __str__(self) -> str:
        paper = "A4" if self.paper == A4 else f"paper {self.paper}"
        return (
            f"{self.value:.0%} ({self.rule}; {paper} {self.orientation}; area {self.print_area}: "
            f"{self.content[0]:.0f}×{self.content[1]:.0f} pt in {self.printable[0]:.0f}×{self.printable[1]:.0f} pt)"
        )


def _column_points(width: float) -> float:
    pixels = math.trunc((256 * width + math.trunc(128 / DIGIT_PIXELS)) / 256 * DIGIT_PIXELS)
    return pixels * 0.75


def _print_area(package: Package, sheet: str) -> Area | None:
    sheets = list(package.sheets())
    for element in package.tree("xl/workbook.xml").iterfind("m:definedNames/m:definedName", NS):
        local = element.get("localSheetId")
        if element.get("name") == "_xlnm.Print_Area" and local is not None and sheets[int(local)] == sheet:
            text = (element.text or "").split(",")[0]
            return Area.parse(sheet, text.rpartition("!")[2])
    return None


def _drawing_areas(package: Package, sheet: str, member: str) -> list[Area]:
    rels = PurePosixPath(member).parent / "_rels" / (PurePosixPath(member).name + ".rels")
    if str(rels) not in package.members:
        return []
    areas = []
    for rel in package.tree(str(rels)).iterfind("rel:Relationship", NS):
        if rel.get("Type") != DRAWING_REL:
            continue
        part = str(PurePosixPath(member).parent / rel.get("Target", ""))
        part = "/".join(p for p in _normal(part))
        if part not in package.members:
            continue
        root = package.tree(part)
        for anchor in root:
            start = anchor.find("{%s}from" % XDR)
            end = anchor.find("{%s}to" % XDR)
            if start is None or end is None:
                continue
            left, top = int(start.findtext("{%s}col" % XDR, "0")) + 1, int(start.findtext("{%s}row" % XDR, "0")) + 1
            right, bottom = int(end.findtext("{%s}col" % XDR, "0")) + 1, int(end.findtext("{%s}row" % XDR, "0")) + 1
            if int(end.findtext("{%s}colOff" % XDR, "0")) == 0:
                right -= 1
            if int(end.findtext("{%s}rowOff" % XDR, "0")) == 0:
                bottom -= 1
            areas.append(Area(sheet, top, left, max(top, bottom), max(left, right)))
    return areas


def _normal(path: str) -> list[str]:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return parts


def used_area(package: Package, sheet: str) -> Area | None:
    """What prints without a print area: from A1 to the last cell with content, merged area it starts or
    drawing."""
    member = package.sheet_member(sheet)
    root = package.tree(member)
    top, left, bottom, right = MAX_ROW, MAX_COLUMN, 0, 0
    filled = set()
    for cell in root.iterfind("m:sheetData/m:row/m:c", NS):
        if cell.find("m:v", NS) is None and cell.find("m:f", NS) is None and cell.find("m:is", NS) is None:
            continue
        ref = cell.get("r", "A1")
        filled.add(ref)
        row, column = cell_position(ref)
        top, left, bottom, right = min(top, row), min(left, column), max(bottom, row), max(right, column)
    extra = [
        Area.parse(sheet, merged.get("ref", "A1"))
        for merged in root.iterfind("m:mergeCells/m:mergeCell", NS)
        if merged.get("ref", "A1").split(":")[0] in filled
    ]
    extra += _drawing_areas(package, sheet, member)
    for area in extra:
        top, left = min(top, area.top), min(left, area.left)
        bottom, right = max(bottom, area.bottom), max(right, area.right)
    if not bottom:
        return None
    return Area(sheet, 1, 1, bottom, right)  # LibreOffice prints from A1 to the last used cell


def effective_scale(package: Package, sheet: str) -> Scale | None:
    """The scale ``sheet`` prints at by its page setup (None when nothing on it prints)."""
    root = package.tree(package.sheet_member(sheet))
    explicit = _print_area(package, sheet)
    area = explicit or used_area(package, sheet)
    if area is None:
        return None
    setup = root.find("m:pageSetup", NS)
    attrs = dict(setup.attrib) if setup is not None else {}
    paper = int(attrs.get("paperSize", A4))
    orientation = attrs.get("orientation", "portrait")
    width, height = PAPER_POINTS.get(paper, PAPER_POINTS[A4])
    if orientation == "landscape":
        width, height = height, width
    margins = root.find("m:pageMargins", NS)
    margin = {k: float(v) * POINTS_PER_INCH for k, v in (margins.attrib.items() if margins is not None else ())}
    printable = (
        width - margin.get("left", 0.7 * 72) - margin.get("right", 0.7 * 72),
        height - margin.get("top", 0.75 * 72) - margin.get("bottom", 0.75 * 72),
    )
    format_ = root.find("m:sheetFormatPr", NS)
    fmt = dict(format_.attrib) if format_ is not None else {}
    if "defaultColWidth" in fmt:
        default_width = _column_points(float(fmt["defaultColWidth"]))
    else:
        base = int(fmt.get("baseColWidth", "8"))
        default_width = math.ceil((base * DIGIT_PIXELS + 5) / 8) * 8 * 0.75
    widths: dict[int, float] = {}
    for col in root.iterfind("m:cols/m:col", NS):
        points = 0.0 if col.get("hidden") in ("1", "true") else _column_points(float(col.get("width", "0")))
        for number in range(int(col.get("min", "1")), min(int(col.get("max", "1")), area.right) + 1):
            widths[number] = points
    default_height = float(fmt.get("defaultRowHeight", "15"))
    heights: dict[int, float] = {}
    for row in root.iterfind("m:sheetData/m:row", NS):
        number = int(row.get("r", "0"))
        if row.get("hidden") in ("1", "true"):
            heights[number] = 0.0
        elif row.get("ht"):
            heights[number] = float(row.get("ht", "15"))
    content = (
        sum(widths.get(c, default_width) for c in range(area.left, area.right + 1)),
        sum(heights.get(r, default_height) for r in range(area.top, area.bottom + 1)),
    )
    fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
    if fit is not None and fit.get("fitToPage") in ("1", "true"):
        wide, tall = int(attrs.get("fitToWidth", "1")), int(attrs.get("fitToHeight", "1"))
        value = 1.0
        if wide and content[0]:
            value = min(value, wide * printable[0] / content[0])
        if tall and content[1]:
            value = min(value, tall * printable[1] / content[1])
        rule = f"fit {wide}×{tall}"
    else:
        value = float(attrs.get("scale", "100")) / 100
        rule = f"scale {value:.0%}"
    value = max(0.10, min(4.0, value))
    return Scale(value, rule, paper, orientation, area.a1(absolute=False), content, printable)


# -- the whole proof -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedPage:
    """One page of the PDF: the sheet it belongs to (by the bookmarks) and its footer line."""

    number: int
    sheet: str
    footer: str

    @property
    def footer_names_sheet(self) -> bool:
        """Whether the page's footer line shows the name of the sheet it belongs to."""
        return self.sheet in self.footer


@dataclass
class SheetPrint:
    """One sheet: hidden or not, pages printed, and its effective scale."""

    sheet: str
    hidden: bool
    pages: int
    scale: Scale | None


@dataclass
class PrintLayout:
    """A workbook's print: its PDF, every page, and every sheet's pages and scale."""

    workbook: Path
    pdf: Path
    pages: list[PrintedPage]
    sheets: list[SheetPrint] = field(default_factory=list)

    def sheet(self, name: str) -> SheetPrint:
        """The report of the sheet called ``name``."""
        return next(item for item in self.sheets if item.sheet == name)

    def summary(self) -> str:
        """Lines for a human: pages, scale and footer per sheet."""
        lines = [f"{self.workbook.name}: {len(self.pages)} pages"]
        for item in self.sheets:
            if item.hidden:
                lines.append(f"  {item.sheet}: hidden, not printed")
                continue
            footer = sum(page.footer_names_sheet for page in self.pages if page.sheet == item.sheet)
            lines.append(
                f"  {item.sheet}: {item.pages} page(s), scale {item.scale or 'n/a (nothing to print)'}"
                + (f", footer names the sheet on {footer}/{item.pages}" if item.pages else "")
            )
        return "\n".join(lines)


def hidden_sheets(package: Package) -> set[str]:
    """The sheets that are hidden or very hidden (they do not print)."""
    return {
        element.get("name", "")
        for element in package.tree("xl/workbook.xml").iterfind("m:sheets/m:sheet", NS)
        if element.get("state") in ("hidden", "veryHidden")
    }


def print_layouts(workbooks: Sequence[Path], work: Path) -> list[PrintLayout]:
    """Print every workbook to PDF (one LibreOffice run) and report pages and scale per sheet."""
    inputs = work / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    copies = []
    for number, path in enumerate(workbooks):
        copy = inputs / f"{number:02d}-{Path(path).name}"
        shutil.copyfile(path, copy)
        copies.append(copy)
    pdfs = convert_to_pdf(copies, work / "pdf")
    layouts = []
    for original, pdf in zip(workbooks, pdfs, strict=True):
        package = Package.read(Path(original))
        texts = page_texts(pdf)
        marks = bookmarks(pdf)
        owner: list[str] = []
        for index, (title, first) in enumerate(marks):
            last = marks[index + 1][1] - 1 if index + 1 < len(marks) else len(texts)
            owner.extend([title] * (last - first + 1))
        if not marks:  # no bookmarks: the footer's sheet name (``&A``), else the page before's sheet
            visible = [name for name in package.sheets() if name not in hidden_sheets(package)]
            for text in texts:
                named = [name for name in visible if name in footer_line(text)]
                owner.append(max(named, key=len) if named else (owner[-1] if owner else ""))
        pages = [
            PrintedPage(number, owner[number - 1] if number - 1 < len(owner) else "", footer_line(text))
            for number, text in enumerate(texts, start=1)
        ]
        hidden = hidden_sheets(package)
        layout = PrintLayout(Path(original), pdf, pages)
        for sheet in package.sheets():
            count = sum(page.sheet == sheet for page in pages)
            scale = None if sheet in hidden else effective_scale(package, sheet)
            layout.sheets.append(SheetPrint(sheet, sheet in hidden, count, scale))
        layouts.append(layout)
    return layouts
