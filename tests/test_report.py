"""The Secretariat's annual report: the year's figures from its two snapshots, the files (PDF, DOCX), the page."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date

import pytest

from app import annual, figures, queries, report, snapshot
from core.config import geometry_path
from core.i18n import NO_BREAK, catalogue, fmt_date, fmt_number
from tests.conftest import ROOT

GENERATED = date(2026, 12, 6)


@pytest.fixture(scope="module")
def geometry() -> dict:
    return json.loads(geometry_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def make(db, geometry):
    """The report of a year in a language, as the page and the command make it (one snapshot per day)."""
    made = {}

    def build(year: int, lang: str = "en") -> annual.Report:
        if (year, lang) not in made:
            until = annual.year_end(year, queries.data_as_of(db))
            start, end = snapshot.take(db, date(year - 1, 12, 31)), snapshot.take(db, until)
            facts = queries.annual_report_facts(db, year, until)
            made[(year, lang)] = annual.build(start, end, facts, geometry, year, lang, GENERATED)
        return made[(year, lang)]

    return build


def _name(db, iso3: str, lang: str) -> str:
    return db.query(f"select name_{lang} from states where iso3 = ?", [iso3]).iloc[0, 0]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_2015_names_south_sudan_and_viet_nam_and_gives_158_at_the_end_of_the_year(db, make, lang):
    summary = make(2015, lang).section("summary").blocks[0].text
    assert _name(db, "SSD", lang) in summary and _name(db, "VNM", lang) in summary
    assert re.search(rf"(?<!\d){fmt_number(158, lang)}(?!\d)", summary)
    # the CTI's own report: "two new ratifications, South Sudan and Viet Nam, bringing the total at year's end to 158"
    assert fmt_date(date(2015, 2, 5), lang) in summary and fmt_date(date(2015, 4, 30), lang) in summary


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_2020_names_oman_and_saint_kitts_and_nevis_and_gives_171(db, make, lang):
    summary = make(2020, lang).section("summary").blocks[0].text
    assert _name(db, "OMN", lang) in summary and _name(db, "KNA", lang) in summary
    assert re.search(rf"(?<!\d){fmt_number(171, lang)}(?!\d)", summary)
    assert _name(db, "VNM", lang) not in summary  # only the year's own deposits


def test_every_headline_figure_is_the_one_the_dashboard_shows_for_that_date(db, make):
    """The report's table and the Overview read the same snapshot through the same function (figures.headline)."""
    for year in (2015, 2020, 2025):
        table = make(year).section("summary").blocks[1].table
        for day, column in ((date(year - 1, 12, 31), 1), (date(year, 12, 31), 2)):
            shown = figures.headline(snapshot.take(db, day).status)
            values = [int(row[column].replace(",", "")) for row in table.rows]
            keys = ("parties", "member_parties", "member_signatories", "member_no_action", "art22", "opcat_parties")
            assert values == [shown[key] for key in keys], (year, day)


def test_the_current_year_runs_to_the_data_and_says_so_on_the_cover(db, make):
    latest = queries.data_as_of(db)
    partial = make(latest.year)
    assert not partial.complete and partial.as_of == latest
    assert fmt_date(latest, "en") in partial.cover[1] and "is not over" in partial.cover[1]
    assert make(2025).complete and make(2025).as_of == date(2025, 12, 31)
    assert "Draft generated from the data on 6 December 2026" in make(2025).cover[0]


def test_reporting_lists_ldc_and_sids_first_each_with_its_source_level(make):
    reporting = make(2015).section("reporting")
    overdue = [b.table for b in reporting.blocks if b.table is not None][-1]
    priority = [row[1] != "" for row in overdue.rows]
    assert any(priority) and not all(priority)
    assert priority == sorted(priority, reverse=True)  # every LDC or SIDS before every other state
    levels = ("primary: ", "secondary: ", "inferred: ", "No submission on record")
    assert all(row[-1].startswith(levels) for row in overdue.rows)
    assert any(row[-1].startswith("primary: CAT/C/") for row in overdue.rows)


def test_open_commitments_are_states_not_party_at_the_end_of_the_year(db, make):
    upr = make(2015).section("upr")
    tables = [b.table for b in upr.blocks if b.table is not None]
    open_cat = tables[-1]
    status = snapshot.take(db, date(2015, 12, 31)).status.set_index("name_en").status
    assert open_cat.rows and all(status[row[0]] != "party" for row in open_cat.rows)
    # Viet Nam ratified in February 2015: its commitment, open at the start of the year, is no longer open at its end
    before = annual.open_commitments(annual.Moment(snapshot.take(db, date(2014, 12, 31)), date(2014, 12, 31)), _recs(db))
    assert "VNM" in set(before[before.target == "CAT"].iso3)
    assert "Viet Nam" not in {row[0] for row in open_cat.rows}


def _recs(db):
    return queries.annual_report_facts(db, 2015, date(2015, 12, 31))["recommendations"]


def test_targets_tell_real_and_sample_records_apart_and_count_to_a_month(make):
    text = "\n".join(block.text for block in make(2025).section("targets").blocks)
    assert "sample records made up to demonstrate the dashboard" in text
    assert "up to the end of December 2025" in text
    partial = "\n".join(block.text for block in make(2026).section("targets").blocks)
    assert "up to the end of January 2026" in partial  # the data's as-of date is in February: January is complete


def test_french_report_follows_french_typography(make):
    text = make(2015, "fr").text()
    assert not re.search(r" [:;?!%]", text)  # a no-break space before double punctuation, never a plain one
    assert f"{NO_BREAK}:" in text and "31 décembre 2015" in text
    english = {catalogue("en")[key] for key in ("report.section_summary", "report.section_road", "report.section_annex")}
    assert not [phrase for phrase in english if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]


