"""Browser tests of the forum on a projector (1920x1080, 1366x768), the clicker keys, and Vega's console warnings."""

import re

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.browser import app_idle, chart_texts, collisions, wait_for_layout
from tests.test_keys_browser import CLICKER_READY

pytestmark = pytest.mark.browser

# What Vega and Vega-Lite print for a chart that is not right ("WARN Infinite extent ...", "WARN Channel order ...").
VEGA_WARNING = re.compile(r"^WARN |Infinite extent|Channel .* is inappropriate|Dropping|Conflicting", re.IGNORECASE)


def open_slide(browser, server, slide: int, width: int = 1920, height: int = 1080, title: str = "States parties since 1984"):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/forum?as_of=2020-03-01&since=2019-03-01&slide={slide}&lang=en")
    page.get_by_text(title, exact=True).wait_for(timeout=90_000)
    if slide == 1:
        return page
    page.locator(".st-key-forum_chart .vega-embed canvas, .st-key-forum_chart .vega-embed svg").first.wait_for(timeout=60_000)
    return page


def present(page) -> None:
    page.get_by_text("Presentation view", exact=False).click()
    expect(page.locator(".st-key-forum_settings")).to_be_hidden(timeout=30_000)


@pytest.mark.parametrize(("width", "height", "share"), [(1920, 1080, 0.6), (1366, 768, 0.45)])
def test_a_chart_slide_fills_the_screen_when_presenting(server, browser, width, height, share):
    page = open_slide(browser, server, 3, width, height)
    present(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.locator(".st-key-embed")).to_be_hidden()  # the page footer's Embed button is not on the slide
    wait_for_layout(page)  # the chart redraws at its new size
    chart = page.locator(".st-key-forum_chart .vega-embed").bounding_box()
    assert chart["height"] >= share * height, chart
    # Everything of the slide, the controls included, is on the screen: nothing to scroll.
    controls = page.get_by_role("button", name="Next").bounding_box()
    assert controls["y"] + controls["height"] <= height, controls
    page.close()


def test_the_clicker_keys_move_between_slides(server, browser):
    page = open_slide(browser, server, 1, title="Universality of the Convention against Torture")
    steps = [
        ("ArrowRight", 2, "Where the Convention stands"),
        ("PageDown", 3, "States parties since 1984"),
        (" ", 4, "New since 1 March 2019"),
        ("ArrowLeft", 3, "States parties since 1984"),
        ("PageUp", 2, "Where the Convention stands"),
    ]
    for key, number, title in steps:
        # The keys work once the page's key handler is there and the last change's run is over (on a busy machine
        # the handler of the slide before was still being replaced, and the key went nowhere).
        app_idle(page)
        page.wait_for_function(CLICKER_READY, timeout=30_000)
        page.locator("body").press(key if key != " " else "Space")
        page.get_by_text(title, exact=True).wait_for(timeout=60_000)
        page.wait_for_url(re.compile(rf"slide={number}\b"), timeout=30_000)
    page.close()


@pytest.mark.parametrize(
    "path",
    [
        "overview?as_of=2020-03-01",
        "map?as_of=2020-03-01",
        "timeline?as_of=2020-03-01&group=SIDS",
        "universality?as_of=2020-03-01",
        "targets?year=2026",
        "targets?year=2021",
        "forum?as_of=2020-03-01&slide=2",
        "forum?as_of=2020-03-01&slide=3",
        "forum?as_of=2020-03-01&slide=6",
    ],
)
def test_no_vega_warnings_in_the_console(server, browser, path):
    page = browser.new_page(viewport={"width": 1366, "height": 2000})
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto(f"{server}/{path}")
    page.locator("h1, .forum-title").first.wait_for(timeout=90_000)
    if not path.startswith(("overview", "map")):  # those two draw no Vega-Lite chart on screen
        page.locator(".vega-embed").first.wait_for(timeout=90_000)
    app_idle(page)  # every chart of the run is on the page
    page.wait_for_function(  # and each has drawn (Vega warns while it compiles and draws)
        "() => [...document.querySelectorAll('.vega-embed')].every((chart) => chart.querySelector('svg, canvas'))",
        timeout=60_000,
    )
    wait_for_layout(page)
    warnings = [m for m in messages if VEGA_WARNING.search(m.split(": ", 1)[1])]
    assert warnings == []
    page.close()


