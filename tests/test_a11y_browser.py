"""What axe cannot judge, in Chromium: the page's language and title per language, a focus ring of at least 3:1 on a
chart's toolbar button and on the map, and reflow at 320 CSS px (WCAG 1.4.10: no sideways scroll, charts that fit)."""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.browser import app_idle, until, wait_for_charts, wait_for_layout

pytestmark = pytest.mark.browser

# WCAG's contrast of two CSS colours ("rgb(r, g, b)" or "rgba(...)"), and the colour a focused element's ring is
# drawn against: the first opaque background behind it.
_FOCUS_RING = """(element) => {
  const rgba = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  let behind = [255, 255, 255];
  for (let e = element.parentElement; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) { behind = c.slice(0, 3); break; }
  }
  const style = getComputedStyle(element);
  const ring = rgba(style.outlineColor);
  const [hi, lo] = [lum(ring), lum(behind)].sort((a, b) => b - a);
  let toolbar = element.closest('[data-testid="stElementToolbar"]');
  return {focused: document.activeElement === element, visible: element.matches(":focus-visible"),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: (hi + 0.05) / (lo + 0.05),
          opacity: toolbar ? parseFloat(getComputedStyle(toolbar).opacity) : 1,
          name: element.getAttribute("aria-label") || "", role: element.getAttribute("role") || ""};
}"""


def keyboard_focus(page, locator) -> None:
    """Focus `locator` as the keyboard would: one Tab first, so that the browser is in keyboard mode and shows
    :focus-visible on the element focused next."""
    page.locator("body").press("Tab")
    locator.focus()


def assert_focus_ring(ring: dict, what: str) -> None:
    assert ring["focused"] and ring["visible"], f"{what}: not focused ({ring})"
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, f"{what}: no ring ({ring})"
    assert ring["contrast"] >= 3, f"{what}: ring at {ring['contrast']:.2f}:1 against its background"
    assert ring["opacity"] == 1, f"{what}: the toolbar holding it is not shown ({ring})"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_language_and_title_follow_the_page_and_its_language(server, browser, lang):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    for path, key in (("timeline", "nav.timeline"), ("calendar", "calendar.nav")):
        page.goto(f"{server}/{path}?lang={lang}")
        app_idle(page)
        title = f"{t(key, lang)} · {t('app.title', lang)}"
        until(lambda title=title: page.title() == title, page, message=f"/{path} ({lang}): title {page.title()!r}")
        until(lambda: page.evaluate("document.documentElement.lang") == lang, page, message=f"/{path}: lang not {lang}")


def test_a_chart_toolbar_button_shows_its_focus(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/timeline?lang=en")
    wait_for_charts(page, 1)
    button = page.locator('[data-testid="stElementToolbar"] button').first
    keyboard_focus(page, button)
    assert_focus_ring(button.evaluate(_FOCUS_RING), "the first chart's toolbar button")


def test_the_map_shows_its_focus_and_says_its_keys(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/map?lang=fr")
    app_idle(page)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] .deck-events-root').first
    canvas.wait_for(timeout=90_000)
    until(lambda: canvas.get_attribute("aria-label"), page, message="the map's canvas has no name")
    keyboard_focus(page, canvas)
    ring = canvas.evaluate(_FOCUS_RING)
    assert_focus_ring(ring, "the map")
    assert ring["role"] == "application" and t("a11y.map_keys", "fr") in ring["name"], ring


# At 320 CSS px (a 1280 px window at 400%): the main block does not scroll sideways, and no chart is wider than it.
_REFLOW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const width = main.clientWidth;
  return {page: document.documentElement.scrollWidth, window: window.innerWidth, main: main.scrollWidth, width,
          charts: [...main.querySelectorAll(".vega-embed")].map((c) => {
            const box = c.getBoundingClientRect();
            return {right: Math.round(box.right), width: Math.round(box.width), height: Math.round(box.height)};
          })};
}"""


@pytest.mark.parametrize(
    "address", ["timeline?lang=en", "calendar?lang=fr", "forum?slide=3&as_of=2020-03-01&since=2019-03-01&lang=fr"]
)
def test_reflow_at_320_css_pixels(server, browser, address):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{server}/{address}")
    app_idle(page)
    wait_for_charts(page, 1)
    wait_for_layout(page, "[data-testid='stMain'], .vega-embed")
    seen = page.evaluate(_REFLOW)
    assert seen["page"] <= seen["window"], f"/{address}: the page scrolls sideways ({seen})"
    assert seen["main"] <= seen["width"] + 1, f"/{address}: the main block scrolls sideways ({seen})"
    assert all(chart["right"] <= seen["window"] + 1 for chart in seen["charts"]), f"/{address}: a chart overflows ({seen})"
    if address.startswith("forum"):  # the slide's timeline keeps a chart's height, not a line
        assert seen["charts"] and seen["charts"][0]["height"] >= 200, f"/{address}: the chart collapsed ({seen})"
