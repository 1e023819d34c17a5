"""Country profile and brief: the builder, the page, the DOCX and PDF, the command line."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import docx
import pypdf
import pytest

from app import brief, profile, queries, snapshot
from app.brief import main as brief_main
from tests.apptest import open_page, url_value

COUNTRY = "views/country.py"
MARCH_2020 = date(2020, 3, 1)


def build(db, iso3: str, as_of: date, lang: str = "en"):
    return profile.build(snapshot.take(db, as_of), queries.state_facts(db, iso3, as_of), iso3, as_of, lang)


def steps(profile):
    return {s.label: s for s in profile.section("ladder").steps}


def test_party_fiji(db):
    fiji = build(db, "FJI", MARCH_2020)
    assert fiji.name == "Fiji"
    assert fiji.headline == "Party since 14 March 2016 (ratification)."
    ladder = steps(fiji)
    assert ladder["Entry into force"].value == "13 April 2016" and ladder["Entry into force"].done
    # In force 13 April 2016: due the day before the anniversary (the Committee's count).
    # No source records Fiji's report, nor its absence: said as such.
    assert ladder["Initial report to the Committee (art. 19)"].value == "overdue since 12 April 2017 (no submission on record)"
    assert ladder["Art. 20 (inquiries)"].done is False  # Fiji's art. 20 reservation
    assert any(g.startswith("ODA recipients") and "2018–2020" in g for g in fiji.groups)
    assert "UN regional group: Asia-Pacific States" in fiji.groups
    upr = fiji.section("upr")
    assert any("supported" in p for p in upr.paragraphs)
    assert upr.table is not None and all(row[3] in ("CAT", "OPCAT", "CAT and OPCAT") for row in upr.table.rows)


def test_brief_ends_with_possible_asks_each_with_its_basis(db):
    fiji = build(db, "FJI", date(2026, 2, 3))
    asks = {s.label: s.value for s in fiji.section("asks").steps}
    assert list(asks) == [
        "Make the declaration under art. 22 (individual complaints)",
        "Withdraw the reservation to art. 20 (inquiries)",
        "Submit the initial report to the Committee (art. 19)",
        "Join the Optional Protocol (OPCAT)",
    ]
    assert asks["Submit the initial report to the Committee (art. 19)"] == "Due on 12 April 2017; no submission on record."
    assert asks["Join the Optional Protocol (OPCAT)"].startswith("Not a party to the Optional Protocol. Accepted 3 UPR")
    png = build(db, "PNG", date(2026, 2, 3), "fr")
    ratify = png.section("asks").steps[0]
    assert ratify.label == "Ratifier la Convention ou y adhérer" and "A accepté 9 recommandations" in ratify.value
    # A party with nothing left to ask on the Convention or its Protocol says so.
    denmark = build(db, "DNK", date(2026, 2, 3))
    assert not denmark.section("asks").steps and denmark.section("asks").paragraphs[0].startswith("Nothing to ask")


def test_recommendations_by_relevance_open_acts_first_and_the_brief_keeps_them(db):
    fiji = build(db, "FJI", date(2026, 2, 3), "fr")
    rows = fiji.section("upr").table.rows
    # Fiji is a party: its open recommendations are those to join OPCAT; they come first, supported before noted.
    opcat = [row for row in rows if row[3] in ("OPCAT", "CCT et OPCAT") and row[4] == "ratifier ou adhérer"]
    assert rows[: len(opcat)] == tuple(opcat) and [row[5] for row in opcat][:1] == ["acceptée"]
    shown = brief.context(fiji)["sections"]
    upr = next(section for section in shown if section["key"] == "upr")
    assert [row[3] for row in upr["rows"][:2]] == ["OPCAT", "OPCAT"]  # not "the 8 most recent"
    assert "citées en anglais" in " ".join(fiji.section("upr").paragraphs)  # the texts are quoted as given
    assert "CCT" in {row[3] for row in rows} | {"CCT"} and "CAT" not in {row[3] for row in rows}


def test_docx_in_the_briefs_language_with_a_real_recommendations_table(db):
    document = docx.Document(io.BytesIO(brief.to_docx(build(db, "FJI", date(2026, 2, 3), "es"))))
    assert document.core_properties.language == "es-ES"
    assert document.core_properties.author == "Panel sobre la universalidad de la CCT"
    assert "python-docx" not in (document.core_properties.author + document.core_properties.last_modified_by)
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells][:3] == ["Ciclo", "Período de sesiones", "Recomendado por"]
    assert len(table.rows) == 1 + brief.MAX_RECOMMENDATIONS
    assert not any("[[table" in p.text for p in document.paragraphs)


def test_signatories_and_their_recommendations(db):
    india = build(db, "IND", date(2026, 2, 3))
    assert india.headline == "Signatory since 14 October 1997; not a party."
    assert steps(india)["Entry into force"].value == "does not apply"
    assert "0 supported, 26 noted" in " ".join(india.section("upr").paragraphs)
    assert "still open" not in " ".join(india.section("upr").paragraphs)
    haiti = build(db, "HTI", date(2026, 2, 3))
    assert haiti.headline == "Signatory since 16 August 2013; not a party."
    assert "still open" in " ".join(haiti.section("upr").paragraphs)


def test_no_action_tuvalu_in_2020_and_party_later(db):
    before = build(db, "TUV", MARCH_2020)
    assert before.headline == "Has neither signed nor joined the Convention."
    assert steps(before)["Initial report to the Committee (art. 19)"].done is None
    upr = before.section("upr")
    nxt = next(p for p in upr.paragraphs if p.startswith("Next review:"))
    assert nxt.startswith("Next review: cycle 4, session 44, 6 November 2023") and nxt.endswith(".")
    mark = nxt.removeprefix("Next review: cycle 4, session 44, 6 November 2023").rstrip(".").strip()
    assert any(note.startswith(mark + " Per") for note in upr.notes)  # the date's source, numbered
    pacific = {s.label: s.value for s in before.section("peers").steps}["Pacific Islands Forum"]
    assert pacific.startswith("8 of 16 are parties.") and "Tuvalu" in pacific
    after = build(db, "TUV", date(2026, 2, 3))
    assert after.headline.startswith("Party since 25 March 2024")


def test_observer_state(db):
    holy_see = build(db, "VAT", MARCH_2020, "fr")
    assert holy_see.name == "Saint-Siège"
    assert holy_see.headline.startswith("État observateur. Partie depuis le 26 juin 2002")
    assert not any(g.startswith("Groupe régional") for g in holy_see.groups)


def test_art20_reservation_is_shown(db):
    china = build(db, "CHN", MARCH_2020, "es")
    assert steps(china)["Art. 20 (investigaciones)"].value.startswith("reserva vigente")


def test_confidential_activity_never_in_a_profile(db):
    confidential = db.query("select distinct iso3 from activities where not is_public")
    assert len(confidential) > 5
    public = db.query("select iso3, count(*) as n from activities where is_public and not is_sample group by iso3")
    shown_public = dict(zip(public.iso3, public.n, strict=True))
    for iso3 in confidential.iso3:
        table = build(db, iso3, date(2026, 2, 3)).section("activities").table
        # Only the records the CTI made public (Saint Lucia's published visit), never the confidential ones.
        assert (0 if table is None else len(table.rows)) == shown_public.get(iso3, 0)
        assert table is None or not any("Sample" in cell for row in table.rows for cell in row)
    gambia = build(db, "GMB", date(2026, 2, 3)).section("activities")
    assert gambia.table is not None and gambia.table.rows[0][0] == "2018"  # public, dated to the year published


def test_docx_and_pdf_say_the_same_in_french(db):
    fiji = build(db, "FJI", MARCH_2020, "fr")
    document = docx.Document(io.BytesIO(brief.to_docx(fiji)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Fidji\u00a0: la Convention contre la torture" in text
    assert "Situation au 1er mars 2020." in text and "14 mars 2016" in text
    assert "en retard depuis le 12 avril 2017" in text
    assert "Groupes à cette date\u00a0:" in text
    assert document.core_properties.title == "Fidji\u00a0: la Convention contre la torture"  # not the template's
    pdf = pypdf.PdfReader(io.BytesIO(brief.to_pdf(fiji)))
    assert 1 <= len(pdf.pages) <= 2
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    assert "1er mars 2020" in pdf_text and "14 mars 2016" in pdf_text and "12 avril 2017" in pdf_text


def test_a_long_state_name_is_cut_in_the_file_properties_only(db):
    # Word's file properties hold at most 255 characters; a longer name broke the DOCX brief.
    import dataclasses

    name = "Republic of " + "Very " * 60 + "Long Name"
    fiji = build(db, "FJI", MARCH_2020)
    long = dataclasses.replace(fiji, name=name, title=fiji.title.replace("Fiji", name))
    document = docx.Document(io.BytesIO(brief.to_docx(long)))
    assert len(document.core_properties.title) == 255 and document.core_properties.title.endswith("…")
    assert name in "\n".join(p.text for p in document.paragraphs)  # the brief itself names it whole
    assert name in brief.to_html(long)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_briefs_fit_two_pages(db, lang):
    # The states with the most recommendations and groups, and a small island.
    for iso3 in ("IND", "FJI", "USA", "TUV"):
        pdf = pypdf.PdfReader(io.BytesIO(brief.to_pdf(build(db, iso3, date(2026, 2, 3), lang))))
        assert len(pdf.pages) <= 2, (iso3, lang)


def test_data_text_is_escaped_in_the_pdf_layout(db):
    fiji = build(db, "FJI", MARCH_2020)
    html = brief.to_html(fiji)
    assert "<script" not in html.lower()
    assert "Fiji: the Convention against Torture" in html


def test_command_line_one_state_and_the_non_parties(tmp_path, built_db, capsys):
    out = tmp_path / "fiji.docx"
    assert brief_main(["--state", "fji", "--lang", "fr", "--as-of", "2020-03-01", "--out", str(out)]) == 0
    assert "Partie depuis le 14 mars 2016 (ratification)." in "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert brief_main(["--state", "XXX", "--out", str(tmp_path / "x.docx")]) == 2
    assert "no state has the code 'XXX'" in capsys.readouterr().err
    folder = tmp_path / "pack"
    assert brief_main(["--non-parties", "--as-of", "2020-03-01", "--out", str(folder)]) == 0
    written = sorted(folder.glob("brief-*.docx"))
    assert len(written) == 26  # UN member states not party on 1 March 2020 (tests/test_strategy_figures.py)
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert index.count("](brief-") == 26 and "Tuvalu" in index


def test_profile_page_from_a_lower_case_code(built_db):
    at = open_page(COUNTRY, state="fji", as_of="2020-03-01")
    assert at.selectbox(key="profile_state").value == "FJI"
    assert url_value(at, "state") == "FJI"
    assert any(h.value == "Fiji" for h in at.header)
    shown = " ".join(m.value for m in at.markdown)
    assert "Party since 14 March 2016 \\(ratification\\)\\." in shown
    # the ladder, the recommendations, the UPR commitments, the asks, the peers (no public CTI activity with Fiji)
    assert len(at.table) == 5
    assert [b.label for b in at.get("download_button")] == ["Brief (DOCX)", "Brief (PDF)"]


def test_unknown_state_says_so_and_offers_the_search(built_db):
    at = open_page(COUNTRY, state="XXX")
    # The notice every page gives a URL value it cannot use (app.ui.ignored), once, at the top of the page.
    notices = [i.value for i in at.info if "`state=XXX`" in i.value]
    assert notices == ["Ignored `state=XXX` from the link (it cannot be used). Shown instead: no state selected."]
    assert not at.warning and url_value(at, "state") is None
    at.run()
    assert not [i for i in at.info if "state=XXX" in i.value]
    assert at.selectbox(key="profile_state").value is None
    assert not at.header and any("Choose a state" in i.value for i in at.info)
    at.selectbox(key="profile_state").set_value("TUV").run()
    assert not at.exception and url_value(at, "state") == "TUV"
    assert any(h.value == "Tuvalu" for h in at.header)


def test_profile_page_in_french_and_spanish(built_db):
    at = open_page(COUNTRY, state="TUV", lang="fr", as_of="2020-03-01")
    assert any("N’a ni signé ni rejoint la Convention" in m.value for m in at.markdown)
    at = open_page(COUNTRY, state="TUV", lang="es", as_of="2020-03-01")
    assert any("No ha firmado ni se ha adherido" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_brief_pdf_is_tagged_with_its_title_and_language(db, tmp_path, lang):
    # PDF/UA-1 (app/brief.py render_pdf): a screen reader gets the headings and tables, the title and the language.
    fiji = build(db, "FJI", MARCH_2020, lang)
    path = tmp_path / "brief.pdf"
    path.write_bytes(brief.to_pdf(fiji))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info), info
    assert re.search(rf"Title:\s+{re.escape(fiji.title)}\n", info), info
    assert pypdf.PdfReader(path).trailer["/Root"]["/Lang"] == lang
    structure = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    roles = set(re.findall(r"^\s*(\w+)", structure, flags=re.MULTILINE))
    assert {"H1", "H2", "Table", "TR", "TD"} <= roles, sorted(roles)
