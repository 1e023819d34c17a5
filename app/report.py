"""The annual report as a file: PDF from an HTML print layout, DOCX from a Word template, and the command line.

    python -m app.report --year 2025 --lang fr --out report.pdf      (or report.docx, or report.html)

Both files come from the same Report (app/annual.py) as the page. The charts are the dashboard's
Vega-Lite charts: in the PDF they are vector graphics (rendered to SVG by vl-convert, embedded in the
HTML and drawn by WeasyPrint), in the DOCX pictures. The Secretariat restyles the DOCX by editing
`app/templates/report.docx` in Word (keep the {{ ... }} and {% ... %} tags) and the PDF by editing
`app/templates/report.html` (HTML and print CSS).
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import sys
from datetime import date
from pathlib import Path

import jinja2

from app import charts
from app.annual import Report
from app.brief import a4_document, render_pdf  # the brief's page set-up; tagged PDFs (PDF/UA-1)
from core.i18n import t

TEMPLATES = Path(__file__).with_name("templates")
DOCX_TEMPLATE = TEMPLATES / "report.docx"
HTML_TEMPLATE = "report.html"
# The charts drawn in the PDF: vl-convert's SVG with each outline simplified to what a print can show (a
# map's coastline has thousands of points closer together than a printed dot; WeasyPrint reads each one).
PRINT_TOLERANCE = 0.4  # pixels of the chart's own size (700 px across the text width: about 0.1 mm)
DOCX_IMAGE_SCALE = 2  # PNG pixels per chart pixel in the DOCX


_PATH = re.compile(r'(<path\b[^>]*?\sd=")([^"]*)(")')
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?(?:e-?\d+)?),(-?\d+(?:\.\d+)?(?:e-?\d+)?)")
_STRAIGHT = re.compile(r"^[ML0-9.,eZ\-]*$")  # a path of straight segments only (no curves, no relative moves)


def _douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """The points a polyline needs so that none left out lies farther than `tolerance` from it."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            along = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
            distance = (px - ax - along * dx) ** 2 + (py - ay - along * dy) ** 2
            if distance > farthest:
                farthest, index = distance, i
        if farthest > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _simplify_path(d: str, tolerance: float) -> str:
    if not _STRAIGHT.match(d):
        return d
    parts = []
    for piece in d.split("M")[1:]:
        closed = piece.endswith("Z")
        kept = _douglas_peucker([(float(x), float(y)) for x, y in _PAIR.findall(piece)], tolerance)
        if closed and len(kept) < 3:
            continue  # an islet smaller than the tolerance: nothing a print can show
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + ("Z" if closed else ""))
    return "".join(parts) or d


def print_svg(svg: str, tolerance: float = PRINT_TOLERANCE) -> str:
    """vl-convert's SVG with every straight-segment outline simplified to `tolerance` pixels (the same picture in
    print, a fraction of the points: the map drops from about 32,000 to 9,000)."""
    return _PATH.sub(lambda found: found.group(1) + _simplify_path(found.group(2), tolerance) + found.group(3), svg)


def svg_figures(report: Report) -> dict[str, str]:
    """Each chart of the report as print SVG, by key."""
    return {figure.key: print_svg(charts.to_svg(figure.chart)) for figure in report.figures()}


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def context(report: Report) -> dict:
    """The report as plain values for both templates (the same words in the PDF and the DOCX)."""
    sections = []
    for section in report.sections:
        blocks = []
        for block in section.blocks:
            item = {"kind": block.kind, "text": block.text}
            if block.table is not None:
                item["table"] = {
                    "caption": block.table.caption,
                    "columns": list(block.table.columns),
                    "rows": [list(row) for row in block.table.rows],
                    "numeric": list(block.table.numeric),
                    "dates": list(block.table.dates),
                }
            if block.figure is not None:
                item["figure"] = {
                    "key": block.figure.key,
                    "title": block.figure.title,
                    "alt": block.figure.alt,
                    "lines": list(block.figure.lines),
                }
            blocks.append(item)
        sections.append({"key": section.key, "title": section.title, "blocks": blocks, "source": section.source})
    return {
        "lang": report.lang,
        "year": report.year,
        "title": report.title,
        "subtitle": report.subtitle,
        "cover": list(report.cover),
        "key_figures": [{"value": value, "label": label} for value, label in report.key_figures],
        "sections": sections,
        "footer": report.footer,
        "page_word": t("report.page_of", report.lang),
        "contents": t("report.contents", report.lang),
    }


def to_html(report: Report, svgs: dict[str, str] | None = None) -> str:
    """The print layout, every chart embedded as an SVG image (vector; nothing fetched from elsewhere)."""
    svgs = svg_figures(report) if svgs is None else svgs
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    values = context(report)
    for section in values["sections"]:
        for block in section["blocks"]:
            if "figure" in block:
                block["figure"]["src"] = _data_uri(svgs[block["figure"]["key"]])
    return environment.get_template(HTML_TEMPLATE).render(**values)


def to_pdf(report: Report, svgs: dict[str, str] | None = None) -> bytes:
    return render_pdf(to_html(report, svgs))


