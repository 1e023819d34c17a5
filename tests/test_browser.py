"""Browser tests: the real server in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import app_idle

pytestmark = pytest.mark.browser


def test_overview_in_the_browser(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?as_of=2020-03-01")
    metric = page.get_by_test_id("stMetric").filter(has_text="States parties")
    metric.wait_for(timeout=60_000)
    expect(metric).to_contain_text("169")
    expect(page.get_by_text("Status as of 1 March 2020")).to_be_visible()
    page.screenshot(path=str(tmp_path / "overview.png"))
    assert re.search(r"as_of=2020-03-01", page.url)
    page.close()


def test_french_link_reopens_in_french(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/?lang=fr&as_of=2026-02-03")
    page.get_by_test_id("stMetric").filter(has_text="États parties").wait_for(timeout=60_000)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    page.wait_for_url(re.compile(r"lang=fr"), timeout=30_000)
    page.close()


def test_timeline_charts_render_and_keep_the_url(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/timeline?as_of=2020-03-01&universe=all&group=SIDS")
    page.get_by_text("States parties and signatories, 1984 to date").wait_for(timeout=60_000)
    charts = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    charts.first.wait_for(timeout=60_000)
    assert charts.count() >= 1
    expect(page.get_by_role("button", name="PNG").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    page.wait_for_url(re.compile(r"(?=.*universe=all)(?=.*group=SIDS)(?=.*as_of=2020-03-01)"), timeout=30_000)
    page.close()


def test_targets_page_in_the_browser(server, browser, db, tmp_path):
    from tests.test_targets_page import confidential_states, leaks

    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    # Every browser message is recorded, so nothing confidential can hide in page data either.
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    page.goto(f"{server}/targets?year=2021")
    page.get_by_test_id("stMetric").filter(has_text="States visited").wait_for(timeout=60_000)
    page.locator(".vega-embed").first.wait_for(timeout=60_000)
    expect(page.get_by_text("Sample data:").first).to_be_visible()
    expect(page.locator(".vega-embed")).to_have_count(6, timeout=60_000)
    page.screenshot(path=str(tmp_path / "targets.png"), full_page=True)
    page.wait_for_url(re.compile(r"year=2021"), timeout=30_000)
    app_idle(page)  # every message of the run has arrived
    words = confidential_states(db)
    assert leaks("\n".join(frames), words) == []
    # The rendered page also holds the chart menu ("Save as PNG"): there, look for the names only.
    names = [w for w in words if not re.fullmatch(r"[A-Z]{3}", w)]
    assert leaks(page.content(), names) == []
    page.close()


def test_forum_steps_through_the_slides(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/forum?as_of=2020-03-01&lang=en")
    page.get_by_text("Universality of the Convention against Torture").wait_for(timeout=60_000)
    titles = [
        "Where the Convention stands",
        "States parties since 1984",
        "New since 1 March 2019",
        "The CTI's yearly targets",
        "Who is left",
    ]
    for number, title in enumerate(titles, start=2):
        page.get_by_role("button", name="Next").click()
        page.get_by_text(title, exact=True).wait_for(timeout=60_000)
        page.wait_for_url(re.compile(rf"slide={number}\b"), timeout=30_000)
    expect(page.get_by_role("button", name="Next")).to_be_disabled(timeout=30_000)  # the last slide
    page.get_by_role("button", name="Previous").click()
    page.get_by_text("The CTI's yearly targets", exact=True).wait_for(timeout=60_000)
    page.close()
