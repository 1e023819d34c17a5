"""A real Streamlit server and a headless Chromium for the browser tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

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


# A Playwright context's own defaults, given to a lent tab that had another size before.
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}
# What a test may do to a tab that cannot be undone cheaply: the tab is closed when given back, not lent again.
_DIRTYING = (
    "add_init_script",
    "expose_binding",
    "expose_function",
    "emulate_media",
    "set_extra_http_headers",
    "route_from_har",
    "route_web_socket",
)
_CLEAR_STORAGE = "() => { try { localStorage.clear(); sessionStorage.clear(); } catch (error) {} }"


class TabPool:
    """Tabs kept open between tests, for one Chromium (one per xdist worker), lent by `Lender.new_page`.

    Loading the dashboard in a tab that loaded it before costs about half the CPU of loading it in a new context:
    the tab's renderer keeps the compiled scripts, and the server does not serve the static files again (ten pages
    in a row, measured: Chromium 20 to 21 CPU-s against 32 to 33, the server 1.4 to 1.5 against 4.6 to 7.6). A tab lent
    again is clean: the test's listeners and routes removed, other tabs of its context closed, storage and cookies
    cleared, on about:blank, the pointer outside the window. Tabs are kept by their context's options (a phone's
    user agent, say); the viewport is set on each loan.
    """

    def __init__(self, browser):
        self.browser = browser
        self.free: dict[str, list] = {}  # tabs to lend, by their context's options
        self.out: set = set()  # tabs lent

    def take(self, options: dict):
        options = dict(options)
        viewport = options.pop("viewport", None) or DEFAULT_VIEWPORT
        key = repr(sorted(options.items()))
        free = self.free.setdefault(key, [])
        page = None
        while free and page is None:
            page = free.pop()
            if page.is_closed():
                page = None
            else:
                page.set_viewport_size(viewport)
        page = page or self.browser.new_context(viewport=viewport, **options).new_page()
        self.out.add(page)
        return page, key

    def contexts(self) -> set:
        """The contexts of the tabs kept or lent."""
        return {page.context for page in self.out} | {page.context for pages in self.free.values() for page in pages}

    @contextmanager
    def lend(self, **options):
        """A tab for a fixture that outlives one test (the axe test's tab of each size), given back when the block
        ends."""
        lender = Lender(self)
        try:
            yield lender.new_page(**options)
        finally:
            lender.finish()

    def give_back(self, page, key: str, listeners: list, dirty: bool) -> None:
        self.out.discard(page)
        if page.is_closed():
            return
        context = page.context
        try:
            if dirty:
                raise RuntimeError("a change a tab cannot undo")
            for event, handler in listeners:
                with contextlib.suppress(Exception):  # a `once` handler that ran is gone already
                    page.remove_listener(event, handler)
            for other in context.pages:
                if other != page:
                    other.close()
            page.unroute_all(behavior="ignoreErrors")
            context.unroute_all(behavior="ignoreErrors")
            if page.url.startswith("http"):
                page.evaluate(_CLEAR_STORAGE)
            page.goto("about:blank")
            page.evaluate(_CLEAR_STORAGE)
            context.clear_cookies()
            context.clear_permissions()
            page.mouse.move(-1, -1)  # no element of the next page under the pointer (hover, tooltips)
        except Exception:  # noqa: BLE001 - a tab that cannot be cleaned is not lent again
            context.close()
            return
        self.free[key].append(page)

    def close(self) -> None:
        for pages in self.free.values():
            for page in pages:
                if not page.is_closed():
                    page.context.close()
        self.free.clear()


class Lender:
    """The `browser` fixture: the run's Chromium for one test. `new_page(**options)` lends a tab from the pool
    (TabPool); anything else is the Browser's. What was lent is given back after the test (`page.close()` gives it
    back at once), and the contexts the test opened are closed. A tab's cache does not hide a request from a test:
    Chromium reports a request served from its cache as it reports any other."""

    def __init__(self, pool: TabPool):
        self._pool = pool
        self._lent: list[dict] = []
        self._before = set(pool.browser.contexts)

    def __getattr__(self, name):
        return getattr(self._pool.browser, name)

    def new_page(self, **options):
        page, key = self._pool.take(options)
        loan = {"page": page, "key": key, "listeners": [], "dirty": False, "back": False}
        self._lent.append(loan)

        def listen(method):
            def add(event, handler):
                loan["listeners"].append((event, handler))
                return method(event, handler)

            return add

        def dirtying(method):
            def call(*args, **kwargs):
                loan["dirty"] = True
                return method(*args, **kwargs)

            return call

        page.on, page.once = listen(page.on), listen(page.once)
        for name in _DIRTYING:
            setattr(page, name, dirtying(getattr(page, name)))
        page.close = lambda **_: self._give_back(loan)
        return page

    def _give_back(self, loan: dict) -> None:
        if loan["back"]:
            return
        loan["back"] = True
        page = loan["page"]
        for name in ("on", "once", "close", *_DIRTYING):
            page.__dict__.pop(name, None)
        self._pool.give_back(page, loan["key"], loan["listeners"], loan["dirty"])

    def finish(self) -> None:
        for loan in self._lent:
            self._give_back(loan)
        # Contexts the test opened itself (new_context, page.context.browser.new_page()) are closed.
        kept = self._pool.contexts()
        for context in self._pool.browser.contexts:
            if context not in self._before and context not in kept:
                context.close()


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


LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def leaves_the_machine(url: str) -> bool:
    """Whether a request to `url` would leave the machine (the offline proofs)."""
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob", "about", "chrome-extension") and parts.hostname not in LOOPBACK


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
