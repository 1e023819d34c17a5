"""Paths and settings shared by the ETL and the app, overridable through the environment."""

from __future__ import annotations

import logging
import os
import re
import threading
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


# The ranking of the instruments UPR recommendations ask states to ratify (python -m etl upr-topics), read by the
# commitments page: computed from the UPR Info exports outside the repository, kept in data/ with their hashes.
UPR_TOPIC_RANKING = "upr_topic_ranking.json"


def upr_topic_ranking_path() -> Path:
    return data_dir() / UPR_TOPIC_RANKING


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

# A file being written beside the one it replaces: a dot-file (never served: app/http_guard.py) naming its writer.
_TEMPORARY = re.compile(r"\..+\.tmp-(\d+)-\d+")


def temporary_path(path: Path) -> Path:
    """Where to write `path` before swapping it in (os.replace): beside it, hidden, named by this process and thread."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")


def process_running(pid: int) -> bool:
    """Whether process `pid` still runs (a temporary file's writer, named in its file name)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files in `folder` whose writer is no longer running (killed mid-write); returns them."""
    removed = []
    for path in Path(folder).glob(".*.tmp-*") if Path(folder).is_dir() else ():
        found = _TEMPORARY.fullmatch(path.name)
        if found and int(found.group(1)) != os.getpid() and not process_running(int(found.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


DEFAULT_MAX_UPLOAD_MB = 10  # keep .streamlit/config.toml's server.maxUploadSize equal to it
DEFAULT_MAX_UPLOAD_ROWS = 50_000


def upload_limits() -> tuple[int, int]:
    """Largest activity upload in bytes and in data rows.

    UNCAT_MAX_UPLOAD_MB (default 10) and UNCAT_MAX_UPLOAD_ROWS (default 50,000).

    The server itself refuses a body over server.maxUploadSize (.streamlit/config.toml) before the app sees it.
    """
    megabytes = _positive("UNCAT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
    rows = int(_positive("UNCAT_MAX_UPLOAD_ROWS", DEFAULT_MAX_UPLOAD_ROWS))
    return int(megabytes * 1024 * 1024), rows


def _positive(name: str, default: float) -> float:
    """A positive number from the environment; the default (and a warning) when it is unset or not one."""
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        value = -1
    if value > 0:
        return value
    logging.getLogger(__name__).warning("%s=%r is not a positive number: using %s", name, text, default)
    return default
