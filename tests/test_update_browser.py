"""The update e-mail as a mail client's browser shows it: offline, readable on a desktop and on a phone."""

from __future__ import annotations

from datetime import date

import pytest

from app import digest, queries, snapshot
from app import update as files

pytestmark = pytest.mark.browser


def test_the_update_html_renders_without_the_network(browser, db, tmp_path):
    since, as_of = date(2025, 6, 1), date(2026, 2, 3)
    update = digest.build(
        snapshot.take(db, since), snapshot.take(db, as_of), queries.span_facts(db, since, as_of), since, as_of, "fr", as_of
    )
    path = tmp_path / "update.html"
    path.write_text(files.to_html(update), encoding="utf-8")
    for width, height in ((1024, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        requests: list[str] = []
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        # Anything but the file itself is refused (and still recorded): the message must need nothing else.
        page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "Note d'information au Groupe des Amis de la CTI"
        assert page.locator("h2").count() == 4
        assert "Colombie, adhésion au Protocole facultatif" in page.locator("body").inner_text()
        assert requests == [path.as_uri()], requests
        # On a phone the message fits the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(31, 78, 121)"
        page.screenshot(path=str(tmp_path / f"update-{width}.png"), full_page=True)
        page.close()
