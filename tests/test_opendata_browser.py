"""An embed in a plain HTML page of another origin, and the open data served by the dashboard's own server."""

from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest
from playwright.sync_api import expect

from app import opendata_links
from etl.opendata import publish
from tests.browser import free_port, leaves_the_machine, streamlit_server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

# Streamlit serves <folder of streamlit_app.py>/static at /app/static/: the test publishes where `python -m etl` does.
STATIC_DATA = ROOT / "static" / "data"


@pytest.fixture(scope="module")
def server(built_db):
    publish(built_db, STATIC_DATA)
    with streamlit_server(built_db, UNCAT_PUBLIC_DIR=str(STATIC_DATA)) as url:
        yield url


@pytest.fixture
def host_page(tmp_path, server):
    """A partner's web page on another loopback port, with the snippet the Embed button gives."""
    snippet = opendata_links.iframe_snippet(f"{server}/", {"as_of": "2020-03-01", "lang": "fr"}, "UNCAT")
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html><head><title>Partner</title></head><body><h1>Partner site</h1>{snippet}</body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_embed_in_a_plain_html_page_shows_the_view_with_its_url_state(server, browser, host_page):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(host_page)
    expect(page.get_by_role("heading", name="Partner site")).to_be_visible()
    frame = page.frame_locator("iframe")
    # French and 1 March 2020, as in the snippet: 26 UN member states were not party then.
    expect(frame.get_by_role("heading", name="Vue d'ensemble")).to_be_visible(timeout=90_000)
    expect(frame.get_by_text("167 sur 193")).to_be_visible(timeout=30_000)
    expect(frame.get_by_text("Données ouvertes")).to_be_visible(timeout=30_000)
    # Embed mode: no Embed button inside the embed, no sidebar, no toolbar.
    expect(frame.get_by_role("button", name="Intégrer")).to_have_count(0)
    expect(frame.get_by_test_id("stSidebar")).to_be_hidden()
    expect(frame.get_by_text("Langue")).to_be_hidden()
    expect(frame.get_by_test_id("stToolbar")).to_have_count(0)
    assert requests and [url for url in requests if leaves_the_machine(url)] == []  # nothing from the internet, even embedded
    page.close()


def test_the_embed_button_gives_the_snippet_of_the_current_view(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/timeline?lang=en&universe=all")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="Embed").click()
    code = page.get_by_test_id("stCode").filter(has_text="<iframe")
    expect(code).to_be_visible(timeout=30_000)
    snippet = code.inner_text()
    assert f'src="{server}/timeline?' in snippet and "universe=all" in snippet and "embed=true" in snippet
    page.close()


def test_the_dashboard_serves_the_open_data_and_the_feed(server, browser):
    page = browser.new_page()
    package = page.request.get(f"{server}/{opendata_links.link(opendata_links.PACKAGE)}")
    assert package.status == 200 and package.headers["content-type"].startswith("application/json")
    assert json.loads(package.body())["name"] == "uncat-open-data"
    feed = page.request.get(f"{server}/{opendata_links.link(opendata_links.ATOM)}")
    assert feed.status == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    bundle = page.request.get(f"{server}/{opendata_links.link(opendata_links.BUNDLE)}")
    assert bundle.status == 200 and bundle.body()[:2] == b"PK"
    # The footer's link (every page has it: streamlit_app.py), relative to the page, reaches the same file. On the
    # Overview: the map would cost software WebGL ten seconds of CPU for a footer.
    page.goto(f"{server}/overview?lang=en")
    link = page.get_by_role("link", name="Atom feed of treaty events")
    expect(link).to_be_visible(timeout=90_000)
    href = link.get_attribute("href")
    assert page.request.get(f"{server}/{href}").status == 200
    # In French, the footer links to the French feed, served as Atom too.
    page.goto(f"{server}/overview?lang=fr")
    link = page.get_by_role("link", name="flux Atom des actes conventionnels")
    expect(link).to_be_visible(timeout=90_000)
    french = page.request.get(f"{server}/{link.get_attribute('href')}")
    assert link.get_attribute("href").endswith("uncat-treaty-events.fr.atom") and french.status == 200
    assert french.headers["content-type"].startswith("application/atom+xml") and b'xml:lang="fr"' in french.body()
    page.close()
