"""Cached access for the pages: the one module with Streamlit caching decorators.

Every view model is one function decorated with `cached`: computed once per arguments and database
version, then shared between reruns and sessions (frozen values, read-only frames, Arrow tables).
A view of one day takes the day's `Snapshot` (`snapshot(as_of)`: status and groups on the last change
on or before the date, so the cache stays bounded however many dates visitors ask for); a view
that shows the date itself (a series to that date, a title, a month cut-off) takes it too, as `as_of`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import streamlit as st

from app import charts, figures, maps, queries, series, tables
from app.db import Database
from app.snapshot import Snapshot, canonical_day, take
from core import exports
from core.config import (
    STATIC_DIR,
    STATIC_URL,
    data_dir,
    database_path,
    geometry_path,
    temporary_path,
    upr_topic_ranking_path,
)
from core.i18n import name_column, t

_build_lock = threading.Lock()
_LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def database() -> Database:
    """The read-only database, (re)built from data/ on first start when missing or out of date, and
    rebuilt while the app runs if the file goes missing or is damaged (see Database)."""
    from etl.build import build, ensure_current

    path, folder = database_path(), data_dir()
    with _build_lock:
        try:
            ensure_current(path, folder)
        except Exception:  # the pages say the data cannot be read; the operator reads why here and in `python -m etl`
            _LOG.exception("could not build %s from %s", path, folder)
    return Database(path, rebuild=lambda: build(folder, path, quiet=True))


def version() -> tuple[int, int]:
    """Changes when the ETL swaps in a new file, so every cached value is recomputed (`cached` keys on it)."""
    return database().version()


def cached(max_entries: int, *, copies: bool = False):
    """Cache a view model, keyed on its arguments and the database version; a Snapshot argument is keyed on
    its canonical day and version (Snapshot.key), never on its frames.

    The value is shared as a resource (one immutable value for every session). With `copies`, each caller
    gets its own copy (st.cache_data): for the frames the Secretariat's part of a page filters.
    """

    def decorate(function):
        store = st.cache_data if copies else st.cache_resource

        # The cache knows the function by its own name, source and parameters (functools.wraps), plus the version.
        @store(show_spinner=False, max_entries=max_entries, hash_funcs={Snapshot: Snapshot.key})
        @functools.wraps(function)
        def keyed(*args, db_version: tuple[int, int], **kwargs):
            return function(*args, **kwargs)

        @functools.wraps(function)
        def call(*args, **kwargs):
            return keyed(*args, db_version=version(), **kwargs)

        call.clear = keyed.clear
        return call

    return decorate


# An immutable result (a date) is cached as a resource: no copy on every rerun.
@cached(max_entries=8)
def data_as_of() -> date:
    """The date up to which the treaty events are verified complete."""
    return queries.data_as_of(database())


@cached(max_entries=4)
def change_days() -> tuple[date, ...]:
    return tuple(queries.change_days(database()))


def canonical_date(as_of: date) -> date:
    """`as_of` mapped to the last change on or before it (same status and groups): the snapshot's day."""
    return canonical_day(change_days(), as_of)


# About 135 KB each; room for every frame of "Play the years" (42) and the dates visitors ask for besides.
@cached(max_entries=128)
def _snapshot_on(day: date) -> Snapshot:
    return take(database(), day, change_days())


def snapshot(as_of: date) -> Snapshot:
    """The snapshot of `as_of` (app.snapshot): read once per canonical day and database version, for every view."""
    return _snapshot_on(canonical_date(as_of))


@cached(max_entries=64)
def overview(snap: Snapshot, lang: str) -> tuple[MappingProxyType, pa.Table]:
    """The Overview's figures and its table of UN member states not yet party, in one cached call.

    Both are immutable (a read-only mapping, an Arrow table), so they are shared between reruns and
    sessions without a copy.
    """
    table = pa.Table.from_pandas(tables.remaining_table(snap.status, lang), preserve_index=False)
    return MappingProxyType(figures.headline(snap.status)), table


