"""Text from a hostile copy of data/ (Markdown, HTML and math in every text column) is shown as text on every page.

Every page runs in AppTest on a database built from that copy; every element that renders Markdown
(text, captions, headings, alerts, labels, st.table's cells) and every st.html body is read, and none
may hold the planted syntax unescaped. The same pages in Chromium fetch nothing from the planted
addresses and draw no link, image or formula from them.
"""

from __future__ import annotations

import csv
import shutil

import pyarrow as pa
import pytest
from playwright.sync_api import expect

from app import auth
from app import data as app_data
from etl.build import build
from tests.apptest import open_page, shown
from tests.browser import streamlit_server
from tests.conftest import DATA
from tests.test_targets_page import BROWSER, PASSWORD
from tests.test_targets_page import sign_in as sign_in_page

PLANTED = (
    " **bold** [link](http://tracker.invalid/a) ![img](http://tracker.invalid/p.png)"
    ' <img src="http://tracker.invalid/h.png"> $x^2$ :red[red]'
)
# What a renderer would act on: none of these may reach a Markdown element as typed.
SYNTAX = ("**bold**", "[link](http", "![img](http", "<img src=", "$x^2$", ":red[red]")
# Every free-text column of every input: names, titles, notes, sources, units, recommendations, reasons.
TEXT_COLUMNS = {
    "name_en",
    "name_fr",
    "name_es",
    "alias",
    "source",
    "note",
    "title",
    "unit",
    "strategy",
    "text",
    "recommending_name",
    "why",
    "value_shown",
    "source_shown",
    "value_other",
    "source_other",
    "reason",
    "decision",
}
# Streamlit elements whose text is plain (never Markdown): their cells and values may hold anything.
PLAIN = {"dataframe", "arrow_data_frame", "vega_lite_chart", "deck_gl_json_chart", "code", "text", "json"}


def hostile_copy(folder):
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.duckdb*"))
    planted = 0
    for path in [*folder.glob("*.csv"), *(folder / "activities").glob("*.csv")]:
        rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        if not rows:
            continue
        for row in rows:
            for column in TEXT_COLUMNS.intersection(row):
                if row[column]:
                    row[column] += PLANTED
                    planted += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    assert planted > 10_000
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = hostile_copy(tmp_path_factory.mktemp("hostile") / "data")
    database = folder.parent / "hostile.duckdb"
    build(folder, database, quiet=True)
    return folder, database


@pytest.fixture
def hostile_app(hostile, monkeypatch):
    folder, database = hostile
    monkeypatch.setenv("UNCAT_DATA_DIR", str(folder))
    monkeypatch.setenv("UNCAT_DB", str(database))
    app_data.database.clear()
    yield
    app_data.database.clear()


def _cells(data: bytes) -> list[str]:
    table = pa.ipc.open_stream(data).read_all()
    return [*table.column_names, *(str(v) for column in table.columns for v in column.to_pylist())]


def markdown_texts(at) -> tuple[list[str], list[str]]:
    """(texts an element renders as Markdown, st.html bodies) of everything the page drew."""
    markdown, html = [], []

    def walk(node):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", None)
        if proto is not None and kind not in PLAIN:
            if kind == "html":
                html.append(proto.body)
            elif kind == "table":
                markdown.extend(_cells(proto.arrow_data.data) if proto.HasField("arrow_data") else [])
            else:
                for name in ("body", "label", "help", "placeholder"):
                    value = getattr(proto, name, None)
                    if isinstance(value, str):
                        markdown.append(value)
                oneof = "type" in getattr(getattr(proto, "DESCRIPTOR", None), "oneofs_by_name", {})
                inner = getattr(proto, proto.WhichOneof("type") or "", None) if oneof else None  # expander, popover, tab
                if inner is not None and isinstance(getattr(inner, "label", None), str):
                    markdown.append(inner.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return markdown, html


def assert_shown_as_text(at, where: str) -> int:
    """No planted syntax in a Markdown text or an HTML body; returns how many planted texts were shown (escaped)."""
    markdown, html = markdown_texts(at)
    rendered = [(text, s) for text in markdown for s in SYNTAX if s in text]
    assert not rendered, f"{where}: Markdown from the data in {rendered[0][0][:200]!r}"
    assert not [body for body in html if '<img src="http://tracker' in body], f"{where}: HTML from the data"
    return sum("[link](http://tracker.invalid/a)" in shown(text) for text in markdown)


PAGES = [
    ("views/overview.py", {}),
    ("views/map.py", {"state": "FJI", "overlay": "oda", "group": "SIDS"}),
    ("views/country.py", {"state": "FJI"}),
    ("views/country.py", {"state": "GBR"}),
    ("views/timeline.py", {"group": "SIDS"}),
    ("views/universality.py", {}),
    ("views/calendar.py", {"group": "SIDS"}),
    ("views/targets.py", {"year": "2026"}),
    *(("views/forum.py", {"slide": str(n)}) for n in range(1, 7)),
]


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[f"{p}?{'&'.join(f'{k}={v}' for k, v in q.items())}" for p, q in PAGES])
def test_every_page_shows_text_from_the_data_as_text(hostile_app, page, params):
    at = open_page(page, **params)
    assert_shown_as_text(at, page)


def test_country_page_shows_the_planted_names_escaped(hostile_app):
    # The page under test does show text from the data (so the scan above is not vacuous).
    assert assert_shown_as_text(open_page("views/country.py", state="FJI"), "country") > 5


def test_secretariat_views_show_text_from_the_data_as_text(hostile_app, monkeypatch):
    from app import secretariat

    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD))
    monkeypatch.setattr(auth, "GUESSES", auth.GuessLimiter())
    monkeypatch.setattr(auth, "SIGN_INS", auth.SignIns())
    monkeypatch.setattr(secretariat, "browser", lambda: BROWSER)
    at = sign_in_page(open_page("views/targets.py", year="2026"), PASSWORD)
    assert any("Signed in" in s.value for s in at.success)
    assert_shown_as_text(at, "targets, signed in")


@pytest.fixture(scope="module")
def hostile_server(hostile):
    folder, database = hostile
    with streamlit_server(database, UNCAT_DATA_DIR=str(folder)) as url:
        yield url


@pytest.mark.browser
def test_in_chromium_nothing_is_fetched_linked_or_typeset_from_the_data(hostile_server, browser):
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda request: requests.append(request.url))
    for path in ("/country?state=FJI", "/map?state=FJI", "/targets?year=2026"):
        page.goto(hostile_server + path)
        # As typed (an invisible word joiner keeps "http:" from being linked).
        expect(page.get_by_text("**bold** [link](http").first).to_be_visible(timeout=90_000)
        page.wait_for_timeout(1000)  # a remote image or a formula would be requested or drawn by now
        assert page.locator("a[href*='tracker.invalid'], img[src*='tracker.invalid']").count() == 0, path
        assert page.locator(".katex, [data-testid='stMarkdown'] span[style*='color']").count() == 0, path
    page.close()
    assert not [url for url in requests if "tracker.invalid" in url]
