"""A real Streamlit server and a headless Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from app.serve import free_port, loopback  # noqa: F401 - free_port: for the tests' own servers too
from tests.conftest import require_browser_marker

# A phone's User-Agent: the pages lay out for a narrow screen when the browser says it is a phone (ui.on_phone).
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Glyphs placed as the desktop browser places them (fontconfig's default): the headless shell's own default,
    # full hinting, rounds each advance and made a French line wrap that does not wrap in Chrome.
    "--font-render-hinting=slight",
]
# Two ways to draw WebGL (the map) with no GPU. Mesa's llvmpipe through EGL, pages composited in software: one map
# load costs 1.6 CPU-s in Chromium's GPU process against 6.5 with SwiftShader, six pages 17.5 CPU-s against 31.3
# (measured with chromium-headless-shell and chromium 156). SwiftShader where Mesa's EGL is not installed.
MESA_GL = ["--use-angle=gles-egl", "--ignore-gpu-blocklist", "--disable-gpu-compositing"]
SWIFTSHADER_GL = ["--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
_HAS_WEBGL = "() => !!document.createElement('canvas').getContext('webgl')"


def chromium_path() -> str | None:
    """UNCAT_CHROMIUM, a system Chromium, or None (then Playwright's own browser is tried). The headless shell first:
    the same engine without the desktop browser around it, a third less CPU per page."""
    if os.environ.get("UNCAT_CHROMIUM"):
        return os.environ["UNCAT_CHROMIUM"]
    for name in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def served(database: Path, **extra_env: str):
    """The dashboard on a free loopback port, reading `database`, started as it is deployed (`python -m app.serve`)
    but without the warm start; yields (url, server process).

    The port is free when picked, but parallel workers pick theirs at the same time: a server that finds its
    port taken is started again on another one.
    """
    require_browser_marker("a Streamlit server")
    command = [sys.executable, "-m", "app.serve"]
    env = {"UNCAT_DB": str(database), "UNCAT_WARM_LANGS": "", **extra_env}
    with ExitStack() as stack:
        for attempt in range(3):
            log = stack.enter_context(tempfile.TemporaryFile())
            try:
                url, process = stack.enter_context(loopback(command, env, output=log))
                break
            except RuntimeError as error:
                if "already in use" not in str(error) or attempt == 2:
                    raise
        yield url, process


@contextmanager
def streamlit_server(database: Path, **extra_env: str):
    """The dashboard on a free loopback port, reading `database`; yields its URL."""
    with served(database, **extra_env) as (url, _):
        yield url


@contextmanager
def chromium():
    require_browser_marker("Chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + MESA_GL)
            if not _draws_webgl(browser):  # no Mesa EGL here: SwiftShader, slower but everywhere
                browser.close()
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + SWIFTSHADER_GL)
        except Exception as exc:  # no browser at all: a failure in CI, a skip on a laptop without one
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no Chromium available: {exc}")
        try:
            yield browser
        finally:
            browser.close()


def _draws_webgl(browser) -> bool:
    page = browser.new_page()
    try:
        return bool(page.evaluate(_HAS_WEBGL))
    finally:
        page.context.close()


# What Vega draws, as the browser lays it out. Streamlit renders Vega-Lite charts as SVG, so each label is a
# <text> element whose box and font size the browser computes; a label Vega hides (labelOverlap) has opacity 0.
_VEGA_TEXTS = """(chart) => {
  const role = (element) => {
    for (let group = element.parentElement; group && group !== chart; group = group.parentElement) {
      const name = [...group.classList].find((c) => c.startsWith("role-") && !["role-mark", "role-scope"].includes(c));
      if (name) return name.slice(5);
      if (group.classList.contains("role-mark")) return "mark";
    }
    return "";
  };
  return [...chart.querySelectorAll("svg text")]
    .filter((element) => getComputedStyle(element).opacity !== "0" && element.textContent.trim() !== "")
    .map((element) => {
      const box = element.getBoundingClientRect();
      return {text: element.textContent, role: role(element), size: parseFloat(getComputedStyle(element).fontSize),
              left: box.left, right: box.right, top: box.top, bottom: box.bottom};
    });
}"""
# The plot areas: a chart's root frame, or each cell of small multiples (a group holds one item per cell).
_VEGA_PLOTS = """(chart) => [...chart.querySelectorAll("svg g.role-frame.root, svg g.role-scope.cell")]
  .flatMap((group) => [...group.querySelectorAll(":scope > g > path.background")])
  .map((path) => path.getBoundingClientRect())
  .filter((box) => box.width > 0 && box.height > 0)
  .map((box) => ({left: box.left, right: box.right, top: box.top, bottom: box.bottom}))"""


def app_idle(page, timeout: float = 90_000) -> None:
    """Wait until the page is connected and its script run is over: the state Streamlit writes on its root element
    (`data-test-script-state`, which its own end-to-end tests wait on) says "notRunning"."""
    idle = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
    # Polled on a timer: a poll on animation frames stalls while software WebGL takes seconds to draw a frame.
    page.wait_for_function("selector => document.querySelector(selector) !== null", arg=idle, polling=100, timeout=timeout)


# The boxes of the matched elements and of every SVG text inside them, as one string: what "settled" compares.
_LAYOUT_SETTLED = """([selector, quiet]) => {
  const now = performance.now();
  const boxes = [...document.querySelectorAll(selector)].flatMap((element) => [element, ...element.querySelectorAll("text")])
    .map((element) => { const b = element.getBoundingClientRect(); return [b.x, b.y, b.width, b.height].map(Math.round); });
  const shape = JSON.stringify(boxes);
  const seen = window.__uncatLayout;
  if (!seen || seen.shape !== shape) { window.__uncatLayout = {shape, since: now}; return false; }
  return now - seen.since >= quiet;
}"""


def wait_for_layout(page, selector: str = ".vega-embed", quiet_ms: int = 500, timeout: float = 60_000) -> None:
    """Wait until the matched elements (by default every chart) and their labels keep the same boxes for `quiet_ms`:
    a chart that fits its container draws once, then again at its final width."""
    page.evaluate("() => { window.__uncatLayout = null; }")
    page.wait_for_function(_LAYOUT_SETTLED, arg=[selector, quiet_ms], polling=100, timeout=timeout)


def wait_for_charts(page, count: int, timeout: float = 90_000) -> None:
    """Wait until `count` Vega-Lite charts have drawn their SVG (each with at least one label) at their final size."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('.vega-embed')].filter(c => c.querySelector('svg text')).length >= n",
        arg=count,
        timeout=timeout,
    )
    wait_for_layout(page)