@st.cache_resource(show_spinner=False)
def geometry() -> dict:
    """State shapes (Natural Earth, simplified; see data/SOURCES.md), read once per process."""
    return json.loads(geometry_path().read_text(encoding="utf-8"))


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Tables are cached as Arrow: immutable, shared without a copy, and shown without a conversion."""
    return pa.Table.from_pandas(frame, preserve_index=False)


@cached(max_entries=8)
def group_options(lang: str) -> MappingProxyType:
    """Group code -> its name in the language, for the groups in the data."""
    names = snapshot(data_as_of()).group_names
    return MappingProxyType(dict(zip(names.group_code, names[name_column(lang)], strict=True)))


@cached(max_entries=8)
def state_names(lang: str) -> MappingProxyType:
    """ISO3 -> the state's UN short name in the language, in alphabetical order of the names."""
    ordered = snapshot(data_as_of()).status.sort_values(name_column(lang))
    return MappingProxyType(dict(zip(ordered.iso3, ordered[name_column(lang)], strict=True)))


# World map.


@cached(max_entries=8)
def group_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, label) of every group, region and UN regional group the map can highlight (as of the data's date)."""
    latest = snapshot(data_as_of())
    return tuple(maps.group_choices(latest.group_names, latest.status, lang))


@dataclass(frozen=True)
class MapView:
    deck: object
    static: object  # a function returning the same map as a Vega-Lite chart, for PNG and SVG
    legend: MappingProxyType
    table: pa.Table
    states: tuple[tuple[str, str], ...]
    group_note: str | None
    details: MappingProxyType


def _publish(name: str, suffix: str, document) -> str:
    """Write a document under static/map/ once, named by its content, and return its URL.

    The name changes with the content, so a browser may keep a copy as long as it likes.
    """
    text = maps.compact(document)
    digest = hashlib.blake2s(text.encode("utf-8"), digest_size=8).hexdigest()
    folder = STATIC_DIR / "map"
    path = folder / f"{name}-{digest}.{suffix}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = temporary_path(path)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    return f"{STATIC_URL}/map/{path.name}"


@cached(max_entries=4)
def territories() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The territories (M49 names, administering state) and what the depositary records there (read-only frames)."""
    return queries.territories(database()), queries.territorial_application(database())


@cached(max_entries=8)
def shape_files(lang: str) -> maps.ShapeFiles:
    """The map's shapes and small-state markers, written once per (language, database) and served statically."""
    listed, applications = territories()
    keys, shapes, markers, zoom = maps.shape_documents(geometry(), snapshot(data_as_of()).status, lang, listed, applications)
    return maps.ShapeFiles(
        keys,
        _publish(f"states-{lang}", "json", shapes),
        _publish(f"markers-{lang}", "json", markers),
        MappingProxyType(zoom),
        maps.territory_keys(listed),
    )


def territory_frame(snap: Snapshot, options: maps.MapOptions) -> pd.DataFrame:
    """The territories on the snapshot's day, covered or not (app.maps.territory_frame): what the depositary
    records in a territory changes on a change day, so the snapshot's day stands for every date it covers."""
    return maps.territory_frame(*territories(), snap.status, snap.day, options)


@cached(max_entries=256)
def map_deck(snap: Snapshot, options: maps.MapOptions, lang: str) -> tuple:
    """(deck, legend counts) of one view: a few kilobytes, cheap enough for every frame of "Play the years"."""
    frame = maps.map_frame(snap.status, snap.groups, {}, options, lang, day=snap.day)
    deck = maps.build_deck(frame, options, shape_files(lang), territory_frame(snap, options))
    return deck, MappingProxyType(maps.legend_counts(frame))


@cached(max_entries=48)
def map_view(snap: Snapshot, options: maps.MapOptions, lang: str) -> MapView:
    """The map, its legend counts, its table and the selected state's details, cached per view.

    Nothing in it shows the date itself, so it is keyed on the snapshot: a date the cache has never
    seen costs nothing when no status or list changed since the last one it has.
    """
    frame = maps.map_frame(snap.status, snap.groups, {}, options, lang, day=snap.day)
    deck, legend = map_deck(snap, options, lang)
    table = _arrow(tables.status_table(snap.status[frame.counted], lang))
    states = tuple(sorted(zip(frame.iso3, frame.name, strict=True), key=lambda pair: pair[1]))
    details = maps.state_details(frame, options.selected, lang) if options.selected else {}
    return MapView(
        deck,
        # Built only when a PNG or SVG is asked for: Altair takes seconds over the inline shapes.
        functools.partial(static_map, snap, options, lang),
        legend,
        table,
        states,
        maps.group_note(snap.groups, options.group, lang),
        MappingProxyType(details),
    )


@cached(max_entries=4)
def static_map(snap: Snapshot, options: maps.MapOptions, lang: str):
    """The map as a Vega-Lite chart (for PNG and SVG)."""
    frame = maps.map_frame(snap.status, snap.groups, {}, options, lang, day=snap.day)
    return maps.static_map_chart(geometry(), frame, lang, territories=territory_frame(snap, options))


@cached(max_entries=256)
def report_step(iso3: str, as_of: date, lang: str):
    """The state's initial report on the date, as the profile says it (app.profile.report_step).

    Keyed by the exact date, not the snapshot's day: a report falls due on a day no treaty act marks.
    """
    from app import profile

    facts = queries.report_facts(database(), iso3, as_of)
    return profile.report_step(facts["report"], facts["engagement"].iloc[0], lang)


# Timeline and road to universality.


@cached(max_entries=64)
def timeline(snap: Snapshot, as_of: date, universe: str, lang: str) -> MappingProxyType:
    """The timeline's series for a universe up to `as_of`: its size, parties and signatories over time, deposits per year."""
    status = figures.in_universe(snap.status, universe)
    cumulative = series.cumulative(status, as_of)
    per_year = series.deposits_per_year(status, name_column(lang), as_of)
    return MappingProxyType(
        {
            "total": len(status),
            "cumulative": cumulative,
            "cumulative_chart": charts.prepare(charts.cumulative_chart(cumulative, len(status), lang)),
            "per_year": per_year,
            "per_year_chart": charts.prepare(charts.deposits_chart(per_year, lang)) if len(per_year) else None,
        }
    )


@cached(max_entries=64)
def breakdown(snap: Snapshot, as_of: date, universe: str, by: str, lang: str) -> tuple[pd.DataFrame, charts.Prepared, str]:
    """Parties over time up to `as_of` per category (group composition of the snapshot), its chart, the list's coverage."""
    status = figures.in_universe(snap.status, universe)
    name = group_options(lang).get(by, "")
    labels = series.categories(status, by, lang, snap.groups, name)
    coverage = figures.list_coverage(snap.groups, by) if by in figures.LISTED_GROUPS else "covered"
    frame = series.breakdown(status, labels, as_of)
    narrow = charts.breakdown_chart(frame, lang, columns=1)
    return frame, charts.prepare(charts.breakdown_chart(frame, lang), narrow, charts.BREAKDOWN_WIDE_PX), coverage


@cached(max_entries=64)
def projection(snap: Snapshot, as_of: date, years: int, lang: str) -> tuple[pd.DataFrame, MappingProxyType, charts.Prepared]:
    """UN member states parties up to `as_of`, the extrapolation at the pace of the last `years` years, its chart."""
    members = figures.in_universe(snap.status, "members")
    history = series.cumulative(members, as_of)
    history = history[history.status == "party"].reset_index(drop=True)
    projected = series.projection(members.consent_date, as_of, years, len(members))
    chart = charts.prepare(charts.projection_chart(history, projected, len(members), as_of, lang))
    return history, MappingProxyType(projected), chart


def deposits_since(start: date, as_of: date, lang: str) -> tuple[pa.Table, frozenset]:
    """The table of deposits from `start` to `as_of`, flags as on each date, and the ODA list coverages met.

    Deposits fall on change days: every date with the same canonical day has the same table.
    """
    return _deposits_since(start, canonical_date(as_of), lang)


@cached(max_entries=32)
def _deposits_since(start: date, as_of: date, lang: str) -> tuple[pa.Table, frozenset]:
    deposits = queries.deposits_between(database(), start, as_of)
    flagged = figures.flag_deposits(deposits, queries.groups_on(database(), deposits.consent_date))
    return _arrow(tables.deposits_table(flagged, lang)), frozenset(flagged.oda_list)


@cached(max_entries=32)
def non_parties(snap: Snapshot, universe: str, lang: str) -> MappingProxyType:
    """States of the universe not party on the day, with flags as they stood then, as rows and two tables."""
    rows, coverage = figures.non_parties(snap)
    rows = figures.in_universe(rows, universe)
    return MappingProxyType(
        {
            "rows": rows,
            "signatories": _arrow(tables.non_parties_table(rows[rows.status == "signatory"], lang)),
            "no_action": _arrow(tables.non_parties_table(rows[rows.status == "no_action"], lang)),
            "coverage": coverage,
        }
    )


@cached(max_entries=32)
def strategy(snap: Snapshot) -> MappingProxyType:
    """The strategy's shares recomputed for the day (definitions in figures.strategy_figures)."""
    return MappingProxyType(figures.strategy_figures(snap))


def changes(since: date, as_of: date, lang: str) -> pa.Table:
    """Every signature, deposit, art. 22 declaration and OPCAT consent after `since` up to `as_of`.

    They fall on change days: the same for every pair of dates with the same canonical days.
    """
    return _changes(canonical_date(since), canonical_date(as_of), lang)


@cached(max_entries=32)
def _changes(since: date, as_of: date, lang: str) -> pa.Table:
    return _arrow(tables.changes_table(queries.changes_between(database(), since, as_of), lang))


@cached(max_entries=32)
def remaining_by(snap: Snapshot, universe: str, by: str, lang: str) -> tuple[pd.DataFrame, charts.Prepared]:
    """States not party on the day with their status and category (region or UN regional group), and its chart."""
    rows = non_parties(snap, universe, lang)["rows"]
    frame = pd.DataFrame(
        {
            "iso3": rows.iso3,
            "state": rows[name_column(lang)],
            "status": rows.status,
            "category": series.categories(rows, by, lang),
        }
    )
    return frame, charts.prepare(charts.remaining_chart(frame, lang))


# Targets page. Public figures are totals only (see app.queries); per-state detail is for the
# signed-in Secretariat and is cached server-side only, never sent unless the page shows it.


def today() -> date:
    return date.today()


@cached(max_entries=64)
def targets_view(first_year: int, last_year: int, as_of: date, lang: str) -> MappingProxyType:
    """Everything the public targets view shows, totals only, in one cached immutable bundle (`as_of`: the
    day whose last complete month the figures run to).

    progress: year -> frame indexed by metric (figure, target, status, projection); trends: metric -> chart
    spec; totals and public: Arrow tables; totals_csv: bytes. A year's bullet charts: target_bullets.
    """
    from app.targets import METRICS, yearly_progress

    totals = queries.yearly_totals(database(), first_year, last_year, as_of)
    progress = yearly_progress(totals, queries.targets(database()), as_of)
    table = tables.target_totals_table(progress, lang)
    public = queries.public_activities(database(), first_year, last_year, as_of)
    by_year = {year: rows.set_index("metric") for year, rows in progress.groupby("year")}
    return MappingProxyType(
        {
            "progress": by_year,
            "sample_records": int(progress.sample_records.sum()),
            "real_records": int(progress.real_records.sum()),
            # Chart specs as plain dicts: converted and validated once, not on every rerun.
            "trends": {m: _spec(charts.trend_chart(progress, m, lang)) for m in METRICS},
            "totals": _arrow(table),
            "totals_csv": exports.csv_bytes(table),
            "public": _arrow(tables.public_activities_table(public, lang)),
        }
    )


@cached(max_entries=64)
def target_bullets(first_year: int, last_year: int, as_of: date, lang: str, year: int) -> MappingProxyType:
    """The bullet chart of each metric in `year` (metric -> chart spec), from targets_view's progress: only the
    year a page shows is drawn (every year's took most of a cold render of the page)."""
    from app.targets import METRICS

    rows = targets_view(first_year, last_year, as_of, lang)["progress"][year]
    return MappingProxyType({metric: _spec(charts.bullet_chart(rows.loc[metric], lang)) for metric in METRICS})


def _spec(chart) -> dict:
    """A chart as a Vega-Lite dict with its (small) data inline, so that a rerun sends it without conversion."""
    spec = chart.to_dict()
    datasets = spec.pop("datasets", {})

    def inline(node):
        if isinstance(node, dict):
            if set(node.get("data", {})) == {"name"} and node["data"]["name"] in datasets:
                node["data"] = {"values": datasets[node["data"]["name"]]}
            for value in node.values():
                inline(value)
        elif isinstance(node, list):
            for value in node:
                inline(value)

    inline(spec)
    return charts.legible(spec)


@cached(max_entries=8, copies=True)
def targets() -> pd.DataFrame:
    return queries.targets(database())


@cached(max_entries=8, copies=True)
def activity_years() -> tuple[int | None, int | None]:
    return queries.activity_years(database())


@cached(max_entries=32, copies=True)
def public_activities(first_year: int, last_year: int, as_of: date) -> pd.DataFrame:
    """Only activities the state concerned made public."""
    return queries.public_activities(database(), first_year, last_year, as_of)


def activity_detail(first_year: int, last_year: int, kinds: list[str] | None, iso3: list[str] | None) -> pd.DataFrame:
    """Secretariat only: every record with its state."""
    return _activity_detail(first_year, last_year, tuple(kinds or ()) or None, tuple(iso3 or ()) or None)


@cached(max_entries=32, copies=True)
def _activity_detail(
    first_year: int, last_year: int, kinds: tuple[str, ...] | None, iso3: tuple[str, ...] | None
) -> pd.DataFrame:
    return queries.activity_detail(
        database(), first_year, last_year, list(kinds) if kinds else None, list(iso3) if iso3 else None
    )


@cached(max_entries=8, copies=True)
def activity_states() -> pd.DataFrame:
    """Secretariat only: states with activity records, for the filter."""
    return queries.activity_states(database())


@cached(max_entries=16, copies=True)
def figures_to_date(year: int, through: date) -> pd.DataFrame:
    """Secretariat only: per metric of `year`, the public figure (to the end of the month last complete on `through`)
    and the figure to `through` itself."""
    from app.targets import METRICS

    public = queries.yearly_totals(database(), year, year, through).set_index("metric").actual
    to_date = queries.totals_to_date(database(), year, year, through).set_index("metric").actual
    metrics = list(METRICS)
    return pd.DataFrame({"metric": metrics, "public": public[metrics].to_numpy(), "to_date": to_date[metrics].to_numpy()})


@cached(max_entries=8, copies=True)
def states_served(first_year: int, last_year: int, through: date) -> pd.DataFrame:
    """Secretariat only: each state visited or advised, by year, kind and real or sample record, to `through`."""
    return queries.states_served(database(), first_year, last_year, through)


def year_summary_xlsx(year: int, through: date, lang: str) -> bytes:
    """Secretariat only, built when pressed: the year's summary for the annual report (app/year_summary.py)."""
    from app import year_summary

    totals = {
        records: queries.totals_to_date(database(), year, year, through, sample=records == "sample")
        for records in year_summary.RECORDS
    }
    states = queries.states_served(database(), year, year, through)
    return year_summary.workbook(year, through, totals, states, queries.targets(database()), lang)


@dataclass(frozen=True)
class RecordsState:
    """What a change to the records can move: the records (id, year, kind, state, file) and the yearly figures to a day."""

    count: int
    rows: frozenset
    figures: MappingProxyType  # (year, metric) -> figure, every record to the day


def records_state() -> RecordsState:
    """Secretariat only: the records and the figures to today, read before and after a change (what moved)."""
    frame = database().query(
        "select activity_id, year(start_date)::integer as year, kind, coalesce(iso3, '') as iso3, record_file from activities"
    )
    # By the file's name: the path a build records depends on where it was run from.
    frame["record_file"] = [Path(name).name for name in frame.record_file]
    rows = frozenset(frame.itertuples(index=False, name=None))
    figures = {}
    if len(frame):
        first, last = int(frame.year.min()), max(int(frame.year.max()), today().year)
        totals = queries.totals_to_date(database(), first, last, today())
        figures = {(int(r.year), r.metric): int(r.actual) for r in totals.itertuples(index=False)}
    return RecordsState(len(frame), rows, MappingProxyType(figures))


def add_activities(
    filename: str, content: bytes, kind: str = "activities", account: str = "secretariat", add_anyway: bool = False
):
    """Validate and store an uploaded file of new records or corrections, rebuild, and log it (who, file, what, why).

    Returns (result, records_state() before, records_state() after)."""
    from app import audit
    from app.activity_files import add_activities as store

    before = records_state()
    # After the rebuild, one query moves the pages' connection to the new file at once.
    reopen = lambda: database().query("select 1")  # noqa: E731
    result = store(filename, content, database=database().path, reopen=reopen, kind=kind, add_anyway=add_anyway)
    if result.ok:
        action = "correction" if kind == "corrections" else "upload"
        changed = f"activity records {before.count} -> {result.total_activities}; uploaded as {Path(filename).name}"
        if add_anyway:
            changed += "; added anyway after likely duplicates were shown"
        audit.record(account, action, result.stored, result.rows, changed)
    return result, before, records_state() if result.ok else before


def withdraw(entries: list[tuple[str, str]], reason: str, account: str, action: str = "withdrawal"):
    """Withdraw records (a new withdrawals file), rebuild, and log it. Returns (result, before, after) as records_state()."""
    from app import audit
    from app.activity_files import withdraw as store

    before = records_state()
    result = store(entries, reason, database=database().path, reopen=lambda: database().query("select 1"))
    if result.ok:
        ids = ", ".join(sorted({i for i, _ in entries}))
        audit.record(
            account,
            action,
            result.stored,
            result.rows,
            f"withdrawn: {ids}; records {before.count} -> {result.total_activities}",
            reason,
        )
    return result, before, records_state() if result.ok else before


def set_targets(rows: list[dict[str, str]], reason: str, account: str):
    """Set targets (a new dated targets file), rebuild, and log it. Returns the result."""
    from app import audit
    from app.activity_files import set_targets as store

    result = store(rows, database=database().path, reopen=lambda: database().query("select 1"))
    if result.ok:
        changed = "; ".join(
            f"{r['metric']} {r['period_start']}..{r['period_end']} {r['comparator']} {r['value']} ({r['strategy']})" for r in rows
        )
        audit.record(account, "targets", result.stored, result.rows, changed, reason)
    return result


def targets_history() -> pd.DataFrame:
    """Secretariat only: every target set in the app, newest first, with who set it and why (from the audit log)."""
    from app import audit
    from app.activity_files import targets_history as read

    log = {row["file"]: row for row in audit.read()}
    rows = [{**row, **{k: log.get(row["file"], {}).get(k, "") for k in ("account", "reason")}} for row in read()]
    columns = ["when", "file", "metric", "period_start", "period_end", "comparator", "value", "strategy", "source"]
    return pd.DataFrame(rows, columns=[*columns, "account", "reason"])


def last_upload() -> tuple[str, list[str]] | None:
    """Secretariat only: the newest upload that still holds standing records, and their ids."""
    from app.activity_files import last_upload as find
    from app.activity_files import standing_by_file

    records = database().query("select activity_id, record_file from activities")
    return find(data_dir(), standing_by_file(records))


def record_history() -> pd.DataFrame:
    """Secretariat only: every record file, newest first, with who made it and why (from the audit log)."""
    from app import audit
    from app.activity_files import history

    log = {row["file"]: row for row in audit.read()}
    rows = [
        {
            "file": entry.file,
            "kind": entry.kind,
            "when": entry.stamp,
            "records": entry.records,
            "account": log.get(entry.file, {}).get("account", ""),
            "action": log.get(entry.file, {}).get("action", ""),
            "reason": log.get(entry.file, {}).get("reason", "") or entry.reason,
        }
        for entry in history()
    ]
    return pd.DataFrame(rows, columns=["file", "kind", "when", "records", "account", "action", "reason"])


def audit_log() -> pd.DataFrame:
    from app import audit

    return pd.DataFrame(audit.read(), columns=audit.COLUMNS)


def template_csv() -> bytes:
    from app.activity_files import template_csv as build_template

    return build_template()


def template_xlsx(lang: str = "en") -> bytes:
    from app.activity_files import template_xlsx as build_template

    lines = [t(f"template.line_{n}", lang) for n in range(1, 6)]
    return build_template(dict(state_names(lang)), [t("template.title", lang), *lines])


# Annual forum.


@dataclass(frozen=True)
class ForumView:
    slides: tuple
    specs: MappingProxyType  # slide key -> Vega-Lite JSON, projector-sized, serialised once


@cached(max_entries=16)
def forum_facts(as_of: date, since: date) -> MappingProxyType:
    """What the slides show besides the two snapshots (queries.forum_facts), read once for every language."""
    return MappingProxyType(queries.forum_facts(database(), as_of, since))


@cached(max_entries=16)
def forum(as_of: date, since: date, lang: str) -> ForumView:
    """The forum slides for the date, the language and the 'since' date (both shown on the slides), built once."""
    from app import slides

    deck = tuple(slides.build(snapshot(as_of), snapshot(since), forum_facts(as_of, since), geometry(), as_of, since, lang))
    specs = {s.key: json.dumps(charts.legible(slides.for_projector(s.chart).to_dict())) for s in deck if s.chart is not None}
    return ForumView(deck, MappingProxyType(specs))


@cached(max_entries=64)
def forum_slide(as_of: date, since: date, lang: str, section: str) -> tuple:
    """(slide, its chart's Vega-Lite JSON or None): the page shows one slide, so a new date costs that slide only
    (the whole deck, `forum`, is built for the PPTX)."""
    from app import slides

    then = snapshot(since) if section == "headline" else None
    facts = forum_facts(as_of, since) if section in slides.NEEDS_FACTS else MappingProxyType({})
    slide = slides.build_one(section, snapshot(as_of), then, facts, geometry(), as_of, since, lang)
    return slide, None if slide.chart is None else slides.for_projector(slide.chart).to_json()


def forum_pptx(as_of: date, since: date, lang: str) -> bytes:
    """The same slides as a PPTX (rendered on demand: a few seconds for the chart images)."""
    from app.deck import write_pptx

    return write_pptx(list(forum(as_of, since, lang).slides), lang)


# Country profile.


@dataclass(frozen=True)
class ProfileView:
    """A profile and its tables as Arrow (shown without a conversion on every rerun)."""

    profile: object  # app.profile.Profile
    steps: MappingProxyType  # section key -> pa.Table (mark, label, value)
    tables: MappingProxyType  # section key -> pa.Table


@cached(max_entries=256)
def profile(snap: Snapshot, iso3: str, as_of: date, lang: str) -> ProfileView:
    """One state's profile on `as_of` (shown on it) in the language, with its tables, built once."""
    from app import profile
    from core.i18n import t

    if iso3 not in state_names(lang):
        raise KeyError(iso3)  # the page checks first: an unknown code never reaches a query
    built = profile.build(snap, queries.state_facts(database(), iso3, as_of), iso3, as_of, lang)
    marks = {True: "✓", False: "–", None: ""}
    steps, tables = {}, {}
    for section in built.sections:
        if section.steps:
            columns = ["", t(f"profile.column_{section.key}", lang), t("profile.column_value", lang)]
            frame = pd.DataFrame([(marks[s.done], s.label, s.value) for s in section.steps], columns=columns)
            steps[section.key] = _arrow(frame)
        if section.table is not None:
            tables[section.key] = _arrow(section.table.frame())
    return ProfileView(built, MappingProxyType(steps), MappingProxyType(tables))


# Engagement calendar.


@dataclass(frozen=True)
class CalendarView:
    rows: pd.DataFrame  # app.opportunities rows, filtered (read-only: shared between sessions)
    table: pa.Table
    table_frame: pd.DataFrame  # the same table, for the CSV download
    chart: charts.Prepared | None  # None when no state has a window or a deadline in the span
    charted: int  # states drawn in the chart
    coverage: str  # of a listed group (ODA) on the date: covered, extrapolated or unknown
    status: pd.DataFrame
    currency: MappingProxyType


@cached(max_entries=8)
def engagement_inputs() -> MappingProxyType:
    """The calendar's inputs whatever the date (queries.engagement_inputs), read once per database version."""
    inputs = queries.engagement_inputs(database())
    return MappingProxyType({**inputs, "currency": MappingProxyType(inputs["currency"])})


@cached(max_entries=64)
def calendar(
    snap: Snapshot,
    as_of: date,
    months: int,
    group: str,
    kinds: tuple[str, ...],
    lang: str,
    today: date,
    reviews_only: bool = False,
) -> CalendarView:
    """The engagement calendar from `as_of` over `months` months, for a group and kinds of opportunity; `today`
    is marked on the chart. `reviews_only`: only the UPR windows whose review itself falls in the span."""
    from app import engagement_calendar, opportunities

    inputs = engagement_inputs()
    rows = opportunities.from_snapshot(snap, inputs, as_of, months)
    rows = opportunities.of_kinds(opportunities.in_group(rows, snap.status, snap.groups, group), kinds)
    if reviews_only:
        rows = opportunities.reviews_in_span(rows, as_of, months)
    frame = engagement_calendar.table(rows, snap.status, snap.groups, as_of, lang)
    marks = engagement_calendar.chart_frame(rows, snap.status, as_of, months, lang)
    chart = charts.prepare(engagement_calendar.timeline_chart(marks, as_of, months, today, lang)) if len(marks) else None
    charted = marks.state.nunique()
    coverage = figures.list_coverage(snap.groups, group) if group in figures.LISTED_GROUPS else "covered"
    return CalendarView(rows, _arrow(frame), frame, chart, charted, coverage, snap.status, inputs["currency"])


# UPR commitments.


@cached(max_entries=8)
def commitment_inputs() -> MappingProxyType:
    """The recommendations as the open data has them, with the day each counts from, and every treaty event."""
    return MappingProxyType(queries.commitment_inputs(database()))


@cached(max_entries=64)
def commitment_rows(as_of: date) -> pd.DataFrame:
    """Every recommendation counted by `as_of` with its fate on that day (app.commitments.with_fates), read-only."""
    from app import commitments

    inputs = commitment_inputs()
    return commitments.with_fates(inputs["recommendations"], inputs["events"], as_of)


@st.cache_resource(show_spinner=False)
def _topic_ranking(path: str, modified: float) -> MappingProxyType:
    return MappingProxyType(json.loads(Path(path).read_text(encoding="utf-8")))


def topic_ranking() -> MappingProxyType | None:
    """The stored ranking of the instruments UPR recommendations ask to ratify (python -m etl upr-topics); None if absent."""
    path = upr_topic_ranking_path()
    return _topic_ranking(str(path), path.stat().st_mtime) if path.exists() else None


@dataclass(frozen=True)
class CommitmentsView:
    rows: pd.DataFrame  # the filtered rows with their fate (read-only: shared between sessions)
    table: pa.Table
    table_frame: pd.DataFrame  # the same table, for the CSV and XLSX
    figures: MappingProxyType
    chart: charts.Prepared | None  # None when no accepted commitment is shown
    chart_data: pd.DataFrame
    core: tuple[str, ...]  # the CTI core states on the date


@cached(max_entries=64)
def commitments(snap: Snapshot, as_of: date, filters, lang: str) -> CommitmentsView:
    """The commitments page on `as_of` for the filters (app.commitments.Filters), in the language."""
    from app import commitments as rules

    rows = rules.apply_filters(commitment_rows(as_of), filters, snap.status, snap.groups)
    frame = rules.table(rows, snap.status, as_of, lang)
    per_cycle = rules.by_cycle(rows)
    figures = {
        "shown": len(rows),
        "accepted": len(rules.accepted_commitments(rows)),
        "kept": int((rules.accepted_commitments(rows).fate == "kept").sum()),
        "open": int((rules.accepted_commitments(rows).fate == "open").sum()),
        "share": rules.share_kept(rows),
        "by_cycle": _arrow(rules.share_table(rows, "cycle", snap.status, lang)),
        "by_region": _arrow(rules.share_table(rows, "region", snap.status, lang)),
        "deposits": rules.time_to_deposit(rows),
        "most_open": _arrow(rules.most_open_table(rows, snap.status, lang, as_of)),
        "by_recommending": _arrow(rules.recommending_table(rows, snap.status, lang)),
        "recommending": rules.by_recommending(rows),
    }
    chart = charts.prepare(charts.commitments_chart(per_cycle, lang)) if per_cycle["count"].sum() else None
    return CommitmentsView(
        rows,
        _arrow(frame),
        frame,
        MappingProxyType(figures),
        chart,
        rules.chart_table(per_cycle, lang),
        rules.core_states(snap.groups),
    )


# The Secretariat's annual report and the Group of Friends' update.


def report_years() -> list[int]:
    """The years a report can cover, newest first: from the Convention's first year to the data's as-of year."""
    from app.annual import FIRST_YEAR

    return list(range(data_as_of().year, FIRST_YEAR - 1, -1))


@cached(max_entries=16)
def annual_report(year: int, lang: str, generated: date):
    """The annual report of `year` (app.annual.Report) from the snapshots of its first and last day, drawn up on `generated`."""
    from app import annual

    until = annual.year_end(year, data_as_of())
    facts = queries.annual_report_facts(database(), year, until)
    return annual.build(snapshot(date(year - 1, 12, 31)), snapshot(until), facts, geometry(), year, lang, generated)


@cached(max_entries=16)
def annual_report_svgs(year: int, lang: str, generated: date) -> MappingProxyType:
    """The report's charts as print SVG by key: the page shows the pictures the PDF prints."""
    from app.report import svg_figures

    return MappingProxyType(svg_figures(annual_report(year, lang, generated)))


def annual_report_pdf(year: int, lang: str, generated: date) -> bytes:
    """The report as PDF, made when the download is asked for (a few seconds: WeasyPrint lays out every page)."""
    from app.report import to_pdf

    return to_pdf(annual_report(year, lang, generated), dict(annual_report_svgs(year, lang, generated)))


def annual_report_docx(year: int, lang: str, generated: date) -> bytes:
    from app.report import to_docx

    return to_docx(annual_report(year, lang, generated))


@cached(max_entries=32)
def group_update(since: date, as_of: date, lang: str, generated: date):
    """The Group of Friends' update (app.digest.Update) for the span after `since` up to `as_of`."""
    from app import digest

    facts = queries.span_facts(database(), since, as_of)
    return digest.build(snapshot(since), snapshot(as_of), facts, since, as_of, lang, generated)
