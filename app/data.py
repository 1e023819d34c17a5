"""Cached access for the pages: the one module with Streamlit caching decorators."""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import streamlit as st

from app import charts, exports, maps, queries, series, tables
from app.config import STATIC_DIR, STATIC_URL, data_dir, database_path, geometry_path
from app.db import Database
from app.i18n import name_column

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
    """Changes when the ETL swaps in a new file, so cached frames are recomputed.

    Cached functions take it as `db_version`: a parameter without a leading underscore is part
    of Streamlit's cache key.
    """
    return database().version()


# An immutable result (a date) is cached as a resource: no copy on every rerun.
@st.cache_resource(show_spinner=False, max_entries=8)
def _data_as_of(db_version: tuple[int, int]) -> date:
    return queries.data_as_of(database())


def data_as_of() -> date:
    return _data_as_of(version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview(as_of: date, lang: str, db_version: tuple[int, int]) -> tuple[MappingProxyType, pa.Table]:
    status = _status(as_of, db_version)
    table = pa.Table.from_pandas(tables.remaining_table(status, lang), preserve_index=False)
    return MappingProxyType(queries.headline_from(status)), table


def overview(as_of: date, lang: str) -> tuple[MappingProxyType, pa.Table]:
    """The Overview's figures and its table of UN member states not yet party, in one cached call.

    Both are immutable (a read-only mapping, an Arrow table), so they are cached as resources and
    shared between reruns and sessions without a copy, keyed by the canonical date.
    """
    db_version = version()
    return _overview(_canonical(as_of, db_version), lang, db_version)


@st.cache_resource(show_spinner=False)
def geometry() -> dict:
    """State shapes (Natural Earth, simplified; see data/SOURCES.md), read once per process."""
    return json.loads(geometry_path().read_text(encoding="utf-8"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _group_choices(lang: str, db_version: tuple[int, int]) -> tuple[tuple[str, str], ...]:
    return tuple(maps.group_choices(queries.group_names(database()), _status(data_as_of(), db_version), lang))


def group_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, label) of every group, region and UN regional group the map can highlight."""
    return _group_choices(lang, version())


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
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    return f"{STATIC_URL}/map/{path.name}"


@st.cache_resource(show_spinner=False, max_entries=8)
def _shape_files(lang: str, db_version: tuple[int, int]) -> maps.ShapeFiles:
    status = _status(data_as_of(), db_version)
    keys, shapes, markers, zoom = maps.shape_documents(geometry(), status, lang)
    return maps.ShapeFiles(
        keys,
        _publish(f"states-{lang}", "json", shapes),
        _publish(f"markers-{lang}", "json", markers),
        MappingProxyType(zoom),
    )


def shape_files(lang: str) -> maps.ShapeFiles:
    """The map's shapes and small-state markers, written once per (language, database) and served statically."""
    return _shape_files(lang, version())


@st.cache_resource(show_spinner=False, max_entries=256)
def _map_deck(as_of: date, options: maps.MapOptions, lang: str, db_version: tuple[int, int]) -> tuple:
    status = _status(as_of, db_version)
    frame = maps.map_frame(status, _groups(as_of, db_version), {}, options, lang)
    return maps.build_deck(frame, options, _shape_files(lang, db_version)), MappingProxyType(maps.legend_counts(frame))


def map_deck(as_of: date, options: maps.MapOptions, lang: str) -> tuple:
    """(deck, legend counts) of one view: a few kilobytes, cheap enough for every frame of "Play the years"."""
    db_version = version()
    return _map_deck(_canonical(as_of, db_version), options, lang, db_version)


@st.cache_resource(show_spinner=False, max_entries=48)
def _map_view(as_of: date, options: maps.MapOptions, lang: str, db_version: tuple[int, int]) -> MapView:
    status = _status(as_of, db_version)
    groups = _groups(as_of, db_version)
    frame = maps.map_frame(status, groups, {}, options, lang)
    deck, legend = _map_deck(as_of, options, lang, db_version)
    table = pa.Table.from_pandas(tables.status_table(status, lang), preserve_index=False)
    states = tuple(sorted(zip(frame.iso3, frame.name, strict=True), key=lambda pair: pair[1]))
    details = maps.state_details(frame, options.selected, lang) if options.selected else {}
    return MapView(
        deck,
        # Built only when a PNG or SVG is asked for: Altair takes seconds over the inline shapes.
        functools.partial(_static_map, as_of, options, lang, db_version),
        legend,
        table,
        states,
        maps.group_note(groups, options.group, lang),
        MappingProxyType(details),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _static_map(as_of: date, options: maps.MapOptions, lang: str, db_version: tuple[int, int]):
    frame = maps.map_frame(_status(as_of, db_version), _groups(as_of, db_version), {}, options, lang)
    return maps.static_map_chart(geometry(), frame, lang)


def map_view(as_of: date, options: maps.MapOptions, lang: str) -> MapView:
    """The map, its legend counts, its table and the selected state's details, cached per view.

    Nothing in it shows the date itself, so it is cached by the canonical date: a date the cache
    has never seen costs nothing when no status or list changed since the last one it has.
    """
    db_version = version()
    return _map_view(_canonical(as_of, db_version), options, lang, db_version)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Tables are cached as Arrow: immutable, shared without a copy, and shown without a conversion."""
    return pa.Table.from_pandas(frame, preserve_index=False)


@st.cache_resource(show_spinner=False, max_entries=4)
def _change_days(db_version: tuple[int, int]) -> tuple[date, ...]:
    return tuple(queries.change_days(database()))


def _canonical(as_of: date, db_version: tuple[int, int]) -> date:
    """The last day on or before `as_of` on which a status or a group list changed.

    Every day from it to `as_of` has the same status and groups, so caches keyed by it stay
    bounded however many different dates visitors ask for.
    """
    days = _change_days(db_version)
    index = bisect.bisect_right(days, as_of)
    if index == 0:
        return days[0] - timedelta(days=1) if days else as_of
    return days[index - 1]


def canonical_date(as_of: date) -> date:
    """`as_of` mapped to the last change on or before it (same status and groups)."""
    return _canonical(as_of, version())


# Shared by every view: one query per (canonical date, database version), the frames read-only.
def _status(as_of: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return _status_on(_canonical(as_of, db_version), db_version)


def _groups(as_of: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return _groups_on(_canonical(as_of, db_version), db_version)


@st.cache_resource(show_spinner=False, max_entries=32)
def _status_on(day: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.status_as_of(database(), day)


@st.cache_resource(show_spinner=False, max_entries=32)
def _groups_on(day: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.groups_as_of(database(), day)


@st.cache_resource(show_spinner=False, max_entries=8)
def _group_options(lang: str, db_version: tuple[int, int]) -> MappingProxyType:
    names = queries.group_names(database())
    column = name_column(lang)
    return MappingProxyType(dict(zip(names.group_code, names[column], strict=True)))


def group_options(lang: str) -> MappingProxyType:
    """Group code -> its name in the language, for the groups in the data."""
    return _group_options(lang, version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _timeline(as_of: date, universe: str, lang: str, db_version: tuple[int, int]) -> MappingProxyType:
    status = queries.in_universe(_status(as_of, db_version), universe)
    cumulative = series.cumulative(status, as_of)
    per_year = series.deposits_per_year(status, name_column(lang))
    return MappingProxyType(
        {
            "total": len(status),
            "cumulative": cumulative,
            "cumulative_chart": charts.prepare(charts.cumulative_chart(cumulative, len(status), lang)),
            "per_year": per_year,
            "per_year_chart": charts.prepare(charts.deposits_chart(per_year, lang)) if len(per_year) else None,
        }
    )


def timeline(as_of: date, universe: str, lang: str) -> MappingProxyType:
    """The timeline's series for a universe: its size, parties and signatories over time, deposits per year.

    Cached as a resource (computed once per arguments and database version; the frames are read-only).
    """
    return _timeline(as_of, universe, lang, version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _breakdown(
    as_of: date, universe: str, by: str, lang: str, db_version: tuple[int, int]
) -> tuple[pd.DataFrame, charts.Prepared, str]:
    status = queries.in_universe(_status(as_of, db_version), universe)
    groups = _groups(as_of, db_version)
    name = _group_options(lang, db_version).get(by, "")
    labels = series.categories(status, by, lang, groups, name)
    coverage = queries.list_coverage(groups, by) if by in queries.LISTED_GROUPS else "covered"
    frame = series.breakdown(status, labels, as_of)
    return frame, charts.prepare(charts.breakdown_chart(frame, lang)), coverage


def breakdown(as_of: date, universe: str, by: str, lang: str) -> tuple[pd.DataFrame, charts.Prepared, str]:
    """Parties over time per category (group composition as of `as_of`), its chart, the group list's coverage."""
    return _breakdown(as_of, universe, by, lang, version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _projection(
    as_of: date, years: int, lang: str, db_version: tuple[int, int]
) -> tuple[pd.DataFrame, MappingProxyType, charts.Prepared]:
    members = queries.in_universe(_status(as_of, db_version), "members")
    history = series.cumulative(members, as_of)
    history = history[history.status == "party"].reset_index(drop=True)
    projected = series.projection(members.consent_date, as_of, years, len(members))
    chart = charts.prepare(charts.projection_chart(history, projected, len(members), as_of, lang))
    return history, MappingProxyType(projected), chart


def projection(as_of: date, years: int, lang: str) -> tuple[pd.DataFrame, MappingProxyType, charts.Prepared]:
    """UN member states parties over time, the extrapolation at the pace of the last `years` years, its chart."""
    return _projection(as_of, years, lang, version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _deposits_since(start: date, as_of: date, lang: str, db_version: tuple[int, int]) -> tuple[pa.Table, frozenset]:
    deposits = queries.deposits_with_flags(database(), start, as_of)
    return _arrow(tables.deposits_table(deposits, lang)), frozenset(deposits.oda_list)


def deposits_since(start: date, as_of: date, lang: str) -> tuple[pa.Table, frozenset]:
    """The table of deposits from `start` to `as_of`, flags as on each date, and the ODA list coverages met."""
    return _deposits_since(start, as_of, lang, version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _non_parties(as_of: date, universe: str, lang: str, db_version: tuple[int, int]) -> MappingProxyType:
    rows, coverage = queries.non_parties_with_flags(database(), as_of)
    rows = queries.in_universe(rows, universe)
    return MappingProxyType(
        {
            "rows": rows,
            "signatories": _arrow(tables.non_parties_table(rows[rows.status == "signatory"], lang)),
            "no_action": _arrow(tables.non_parties_table(rows[rows.status == "no_action"], lang)),
            "coverage": coverage,
        }
    )


def non_parties(as_of: date, universe: str, lang: str) -> MappingProxyType:
    """States of the universe not party on the date, with flags as they stood then, as rows and two tables."""
    return _non_parties(as_of, universe, lang, version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _strategy(as_of: date, db_version: tuple[int, int]) -> MappingProxyType:
    return MappingProxyType(queries.strategy_figures(database(), as_of))


def strategy(as_of: date) -> MappingProxyType:
    """The strategy's shares recomputed for the date (definitions in queries.strategy_figures)."""
    return _strategy(as_of, version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _changes(since: date, as_of: date, lang: str, db_version: tuple[int, int]) -> pa.Table:
    return _arrow(tables.changes_table(queries.changes_between(database(), since, as_of), lang))


def changes(since: date, as_of: date, lang: str) -> pa.Table:
    """Every signature, deposit, art. 22 declaration and OPCAT consent after `since` up to `as_of`."""
    return _changes(since, as_of, lang, version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _remaining_by(
    as_of: date, universe: str, by: str, lang: str, db_version: tuple[int, int]
) -> tuple[pd.DataFrame, charts.Prepared]:
    rows = _non_parties(as_of, universe, lang, db_version)["rows"]
    frame = pd.DataFrame(
        {
            "iso3": rows.iso3,
            "state": rows[name_column(lang)],
            "status": rows.status,
            "category": series.categories(rows, by, lang),
        }
    )
    return frame, charts.prepare(charts.remaining_chart(frame, lang))


def remaining_by(as_of: date, universe: str, by: str, lang: str) -> tuple[pd.DataFrame, charts.Prepared]:
    """States not party on the date with their status and category (region or UN regional group), and its chart."""
    return _remaining_by(as_of, universe, by, lang, version())


# Targets page. Public figures are totals only (see app.queries); per-state detail is for the
# signed-in Secretariat and is cached server-side only, never sent unless the page shows it.


def today() -> date:
    return date.today()


@st.cache_resource(show_spinner=False, max_entries=64)
def _targets_view(first_year: int, last_year: int, as_of: date, lang: str, db_version: tuple[int, int]) -> MappingProxyType:
    from app.target_charts import bullet_chart, trend_chart
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
            "bullets": {(y, m): _spec(bullet_chart(rows.loc[m], lang)) for y, rows in by_year.items() for m in METRICS},
            "trends": {m: _spec(trend_chart(progress, m, lang)) for m in METRICS},
            "totals": pa.Table.from_pandas(table, preserve_index=False),
            "totals_csv": exports.csv_bytes(table),
            "public": pa.Table.from_pandas(tables.public_activities_table(public, lang), preserve_index=False),
        }
    )


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
    return spec


def targets_view(first_year: int, last_year: int, as_of: date, lang: str) -> MappingProxyType:
    """Everything the public targets view shows, totals only, in one cached immutable bundle.

    progress: year -> frame indexed by metric (figure, target, status, projection); bullets: (year,
    metric) -> chart spec; trends: metric -> chart spec; totals and public: Arrow tables; totals_csv: bytes.
    """
    return _targets_view(first_year, last_year, as_of, lang, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _targets(db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.targets(database())


def targets() -> pd.DataFrame:
    return _targets(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _activity_years(db_version: tuple[int, int]) -> tuple[int | None, int | None]:
    return queries.activity_years(database())


def activity_years() -> tuple[int | None, int | None]:
    return _activity_years(version())


@st.cache_data(show_spinner=False, max_entries=32)
def _public_activities(first_year: int, last_year: int, as_of: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.public_activities(database(), first_year, last_year, as_of)


def public_activities(first_year: int, last_year: int, as_of: date) -> pd.DataFrame:
    """Only activities the state concerned made public."""
    return _public_activities(first_year, last_year, as_of, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _activity_detail(
    first_year: int, last_year: int, kinds: tuple[str, ...] | None, iso3: tuple[str, ...] | None, db_version: tuple[int, int]
) -> pd.DataFrame:
    return queries.activity_detail(
        database(), first_year, last_year, list(kinds) if kinds else None, list(iso3) if iso3 else None
    )


def activity_detail(first_year: int, last_year: int, kinds: list[str] | None, iso3: list[str] | None) -> pd.DataFrame:
    """Secretariat only: every record with its state."""
    return _activity_detail(first_year, last_year, tuple(kinds or ()) or None, tuple(iso3 or ()) or None, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _activity_states(db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.activity_states(database())


def activity_states() -> pd.DataFrame:
    """Secretariat only: states with activity records, for the filter."""
    return _activity_states(version())


def add_activities(filename: str, content: bytes):
    """Validate and store an uploaded activity file, then rebuild; the pages see the new file on their next query."""
    from app.activity_files import add_activities as store

    # One query first: the connection then holds the current file, whose run history the rebuild extends
    # (DuckDB serves any connection to the same path from the instance already open in this process).
    database().query("select count(*) from etl_runs")
    return store(filename, content, database=database().path)


def template_csv() -> bytes:
    from app.activity_files import template_csv as build_template

    return build_template()


def template_xlsx() -> bytes:
    from app.activity_files import template_xlsx as build_template

    return build_template()


@dataclass(frozen=True)
class ForumView:
    slides: tuple
    specs: MappingProxyType  # slide key -> Vega-Lite JSON, projector-sized, serialised once


@st.cache_resource(show_spinner=False, max_entries=16)
def _forum(as_of: date, since: date, lang: str, db_version: tuple[int, int]) -> ForumView:
    from app import slides

    deck = tuple(slides.build(database(), as_of, since, lang))
    specs = {s.key: slides.for_projector(s.chart).to_json() for s in deck if s.chart is not None}
    return ForumView(deck, MappingProxyType(specs))


def forum(as_of: date, since: date, lang: str) -> ForumView:
    """The forum slides for the date, the language and the 'since' date, built once."""
    return _forum(as_of, since, lang, version())


def forum_pptx(as_of: date, since: date, lang: str) -> bytes:
    """The same slides as a PPTX (rendered on demand: a few seconds for the chart images)."""
    from app.deck import write_pptx

    return write_pptx(list(forum(as_of, since, lang).slides), lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _group_names(db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.group_names(database())


@st.cache_resource(show_spinner=False, max_entries=8)
def _state_names(lang: str, db_version: tuple[int, int]) -> MappingProxyType:
    states = database().query("select iso3, name_en, name_fr, name_es from states")
    ordered = states.sort_values(name_column(lang))
    return MappingProxyType(dict(zip(ordered.iso3, ordered[name_column(lang)], strict=True)))


def state_names(lang: str) -> MappingProxyType:
    """ISO3 -> the state's UN short name in the language, in alphabetical order of the names."""
    return _state_names(lang, version())


@dataclass(frozen=True)
class ProfileView:
    """A profile and its tables as Arrow (shown without a conversion on every rerun)."""

    profile: object  # app.profile.Profile
    steps: MappingProxyType  # section key -> pa.Table (mark, label, value)
    tables: MappingProxyType  # section key -> pa.Table


@st.cache_resource(show_spinner=False, max_entries=256)
def _profile(iso3: str, as_of: date, lang: str, db_version: tuple[int, int]) -> ProfileView:
    from app import profile
    from app.i18n import t

    facts = queries.state_facts(database(), iso3, as_of)
    built = profile.build(
        iso3,
        as_of,
        lang,
        _data_as_of(db_version),
        _status(as_of, db_version),
        _groups(as_of, db_version),
        _group_names(db_version),
        facts,
    )
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


def profile(iso3: str, as_of: date, lang: str) -> ProfileView:
    """One state's profile on the date in the language, with its tables, built once."""
    if iso3 not in state_names(lang):
        raise KeyError(iso3)  # the page checks first: an unknown code never reaches a query
    return _profile(iso3, as_of, lang, version())


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


@st.cache_resource(show_spinner=False, max_entries=8)
def _engagement_inputs(db_version: tuple[int, int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, MappingProxyType]:
    db = database()
    return (
        queries.upr_reviews_dated(db),
        queries.cat_recommendations(db),
        queries.initial_reports(db),
        MappingProxyType(queries.engagement_currency(db)),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _calendar(
    as_of: date, months: int, group: str, kinds: tuple[str, ...], lang: str, today: date, db_version: tuple[int, int]
) -> CalendarView:
    from app import engagement_calendar, opportunities

    status, groups = _status(as_of, db_version), _groups(as_of, db_version)
    reviews, recs, reports, currency = _engagement_inputs(db_version)
    rows = opportunities.opportunities(as_of, months, status, groups, reviews, recs, reports)
    rows = opportunities.of_kinds(opportunities.in_group(rows, status, groups, group), kinds)
    frame = engagement_calendar.table(rows, status, groups, as_of, lang)
    marks = engagement_calendar.chart_frame(rows, status, as_of, months, lang)
    chart = charts.prepare(engagement_calendar.timeline_chart(marks, as_of, months, today, lang)) if len(marks) else None
    charted = marks.state.nunique()
    coverage = queries.list_coverage(groups, group) if group in queries.LISTED_GROUPS else "covered"
    return CalendarView(rows, _arrow(frame), frame, chart, charted, coverage, status, currency)


def calendar(as_of: date, months: int, group: str, kinds: tuple[str, ...], lang: str) -> CalendarView:
    """The engagement calendar from `as_of` over `months` months, for a group and kinds of opportunity."""
    return _calendar(as_of, months, group, tuple(kinds), lang, today(), version())
