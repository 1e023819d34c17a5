"""Browser tests of links: each page's own address opens it, an unusable value is named, never a traceback."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("overview", "Overview"),
        ("map", "World map"),
        ("timeline", "Timeline"),
        ("universality", "Road to universality"),
        ("targets", "Yearly targets"),
    ],
)
def test_each_page_opens_at_its_own_name(server, browser, path, heading):
    page = browser.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{server}/{path}?as_of=2020-03-01")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    page.wait_for_url(re.compile(rf"/{path}\?"), timeout=30_000)
    assert not [m for m in messages if "does not seem to exist" in m]
    page.close()


def test_the_root_opens_the_overview_with_the_link_values(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/?lang=fr&as_of=2020-03-01")
    page.get_by_test_id("stMetric").filter(has_text="États parties").wait_for(timeout=60_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="États parties")).to_contain_text("169")
    page.close()


@pytest.mark.parametrize(("path", "named"), [("forum?slide=²", "slide=²"), ("targets?year=²", "year=²")])
def test_a_superscript_digit_is_named_not_a_traceback(server, browser, path, named):
    page = browser.new_page()
    page.goto(f"{server}/{path}")
    notice = page.get_by_test_id("stAlert").filter(has_text="from the link")
    expect(notice).to_contain_text(named, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.content()
    page.close()
