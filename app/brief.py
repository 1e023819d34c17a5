"""The printable country brief: DOCX from a Word template, PDF from one HTML print layout, and the command line.

    python -m app.brief --state FJI --lang fr --as-of 2020-03-01 --out fiji.docx   (or .pdf)
    python -m app.brief --non-parties --lang en --out briefs/                     (one per UN member not party, and an index)

Both files come from the same Profile (app/profile.py) as the page. The Secretariat restyles the
DOCX by editing `app/templates/brief.docx` in Word (keep the {{ ... }} and {% ... %} tags), and the
PDF by editing `app/templates/brief.html` (HTML and print CSS, rendered by WeasyPrint).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

import jinja2

from app.profile import Profile, Section
from core import exports

TEMPLATES = Path(__file__).with_name("templates")
DOCX_TEMPLATE = TEMPLATES / "brief.docx"
HTML_TEMPLATE = "brief.html"
# A brief is one A4 page, two at most: the recommendations table shows the most recent ones.
MAX_RECOMMENDATIONS = 5
MAX_TEXT = 180
MARKS = {True: "✓", False: "–", None: ""}


def _short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def context(profile: Profile) -> dict:
    """The brief's content as plain values for both templates (the same for DOCX and PDF)."""
    from core.i18n import t

    sections = []
    for section in profile.sections:
        rows, more = _rows(section, profile.lang)
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "paragraphs": list(section.paragraphs),
                "steps": [
                    {
                        "mark": MARKS[s.done],
                        "label": s.label,
                        "value": s.value,
                        "line": t("profile.label_value", profile.lang, label=s.label, value=s.value),
                    }
                    for s in section.steps
                ],
                "columns": list(section.table.columns) if section.table else [],
                "rows": rows,
                "more": more,
                "table_marker": f"[[table {section.key}]]",
                "notes": list(section.notes),
                "source": section.source,
            }
        )
    return {
        "lang": profile.lang,
        "title": profile.title,
        "headline": profile.headline,
        "as_of_line": profile.as_of_line,
        "groups": groups_line(profile),
        "sections": sections,
        "disclaimer": profile.disclaimer,
        "footer": profile.footer,
    }


def groups_line(profile: Profile) -> str:
    """The groups on the date as one line ("Groups on this date: ..."), empty when the state is in none."""
    from core.i18n import t

    if not profile.groups:
        return ""
    groups = t("profile.separator", profile.lang).join(profile.groups)
    return t("profile.label_value", profile.lang, label=t("profile.groups", profile.lang), value=groups)


def _rows(section: Section, lang: str) -> tuple[list[list[str]], str]:
    from core.i18n import t_count

    if section.table is None:
        return [], ""
    rows = [list(row) for row in section.table.rows]
    if section.key != "upr":
        return rows, ""
    text = len(section.table.columns) - 1
    # The profile orders them by relevance (open treaty acts first): the brief keeps the first ones.
    shown = [row[:text] + [_short(row[text])] for row in rows[:MAX_RECOMMENDATIONS]]
    more = t_count("brief.more_recommendations", lang, len(rows) - len(shown)) if len(rows) > len(shown) else ""
    return shown, more


def to_html(profile: Profile) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.get_template(HTML_TEMPLATE).render(**context(profile))


def render_pdf(html: str) -> bytes:
    """A PDF of a print layout (app/templates), tagged for screen readers: PDF/UA-1, the structure of the HTML
    (headings, lists, tables, figures' alternative text), its <title> and the language of its <html lang>.

    The one place the options are set: the brief, the annual report and the update all go through it."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")


def to_pdf(profile: Profile) -> bytes:
    return render_pdf(to_html(profile))


def to_docx(profile: Profile) -> bytes:
    from docxtpl import DocxTemplate

    from core.i18n import t

    document = DocxTemplate(DOCX_TEMPLATE)
    values = context(profile)
    document.render(values, autoescape=True)
    tables(document.docx, values["sections"])
    properties = document.docx.core_properties
    properties.title = exports.file_property(profile.title)  # the template's is English
    properties.author = properties.last_modified_by = t("app.title", profile.lang)  # not "python-docx"
    properties.language = LANGUAGE_TAGS.get(profile.lang, profile.lang)
    set_language(document.docx, properties.language)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


def set_language(document, tag: str) -> None:
    """The document's proofing language (every run without its own): Word spell-checks and reads it aloud in it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        document.styles.element.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.append(run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), tag)


