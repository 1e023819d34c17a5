"""Offline, proved: every request every page makes stays on the machine (icons, fonts, map styles included).

Every page of the navigation is proved offline by the axe test (tests/test_axe_browser.py), in both its languages and
at both its sizes, on the same loads as its accessibility checks; here, the addresses it does not open: the root, a
state selected on the map with an overlay, a slide of the forum.
"""

import pytest

from tests.browser import leaves_the_machine, quiet_network, until

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/map?state=FJI&overlay=opcat",
    "/forum?slide=2",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_machine(server, browser, path):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # A request that would leave is answered locally (and still recorded), so a missing network
    # cannot make the test hang; the assertion below fails on it.
    page.route(lambda target: leaves_the_machine(target), lambda route: route.abort())
    page.goto(f"{server}{path}")
    # The page's first visible content: a collapsed expander (the forum's settings) holds markdown that stays hidden.
    page.get_by_test_id("stMain").locator("h1, h2, [data-testid=stMarkdown]").filter(visible=True).first.wait_for(timeout=90_000)
    if path.startswith("/map"):  # the served shapes are the map's last request
        until(lambda: any("/app/static/map/markers-" in request for request in requests), page, timeout=30)
    quiet_network(page, requests)  # charts and icons load after the first paint: until a second passes without a request
    outside = sorted({request for request in requests if leaves_the_machine(request)})
    page.close()
    assert requests, "the page made no request at all"
    assert outside == [], f"{path} asked for {outside}"
