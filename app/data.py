"""Cached access for the pages: the one module with Streamlit caching decorators."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import pyarrow as pa
import streamlit as st

from app import maps, queries, tables
from app.config import database_path, geometry_path
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


@st.cache_resource(show_spinner=False)
def geometry() -> dict:
    """State shapes (Natural Earth, simplified; see data/SOURCES.md), read once per process."""
    return json.loads(geometry_path().read_text(encoding="utf-8"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _group_choices(lang: str, db_version: tuple[int, int]) -> tuple[tuple[str, str], ...]:
    return tuple(maps.group_choices(queries.group_names(database()), queries.status_as_of(database(), data_as_of()), lang))


def group_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, label) of every group, region and UN regional group the map can highlight."""
    return _group_choices(lang, version())


@dataclass(frozen=True)
class MapView:
    deck: object
    legend: MappingProxyType
    table: pa.Table
    states: tuple[tuple[str, str], ...]
    group_note: str | None
    details: MappingProxyType


@st.cache_resource(show_spinner=False, max_entries=48)
def _map_view(as_of: date, options: maps.MapOptions, lang: str, db_version: tuple[int, int]) -> MapView:
    db = database()
    status = queries.status_as_of(db, as_of)
    groups = queries.groups_as_of(db, as_of)
    names = queries.group_names(db)
    frame = maps.map_frame(status, groups, dict(zip(names.group_code, names[f"name_{lang}"], strict=True)), options, lang)
    deck = maps.build_deck(geometry(), frame, options, lang)  # serialised here, once, not on every rerun
    table = pa.Table.from_pandas(tables.status_table(status, lang), preserve_index=False)
    states = tuple(sorted(zip(frame.iso3, frame.name, strict=True), key=lambda pair: pair[1]))
    details = maps.state_details(frame, options.selected, lang) if options.selected else {}
    return MapView(
        deck,
        MappingProxyType(maps.legend_counts(frame)),
        table,
        states,
        maps.group_note(groups, options.group, lang),
        MappingProxyType(details),
    )


def map_view(as_of: date, options: maps.MapOptions, lang: str) -> MapView:
    """The map, its legend counts, its table and the selected state's details, cached per view."""
    return _map_view(as_of, options, lang, version())
