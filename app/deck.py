"""The forum slides as an editable PPTX, from the page or the command line.

    python -m app.deck --lang fr --as-of 2020-03-01 --out forum.pptx [--since 2019-03-01]

Titles and figures are text, charts are images rendered offline by vl-convert (the map through
its Vega-Lite twin, since pydeck has no image export), and each slide's speaker notes state its
figures and their definitions. English by default; --as-of defaults to the data's as-of date and
--since to one year before it.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from app import charts, slides
from core import exports
from core.i18n import languages, normalise, t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
# The language of every run of text, so that a screen reader and the spelling checker read French as French.
LANGUAGE_IDS = {"en": MSO_LANGUAGE_ID.ENGLISH_UK, "fr": MSO_LANGUAGE_ID.FRENCH, "es": MSO_LANGUAGE_ID.SPANISH}
MARGIN = Inches(0.5)
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
MAX_TABLE_ROWS = slides.SLIDE_TABLE_ROWS
TABLE_FONT = 20  # points: 27 px at 96 dpi, read from the back of a room (a projected table at 24 px or more)


def _title(slide, text: str) -> None:
    """The slide's title in the layout's title placeholder: outline view, screen readers and the
    accessibility checker see it as the title, and it comes first in the reading order."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9)
    frame = title.text_frame
    frame.word_wrap = True
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.font.size = Pt(32)
    paragraph.font.bold = True
    paragraph.font.color.rgb = TEXT


def _alt_text(shape, text: str) -> None:
    """Alternative text of a picture or table (the "descr" of its non-visual properties)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _text(slide, text: str, top, height, size: int, bold: bool = False, colour: RGBColor = TEXT) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = colour


def _lines(slide, lines: tuple[str, ...], top, small: bool):
    """The slide's figures as paragraphs of one text box; returns where the next shape may start."""
    size = 20 if small else 30
    per_line = 95 if small else 62  # characters that fit across the slide at that size
    rows = sum(1 + len(line) // per_line for line in lines)
    height = Emu(int(Pt(size) * 1.45 * rows)) + Inches(0.15)
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.color.rgb = TEXT
        paragraph.space_after = Pt(6 if small else 14)
    return top + height


def _picture(slide, png: bytes, top, max_height, alt: str, max_width=None) -> None:
    """The chart as a picture as large as the room allows: centred, or at the left margin within `max_width`."""
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, top)
    _alt_text(picture, alt)
    ratio = min((max_width or WIDTH - 2 * MARGIN) / picture.width, max_height / picture.height)
    picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
    if max_width is None:
        picture.left = int((WIDTH - picture.width) / 2)


