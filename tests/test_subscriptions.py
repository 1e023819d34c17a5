"""Per-state and per-group Atom feeds: valid Atom, stable ids, the right facts, listed in the data package."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import duckdb
import feedparser
from lxml import etree

from app import opendata_links, subscriptions
from core.i18n import languages
from etl import opendata
from tests.test_opendata import confidential_activities, published  # noqa: F401 - the module's built and published data

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(public, kind: str, code: str, lang: str = "en"):
    return public / opendata_links.subscription(kind, code, lang)


def _all_feeds(public) -> list:
    return sorted((public / "feeds").rglob("*.atom"))


def test_every_state_and_group_has_a_feed_in_every_language(published):  # noqa: F811
    database, public = published
    with duckdb.connect(str(database), read_only=True) as con:
        states = {row[0] for row in con.execute("select iso3 from states").fetchall()}
        groups = {row[0] for row in con.execute("select group_code from groups").fetchall()}
    for lang in languages():
        assert all(_feed(public, "state", iso3, lang).exists() for iso3 in states), lang
        assert all(_feed(public, "group", code, lang).exists() for code in groups), lang
    assert _feed(public, "state", "FJI").name == "FJI.atom" and _feed(public, "group", "SIDS", "fr").name == "SIDS.fr.atom"
    assert len(_all_feeds(public)) == (len(states) + len(groups)) * len(languages())


def test_every_feed_is_valid_atom(published):  # noqa: F811
    """feedparser reads each as Atom 1.0 without complaint, and each holds what RFC 4287 requires: the feed's id,
    title, updated and author; each entry's single id, title and updated (an RFC 3339 time); ids unique."""
    _, public = published
    for path in _all_feeds(public):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.version == "atom10", (path.name, parsed.get("bozo_exception"))
        root = etree.parse(str(path)).getroot()
        assert root.tag == f"{ATOM}feed"
        for tag in ("id", "title", "updated", "author"):
            assert len(root.findall(f"{ATOM}{tag}")) == 1, (path.name, tag)
        ids = []
        for entry in root.findall(f"{ATOM}entry"):
            for tag in ("id", "title", "updated"):
                assert len(entry.findall(f"{ATOM}{tag}")) == 1, (path.name, tag)
            datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
            ids.append(entry.findtext(f"{ATOM}id"))
        assert len(ids) == len(set(ids)), path.name


def _entries(path) -> list[dict]:
    root = etree.parse(str(path)).getroot()
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "updated": entry.findtext(f"{ATOM}updated")[:10],
            "kind": entry.find(f"{ATOM}category").get("term"),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_fiji_s_feed_announces_its_ratification_reviews_and_overdue_report(published):  # noqa: F811
    _, public = published
    entries = _entries(_feed(public, "state", "FJI"))
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry["kind"], []).append(entry)
    ratification, signature = by_kind["treaty_event"]
    assert ratification["id"] == opendata.entry_id("FJI", "CAT", "ratification")  # the same id as in the treaty-event feed
    assert ratification["updated"] == "2016-03-14" and ratification["link"] == "/country?state=FJI"
    assert signature["updated"] == "2016-03-01"
    assert {e["updated"] for e in by_kind["upr_review"]} >= {"2025-01-20", "2019-11-04"}
    assert [e["title"] for e in by_kind["report_overdue"]] == ["Fiji: initial report overdue since 12 April 2017"]
    assert [e["updated"] for e in entries] == sorted((e["updated"] for e in entries), reverse=True)  # newest first
    french = _entries(_feed(public, "state", "FJI", "fr"))
    assert [e["id"] for e in french] == [e["id"] for e in entries]  # the same facts, in French
    assert french[0]["link"] == "/country?state=FJI&lang=fr" and all(" : " not in e["title"] for e in french)


def test_a_group_feed_holds_its_members_entries_only(published):  # noqa: F811
    database, public = published
    with duckdb.connect(str(database), read_only=True) as con:
        members = {row[0] for row in con.execute("select iso3 from group_membership where group_code = 'SIDS'").fetchall()}
    entries = _entries(_feed(public, "group", "SIDS"))
    assert 0 < len(entries) <= subscriptions.GROUP_ENTRIES
    states = {entry["link"].split("state=")[1] for entry in entries}
    assert states <= members and len(states) > 5
    fiji = {entry["id"] for entry in _entries(_feed(public, "state", "FJI"))}
    assert fiji & {entry["id"] for entry in entries}  # a member's facts keep their ids in the group's feed


def test_ids_are_stable_across_builds(published, tmp_path):  # noqa: F811
    database, public = published
    opendata.publish(database, tmp_path / "again")
    for kind, code in (("state", "FJI"), ("state", "TUV"), ("group", "PIF")):
        assert _feed(tmp_path / "again", kind, code).read_bytes() == _feed(public, kind, code).read_bytes()
    assert subscriptions.fact_id("upr-review", "FJI", "cycle4") == subscriptions.fact_id("upr-review", "FJI", "cycle4")


def test_an_entry_is_never_dated_after_the_build(published):  # noqa: F811
    _, public = published
    today = date.today().isoformat()
    for path in (_feed(public, "group", "ODA"), _feed(public, "group", "SIDS"), _feed(public, "state", "TZA")):
        assert all(entry["updated"] <= today for entry in _entries(path)), path.name


def test_the_feeds_are_listed_in_the_data_package_with_their_hash(published):  # noqa: F811
    _, public = published
    descriptor = json.loads((public / opendata_links.PACKAGE).read_text(encoding="utf-8"))
    listed = {resource["path"]: resource for resource in descriptor["resources"] if resource["path"].startswith("feeds/")}
    assert set(listed) == {str(path.relative_to(public)) for path in _all_feeds(public)}
    fiji = listed["feeds/state/FJI.fr.atom"]
    content = (public / "feeds/state/FJI.fr.atom").read_bytes()
    assert fiji["type"] == "file" and fiji["mediatype"] == "application/atom+xml" and fiji["name"] == "feed-state-fji-fr"
    assert fiji["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}" and fiji["bytes"] == len(content)


def test_no_confidential_activity_in_any_feed(published):  # noqa: F811
    database, public = published
    secret = confidential_activities(database)
    for path in _all_feeds(public):
        text = path.read_text(encoding="utf-8")
        for activity_id, title in secret:
            assert activity_id not in text and title not in text, (path.name, activity_id)


def test_the_profile_links_the_state_s_feed_and_the_calendar_the_group_s(published, monkeypatch):  # noqa: F811
    from tests.apptest import open_page

    _, public = published
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(public))
    profile = open_page("views/country.py", lang="fr", state="FJI")
    text = " ".join(block.value for block in profile.markdown)
    assert "(app/static/data/feeds/state/FJI.fr.atom)" in text and "Suivre Fidji" in text
    calendar = open_page("views/calendar.py", lang="en", group="SIDS")
    assert "(app/static/data/feeds/group/SIDS.atom)" in " ".join(block.value for block in calendar.markdown)
    regions = open_page("views/calendar.py", lang="en", group="region:Oceania")
    assert "feeds/group" not in " ".join(block.value for block in regions.markdown)  # a region has no feed
