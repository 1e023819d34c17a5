"""Browser test of the UPR commitments page at 1366 and 390 pixels: one view answers, nothing is cut or overflows."""

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE

pytestmark = pytest.mark.browser

# The Pacific SIDS with an accepted commitment to ratify still open on 3 February 2026, in one link.
PACIFIC = "/commitments?as_of=2026-02-03&lang=en&region=region:Oceania&group=SIDS&response=supported&action=ratify&fate=open"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_pacific_sids_view_draws_whole_at_both_widths(server, browser, tmp_path, width):
    phone = width < 500
    page = browser.new_page(viewport={"width": width, "height": 900}, **({"user_agent": PHONE} if phone else {}))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # an exception in the page's scripts (Vega's included)
    page.goto(f"{server}{PACIFIC}")
    heading = page.get_by_role("heading", name="Accepted commitments kept and still open, by UPR cycle")
    heading.wait_for(timeout=90_000)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("canvas, svg").first.wait_for(timeout=60_000)
    # The four counts with their whole labels: 50 supported recommendations to ratify, all open.
    labels = page.locator("[data-testid='stMetricLabel']")
    expect(labels).to_have_count(4)
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert values == ["50", "50", "0", "50"]
    cut = labels.evaluate_all(
        """labels => labels.filter(label => [label, ...label.querySelectorAll('*')]
               .some(node => node.scrollWidth > node.clientWidth + 1)).map(label => label.innerText)"""
    )
    assert cut == []
    # The share per region is a table of text: Oceania, none of its 50 kept.
    oceania = page.locator("[data-testid='stTable'] tr", has_text="Oceania")
    expect(oceania.first).to_contain_text("0%")
    # Nothing wider than the screen: the page does not scroll sideways, the chart fits its column.
    main = page.get_by_test_id("stMain")
    assert main.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    assert box["height"] > 200
    page.screenshot(path=str(tmp_path / f"commitments-{width}.png"), full_page=True)
    assert not errors, errors
    page.close()
