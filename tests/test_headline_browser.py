"""Each headline figure names its universe on screen: the Overview's "No action" (all states) and the Road to
universality's "No action" (UN members), read in the browser, whole (a metric label is cut with an ellipsis by
CSS when its column is too narrow, which the page's text alone would not show)."""

import pytest
from playwright.sync_api import expect

from core.i18n import t

pytestmark = pytest.mark.browser

STATES = 197  # every state in the data (tests/test_overview_page.py counts them the same way)


def label_of(page, words: str):
    """The label of the metric whose label holds `words`, checked to be drawn whole."""
    label = page.get_by_test_id("stMetricLabel").filter(has_text=words)
    expect(label).to_have_count(1, timeout=60_000)
    expect(label).to_be_visible()
    cut = label.evaluate("e => [...e.querySelectorAll('*')].concat([e]).some(n => n.scrollWidth > n.clientWidth + 1)")
    assert not cut, f"{words!r} is cut"
    return label


@pytest.mark.parametrize(("lang", "width", "height"), [("en", 1366, 768), ("fr", 1366, 768), ("es", 390, 844)])
def test_no_action_figures_name_their_universe(server, browser, lang, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/overview?as_of=2026-02-03&lang={lang}")
    overview = t(
        "headline.in_universe", lang, label=t("overview.no_action", lang), universe=t("headline.all_states", lang, states=STATES)
    )
    label = label_of(page, overview)
    value = label.locator("xpath=ancestor::*[@data-testid='stMetric']").get_by_test_id("stMetricValue")
    assert value.inner_text().strip() == "18"

    page.goto(f"{server}/universality?as_of=2026-02-03&lang={lang}")
    road = t("headline.in_universe", lang, label=t("status.no_action", lang), universe=t("universe.members", lang))
    label = label_of(page, road)
    value = label.locator("xpath=ancestor::*[@data-testid='stMetric']").get_by_test_id("stMetricValue")
    assert value.inner_text().strip() == "16"
    page.close()
