"""Browser test of the engagement calendar: the chart draws in Chromium and the ICS download opens as a calendar."""

import re
from datetime import date

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_calendar_chart_and_ics_download(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 2000}, accept_downloads=True)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
    page.goto(f"{server}/calendar?as_of=2019-03-01&months=12&group=none&kinds=upr_window,report&lang=en")
    page.get_by_text("Engagement timeline").wait_for(timeout=60_000)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    drawn = chart.locator("canvas, svg").first
    drawn.wait_for(timeout=60_000)
    box = chart.bounding_box()
    # 13 states with a window or a deadline, one 22-pixel line each, plus axis and legends.
    assert box["height"] > 13 * 22
    expect(page.get_by_text("From 1 March 2019 to 1 March 2020: 39 opportunities for 39 states.", exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "calendar.png"), full_page=True)

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Calendar (ICS)").click()
    download = download_info.value
    assert download.suggested_filename == "uncat-calendar-2019-03-01-12m.ics"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    calendar = Calendar.from_ical(saved.read_bytes())
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    # One event per opportunity the page counts (39): a UPR window's event is its review, on the review's days.
    assert len(events) == 39
    # Kiribati's third review: session 35, 20 to 31 January 2020 (its day within the session is not recorded).
    assert events["upr-KIR-cycle3@uncat-dashboard"].decoded("DTSTART") == date(2020, 1, 20)
    assert "Kiribati" in str(events["upr-KIR-cycle3@uncat-dashboard"]["SUMMARY"])

    page.wait_for_url(re.compile(r"(?=.*months=12)(?=.*kinds=upr_window%2Creport|.*kinds=upr_window,report)"), timeout=30_000)
    assert not [text for text in console if "WARN" in text and "scale" in text], console
    page.close()


def test_calendar_counts_show_their_whole_label_at_1366_px(server, browser):
    """Each count's label fits its quarter of a 1366×768 screen in every language (no "Recommandation acceptée en sus…")."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    for lang in ("en", "fr", "es"):
        page.goto(f"{server}/calendar?as_of=2026-02-03&lang={lang}")
        labels = page.locator("[data-testid='stMetricLabel']")
        expect(labels).to_have_count(4, timeout=60_000)
        cut = labels.evaluate_all(
            """labels => labels.filter(label => [label, ...label.querySelectorAll('*')]
                   .some(node => node.scrollWidth > node.clientWidth + 1)).map(label => label.innerText)"""
        )
        assert cut == [], (lang, cut)
    page.close()