def font_size(locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_projected_slides_draw_large_type_at_1080p(server, browser):
    """What the browser draws, not the spec: Streamlit renders Vega-Lite as SVG, so each chart label is a <text>
    element whose computed font size and box the browser reports (tests/browser.py: chart_texts). Each slide is a
    full composition: its box fills the screen, its key figure big, its tables at 24 px or more with dates in words
    and names rather than links, and the slide controls out of sight."""
    page = open_slide(browser, server, 1, title="Universality of the Convention against Torture")
    present(page)
    page.mouse.move(5, 5)  # the controls show under the mouse
    slides = [
        (1, "Universality of the Convention against Torture"),
        (2, "Where the Convention stands"),
        (3, "States parties since 1984"),
        (4, "New since 1 March 2019"),
        (5, "The CTI's yearly targets"),
        (6, "Who is left"),
    ]
    charted = 0
    for number, title in slides:
        if number > 1:
            page.locator(".st-key-next button").click()  # the clicker keys have their own test
            page.get_by_text(title, exact=True).wait_for(timeout=60_000)
            page.wait_for_url(re.compile(rf"slide={number}\b"), timeout=30_000)
            app_idle(page)  # the run is over: a chart still drawn is this slide's, not the last one's
            page.mouse.move(5, 5)
        heading = page.locator(".forum-title")
        assert font_size(heading) >= 40
        box = page.locator(".st-key-forum_slide").bounding_box()
        assert box["height"] >= 0.85 * 1080 and box["width"] >= 0.85 * 1920, (number, box)
        assert box["y"] + box["height"] <= 1080 + 1, (number, box)  # and no more: nothing to scroll
        for line in page.locator(".forum-line, .forum-small, .forum-table td, .forum-table th, .forum-names p").all():
            assert font_size(line) >= 24, (number, line.text_content())
            assert line.bounding_box()["y"] + line.bounding_box()["height"] <= 1080  # on the screen, not below it
        text = page.locator(".st-key-forum_slide").inner_text()
        assert "?state=" not in text and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), number  # no links, no ISO dates
        # The controls are out of sight on the projected slide (the clicker presses them all the same).
        expect(page.locator(".st-key-forum_controls")).to_have_css("opacity", "0")  # once it has faded
        if number == 1:
            assert font_size(page.locator(".forum-figure")) >= 120
            expect(page.locator(".forum-figure")).to_have_text("167 of 193")
        if number == 4:
            expect(page.locator(".forum-table td").first).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$"))
        if number == 6:
            names = page.locator(".forum-names").inner_text()
            assert "Bhutan" in names and "Tonga" in names  # the states left, by name
        chart = page.locator(".st-key-forum_chart .vega-embed")
        if not chart.count() or number == 2:  # the map slide's chart is drawn on a canvas
            continue
        page.wait_for_function("() => document.querySelector('.st-key-forum_chart .vega-embed svg text')", timeout=60_000)
        wait_for_layout(page)  # the chart redraws at its final size
        texts = chart_texts(chart)
        assert texts, title
        small = [(t["text"], t["size"]) for t in texts if t["size"] < 18]
        assert small == [], f"slide {number}: labels under 18 px: {small}"
        assert collisions(texts) == [], f"slide {number}"
        charted += 1
    assert charted >= 2  # the timeline and who is left carry a chart
    page.close()


def test_the_controls_show_under_the_mouse_when_presenting(server, browser):
    page = open_slide(browser, server, 3)
    present(page)
    controls = page.locator(".st-key-forum_controls")
    page.mouse.move(5, 5)
    expect(controls).to_have_css("opacity", "0")
    controls.hover()
    expect(controls).to_have_css("opacity", "1")
    box = controls.bounding_box()
    assert box["y"] + box["height"] <= 1080 and box["x"] + box["width"] <= 1920
    page.close()


def test_timeline_slide_labels_apart_at_1366(server, browser):
    """The projector's 18 px reference labels on a 1366 px screen, not presenting: the narrowest slide chart."""
    page = open_slide(browser, server, 3, 1366, 768)
    page.wait_for_function("() => document.querySelector('.st-key-forum_chart .vega-embed svg text')", timeout=60_000)
    wait_for_layout(page)  # the chart redraws at its final size
    texts = chart_texts(page.locator(".st-key-forum_chart .vega-embed"))
    assert t("timeline.note_goal", "en") in {x["text"] for x in texts}
    assert collisions(texts) == []
    page.close()


def test_the_pptx_from_the_page_is_accessible(server, browser, tmp_path):
    """The file the browser downloads from the button, in French: titles in placeholders read first, alt text."""
    from pptx import Presentation

    from tests.test_forum import check_alt_text, check_titles_first

    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page.goto(f"{server}/forum?as_of=2020-03-01&since=2019-03-01&slide=1&lang=fr")
    page.locator(".forum-title").wait_for(timeout=90_000)
    with page.expect_download(timeout=180_000) as download:
        page.get_by_role("button", name=t("forum.download_pptx", "fr")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "uncat-forum-fr-2020-03-01.pptx"
    deck = Presentation(str(saved))
    assert len(deck.slides) == 6
    check_titles_first(deck)
    check_alt_text(deck)
    page.close()
