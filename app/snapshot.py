"""One day's treaty status and group lists, read once per (day, database version) and handed to every builder.

A status or a group list changes only on a change day (a treaty event, the start of a list, the day
after a list ends), so every date maps to the last change day on or before it (its canonical day)
and every date with the same canonical day gets the same snapshot. The cache layer (app.data), the
command-line tools (app.brief, app.deck) and the feed writer (etl.opendata) all make theirs with
`take`; builders receive a snapshot or frames, never the database. No Streamlit here.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from app import queries
from app.db import Database


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Status and group lists on `day` (a canonical day) in database `version`; the frames are read-only.

    Shared between sessions and reruns: a builder reads its frames and never changes them.
    """

    day: date
    version: tuple[int, int]
    data_as_of: date  # the date up to which the treaty events are verified complete
    status: pd.DataFrame  # queries.status_as_of: every state with its CAT status, names and regions
    groups: pd.DataFrame  # queries.groups_as_of: group memberships in force
    group_names: pd.DataFrame  # queries.group_names: every group's names and source

    def key(self) -> tuple[date, tuple[int, int]]:
        """What identifies the snapshot: its canonical day and its database version (the caches' key)."""
        return self.day, self.version


def canonical_day(change_days: Sequence[date], as_of: date) -> date:
    """The last change day on or before `as_of` (the day before the first change for an earlier date).

    Every day from it to `as_of` has the same status and groups.
    """
    index = bisect.bisect_right(change_days, as_of)
    if index == 0:
        return change_days[0] - timedelta(days=1) if change_days else as_of
    return change_days[index - 1]


def take(db: Database, as_of: date, change_days: Sequence[date] | None = None) -> Snapshot:
    """The snapshot of `as_of`: status and groups on its canonical day, read from the database.

    `change_days` (queries.change_days) when the caller keeps them already; read here otherwise.
    """
    day = canonical_day(queries.change_days(db) if change_days is None else change_days, as_of)
    return Snapshot(
        day,
        db.version(),
        queries.data_as_of(db),
        queries.status_as_of(db, day),
        queries.groups_as_of(db, day),
        queries.group_names(db),
    )
