"""The engagement timeline's date labels, as the browser draws them, on a 1366 px screen and on a phone.

The labels are SVG <text> elements measured after the browser's layout (tests/browser.py): the as-of date's
label and today's (shown while today falls in the span) must not run into each other, an axis label or the
chart's edge.
"""

import pytest

from tests.browser import PHONE, chart_texts, collisions, inside, wait_for_charts

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("es", 390)])
def test_date_labels_are_apart_and_on_the_chart(server, browser, lang, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/calendar?as_of=2026-02-03&months=12&group=none&lang={lang}")
    wait_for_charts(page, 1)
    chart = page.locator(".vega-embed").first
    texts = [x for x in chart_texts(chart) if x["role"] != "legend-label" and not x["role"].startswith("legend")]
    assert collisions(texts) == []
    box = chart.bounding_box()
    edge = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}
    marks = [x for x in texts if x["role"] == "mark"]
    assert marks, [x["text"] for x in texts]  # the as-of line's label at least
    assert [x["text"] for x in marks if not inside(x, edge, slack=4)] == []
    page.close()


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_on_a_phone_the_whole_chart_and_its_legends_fit_the_screen(server, browser, lang):
    page = browser.new_page(viewport={"width": 390, "height": 844}, user_agent=PHONE, is_mobile=True)
    try:
        page.goto(f"{server}/calendar?as_of=2026-02-03&months=12&group=none&lang={lang}")
        wait_for_charts(page, 1)  # the layout is fitted again once drawn: it waits for that too
        chart = page.locator(".vega-embed").first
        box = chart.bounding_box()
        edge = {"left": box["x"], "top": box["y"], "right": min(box["x"] + box["width"], 390), "bottom": box["y"] + box["height"]}
        texts = chart_texts(chart)
        assert any(x["role"].startswith("legend") for x in texts)  # the legends are measured too
        assert [(x["text"], x) for x in texts if not inside(x, edge, slack=4)] == [], edge  # axis, marks and legends on screen
        assert [x["text"] for x in texts if x["text"].endswith("…")] == []  # long legend labels break, not cut
        assert collisions(texts) == []
    finally:
        page.close()
