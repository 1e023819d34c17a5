"""Cached access for the pages: the one module with Streamlit caching decorators."""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import streamlit as st

from app import queries
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


@st.cache_data(show_spinner=False, max_entries=256)
def _data_as_of(db_version: tuple[int, int]) -> date:
    return queries.data_as_of(database())


def data_as_of() -> date:
    return _data_as_of(version())


@st.cache_data(show_spinner=False, max_entries=64)
def _status(as_of: date, db_version: tuple[int, int]) -> pd.DataFrame:
    return queries.status_as_of(database(), as_of)


def status(as_of: date) -> pd.DataFrame:
    return _status(as_of, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _headline(as_of: date, db_version: tuple[int, int]) -> dict[str, int]:
    return queries.headline(database(), as_of)


def headline(as_of: date) -> dict[str, int]:
    return _headline(as_of, version())
