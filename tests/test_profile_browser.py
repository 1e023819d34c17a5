"""The country profile in a real browser: the page, its brief download, and printing it."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_tuvalu_prints_on_two_pages_at_most(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/country?state=TUV")
    expect(page.get_by_role("heading", name="Tuvalu")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stTable")).to_have_count(3, timeout=60_000)  # ladder, recommendations, peers
    expect(page.get_by_text("No CTI activity with this state has been made public.")).to_be_visible()
    page.emulate_media(media="print")
    printed = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in printed.pages)
    assert 1 <= len(printed.pages) <= 2
    assert "Party since 25 March 2024" in text and "Neighbours and groups" in text
    assert "Find a state" not in text and "Language" not in text  # no controls, no sidebar
    page.close()


def test_brief_pdf_download(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/country?state=fji&lang=fr&as_of=2020-03-01")
    expect(page.get_by_role("heading", name="Fidji")).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Fiche (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "brief-FJI-fr-2020-03-01.pdf"
    pdf = pypdf.PdfReader(saved)
    assert len(pdf.pages) <= 2 and "14 mars 2016" in pdf.pages[0].extract_text()
    page.close()
