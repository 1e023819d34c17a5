"""A real Streamlit server and a headless Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.serve import free_port, loopback  # noqa: F401 - free_port: for the tests' own servers too
from tests.conftest import ROOT

# A phone's User-Agent: the pages lay out for a narrow screen when the browser says it is a phone (ui.on_phone).
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


def chromium_path() -> str | None:
    """UNCAT_CHROMIUM, a system Chromium, or None (then Playwright's own browser is tried)."""
    if os.environ.get("UNCAT_CHROMIUM"):
        return os.environ["UNCAT_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def streamlit_server(database: Path, **extra_env: str):
    """The dashboard on a free loopback port, reading `database`; yields its URL."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")]
    with tempfile.TemporaryFile() as log, loopback(command, {"UNCAT_DB": str(database), **extra_env}, output=log) as (url, _):
        yield url


@contextmanager
def chromium():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        except Exception as exc:  # no browser at all: a failure in CI, a skip on a laptop without one
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no Chromium available: {exc}")
        try:
            yield browser
        finally:
            browser.close()


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


def wait_for_charts(page, count: int, timeout: float = 90_000) -> None:
    """Wait until `count` Vega-Lite charts have drawn their SVG (each with at least one label)."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('.vega-embed')].filter(c => c.querySelector('svg text')).length >= n",
        arg=count,
        timeout=timeout,
    )
    page.wait_for_timeout(1000)  # a chart that fits its container redraws once at its final width


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
