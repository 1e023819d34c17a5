"""The keyboard in Chromium: Enter applies a typed date, opens the calendar from "Choose date" and signs in; the forum's
clicker keys after a visit elsewhere, never on a focused control, and switched off."""

import re

import pytest

from app import auth
from tests.browser import app_idle, holds, streamlit_server

pytestmark = pytest.mark.browser

PASSWORD = "a phrase long enough for the Secretariat"  # noqa: S105 - a test password, hashed below


@pytest.fixture(scope="module")
def server(built_db):
    with streamlit_server(built_db, **{auth.ENV_VAR: auth.hash_password(PASSWORD)}) as url:
        yield url


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    yield page
    page.close()


# Set once their components have mounted (app/keys.py): the Enter-applies-a-date listener and the forum's clicker keys.
ENTER_APPLIES = "() => typeof window.__uncatEnterApplies === 'function'"
CLICKER_READY = "() => typeof window.__uncatClicker === 'function'"
FORUM = "/forum?as_of=2020-03-01&since=2019-03-01&slide={slide}&lang=en"


def clicker_ready(page) -> None:
    """The run is over and the forum's keys are set up."""
    app_idle(page)
    page.wait_for_function(CLICKER_READY, timeout=30_000)


def on_slide(page, number: int, seconds: float = 1.5) -> bool:
    """True when the page stays on slide `number` for `seconds` (a key that must not move it had its chance)."""
    return holds(lambda: re.search(rf"slide={number}\b", page.url), page, seconds=seconds)


def type_date(page, digits: str) -> None:
    """Click the year of the page's first date field and type the date's digits (the field moves on by itself)."""
    year = page.locator('.stDateInput [data-type="year"]').first
    year.wait_for(timeout=90_000)
    app_idle(page)  # the field as the run left it, not one about to be drawn again
    page.wait_for_function(ENTER_APPLIES, timeout=30_000)
    year.click()
    page.keyboard.type(digits, delay=40)


def test_a_typed_date_applies_on_enter(server, page):
    page.goto(f"{server}/timeline?as_of=2020-01-01&lang=en")
    type_date(page, "20150630")
    assert holds(lambda: "as_of=2020-01-01" in page.url, page, seconds=1.5)  # typed, not yet applied
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"as_of=2015-06-30"), timeout=30_000)
    page.get_by_text("30 June 2015").first.wait_for(timeout=60_000)  # the page shows the new date


def test_enter_in_the_password_field_signs_in(server, page):
    page.goto(f"{server}/targets?lang=en")
    field = page.get_by_label("Secretariat password", exact=True)
    field.wait_for(timeout=90_000)
    field.fill(PASSWORD)
    field.press("Enter")
    page.get_by_role("button", name="Sign out").wait_for(timeout=60_000)


def test_the_clicker_keys_work_again_after_another_page(server, page):
    page.goto(f"{server}/forum?as_of=2020-03-01&since=2019-03-01&slide=1&lang=en")
    page.get_by_text("Universality of the Convention against Torture", exact=True).wait_for(timeout=90_000)
    clicker_ready(page)
    page.locator("body").press("ArrowRight")
    page.wait_for_url(re.compile(r"slide=2\b"), timeout=30_000)
    # To the country profile through the navigation (the same tab and session): the clicker keys are the forum's
    # only. (Its state search is a field as the map's is, without the map's seconds of software WebGL.)
    page.locator('[data-testid="stSidebarNav"] a[href$="/country"]').first.click()
    search = page.locator(".stSelectbox").filter(has_text="Find a state").locator("input")
    search.wait_for(timeout=90_000)
    search.click()
    page.keyboard.type("new zea", delay=40)
    assert search.input_value() == "new zea"  # Space is typed, not taken for "next slide"
    page.keyboard.press("Escape")
    # Back to the forum: its keys work again.
    page.locator('[data-testid="stSidebarNav"] a[href$="/forum"]').first.click()
    page.get_by_text("Where the Convention stands", exact=True).wait_for(timeout=90_000)
    clicker_ready(page)  # set up again (they left with the forum)
    page.locator("body").press("PageDown")
    page.wait_for_url(re.compile(r"slide=3\b"), timeout=30_000)
    page.get_by_text("States parties since 1984", exact=True).wait_for(timeout=60_000)


