"""Cached access for the pages: the one module with Streamlit caching decorators."""

from __future__ import annotations

import threading
from datetime import date
from types import MappingProxyType

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
