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
        self._lock = threading.Condition()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._signature: tuple[int, int] | None = None
        self._open_cursors = 0

    def signature(self) -> tuple[int, int]:
        """(inode, mtime) of the file: changes when the ETL replaces it."""
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns

    def _open_cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            current = self.signature()
            if self._connection is None or current != self._signature:
                # DuckDB keeps one database instance per path while any connection to it is open,
                # so connecting again would return the replaced file. Wait for the cursors of other
                # sessions to finish (queries take milliseconds), close, then open the new file.
                while self._open_cursors:
                    self._lock.wait()
                if self._connection is not None:
                    self._connection.close()
                self._connection = duckdb.connect(str(self.path), read_only=True)
                self._signature = current
            cursor = self._connection.cursor()
            self._open_cursors += 1
            return cursor

    @contextmanager
    def cursor(self):
        cursor = self._open_cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._open_cursors -= 1
                self._lock.notify_all()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run one parameterised query on its own cursor."""
        with self.cursor() as cursor:
            return cursor.execute(sql, params or []).df()

    def close(self) -> None:
        with self._lock:
            while self._open_cursors:
                self._lock.wait()
            if self._connection is not None:
                self._connection.close()
                self._connection = None
