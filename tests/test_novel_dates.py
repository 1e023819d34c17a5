"""A date nobody asked for before costs little (issue 22, row 8): only what the page shows is computed for it, and
what changes only on a change day is computed once per change.

Counted, not timed: the load benchmark (bench/load.py) measures the time of 10 viewers with 10 new dates.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from app import data, queries, slides
from tests.apptest import open_page


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """How often each slide and each query below was computed."""
    counted: Counter = Counter()

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            counted[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for name in ("headline_slide", "map_slide", "timeline_slide", "changes_slide", "targets_slide", "remaining_slide"):
        counting(slides, name)
    for name in ("deposits_between", "changes_between"):
        counting(queries, name)
    return counted


def test_the_forum_builds_only_the_slide_it_shows(built_db, calls):
    open_page("views/forum.py", as_of="2013-07-19", since="2012-07-19", slide="4")
    assert calls["changes_slide"] == 1
    assert sum(calls[name] for name in calls if name.endswith("_slide")) == 1  # not the map's 3 MB, nor the charts


def test_the_deck_for_the_pptx_still_has_every_slide(built_db):
    deck = data.forum(data.data_as_of(), data.data_as_of().replace(year=2025), "en").slides
    assert [slide.key for slide in deck] == list(slides.SECTIONS)


def test_tables_of_deposits_and_changes_are_computed_once_per_change(built_db, calls):
    # Two days of a long stretch without any change: one computation for both (deposits and changes fall on change
    # days; what depends on the status alone is keyed by the snapshot already).
    days = queries.change_days(data.database())
    quiet = next(day for day, following in zip(days, days[1:], strict=False) if (following - day).days > 30)
    for as_of in (quiet + timedelta(days=11), quiet + timedelta(days=12)):
        data.deposits_since(days[0], as_of, "en")
        data.changes(quiet + timedelta(days=3), as_of, "en")
    for name in ("deposits_between", "changes_between"):
        assert calls[name] <= 1, name  # 0 when an earlier test asked for this stretch already
