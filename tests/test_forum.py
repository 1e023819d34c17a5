"""The forum: slides from the data, the presentation page in both languages, and the PPTX command."""

import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from app import queries, slides, snapshot
from core.config import geometry_path
from tests.apptest import open_page
from tests.conftest import ROOT

TITLES = {
    "en": ["Universality of the Convention against Torture", "Where the Convention stands", "States parties since 1984"],
    "fr": ["Universalité de la Convention contre la torture", "Où en est la Convention", "États parties depuis 1984"],
}


def build_deck(db, as_of: date, since: date, lang: str) -> list[slides.Slide]:
    """The deck as `python -m app.deck` builds it: two snapshots, the forum's facts and the map's shapes."""
    geometry = json.loads(geometry_path().read_text(encoding="utf-8"))
    facts = queries.forum_facts(db, as_of, since)
    return slides.build(snapshot.take(db, as_of), snapshot.take(db, since), facts, geometry, as_of, since, lang)


@pytest.fixture(scope="module")
def deck_fr(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "forum.pptx"
    result = subprocess.run(
        [sys.executable, "-m", "app.deck", "--lang", "fr", "--as-of", "2020-03-01", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "UNCAT_DB": str(built_db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return Presentation(str(out))


def test_one_slide_per_section_with_french_titles(deck_fr):
    assert len(deck_fr.slides) == len(slides.SECTIONS)
    titles = [s.shapes[0].text_frame.text for s in deck_fr.slides]
    assert titles[:3] == TITLES["fr"]
    assert titles[3] == "Nouveau depuis le 1er mars 2019"
    assert all(title for title in titles)


def test_chart_slides_carry_real_pictures(deck_fr):
    pictures = [shape for s in deck_fr.slides for shape in s.shapes if shape.shape_type == 13]
    assert len(pictures) >= 3  # map, timeline, who is left
    for picture in pictures:
        assert picture.image.content_type == "image/png" and len(picture.image.blob) > 20_000


def test_titles_and_figures_are_editable_text(deck_fr):
    headline = deck_fr.slides[0]
    text = " ".join(shape.text_frame.text for shape in headline.shapes if shape.has_text_frame)
    assert "167 sur 193" in text and "États Membres de l'ONU sont parties (87" in text  # the key figure, then what it counts


def test_speaker_notes_state_the_figures(deck_fr):
    notes = [s.notes_slide.notes_text_frame.text for s in deck_fr.slides]
    assert "167" in notes[0] and "193" in notes[0] and "ratification" in notes[0]
    remaining = notes[-1]
    assert "26" in remaining and "20" in remaining and "11" in remaining  # the strategy's figures, 1 March 2020
    targets = notes[4]
    assert "exemple" in targets  # sample activity records are named as such


def test_targets_slide_totals_only_and_sample_label(db):
    slide = slides.targets_slide(queries.targets_facts(db, date(2023, 1, 15)), date(2023, 1, 15), date(2026, 2, 3), "en")
    assert slide.table is not None and list(slide.table.columns) == ["Measure", "2020", "2021", "2022"]
    assert any("Sample data" in line for line in slide.lines)
    states = db.query("select iso3, name_en from states")
    shown = slide.table.to_string() + " ".join(slide.lines) + slide.notes
    assert not any(f" {code} " in f" {shown} " for code in states.iso3)


def test_pptx_from_the_page_builder_opens(db):
    from app.deck import write_pptx

    deck = build_deck(db, date(2026, 2, 3), date(2025, 2, 3), "en")
    presentation = Presentation(io.BytesIO(write_pptx(deck)))
    assert [s.shapes[0].text_frame.text for s in presentation.slides][:3] == TITLES["en"]


def open_forum(**params) -> AppTest:
    return open_page("views/forum.py", **params)


def shown(at: AppTest) -> str:
    return " ".join(str(getattr(element, "value", "")) for element in at.main)


def html_text(at: AppTest) -> str:
    return " ".join(node.proto.body for node in at.get("html"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_forum_page_steps_through_the_slides(built_db, lang):
    at = open_forum(lang=lang, as_of="2020-03-01")
    assert TITLES[lang][0] in html_text(at)
    for expected in TITLES[lang][1:]:
        at.button(key="next").click().run()
        assert not at.exception
        assert expected in html_text(at)
    at.button(key="previous").click().run()
    assert TITLES[lang][1] in html_text(at)


def test_forum_slide_from_the_url(built_db):
    at = open_forum(slide="6", as_of="2020-03-01")
    assert "Who is left" in html_text(at)
    assert "20 of 26 are ODA recipients (77%)" in html_text(at)
    assert at.button(key="next").disabled


def _font_sizes(node, found: list[int]) -> list[int]:
    if isinstance(node, dict):
        if isinstance(node.get("mark"), dict) and node["mark"].get("type") == "text":
            found.append(node["mark"].get("fontSize", 11))
        for key, value in node.items():
            if key.endswith("FontSize") or key == "fontSize" and not isinstance(node.get("type"), str):
                found.append(value)
            _font_sizes(value, found)
    elif isinstance(node, list):
        for value in node:
            _font_sizes(value, found)
    return found


def test_projector_charts_have_annotations_of_18_px_or_more(db):
    import json

    deck = build_deck(db, date(2020, 3, 1), date(2019, 3, 1), "en")
    for slide in deck:
        if slide.chart is None:
            continue
        sizes = _font_sizes(json.loads(slides.for_projector(slide.chart).to_json()), [])
        assert sizes and min(sizes) >= 18, (slide.key, sizes)


def check_titles_first(deck) -> None:
    """Each slide's title is in its title placeholder, read first (PowerPoint's accessibility checker)."""
    for number, page in enumerate(deck.slides, start=1):
        title = page.shapes.title
        assert title is not None and title.text_frame.text, number  # outline view and screen readers see a title
        assert page.shapes[0].shape_id == title.shape_id, number  # read first


def check_alt_text(deck) -> None:
    """Every picture and table has alternative text naming its slide."""
    described = 0
    for page in deck.slides:
        for shape in page.shapes:
            if shape.shape_type == 13 or getattr(shape, "has_table", False):
                descr = shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
                assert descr and page.shapes.title.text_frame.text in descr
                described += 1
    assert described >= 4  # map, timeline, who is left, and the tables


def test_pptx_names_its_title_and_language(db):
    from pptx.enum.lang import MSO_LANGUAGE_ID

    from app.deck import write_pptx

    deck = build_deck(db, date(2026, 2, 3), date(2025, 2, 3), "fr")
    presentation = Presentation(io.BytesIO(write_pptx(deck, "fr")))
    properties = presentation.core_properties
    assert properties.title == deck[0].title and properties.language == "fr"
    assert properties.author == properties.last_modified_by == "Tableau de bord de l'universalité de la CCT"
    assert "python-pptx" not in properties.comments
    runs = [
        run
        for page in presentation.slides
        for shape in page.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    assert runs and {run.font.language_id for run in runs} == {MSO_LANGUAGE_ID.FRENCH}


def test_pptx_titles_are_in_title_placeholders_first_in_reading_order(deck_fr):
    check_titles_first(deck_fr)


def test_pptx_pictures_and_tables_have_alt_text(deck_fr):
    check_alt_text(deck_fr)


def test_the_pptx_reads_from_the_back_of_a_room(deck_fr):
    """Issue 23: the key figure big, tables of 18 pt or more (24 px) with dates in words and names, not links."""
    import re

    from pptx.util import Pt

    headline = deck_fr.slides[0]
    sizes = {p.text: p.font.size for s in headline.shapes if s.has_text_frame for p in s.text_frame.paragraphs}
    assert sizes["167 sur 193"] >= Pt(96)
    tables = [shape.table for page in deck_fr.slides for shape in page.shapes if shape.has_table]
    assert tables  # the changes and the targets
    cells = [cell for table in tables for row in table.rows for cell in row.cells]
    assert all(p.font.size >= Pt(18) for cell in cells for p in cell.text_frame.paragraphs)
    texts = [shape.text_frame.text for page in deck_fr.slides for shape in page.shapes if shape.has_text_frame]
    texts += [cell.text for cell in cells]
    assert not [text for text in texts if "?state=" in text or "country?" in text]
    changes = next(shape.table for shape in deck_fr.slides[3].shapes if shape.has_table)
    dates = [changes.cell(i, 0).text for i in range(1, len(changes.rows))]
    assert dates and all(re.fullmatch(r"(1er|\d{1,2}) \w+ \d{4}", day) for day in dates), dates  # "4 avril 2019"
    # Who is left: the states by name beside the chart (26 UN members were not party on 1 March 2020).
    names = " ".join(shape.text_frame.text for shape in deck_fr.slides[-1].shapes if shape.has_text_frame)
    assert "Bhoutan" in names and "Tonga" in names
