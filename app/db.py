"""Read-only access to the built database: one cursor per query, reopened when the ETL swaps the file."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd


class Database:
    """A read-only DuckDB file that notices when a new build has been swapped in."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._signature: tuple[int, int] | None = None

    def signature(self) -> tuple[int, int]:
        """(inode, mtime) of the file: changes when the ETL replaces it."""
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns

    def _connect(self) -> duckdb.DuckDBPyConnection:
        current = self.signature()
        with self._lock:
            if self._connection is None or current != self._signature:
                # The old connection is not closed here: cursors of other sessions may still be
                # reading it; it closes when the last of them is gone.
                self._connection = duckdb.connect(str(self.path), read_only=True)
                self._signature = current
            return self._connection

    @contextmanager
    def cursor(self):
        cursor = self._connect().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run one parameterised query on its own cursor."""
        with self.cursor() as cursor:
            return cursor.execute(sql, params or []).df()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