def _table(slide, frame, top, max_height, alt: str) -> None:
    shown = frame.head(MAX_TABLE_ROWS)
    rows, columns = len(shown) + 1, len(shown.columns)
    shape = slide.shapes.add_table(rows, columns, MARGIN, top, WIDTH - 2 * MARGIN, Emu(min(max_height, Inches(0.6) * rows)))
    _alt_text(shape, alt)
    table = shape.table
    for j, name in enumerate(shown.columns):
        table.cell(0, j).text = str(name)
    for i, row in enumerate(shown.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = "" if value is None else str(value)
    for cell in (table.cell(i, j) for i in range(rows) for j in range(columns)):
        for paragraph in cell.text_frame.paragraphs:
            paragraph.font.size = Pt(TABLE_FONT)


def _figure(slide, figure: str, caption: str, top):
    """The slide's key figure as a big number, what it counts under it; returns where the next shape may start."""
    _text(slide, figure, top, Inches(1.9), 110, bold=True)
    _text(slide, caption, top + Inches(1.9), Inches(0.8), 36)
    return top + Inches(2.9)


def _names(slide, names: tuple[tuple[str, str], ...], left, top, width, height) -> None:
    """Headed lists of names (the states left, by region) in one text box beside the chart."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (heading, listed) in enumerate(names):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = heading
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(18), True, TEXT
        paragraph = frame.add_paragraph()
        paragraph.text = listed
        paragraph.font.size, paragraph.font.color.rgb = Pt(18), TEXT
        paragraph.space_after = Pt(8)


def _describe(presentation, deck: list[slides.Slide], lang: str) -> None:
    """The file's title, subject and language (shown by PowerPoint and read by assistive technology)."""
    properties = presentation.core_properties
    properties.title = exports.file_property(deck[0].title if deck else t("nav.forum", lang))
    properties.subject = exports.file_property(t("app.title", lang))
    properties.author = properties.last_modified_by = exports.file_property(t("app.title", lang))
    properties.comments = exports.file_property(" ".join(deck[0].footer) if deck else "")
    properties.language = lang
    language = LANGUAGE_IDS[lang]
    for page in presentation.slides:
        frames = [page.notes_slide.notes_text_frame]
        for shape in page.shapes:
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames.extend(cell.text_frame for row in shape.table.rows for cell in row.cells)
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    run.font.language_id = language


def write_pptx(deck: list[slides.Slide], lang: str = "en") -> bytes:
    """One PPTX slide per forum slide: title, lines, picture or table, footer, speaker notes.

    The title is in the title placeholder (layout "Title Only"), pictures and tables carry alternative
    text (the slide's title and its speaker notes, which state the figures), in reading order after the title.
    The file carries its title and language, and every run of text its language.
    """
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    title_only = presentation.slide_layouts[5]
    for item in deck:
        page = presentation.slides.add_slide(title_only)
        _title(page, item.title)
        alt = f"{item.title}. {item.notes}"
        top = Inches(1.3)
        if item.figure:
            top = _figure(page, item.figure, item.figure_caption, top)
        if item.lines:
            top = _lines(page, item.lines, top, small=item.chart is not None or item.table is not None)
        room = HEIGHT - top - Inches(0.9)
        if item.chart is not None and item.names:
            # The chart at the left, the states it counts by name at the right (as on the page).
            chart_width = int((WIDTH - 2 * MARGIN) * 0.55)
            _picture(page, charts.to_png(slides.for_projector(item.chart), scale=2), top, room, alt, max_width=chart_width)
            left = MARGIN + chart_width + Inches(0.3)
            _names(page, item.names, left, top, WIDTH - MARGIN - left, room)
        elif item.chart is not None:
            _picture(page, charts.to_png(slides.for_projector(item.chart), scale=2), top, room, alt)
        elif item.table is not None and not item.table.empty:
            _table(page, item.table, top, room, alt)
            if item.more:
                _text(page, item.more, HEIGHT - Inches(1.4), Inches(0.5), 18)
        _text(page, "  ".join(item.footer), HEIGHT - Inches(0.8), Inches(0.6), 11, colour=MUTED)
        page.notes_slide.notes_text_frame.text = item.notes
    _describe(presentation, deck, normalise(lang))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def default_since(as_of: date) -> date:
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.deck", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", default="en", choices=sorted(languages()))
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: the data's as-of date)")
    parser.add_argument("--since", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: a year before --as-of)")
    parser.add_argument("--out", type=Path, default=Path("forum.pptx"))
    args = parser.parse_args(argv)
    from app import queries, snapshot
    from app.db import Database
    from core.config import database_path, geometry_path
    from etl.build import ensure_current

    ensure_current(database_path())
    db = Database(database_path())
    try:
        as_of = args.as_of or queries.data_as_of(db)
        since = args.since or default_since(as_of)
        today, then, facts = snapshot.take(db, as_of), snapshot.take(db, since), queries.forum_facts(db, as_of, since)
    finally:
        db.close()
    geometry = json.loads(geometry_path().read_text(encoding="utf-8"))
    deck = slides.build(today, then, facts, geometry, as_of, since, normalise(args.lang))
    args.out.write_bytes(write_pptx(deck, args.lang))
    print(f"{args.out}: {len(deck)} slides, {args.lang}, as of {as_of.isoformat()}, changes since {since.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
