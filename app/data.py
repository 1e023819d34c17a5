"""Cached access for the pages: the one module with Streamlit caching decorators."""

from __future__ import annotations

import threading
from datetime import date
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import streamlit as st

from app import queries, tables
from app.config import database_path
from app.db import Database

_build_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def database() -> Database:
    """The read-only database, built from data/ on first start when the file is missing."""
    path = database_path()
    with _build_lock:
        if not path.exists():
            from etl.build import build

            build(database=path, quiet=True)
    return Database(path)


def version() -> tuple[int, int]:
    """Changes when the ETL swaps in a new file, so cached frames are recomputed.

    Cached functions take it as `db_version`: a parameter without a leading underscore is part
    of Streamlit's cache key.
    """
    return database().signature()


# An immutable result (a date) is cached as a resource: no copy on every rerun.
@st.cache_resource(show_spinner=False, max_entries=8)
def _data_as_of(db_version: tuple[int, int]) -> date:
    return queries.data_as_of(database())


def data_as_of() -> date:
    return _data_as_of(version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview(as_of: date, lang: str, db_version: tuple[int, int]) -> tuple[MappingProxyType, pa.Table]:
    status = queries.status_as_of(database(), as_of)
    table = pa.Table.from_pandas(tables.remaining_table(status, lang), preserve_index=False)
    return MappingProxyType(queries.headline_from(status)), table


def overview(as_of: date, lang: str) -> tuple[MappingProxyType, pa.Table]:
    """The Overview's figures and its table of UN member states not yet party, in one cached call.

    Both are immutable (a read-only mapping, an Arrow table), so they are cached as resources and
    shared between reruns and sessions without a copy.
    """
    return _overview(as_of, lang, version())


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
            # Chart specs as plain dicts: converted and validated once, not on every rerun.
            "bullets": {(y, m): _spec(bullet_chart(rows.loc[m], lang)) for y, rows in by_year.items() for m in METRICS},
            "trends": {m: _spec(trend_chart(progress, m, lang)) for m in METRICS},
            "totals": pa.Table.from_pandas(table, preserve_index=False),
            "totals_csv": table.to_csv(index=False).encode("utf-8"),
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