def to_docx(report: Report) -> bytes:
    """The report as a Word document from the template: headings, paragraphs and tables in the template's styles,
    charts as pictures with their alternative text."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(DOCX_TEMPLATE)
    values = context(report)
    charts_by_key = {figure.key: figure for figure in report.figures()}
    tables = []
    for section in values["sections"]:
        for block in section["blocks"]:
            if "table" in block:
                block["table"]["marker"] = f"{TABLE_MARKER}{len(tables)}]]"
                tables.append(block["table"])
            if "figure" in block:
                figure = charts_by_key[block["figure"]["key"]]
                picture = io.BytesIO(charts.to_png(figure.chart, scale=DOCX_IMAGE_SCALE))
                block["figure"]["image"] = InlineImage(document, picture, width=Mm(170))
    document.render(values, autoescape=True)
    _insert_tables(document.docx, tables)
    _describe_pictures(document, [figure.alt for figure in report.figures()])
    document.docx.core_properties.title = report.title  # the template's is English
    document.docx.core_properties.language = report.lang
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TABLE_MARKER = "[[table:"


def _insert_tables(document, tables: list[dict]) -> None:
    """Replace each table's marker paragraph with a Word table in the template's "Table Grid" style (restyle it in
    Word), its header row repeated on every page, its caption above it in the "Caption" style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for paragraph in list(document.paragraphs):
        text = paragraph.text.strip()
        if not text.startswith(TABLE_MARKER):
            continue
        table = tables[int(text[len(TABLE_MARKER) : -2])]
        grid = document.add_table(rows=1, cols=len(table["columns"]))
        grid.style = "Table Grid"
        for cell, heading in zip(grid.rows[0].cells, table["columns"], strict=True):
            cell.text = heading
            for run in cell.paragraphs[0].runs:
                run.bold = True
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        grid.rows[0]._tr.get_or_add_trPr().append(repeat)
        for row in table["rows"]:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
        paragraph._p.addnext(grid._tbl)
        if table["caption"]:
            paragraph.text = table["caption"]
            paragraph.style = document.styles["Caption"]
        else:
            paragraph._p.getparent().remove(paragraph._p)


def _describe_pictures(document, descriptions: list[str]) -> None:
    """Each chart picture's alternative text (its "descr"), in the order the charts appear."""
    pictures = document.docx.element.body.xpath(".//wp:docPr")
    for picture, text in zip(pictures, descriptions, strict=False):
        picture.set("descr", text)


def make_docx_template(path: Path = DOCX_TEMPLATE) -> None:
    """Write the default Word template (run once; the Secretariat then restyles the file in Word)."""
    from docx.shared import Pt, RGBColor

    document = a4_document(sides=20, top_bottom=18, size=10, space_after=4)
    styles = document.styles
    styles["Title"].font.size = Pt(26)
    styles["Subtitle"].font.size = Pt(14)
    for name, size in (("Heading 1", 15), ("Heading 2", 11.5)):
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    styles["Caption"].font.size = Pt(8.5)
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ subtitle }}", style="Subtitle")
    document.add_paragraph("{%p for figure in key_figures %}")
    key = document.add_paragraph()
    key.add_run("{{ figure.value }}").bold = True
    key.add_run(" {{ figure.label }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for line in cover %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_page_break()
    document.add_paragraph("{%p for section in sections %}")
    document.add_paragraph("{{ section.title }}", style="Heading 1")
    document.add_paragraph("{%p for block in section.blocks %}")
    document.add_paragraph("{%p if block.kind == 'heading' %}")
    document.add_paragraph("{{ block.text }}", style="Heading 2")
    document.add_paragraph("{%p elif block.kind == 'paragraph' %}")
    document.add_paragraph("{{ block.text }}")
    document.add_paragraph("{%p elif block.kind == 'note' %}")
    document.add_paragraph("{{ block.text }}", style="Caption")
    document.add_paragraph("{%p elif block.kind == 'table' %}")
    document.add_paragraph("{{ block.table.marker }}")
    document.add_paragraph("{%p elif block.kind == 'figure' %}")
    document.add_paragraph("{{ block.figure.title }}", style="Heading 2")
    document.add_paragraph("{{ block.figure.image }}")
    document.add_paragraph("{%p for line in block.figure.lines %}")
    document.add_paragraph("{{ line }}", style="Caption")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if section.source %}")
    document.add_paragraph("{{ section.source }}", style="Caption")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "{{ footer }}"
    footer.runs[0].font.size = Pt(8)
    document.core_properties.title = "Annual report"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


def write(report: Report, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        out.write_bytes(to_pdf(report))
    elif suffix == ".docx":
        out.write_bytes(to_docx(report))
    else:
        out.write_text(to_html(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import json

    from app import annual, queries, snapshot
    from app.db import Database
    from core.config import database_path, geometry_path
    from core.i18n import languages
    from etl.build import ensure_current

    parser = argparse.ArgumentParser(prog="python -m app.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, required=True, help="the year the report covers (e.g. 2025)")
    parser.add_argument("--lang", default="en", choices=sorted(languages()))
    parser.add_argument("--out", type=Path, required=True, help="a .pdf, .docx or .html file")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() not in (".pdf", ".docx", ".html"):
        print("error: --out must end in .pdf, .docx or .html", file=sys.stderr)
        return 2
    ensure_current(database_path())
    database = Database(database_path())
    try:
        latest = queries.data_as_of(database)
        if not annual.FIRST_YEAR <= args.year <= latest.year:
            print(f"error: --year must be from {annual.FIRST_YEAR} to {latest.year} (the data's as-of year)", file=sys.stderr)
            return 2
        until = annual.year_end(args.year, latest)
        start, end = snapshot.take(database, date(args.year - 1, 12, 31)), snapshot.take(database, until)
        facts = queries.annual_report_facts(database, args.year, until)
    finally:
        database.close()
    geometry = json.loads(geometry_path().read_text(encoding="utf-8"))
    write(annual.build(start, end, facts, geometry, args.year, args.lang, date.today()), args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
