"""Every URL value the app cannot use is ignored with one short line saying so, never a traceback."""

import pytest

from app import ui
from tests.apptest import open_page

CASES = [
    # (page, parameters, what the notice names, what it says is shown instead)
    (None, {"as_of": "2020-02-30"}, "as_of=2020-02-30", "3 February 2026"),
    (None, {"as_of": "abc"}, "as_of=abc", "3 February 2026"),
    (None, {"as_of": "20200301"}, "as_of=20200301", "3 February 2026"),
    (None, {"as_of": "1900-01-01"}, "as_of=1900-01-01", "10 December 1984"),
    (None, {"lang": "de"}, "lang=de", "English"),
    ("views/map.py", {"state": "XXX"}, "state=XXX", "no state selected"),
    ("views/map.py", {"overlay": "zzz"}, "overlay=zzz", "None"),
    ("views/timeline.py", {"universe": "zzz"}, "universe=zzz", "UN member states"),
    ("views/universality.py", {"since": "²"}, "since=²", "3 February 2025"),
    # A "since" date after the as-of date (3 February 2026, the data's) falls back to a year before it, not to today.
    ("views/universality.py", {"since": "2099-01-01"}, "since=2099-01-01", "3 February 2025"),
    ("views/universality.py", {"as_of": "2020-03-01", "since": "2020-03-02"}, "since=2020-03-02", "1 March 2019"),
    ("views/forum.py", {"as_of": "2020-03-01", "since": "2099-01-01"}, "since=2099-01-01", "1 March 2019"),
    ("views/targets.py", {"year": "1999"}, "year=1999", "202"),
    ("views/targets.py", {"year": "²"}, "year=²", "202"),
    ("views/forum.py", {"slide": "²"}, "slide=²", "slide 1"),
    ("views/forum.py", {"slide": "99"}, "slide=99", "slide 1"),
    ("views/forum.py", {"slide": "-1"}, "slide=-1", "slide 1"),
]


def notices(at) -> list[str]:
    return [element.value for element in at.info if "from the link" in element.value]


@pytest.mark.parametrize(("page", "params", "named", "shown"), CASES)
def test_an_unusable_url_value_is_named_with_what_is_shown_instead(built_db, page, params, named, shown):
    at = open_page(page, **params)
    assert not at.exception
    said = notices(at)
    assert len(said) == 1, said
    assert named in said[0] and shown in said[0], said[0]


def test_the_notice_is_shown_once_then_gone(built_db):
    at = open_page("views/forum.py", slide="²")
    assert len(notices(at)) == 1
    at.run()
    assert not at.exception and notices(at) == []


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (None, {"as_of": "2020-03-01"}),
        (None, {"lang": "fr"}),
        ("views/map.py", {"state": "FJI"}),
        ("views/targets.py", {"year": "2021"}),
        ("views/forum.py", {"slide": "3"}),
        ("views/universality.py", {"since": "2026-02-03"}),  # on the as-of date: usable (the page says nothing changed)
        ("views/timeline.py", {"universe": "all"}),
    ],
)
def test_usable_values_give_no_notice(built_db, page, params):
    at = open_page(page, **params)
    assert not at.exception
    assert [element.value for element in at.info if "from the link" in element.value or "du lien" in element.value] == []


def test_lower_case_state_code_opens_that_state(built_db):
    at = open_page("views/map.py", state="fji")
    assert not at.exception
    assert notices(at) == []
    assert at.session_state["selected_state"] == "FJI"


def test_upper_case_language_code_is_accepted(built_db):
    at = open_page(None, lang="FR")
    assert at.title[0].value == "Vue d'ensemble"


def test_french_notice(built_db):
    at = open_page(None, lang="fr", as_of="abc")
    said = [element.value for element in at.info if "as_of=abc" in element.value]
    assert said and "ignorée" in said[0] and "3 février 2026" in said[0]


def test_a_value_cannot_smuggle_markup_into_the_notice(built_db):
    at = open_page(None, as_of="[x](http://example.org/`![i](http://example.org/i.png)")
    said = notices(at)
    assert len(said) == 1
    code = said[0].split("`")
    assert len(code) == 3 and "as_of=[x](http://example.org/" in code[1]  # the whole value inside one code span


@pytest.mark.parametrize("text", ["²", "१२", "1.5", "", " ", "-3", "1e3", "0x10", None, "１２"])
def test_parse_int_takes_ascii_digits_only(text):
    assert ui.parse_int(text) is None


@pytest.mark.parametrize("text", ["2020-02-30", "20200301", "2020-W10-1", "２０２０-０３-０１", "2020-3-1", None, ""])
def test_parse_iso_takes_yyyy_mm_dd_only(text):
    assert ui.parse_iso(text) is None