def tables(document, sections: list[dict]) -> None:
    """Each section's table marker paragraph becomes a Word table: a header row repeated on every page, rows that
    never break across pages (a list of recommendations a reader can sort and restyle in Word)."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    by_marker = {section["table_marker"]: section for section in sections if section["rows"]}
    for paragraph in list(document.paragraphs):
        section = by_marker.get(paragraph.text.strip())
        if section is None:
            continue
        table = document.add_table(rows=1, cols=len(section["columns"]))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, section["columns"], strict=True):
            cell.text = name
            cell.paragraphs[0].runs[0].bold = True
        header = table.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))
        for values in section["rows"]:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = str(value)
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(7.5)
        paragraph._p.addprevious(table._tbl)
        paragraph._p.getparent().remove(paragraph._p)


def a4_document(sides: float, top_bottom: float, size: float, space_after: float):
    """A new portrait A4 Word document with its margins (mm) and its Calibri body text (pt): the brief's and the
    annual report's templates start here."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(sides)
    section.top_margin = section.bottom_margin = Mm(top_bottom)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(size)
    normal.paragraph_format.space_after = Pt(space_after)
    return document


def make_docx_template(path: Path = DOCX_TEMPLATE) -> None:
    """Write the default Word template (run once; the Secretariat then restyles the file in Word)."""
    from docx.shared import Pt, RGBColor

    document = a4_document(sides=15, top_bottom=14, size=9, space_after=2)
    styles = document.styles
    styles["Title"].font.size = Pt(16)
    styles["Heading 1"].font.size = Pt(11)
    styles["Heading 1"].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    styles["Heading 1"].paragraph_format.space_before = Pt(6)
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph().add_run("{{ headline }}").bold = True
    document.add_paragraph("{{ as_of_line }}")
    document.add_paragraph("{{ groups }}")
    document.add_paragraph("{%p for section in sections %}")
    document.add_paragraph("{{ section.title }}", style="Heading 1")
    document.add_paragraph("{%p for paragraph in section.paragraphs %}")
    document.add_paragraph("{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for step in section.steps %}")
    document.add_paragraph("{{ step.mark }} {{ step.line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if section.rows %}")
    document.add_paragraph("{{ section.table_marker }}")  # replaced by a real table once rendered (tables())
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if section.more %}")
    document.add_paragraph("{{ section.more }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for note in section.notes %}")
    document.add_paragraph().add_run("{{ note }}").font.size = Pt(7.5)
    document.add_paragraph("{%p endfor %}")
    source = document.add_paragraph().add_run("{{ section.source }}")
    source.italic = True
    source.font.size = Pt(7.5)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("").add_run("{{ disclaimer }}").font.size = Pt(7)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "{{ footer }}"
    footer.runs[0].font.size = Pt(7)
    document.core_properties.title = "Country brief"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


def _write(profile: Profile, out: Path) -> None:
    if out.suffix.lower() == ".pdf":
        out.write_bytes(to_pdf(profile))
    else:
        out.write_bytes(to_docx(profile))


def main(argv: list[str] | None = None) -> int:
    from app import profile, queries, snapshot
    from app.db import Database
    from core.config import database_path
    from core.i18n import languages
    from etl.build import ensure_current

    parser = argparse.ArgumentParser(prog="python -m app.brief", description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--state", help="ISO alpha-3 code of the state (e.g. FJI)")
    which.add_argument("--non-parties", action="store_true", help="one brief per UN member state not party on the date")
    parser.add_argument("--lang", default="en", choices=sorted(languages()))
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: the data's as-of date)")
    parser.add_argument("--format", choices=["docx", "pdf"], default=None, help="with --non-parties (default: docx)")
    parser.add_argument("--out", type=Path, required=True, help="a .docx or .pdf file, or a folder with --non-parties")
    args = parser.parse_args(argv)
    ensure_current(database_path())
    database = Database(database_path())
    try:
        as_of = args.as_of or queries.data_as_of(database)
        snap = snapshot.take(database, as_of)
        status = snap.status
        if args.state:
            iso3 = args.state.strip().upper()
            if iso3 not in set(status.iso3):
                print(f"error: no state has the code {args.state!r} (ISO alpha-3, e.g. FJI)", file=sys.stderr)
                return 2
            if args.out.suffix.lower() not in (".docx", ".pdf"):
                print("error: --out must end in .docx or .pdf", file=sys.stderr)
                return 2
            _write(profile.build(snap, queries.state_facts(database, iso3, as_of), iso3, as_of, args.lang), args.out)
            print(f"wrote {args.out}")
            return 0
        suffix = f".{args.format or 'docx'}"
        args.out.mkdir(parents=True, exist_ok=True)
        targets = status[(status.kind == "member") & (status.status != "party")].sort_values(f"name_{args.lang}")
        index = [f"# {as_of.isoformat()}: {len(targets)} UN member states not party", ""]
        for row in targets.itertuples(index=False):
            name = f"brief-{row.iso3}-{args.lang}-{as_of.isoformat()}{suffix}"
            facts = queries.state_facts(database, row.iso3, as_of)
            _write(profile.build(snap, facts, row.iso3, as_of, args.lang), args.out / name)
            index.append(f"- [{getattr(row, f'name_{args.lang}')}]({name}) ({row.status})")
        (args.out / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
        print(f"wrote {len(targets)} briefs and index.md to {args.out}")
        return 0
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
