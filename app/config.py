"""Paths and settings shared by the ETL and the app, overridable through the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_DB_NAME = "uncat.duckdb"


def data_dir() -> Path:
    """Folder of the human-edited source files (UNCAT_DATA_DIR, default data/)."""
    return Path(os.environ.get("UNCAT_DATA_DIR", DEFAULT_DATA_DIR))


def geometry_path() -> Path:
    """State shapes for the map, derived from Natural Earth by etl/geometry.py."""
    return data_dir() / "geo" / "states.geojson"


def database_path() -> Path:
    """The built database file (UNCAT_DB, default data/uncat.duckdb)."""
    return Path(os.environ.get("UNCAT_DB", data_dir() / DEFAULT_DB_NAME))


def public_dir() -> Path:
    """Where `python -m etl` writes the open data and feeds (UNCAT_PUBLIC_DIR, default static/data/, served
    by Streamlit's static file serving at /app/static/data/)."""
    return Path(os.environ.get("UNCAT_PUBLIC_DIR", ROOT / "static" / "data"))


def public_url() -> str:
    """The dashboard's public address without a trailing slash (UNCAT_PUBLIC_URL), for absolute links in the
    feeds; empty: links relative to the server's root."""
    return os.environ.get("UNCAT_PUBLIC_URL", "").rstrip("/")


STATIC_DIR = ROOT / "static"  # served by Streamlit at app/static/ (server.enableStaticServing)
STATIC_URL = "app/static"
