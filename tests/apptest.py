"""Opening a page of the app in AppTest the way a link does: URL parameters, then the page."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import APP


def open_page(page: str | None = None, timeout: int = 180, **params) -> AppTest:
    """Run the router with the URL parameters, switch to `page` (a views/ file), check for no exception."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception
    return at


def url_value(at: AppTest, key: str) -> str | None:
    """A URL parameter as the app left it (AppTest may hold it as a one-item list)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def shown(markdown: str) -> str:
    """Markdown as a browser shows it, for text from the data that the app escapes (app.ui.md_text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
