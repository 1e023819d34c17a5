"""Benchmark: how often one render computes the treaty status and the group lists of a day.

Run: .venv/bin/python bench/snapshot_counts.py [--as-of 2020-03-01] [--json]. Every query the app sends
to the database is recorded; a query that evaluates `cat_status_as_of`, `groups_as_of` or
`engagement_as_of`, or reads a day of `status_by_day` / `groups_by_day`, counts as one computation
of that day. Two scenarios, each from cold caches in one process:

- forum: the annual forum at the date, in English then French (since: a year before);
- tour: every page of the router at the date, in English.

It prints the computations per macro and per day; the goal is one per (day, database version).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUTER = str(ROOT / "streamlit_app.py")
# What a query computes, by the name it evaluates: the SQL macros (computed on every call) and the
# tables a build fills once (a read of one day).
COMPUTATIONS = {
    "status": re.compile(r"\bcat_status_as_of\s*\(|\bstatus_by_day\b"),
    "groups": re.compile(r"\bgroups_as_of\s*\(|\bgroups_by_day\b"),
    "engagement": re.compile(r"\bengagement_as_of\s*\("),
}


class Recorder:
    """Wraps Database.query: (kind, day) of every status, groups or engagement computation."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def install(self) -> None:
        from app.db import Database

        original = Database.query
        recorder = self

        def query(db, sql, params=None, *args, **kwargs):
            for kind, pattern in COMPUTATIONS.items():
                for _ in pattern.finditer(sql):
                    day = next((str(p) for p in params or () if isinstance(p, date)), "every day")
                    recorder.calls.append((kind, day))
            return original(db, sql, params, *args, **kwargs)

        Database.query = query

    def take(self) -> list[tuple[str, str]]:
        taken, self.calls = self.calls, []
        return taken


def cold() -> None:
    """Empty every Streamlit cache, as in a fresh server process (the database is reopened too)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


def render(page: str, **params: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(ROUTER, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(f"{page} {params}: {at.exception[0].message}")


def canonical_days(database: Path) -> list[date]:
    """The days on which a status or a group list changes: every day has the status of the last one before it."""
    from app import queries
    from app.db import Database

    db = Database(database)
    try:
        return queries.change_days(db)
    finally:
        db.close()


def summary(calls: list[tuple[str, str]], changes: list[date]) -> dict:
    """Per kind: computations in all, distinct days (a day counted as the last change on or before it,
    since every day from that change on has the same status and groups), the most computations of one day."""

    def canonical(day: str) -> str:
        if day == "every day":
            return day
        index = bisect.bisect_right(changes, date.fromisoformat(day))
        return changes[index - 1].isoformat() if index else "before the first change"

    calls = [(kind, canonical(day)) for kind, day in calls]
    result = {}
    for kind in COMPUTATIONS:
        days = Counter(day for k, day in calls if k == kind)
        result[kind] = {"computations": sum(days.values()), "days": len(days), "most_per_day": max(days.values(), default=0)}
    result["per_day"] = {f"{k} {d}": n for (k, d), n in sorted(Counter(calls).items())}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", default="2020-03-01", help="YYYY-MM-DD (default 2020-03-01)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object only")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="uncat-bench-"))
    try:
        os.environ["UNCAT_DB"] = str(workdir / "bench.duckdb")
        os.environ["UNCAT_PUBLIC_DIR"] = str(workdir / "public")
        from app.serve import PAGES
        from etl.build import build

        build(ROOT / "data", workdir / "bench.duckdb", quiet=True)
        changes = canonical_days(workdir / "bench.duckdb")
        recorder = Recorder()
        recorder.install()
        since = date.fromisoformat(args.as_of).replace(year=date.fromisoformat(args.as_of).year - 1).isoformat()
        results = {}
        cold()
        recorder.take()
        for lang in ("en", "fr"):
            render("views/forum.py", as_of=args.as_of, since=since, lang=lang)
        results["forum (en, fr)"] = summary(recorder.take(), changes)
        cold()
        recorder.take()
        for page in PAGES:
            render(page, as_of=args.as_of, **({"state": "FJI"} if page == "views/country.py" else {}))
        results["tour (every page, en)"] = summary(recorder.take(), changes)
        if args.json:
            print(json.dumps(results))
            return
        for scenario, found in results.items():
            print(f"{scenario}, as of {args.as_of}:")
            for kind in COMPUTATIONS:
                computations, days, most = found[kind]["computations"], found[kind]["days"], found[kind]["most_per_day"]
                print(f"  {kind}: {computations} computations of {days} days (at most {most} per day)")
            for key, count in found["per_day"].items():
                print(f"    {key}: {count}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