def until(condition, page, timeout: float = 30.0, message: str = "", interval_ms: int = 100):
    """Call `condition` until it returns something true and return that; fail after `timeout` seconds. Between
    tries the page handles its events (a plain sleep would hold Playwright's callbacks)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message or f"not true after {timeout:g} s: {getattr(condition, '__name__', condition)}")
        page.wait_for_timeout(interval_ms)


def holds(condition, page, seconds: float, interval_ms: int = 100) -> bool:
    """True when `condition` stays true for `seconds` (checked every `interval_ms`): for what must not happen."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not condition():
            return False
        page.wait_for_timeout(interval_ms)
    return bool(condition())


def quiet_network(page, requests: list, quiet: float = 1.0, timeout: float = 60.0) -> None:
    """Wait until the page has made no new request for `quiet` seconds (`requests`: the list its request handler
    fills), after its script run is over and its charts have settled."""
    app_idle(page)
    wait_for_layout(page, "[data-testid='stMain'], .vega-embed")
    deadline = time.monotonic() + timeout
    count, since = len(requests), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"requests kept coming for {timeout:g} s: {requests[-5:]}")
        page.wait_for_timeout(100)
        if len(requests) != count:
            count, since = len(requests), time.monotonic()


def chart_texts(chart) -> list[dict]:
    """Every visible label of a chart (a Playwright locator): text, Vega role, font size (px) and page box."""
    return chart.evaluate(_VEGA_TEXTS)


def plot_areas(chart) -> list[dict]:
    """The page boxes of a chart's plot areas (one, or one per small-multiple panel)."""
    return chart.evaluate(_VEGA_PLOTS)


def overlap(a: dict, b: dict, slack: float = 2.0) -> bool:
    """True when two boxes share more than `slack` pixels both ways (a text's box is its line box: the slack
    lets two rows of a legend touch, as their letters do not)."""
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
    )


def collisions(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels drawn over each other."""
    return [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if overlap(a, b)]


def inside(box: dict, area: dict, slack: float = 1.0) -> bool:
    return (
        box["left"] >= area["left"] - slack
        and box["right"] <= area["right"] + slack
        and box["top"] >= area["top"] - slack
        and box["bottom"] <= area["bottom"] + slack
    )
