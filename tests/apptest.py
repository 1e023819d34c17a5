"""Opening a page of the app in AppTest the way a link does: URL parameters, then the page."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.conftest import APP


def open_page(page: str | None = None, timeout: int = 180, **params) -> AppTest:
    """Run the router with the URL parameters on `page` (a views/ file) as a link to it does, check for no exception.

    One run: the router runs the page itself, not the Overview first. Before its first run AppTest names a page by
    its file name, which is each page's url_path in the router, so the run asks st.navigation for that page. No
    page: the root address (the router sends it on to the Overview).
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception
    if page:  # an unknown page would have fallen back to the Overview without a word
        assert ran_page(at) == calc_hash(Path(page).stem), f"{page} is not the page that ran"
    return at


def ran_page(at: AppTest) -> str:
    """The script hash of the page the last run ended on (st.Page hashes its url_path)."""
    return at._finished_page_script_hash


def url_value(at: AppTest, key: str) -> str | None:
    """A URL parameter as the app left it (AppTest may hold it as a one-item list)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def shown(markdown: str) -> str:
    """Markdown as a browser shows it, for text from the data that the app escapes (app.ui.md_text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def shown_table(frame):
    """A table as a browser shows it: app.ui.table escapes its column names and texts (st.table renders Markdown)."""
    return frame.rename(columns=shown).map(lambda value: shown(value) if isinstance(value, str) else value)
