"""The targets page at 1366x768 in English, French and Spanish, measured as the browser draws it.

Streamlit renders Vega-Lite charts as SVG: each label is a <text> element whose box and font size the browser
computes (tests/browser.py: chart_texts), and a label Vega hides for lack of room has opacity 0 and is not counted.
One page load per language; the year is then changed in the page.
"""

import re

import pytest
from playwright.sync_api import expect

from app.targets import METRICS, STATUSES
from core.i18n import t
from tests.browser import chart_texts, collisions, inside, plot_areas, wait_for_charts, wait_for_layout

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_targets_page_is_readable_at_1366(server, browser, lang):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/targets?lang={lang}")
    wait_for_charts(page, 6)

    # It opens on the latest year with a target: every card compares its figure with one.
    page.wait_for_url(re.compile(r"year=2022\b"), timeout=30_000)
    cards = page.get_by_test_id("stColumn").filter(has=page.get_by_test_id("stMetric"))
    expect(cards).to_have_count(len(METRICS))
    for card in cards.all():
        expect(card).not_to_contain_text(t("target_status.no_target", lang))
        expect(card).to_contain_text(t("target_status.met", lang))  # 2022: each target met

    if lang == "fr":  # French typography on the page as drawn: a no-break space before : ; ? ! and inside « »
        text = page.get_by_test_id("stMain").inner_text()
        assert re.findall(r".{12}(?: [:;?!]|« | »)", text) == []
        assert re.search(r"[\u00a0\u202f]:", text)  # and there is such a colon on the page

    # Sample records are said to be sample, on the page and on each card; real public records are marked real.
    banner = t("targets.sample_banner_other", lang, count="§").split("§")[0]
    expect(page.get_by_test_id("stAlert").filter(has_text=banner)).to_be_visible()
    forms = [re.escape(t(f"records.card_sample_{form}", lang, count="§")) for form in ("one", "other")]
    counted = re.compile("|".join(forms).replace("§", r"[0-9\s\u202f\xa0]+"))
    for card in cards.all():
        expect(card.get_by_text(counted)).to_be_visible()

    # Export buttons say PNG and SVG in words, not icons alone, and the word is not cut.
    for word in ("PNG", "SVG"):
        labels = page.get_by_test_id("stDownloadButton").get_by_text(word, exact=True)
        expect(labels).to_have_count(2 * len(METRICS))
        for label in labels.all():
            assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{word} cut"

    # Year-by-year charts: a plot at least 200 px tall, every legend label and the title whole, nothing drawn over.
    charts = page.locator(".vega-embed").all()
    trends = [chart for chart in charts if any(x["role"] == "legend-label" for x in chart_texts(chart))]
    assert len(trends) == len(METRICS)
    for chart, metric in zip(trends, METRICS, strict=True):
        (plot,) = plot_areas(chart)
        assert plot["bottom"] - plot["top"] >= 200, (metric, plot)
        texts = chart_texts(chart)
        shown = [x["text"] for x in texts]
        assert [x for x in shown if x.endswith("…")] == [], shown
        legend = {x["text"] for x in texts if x["role"] == "legend-label"}
        assert legend == {t(f"target_status.{s}", lang) for s in STATUSES}
        assert [x["text"] for x in texts if x["role"] == "title-text"] == [t(f"targets.metric.{metric}", lang)]
        box = chart.bounding_box()
        frame = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}
        assert [x["text"] for x in texts if not inside(x, frame, slack=4)] == []  # nothing cut at the edge (line boxes: 4 px)
        assert collisions(texts) == []
        years = [x for x in texts if x["role"] == "axis-label" and re.match(r"\d{4}", x["text"])]
        assert len(years) >= 3  # a readable year axis, not one label

    # The current year's bullet charts: the figure and the projection each on its own row, never over each other.
    year = page.get_by_role("combobox", name=t("targets.year", lang), exact=True)
    year.click()
    page.get_by_role("option", name="2026", exact=True).click()
    page.wait_for_url(re.compile(r"year=2026\b"), timeout=30_000)
    figure, projection = t("targets.chart_actual", lang), t("targets.chart_projection", lang)
    page.wait_for_function(
        "word => [...document.querySelectorAll('.vega-embed svg text')].filter(e => e.textContent === word).length >= 3",
        arg=projection,
        timeout=60_000,
    )
    wait_for_layout(page)
    bullets = [chart for chart in page.locator(".vega-embed").all() if projection in {x["text"] for x in chart_texts(chart)}]
    assert len(bullets) == len(METRICS)
    for chart in bullets:
        texts = chart_texts(chart)
        rows = {x["text"]: x for x in texts if x["text"] in (figure, projection)}
        assert set(rows) == {figure, projection}
        assert collisions(texts) == [], [x["text"] for x in texts]
        assert rows[projection]["top"] >= rows[figure]["bottom"] - 2  # one row below the other

    # The public activities: real ones and sample ones each marked as such.
    grid = page.get_by_test_id("stDataFrame").last
    expect(grid.locator("table")).to_contain_text(t("records.real", lang))  # the grid lists the rows it draws
    grid.scroll_into_view_if_needed()
    grid.hover()
    page.mouse.wheel(0, 5000)  # the sample records are the later rows
    expect(grid.locator("table")).to_contain_text(t("records.sample_title", lang, kind=""))
    page.close()
