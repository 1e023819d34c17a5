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
    expect(page.get_by_test_id("stTable")).to_have_count(
        5, timeout=60_000
    )  # ladder, recommendations, UPR commitments, asks, peers
    expect(page.get_by_text("No CTI activity with this state has been made public.")).to_be_visible()
    page.emulate_media(media="print")
    printed = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in printed.pages)
    assert 1 <= len(printed.pages) <= 2
    assert "Party since 25 March 2024" in text and "Neighbours and groups" in text
    assert "Find a state" not in text and "Language" not in text  # no controls, no sidebar
    assert "prints cleanly" not in text and "Embed" not in text  # nor the print hint, nor the embed button
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


def test_corrected_engagement_facts_with_their_sources(server, browser):
    """The engagement-truth issue's three examples, as a diplomat reads them in French and Spanish."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    # The United States: the 4th review set for November 2025 was postponed, never shown as held then.
    page.goto(f"{server}/country?state=USA&lang=fr&as_of=2026-02-03")
    expect(page.get_by_role("heading", name="États-Unis d'Amérique")).to_be_visible(timeout=60_000)
    body = page.get_by_test_id("stMain")
    expect(body).to_contain_text("prévu à la session 50", timeout=30_000)
    expect(body).to_contain_text("a été reporté par le Conseil des droits de l’homme")
    expect(body).not_to_contain_text("cycle 4, session 50")
    expect(body).to_contain_text("Selon le Comité contre la torture (CAT/C/28/Add.5)")
    # Papua New Guinea: its reviews of 2016 (session 25) and 2021 (session 39), each with its source.
    page.goto(f"{server}/country?state=PNG&lang=es&as_of=2026-02-03")
    expect(page.get_by_role("heading", name="Papua Nueva Guinea")).to_be_visible(timeout=60_000)
    body = page.get_by_test_id("stMain")
    expect(body).to_contain_text("período de sesiones 25, 6 de mayo de 2016", timeout=30_000)
    expect(body).to_contain_text("período de sesiones 39")
    expect(body).to_contain_text("(A/HRC/33/10)")
    # Bolivia: the initial report within the time limit, never "1992" (before its accession in 1999).
    page.goto(f"{server}/country?state=BOL&lang=fr&as_of=2026-02-03")
    expect(page.get_by_role("heading", name="Bolivie (État plurinational de)")).to_be_visible(timeout=60_000)
    body = page.get_by_test_id("stMain")
    expect(body).to_contain_text("présenté le 11 mai 2000 au plus tard", timeout=30_000)
    expect(body).not_to_contain_text("1992")
    page.close()


def test_recommendations_as_cards_on_a_phone(server, browser):
    from tests.browser import PHONE

    page = browser.new_page(viewport={"width": 390, "height": 844}, user_agent=PHONE)
    page.goto(f"{server}/country?state=FJI&as_of=2026-02-03")
    expect(page.get_by_role("heading", name="Fiji")).to_be_visible(timeout=60_000)
    main = page.get_by_test_id("stMain")
    cards = main.locator("[class*='st-key-recommendation_']")
    expect(cards.first).to_be_visible(timeout=30_000)
    # The first card is Fiji's open commitment (OPCAT), its response on screen, not a word per line.
    first = cards.first.inner_text()
    assert "OPCAT" in first and "supported" in first
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert all(300 <= box["width"] <= 390 for box in boxes)  # the text runs the card's width, not a word per line
    assert sum(box["height"] for box in boxes) < 6000  # the seven-column table was 7,700 px tall
    tables = main.get_by_test_id("stTable").count()
    assert tables == 4  # ladder, UPR commitments, asks, peers: the recommendations are cards
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
