"""The timeline's charts at 1366x768 in English, French and Spanish, and on a phone, measured as the browser draws them.

Why this measurement: Streamlit renders Vega-Lite as SVG, so every label is a <text> element and every plot area
a group with a background path; the browser reports their boxes (getBoundingClientRect) and font sizes after its
own layout and fonts (tests/browser.py). That checks what a reader sees, where the spec or a vl-convert render
would only predict it. A label Vega hides for lack of room has opacity 0 and is left out.
"""

import re

import pytest

from core.i18n import t
from core.treaty_rules import STRATEGY_PERIODS
from tests.browser import chart_texts, collisions, inside, plot_areas, wait_for_charts

pytestmark = pytest.mark.browser

YEAR = re.compile(r"^\d{4}$")


def frame(chart) -> dict:
    box = chart.bounding_box()
    return {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}


@pytest.mark.parametrize(
    ("lang", "query", "width"),
    [
        ("en", "as_of=2020-03-01&universe=all&group=regional_group", 1366),  # the strategy 2020-2022 runs past the data
        ("fr", "universe=all&group=regional_group", 1366),
        ("es", "as_of=2020-03-01&universe=members&group=SIDS", 1366),
        ("en", "universe=members&group=region", 390),  # a phone: the narrowest plot
    ],
)
def test_timeline_labels_are_apart_inside_and_every_panel_has_its_axis(server, browser, lang, query, width):
    page = browser.new_page(viewport={"width": width, "height": 768 if width > 500 else 844})
    page.goto(f"{server}/timeline?lang={lang}&{query}")
    # The breakdown is drawn in two layouts, one hidden by CSS (ui.chart_block): five charts drawn, four seen.
    wait_for_charts(page, 5)
    cumulative, deposits, breakdown, projection = page.locator(".vega-embed:visible").all()

    for chart in (cumulative, deposits, breakdown, projection):
        texts = chart_texts(chart)
        assert [x["text"] for x in texts if x["text"].endswith("…")] == []
        # Nothing cut at the chart's edge (a text's box is its line box: 4 px of slack).
        assert [x["text"] for x in texts if not inside(x, frame(chart), slack=4)] == []

    # Reference lines: their labels are drawn apart from each other and from every other label.
    texts = chart_texts(cumulative)
    notes = [t("timeline.note_opened", lang), t("timeline.note_in_force", lang), t("timeline.note_cti", lang)]
    periods = [t("timeline.note_strategy", lang, period=name) for name, _, _ in STRATEGY_PERIODS]
    shown = {x["text"] for x in texts}
    assert set(notes + periods) <= shown, shown
    assert collisions(texts) == []
    (plot,) = plot_areas(cumulative)
    outside = [x["text"] for x in texts if x["text"] in periods and not inside(x, plot)]
    assert outside == []  # the strategy periods' labels stay inside the plot

    # Small multiples: every panel has its own year axis under it, and a real title.
    texts = chart_texts(breakdown)
    panels = plot_areas(breakdown)
    titles = [x for x in texts if not YEAR.match(x["text"]) and x["role"] not in ("axis-label", "axis-title")]
    assert len(panels) >= 2 and len(titles) == len(panels), [x["text"] for x in titles]
    assert [x["text"] for x in titles if x["text"].strip() in ("", "—", "-")] == []
    for panel in panels:
        years = [
            x
            for x in texts
            if YEAR.match(x["text"])
            and panel["left"] - 15 <= (x["left"] + x["right"]) / 2 <= panel["right"] + 15
            and panel["bottom"] - 2 <= x["top"] <= panel["bottom"] + 30
        ]
        assert len(years) >= 2, panel
    assert collisions(texts) == []
    page.close()


# The boxes of the points the lines draw (the parties' and signatories' year ends: Vega's small symbols in the plot;
# the legend's symbols and the goal's diamond are larger or of another role).
_POINTS = """(chart) => [...chart.querySelectorAll("svg g.mark-symbol.role-mark path")]
  .map((path) => path.getBoundingClientRect()).filter((box) => box.width > 0 && box.width < 8)
  .map((box) => ({left: box.left, right: box.right, top: box.top, bottom: box.bottom}))"""


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("fr", 1366), ("es", 390)])
def test_the_goal_and_the_universe_in_plain_words_above_the_data(server, browser, lang, width):
    """Issue 23: 'Deposits per year' keeps the years without a deposit, the goal's and the universe line's labels
    are plain words drawn above every point of the data (no line runs through them), and no axis or label shows a
    time of day."""
    page = browser.new_page(viewport={"width": width, "height": 768 if width > 500 else 844})
    page.goto(f"{server}/timeline?lang={lang}&as_of=2026-02-03&universe=members&group=region")
    wait_for_charts(page, 4)
    cumulative, deposits = page.locator(".vega-embed").all()[:2]
    texts = chart_texts(cumulative)
    by_text = {x["text"]: x for x in texts}
    universe, goal = t("timeline.universe_line", lang, total=193), t("timeline.note_goal", lang)
    assert universe in by_text and goal in by_text, sorted(by_text)
    points = cumulative.evaluate(_POINTS)
    assert len(points) > 40
    highest = min(point["top"] for point in points)
    assert by_text[goal]["bottom"] <= highest and by_text[universe]["bottom"] <= highest
    assert collisions(texts) == []
    shown = [x["text"] for x in texts + chart_texts(deposits)]
    assert not [text for text in shown if "00:00" in text or re.search(r"\d{4}-\d{2}-\d{2}", text)]
    if width > 500:  # every year on the deposits' axis at 1366 px, those without a deposit too
        years = {x["text"] for x in chart_texts(deposits) if YEAR.match(x["text"])}
        assert {"2009", "2022", "2023", "2025"} <= years, sorted(years)
    page.close()
