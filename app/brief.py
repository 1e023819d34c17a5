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
MAX_RECOMMENDATIONS = 8
MAX_TEXT = 220
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
    shown = [row[:text] + [_short(row[text])] for row in rows[-MAX_RECOMMENDATIONS:]]
    more = t_count("brief.more_recommendations", lang, len(rows) - len(shown)) if len(rows) > len(shown) else ""
    return shown, more


def to_html(profile: Profile) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.get_template(HTML_TEMPLATE).render(**context(profile))


def to_pdf(profile: Profile) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(profile), base_url=str(TEMPLATES)).write_pdf()


def to_docx(profile: Profile) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(DOCX_TEMPLATE)
    document.render(context(profile), autoescape=True)
    document.docx.core_properties.title = exports.file_property(profile.title)  # the template's is English
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_docx_template(path: Path = DOCX_TEMPLATE) -> None:
    """Write the default Word template (run once; the Secretariat then restyles the file in Word)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin, section.bottom_margin = Mm(14), Mm(14)
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(9)
    styles["Normal"].paragraph_format.space_after = Pt(2)
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
    document.add_paragraph("{%p for row in section.rows %}")
    document.add_paragraph("{{ row | join(' · ') }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if section.more %}")
    document.add_paragraph("{{ section.more }}")
    document.add_paragraph("{%p endif %}")
    source = document.add_paragraph().add_run("{{ section.source }}")
    source.italic = True
    source.font.size = Pt(7.5)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("").add_run("{{ disclaimer }}").font.size = Pt(7)
    footer = section.footer.paragraphs[0]
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
