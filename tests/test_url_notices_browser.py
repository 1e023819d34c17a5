"""Links in the browser: an unusable URL value is named with what is shown instead; every page opens at its own name."""

import re

import pytest
from playwright.sync_api import expect

from core.i18n import t

pytestmark = pytest.mark.browser

NOTICE = re.escape(t("url.ignored", "en", param="§", shown="¶")).replace("§", "(.+)").replace("¶", "(.+)")


@pytest.mark.parametrize(
    ("path", "heading", "named", "shown"),
    [
        ("overview?as_of=2020-02-30", "Overview", "as_of=2020-02-30", "3 February 2026"),
        ("overview?as_of=abc", "Overview", "as_of=abc", "3 February 2026"),
        ("timeline?lang=de", "Timeline", "lang=de", "English"),
        ("map?state=XXX", "World map", "state=XXX", t("url.no_state", "en")),
        ("targets?year=1999", "Yearly targets", "year=1999", "2022"),
        ("universality?universe=zzz", "Road to universality", "universe=zzz", t("universe.members", "en")),
    ],
)
def test_an_unusable_value_is_named_with_what_is_shown(server, browser, path, heading, named, shown):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    notice = page.get_by_test_id("stAlert").filter(has_text=re.compile(NOTICE))
    expect(notice).to_have_count(1, timeout=30_000)
    expect(notice).to_contain_text(named)
    expect(notice).to_contain_text(shown)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.close()


@pytest.mark.parametrize(
    ("path", "heading"),
    [("forum", None), ("calendar", "Engagement calendar"), ("country?state=fji", "Fiji")],
)
def test_the_other_pages_open_at_their_own_name(server, browser, path, heading):
    """Lower-case ISO3 is read as the state; the forum's heading is its first slide's title."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/{path}")
    if heading:
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    else:
        expect(page.locator(".forum-title")).to_have_text("Universality of the Convention against Torture", timeout=60_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stAlert").filter(has_text=re.compile(NOTICE))).to_have_count(0)
    page.close()
