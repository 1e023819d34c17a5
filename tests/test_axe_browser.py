"""axe-core in Chromium on every page of the navigation, en and fr, at 1366 px (as tall as the page) and 390 x 844.

No violation of any impact (none serious or critical, none lesser: there are none today, so any new one fails); and
the charts' text, which axe leaves for review (Vega draws it in SVG), at AA contrast from the computed colours.
Each of these page loads is also proved offline (tests/test_offline_browser.py: no request leaves the machine), so
that the pages are not loaded twice for the two checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import PHONE, app_idle, leaves_the_machine, until, wait_for_layout

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Every page of streamlit_app.py's navigation; the profile with a state, as the map and the search open it.
PAGES = (
    "overview",
    "map",
    "timeline",
    "universality",
    "forum",
    "targets",
    "calendar",
    "commitments",
    "report",
    "update",
    "country?state=FJI",
)
LANGS = ("en", "fr")
SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules the README's statement is about.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Streamlit scrolls inside its own container: the window is made as tall as that container's content, so that
# axe sees every element in the viewport (it leaves some checks, colour contrast among them, to what is on screen).
_PAGE_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')]
     .map((element) => element.scrollHeight))"""
_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""

# The charts' own text (axis, legend and title; not marks, which may sit on a bar): its computed fill against the
# first opaque background behind the chart, by WCAG's formula; 3:1 for large text (24 px, or 18.66 px bold).
_CHART_TEXT_CONTRAST = """() => {
  const rgba = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const backdrop = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const chart of document.querySelectorAll(".vega-embed")) {
    const behind = backdrop(chart);
    for (const text of chart.querySelectorAll("svg text")) {
      const style = getComputedStyle(text);
      if (style.opacity === "0" || !text.textContent.trim() || text.parentElement.classList.contains("role-mark")) continue;
      const fill = rgba(style.fill);
      const alpha = (fill.length > 3 ? fill[3] : 1) * parseFloat(style.fillOpacity || "1");
      const seen = fill.slice(0, 3).map((v, i) => v * alpha + behind[i] * (1 - alpha));
      const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const r = ratio(seen, behind);
      if (r < needed) low.push(`${text.textContent.trim().slice(0, 40)}: ${r.toFixed(2)}:1 (${style.fill})`);
    }
  }
  return low;
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core not installed ({AXE}): run `npm ci --prefix tests/axe` (scripts/test.sh does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=list(SIZES))
def sized_page(request, tab_pool):
    """One tab per size for every page and language (each address loaded once)."""
    size = request.param
    options = {"viewport": SIZES[size]}
    if size == "phone":  # the pages lay out for a phone when the browser says it is one (ui.on_phone)
        options.update(user_agent=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    with tab_pool.lend(**options) as page:
        # Every request the tab makes, and when (the offline proof). Not routed, unlike the offline test's tabs:
        # routing turns Chromium's cache off (the 22 laptop loads: 115 CPU-s routed, 81 not). A request that would
        # leave is still reported, and fails the test (with no network it fails at once, or holds the load until
        # goto's timeout).
        requests: list[str] = []
        stamps: list[float] = []
        page.on("request", lambda request: (requests.append(request.url), stamps.append(time.monotonic())))
        yield size, page, requests, stamps


def violations(page, axe_source: str, viewport: dict) -> list[dict]:
    """axe's violations on the page as loaded, after its run and charts have settled, the window as tall as it."""
    page.set_viewport_size(viewport)
    app_idle(page)
    wait_for_layout(page, "[data-testid='stMain'], .vega-embed")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], page.evaluate(_PAGE_HEIGHT))})
    wait_for_layout(page, "[data-testid='stMain'], .vega-embed")
    # The page's own fix (app/a11y.py) makes a table that scrolls sideways focusable a moment after it comes to
    # scroll: given that moment, as a reader has it; a table still unreachable then is reported by axe below.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_SCROLLING_TABLES_FOCUSABLE, polling=100, timeout=30_000)
    page.add_script_tag(content=axe_source)
    return page.evaluate(_RUN_AXE, TAGS)


_SCROLLING_TABLES_FOCUSABLE = """() => [...document.querySelectorAll('[data-testid="stTable"] > div')]
  .every((box) => box.scrollWidth <= box.clientWidth + 1 || box.getAttribute("tabindex") === "0")"""


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])} element(s)")
        lines += [f"    {n['target']}: {' '.join(n['summary'].split())[:300]}" for n in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("address", PAGES)
def test_no_axe_violation(server, sized_page, axe_source, address, lang):
    size, page, requests, stamps = sized_page
    separator = "&" if "?" in address else "?"
    requests.clear()
    stamps.clear()
    page.goto(f"{server}/{address}{separator}lang={lang}")
    found = violations(page, axe_source, SIZES[size])
    # Offline, as tests/test_offline_browser.py proves it: the map's last request is its served shapes; then until
    # a second has passed without a request (the page has settled for axe already: usually at once).
    if address == "map":
        until(lambda: any("/app/static/map/markers-" in request for request in requests), page, timeout=30)
    assert requests, "the page made no request at all"
    until(lambda: time.monotonic() - stamps[-1] >= 1.0, page, timeout=60, message=f"requests kept coming: {requests[-5:]}")
    outside = sorted({request for request in requests if leaves_the_machine(request)})
    assert outside == [], f"/{address} ({lang}, {size}) asked for {outside}"
    if os.environ.get("UNCAT_AXE_REPORT"):  # every impact, for the README's statement: one JSON line per page
        with open(os.environ["UNCAT_AXE_REPORT"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"page": address, "lang": lang, "size": size, "violations": found}) + "\n")
    # What the page's fix had done, should a table be reported: whether it ran in this tab at all.
    fix = page.evaluate("() => window.__uncatA11y ? Object.keys(window.__uncatA11y).join(',') : 'never ran'")
    assert not found, f"/{address} ({lang}, {size}):\n{describe(found)}\npage's fix (app/a11y.py): {fix}"
    low = page.evaluate(_CHART_TEXT_CONTRAST)
    assert not low, f"/{address} ({lang}, {size}): chart text under AA contrast:\n" + "\n".join(low[:20])
