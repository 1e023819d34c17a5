"""AppTest of the router and the Overview page."""

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page, url_value


def open_app(built_db, **params) -> AppTest:
    return open_page(**params)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_defaults_to_the_data_as_of_date(built_db):
    at = open_app(built_db)
    assert at.title[0].value == "Overview"
    shown = metrics(at)
    assert shown["States parties (all 197 states)"] == "175"
    assert shown["Among the 193 UN member states"] == "173 of 193"
    assert shown["Signatories only (all 197 states)"] == "4"
    assert shown["No action (all 197 states)"] == "18"  # beside the Road to universality's 16 UN members
    assert shown["Parties since the CTI launch"] == "21"
    assert at.date_input(key="as_of").value.isoformat() == "2026-02-03"
    assert url_value(at, "as_of") == "2026-02-03"
    footer = at.caption[-1].value
    assert "Status as of 3 February 2026" in footer and "UN Treaty Collection" in footer


def test_overview_for_a_past_date_from_the_url(built_db):
    at = open_app(built_db, as_of="2020-03-01")
    shown = metrics(at)
    assert shown["States parties (all 197 states)"] == "169"
    assert shown["Among the 193 UN member states"] == "167 of 193"
    assert shown["Parties since the CTI launch"] == "15"
    table = at.dataframe[0].value
    assert len(table) == 26  # UN member states not party on 1 March 2020
    assert "Oman" in set(table["State"])  # acceded on 9 June 2020


def test_changing_the_date_updates_figures_and_url(built_db):
    at = open_app(built_db)
    at.date_input(key="as_of").set_value(date(2014, 3, 3)).run()
    assert not at.exception
    assert metrics(at)["Parties since the CTI launch"] == "0"
    assert url_value(at, "as_of") == "2014-03-03"


def test_french_interface(built_db):
    at = open_app(built_db, lang="fr", as_of="2020-03-01")
    assert at.title[0].value == "Vue d'ensemble"
    assert metrics(at)["États parties (les 197 États)"] == "169"
    assert "Barbade" in set(at.dataframe[0].value["État"])
    assert "Situation au 1er mars 2020" in at.caption[-1].value


@pytest.mark.parametrize("bad", ["yesterday", "2020-02-30", ""])
def test_a_bad_url_date_falls_back_to_the_data_date(built_db, bad):
    at = open_app(built_db, as_of=bad)
    assert at.date_input(key="as_of").value.isoformat() == "2026-02-03"


def pages_run(monkeypatch) -> list[str]:
    """The url_path of every page the router runs from now on, in order."""
    from streamlit.navigation.page import StreamlitPage

    ran: list[str] = []
    original = StreamlitPage.run

    def run(self):
        ran.append(self.url_path)
        return original(self)

    monkeypatch.setattr(StreamlitPage, "run", run)
    return ran


@pytest.mark.parametrize(("page", "url_path"), [("views/map.py", "map"), ("views/overview.py", "overview")])
def test_a_page_opens_through_the_router_in_one_run(built_db, monkeypatch, page, url_path):
    """tests/apptest.py opens a page as a link to it does: the router runs once and runs that page only."""
    ran = pages_run(monkeypatch)
    at = open_page(page, lang="fr")
    assert ran == [url_path]
    assert at.selectbox(key="lang").value == "fr"  # the router's own controls are there
    assert any("<iframe" in code.value for code in at.code)  # and its footer (the Embed snippet)


def test_the_root_address_runs_the_overview_under_its_own_name(built_db, monkeypatch):
    ran = pages_run(monkeypatch)
    at = open_page(as_of="2020-03-01")
    assert ran == ["", "overview"]  # the hidden default page, which switches to the Overview with the URL values
    assert at.title[0].value == "Overview" and url_value(at, "as_of") == "2020-03-01"
