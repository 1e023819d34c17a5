"""Bounded cache cost: dates map to the last change before them, unknown states are dropped before computing."""

import random
from datetime import date, timedelta

import pandas.testing as pdt
import pytest

from app import data, queries
from app.maps import MapOptions
from tests.apptest import open_page


@pytest.fixture(scope="module")
def days(db):
    return queries.change_days(db)


def test_canonical_date_is_the_last_change_on_or_before(built_db, days):
    assert data.canonical_date(days[10]) == days[10]
    between = days[10] + timedelta(days=1)
    if between < days[11]:
        assert data.canonical_date(between) == days[10]
    assert data.canonical_date(days[0] - timedelta(days=400)) == days[0] - timedelta(days=1)
    assert data.canonical_date(date(2099, 1, 1)) == days[-1]


def test_status_and_groups_are_the_same_from_the_canonical_date_on(db, built_db):
    rng = random.Random(15)  # noqa: S311 - test dates
    for _ in range(12):
        day = date(1984, 1, 1) + timedelta(days=rng.randrange(0, 15_500))
        same = data.canonical_date(day)
        assert same <= day
        pdt.assert_frame_equal(queries.status_as_of(db, day), queries.status_as_of(db, same))
        pdt.assert_frame_equal(queries.groups_as_of(db, day), queries.groups_as_of(db, same))


def test_dates_without_a_change_share_one_cached_map(built_db, days):
    first = days[-5] + timedelta(days=1)
    second = days[-4] - timedelta(days=1)
    assert first <= second
    assert data.map_view(data.snapshot(first), MapOptions(), "en") is data.map_view(data.snapshot(second), MapOptions(), "en")


def test_an_unknown_state_is_dropped_before_computing(built_db, monkeypatch):
    asked = []
    original = data.map_view

    def recorded(snap, options, lang):
        asked.append(options.selected)
        return original(snap, options, lang)

    monkeypatch.setattr(data, "map_view", recorded)
    at = open_page("views/map.py", state="QQQ", as_of="2011-11-11")
    assert not at.exception and asked and set(asked) == {None}


def test_the_maps_image_is_built_on_request_and_exports(built_db):
    from app import charts

    view = data.map_view(data.snapshot(date(2020, 3, 1)), MapOptions(), "fr")
    chart = view.static()  # built now, not with the view
    assert chart is view.static()
    assert charts.to_png(charts.titled(chart, "Carte", ["Au 1er mars 2020."]), scale=1)[:4] == b"\x89PNG"


def test_playing_the_years_sends_little(built_db):
    """Every frame of "Play the years" together stays far under 2 MB: the shapes are not in them."""
    from app import maps
    from core.treaty_rules import OPENED_FOR_SIGNATURE

    latest = data.data_as_of()
    frames = [
        data.map_deck(data.snapshot(min(date(year, 12, 31), latest)), MapOptions(overlay="opcat"), "en")
        for year in range(OPENED_FOR_SIGNATURE.year, latest.year + 1)
    ]
    assert sum(maps.deck_bytes(deck) for deck, _ in frames) < 400_000
    assert frames[0][1]["party"] < frames[-1][1]["party"]  # the legend's counts follow the frames