def test_keys_typed_in_a_date_field_stay_in_the_field(server, page):
    """The date field keeps the clicker's keys (its own handlers stop them), so the settings stay usable."""
    page.goto(f"{server}/forum?as_of=2020-03-01&since=2019-03-01&slide=1&lang=en")
    page.get_by_text("Universality of the Convention against Torture", exact=True).wait_for(timeout=90_000)
    page.get_by_text("Settings", exact=True).click()
    month = page.locator('.st-key-forum_settings .stDateInput [data-type="month"]').first
    month.wait_for(timeout=30_000)
    clicker_ready(page)  # the keys would work, were they not in the field
    month.click()
    for key in ("ArrowRight", "ArrowLeft", "ArrowRight", " "):  # the clicker's keys, in the date field
        page.keyboard.press(key)
    assert holds(lambda: re.search(r"slide=1\b", page.url), page, seconds=2), page.url  # no slide moved
    focused = page.evaluate("document.activeElement.getAttribute('data-type')")
    assert focused == "day"  # the arrows moved between the field's parts instead
    page.keyboard.press("Escape")
    page.locator(".forum-title").click()  # out of the field, the keys move the slides again
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"slide=2\b"), timeout=30_000)


def test_enter_on_choose_date_opens_the_calendar(server, page):
    page.goto(f"{server}/overview?as_of=2020-03-01&lang=en")
    button = page.get_by_role("button", name="Choose date")
    button.wait_for(timeout=90_000)
    app_idle(page)
    page.wait_for_function(ENTER_APPLIES, timeout=30_000)  # the Enter handler is there, and leaves the button alone
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for(timeout=10_000)
    assert button.get_attribute("aria-expanded") == "true"
    assert "as_of=2020-03-01" in page.url  # nothing applied yet


def test_the_slide_keys_leave_a_focused_control_its_keys_and_can_be_switched_off(server, page):
    """WCAG 2.1.1 and 2.1.4: Space on "Settings" opens the settings and Space on "Next" presses it once (it moved two
    slides when the keys took it too); the keys move the slides from the page itself or a button; the presenter can
    switch them off (and on again). Keys in a date field: test_keys_typed_in_a_date_field_stay_in_the_field."""
    page.goto(server + FORUM.format(slide=2))
    page.get_by_text("Where the Convention stands", exact=True).wait_for(timeout=90_000)
    clicker_ready(page)
    page.locator(".st-key-forum_settings summary").focus()
    page.keyboard.press("Space")
    switch = page.get_by_role("switch", name="Keys change the slides")
    switch.wait_for(timeout=30_000)  # the settings opened ...
    assert on_slide(page, 2), page.url  # ... and the slide stayed
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Space")  # the button's own Space: one slide on
    page.wait_for_url(re.compile(r"slide=3\b"), timeout=30_000)
    assert on_slide(page, 3), page.url  # not two
    clicker_ready(page)
    page.get_by_role("button", name="Previous").focus()  # a presenter's Page Down with focus left on a button
    page.keyboard.press("PageDown")
    page.wait_for_url(re.compile(r"slide=4\b"), timeout=30_000)
    app_idle(page)
    switch.focus()
    page.keyboard.press("Space")  # off: the switch's own Space, the slide stays
    page.wait_for_function("() => window.__uncatClicker === null", timeout=30_000)
    assert not switch.is_checked()
    page.locator(".forum-title").click()  # focus on the page itself
    for key in ("ArrowRight", "PageDown", "Space", "ArrowLeft"):
        page.keyboard.press(key)
    assert on_slide(page, 4), page.url
    switch.focus()
    page.keyboard.press("Space")  # on again
    clicker_ready(page)
    page.locator(".forum-title").click()
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"slide=3\b"), timeout=30_000)