def test_the_pdf_is_a4_tagged_with_8_to_16_pages_and_vector_charts(make, tmp_path):
    path = tmp_path / "report-2015-fr.pdf"
    path.write_bytes(report.to_pdf(make(2015, "fr")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 8 <= pages <= 16
    assert re.search(r"Tagged:\s+yes", info) and "595.276 x 841.89 pts (A4)" in info
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header only: no picture, the charts are vector paths
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Soudan du Sud" in text and "158" in text
    assert "État partie" in text and "1990" in text  # the map's legend and the timeline's axis: text in the PDF, not pixels


def test_print_svg_keeps_the_picture_with_fewer_points():
    square = '<svg><path d="M0,0L5,0.01L10,0L10,10L0,10Z"/><path d="M1,1L1.1,1L1,1.1Z"/><path d="M0,0C1,1,2,2,3,3"/></svg>'
    simplified = report.print_svg(square, tolerance=0.4)
    assert 'd="M0.0,0.0L10.0,0.0L10.0,10.0L0.0,10.0Z"' in simplified  # the point 0.01 px off the edge is gone
    assert 'd="M1,1L1.1,1L1,1.1Z"' in simplified  # an outline smaller than the tolerance is kept whole when alone
    assert 'd="M0,0C1,1,2,2,3,3"' in simplified  # curves are left as they are


def test_the_docx_comes_from_the_template_in_the_language_with_tables_and_described_charts(make, monkeypatch):
    from docx import Document

    from app import charts
    from tests.test_translations import BLANK_PNG

    monkeypatch.setattr(charts, "to_png", lambda chart, scale=1: BLANK_PNG)  # the pictures' pixels are not the point
    document = Document(io.BytesIO(report.to_docx(make(2020, "es"))))
    assert document.core_properties.title == "Informe anual 2020" and document.core_properties.language == "es"
    styles = {paragraph.style.name for paragraph in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Caption"} <= styles  # the template's styles: restyled in Word
    assert len(document.tables) >= 6 and all(table.style.name == "Table Grid" for table in document.tables)
    assert document.tables[0].rows[0].cells[0].text == "Indicador"
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(descriptions) == 2 and all(descriptions) and "Mapa del mundo" in descriptions[0]
    assert "{{" not in "\n".join(p.text for p in document.paragraphs)


def test_the_command_writes_the_report_and_refuses_a_year_out_of_range(tmp_path, capsys):
    from app.report import main

    out = tmp_path / "report.html"
    command = [sys.executable, "-m", "app.report", "--year", "2020", "--lang", "fr", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=600)
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "Oman" in html and "Saint-Kitts-et-Nevis" in html
    assert html.count("data:image/svg+xml;base64,") == 2 and "http" not in re.sub(r'(xmlns|href)="[^"]*"', "", html)
    # The refusal through the same entry point, in this process (the command's start-up is shown above).
    late = main([*command[3:4], "1984", *command[5:]])
    assert late == 2 and "--year must be from 1985" in capsys.readouterr().err


def test_the_page_shows_the_report_of_the_year_in_the_url_and_offers_both_files(built_db, downloads):
    from tests.apptest import open_page, url_value

    at = open_page("views/report.py", lang="fr", year="2015")
    assert url_value(at, "year") == "2015"
    assert [h.value for h in at.header] == ["Rapport annuel 2015"]
    text = " ".join(m.value for m in at.markdown)
    assert "Soudan du Sud" in text and "158" in text
    assert {name.rsplit(".", 1)[-1] for name in downloads} == {"pdf", "docx"}
    wrong = open_page("views/report.py", lang="en", year="1900")
    assert url_value(wrong, "year") == "2025"  # the last complete year, with a line saying what was ignored
    assert any("year=1900" in info.value for info in wrong.info)


def test_confidential_activity_detail_never_reaches_a_report_or_an_update(db, make, tmp_path, monkeypatch):
    """Every file written (PDF, DOCX, HTML of the report; e-mail, HTML, text and PDF of the update) is scanned for
    every record that is not public or is sample data, as the open-data test scans the bundle."""
    from app import digest
    from app import update as update_files
    from tests.test_opendata import confidential_activities

    secret = confidential_activities(db.path)
    assert len(secret) == 111
    written = []
    for year in (2020, 2025):
        built = make(year)
        for name, content in (
            (f"report-{year}.pdf", report.to_pdf(built)),
            (f"report-{year}.docx", report.to_docx(built)),
            (f"report-{year}.html", report.to_html(built).encode()),
        ):
            (tmp_path / name).write_bytes(content)
            written.append(tmp_path / name)
    since, until = date(2020, 1, 1), date(2026, 12, 6)
    built = digest.build(
        snapshot.take(db, since), snapshot.take(db, until), queries.span_facts(db, since, until), since, until, "en", GENERATED
    )
    for name, content in (
        ("update.eml", update_files.to_email(built)),
        ("update.html", update_files.to_html(built).encode()),
        ("update.txt", update_files.to_text(built).encode()),
        ("update.pdf", update_files.to_pdf(built)),
    ):
        (tmp_path / name).write_bytes(content)
        written.append(tmp_path / name)
    for path in written:
        text = _readable(path)
        assert len(text) > 500, path.name
        for activity_id, title in secret:
            assert activity_id not in text and title not in text, (path.name, activity_id)


def _readable(path) -> str:
    """The text a reader can get out of a file: PDF through pdftotext, DOCX through its XML, the rest as it is."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    return path.read_text(encoding="utf-8")
