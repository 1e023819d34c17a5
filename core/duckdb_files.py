"""Read-only connections to a DuckDB file that is replaced while the process runs (the ETL swaps in new builds)."""

from __future__ import annotations

from pathlib import Path

import duckdb

ALIAS = "db"  # the name the file is attached under in a connection of its own (connect_read_only)


def connect_read_only(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file that is at `path` now, never to an earlier file that was there.

    `duckdb.connect(path)` hands out the instance this process already has open for that path, so while
    any connection to a replaced file lives (a reader's, a build's, the open data's), a new connection
    reads the replaced file: a stale figure until the next swap. Attaching the file to a new in-memory
    instance (never cached) opens the file itself. Each cursor must `use` it too (`use_attached`).
    """
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(f"attach '{_quoted(path)}' as {ALIAS} (read_only)")
        connection.execute(f"use {ALIAS}")
    except BaseException:
        connection.close()
        raise
    return connection


def use_attached(cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor reads the attached file (a cursor starts in the in-memory catalog)."""
    cursor.execute(f"use {ALIAS}")
    return cursor


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")
