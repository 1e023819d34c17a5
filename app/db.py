"""Read-only access to the built database: one cursor per query, reopened when the ETL swaps the file, rebuilt when damaged."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from core.duckdb_files import connect_read_only, use_attached

__all__ = ["Database", "DatabaseUnavailable", "connect_read_only", "use_attached"]

REBUILD_RETRY_SECONDS = 60  # a file a rebuild could not mend is not rebuilt again sooner than this
_LOG = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database file is missing or damaged and could not be rebuilt; the pages say so in one sentence."""


def is_damage(exc: BaseException) -> bool:
    """Errors of a missing, truncated or corrupt file (not of a query): a rebuild may mend them."""
    if isinstance(
        exc, OSError | duckdb.IOException | duckdb.SerializationException | duckdb.FatalException | duckdb.InternalError
    ):
        return True
    # DuckDB raises its base class for a checksum mismatch ("Corrupt database file").
    return type(exc) in (duckdb.Error, duckdb.DatabaseError)


class Database:
    """A read-only DuckDB file that notices when a new build has been swapped in.

    With `rebuild`, a missing, truncated or corrupt file is rebuilt while the app runs: the first
    query to meet the damage rebuilds under a lock, the queries waiting meanwhile use the result,
    and a file the rebuild could not mend raises DatabaseUnavailable (a retry at most once a minute).
    """

    def __init__(self, path: Path, rebuild: Callable[[], object] | None = None):
        self.path = Path(path)
        self._lock = threading.Condition()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._signature: tuple[int, int] | None = None
        self._open_cursors = 0
        self._rebuild = rebuild
        self._repair_lock = threading.Lock()
        self._last_repair: tuple[tuple[int, int] | None, float] | None = None

    def signature(self) -> tuple[int, int]:
        """(inode, mtime) of the file: changes when the ETL replaces it."""
        stat = os.stat(self.path)
        return stat.st_ino, stat.st_mtime_ns

    def _signature_or_none(self) -> tuple[int, int] | None:
        try:
            return self.signature()
        except OSError:
            return None

    def version(self) -> tuple[int, int]:
        """The file's signature, rebuilding the file first when it is missing."""
        for attempt in (1, 2):
            try:
                return self.signature()
            except OSError as exc:
                if attempt == 2:
                    raise DatabaseUnavailable(f"{self.path} is missing") from exc
                self.repair(exc, None)
        raise AssertionError("unreachable")

    def repair(self, cause: BaseException, failed_on: tuple[int, int] | None) -> None:
        """Rebuild the file that failed (`failed_on`: its signature then), once, under a lock.

        Raises DatabaseUnavailable when there is no way to rebuild or the rebuild fails.
        """
        if self._rebuild is None:
            raise DatabaseUnavailable(str(cause)) from cause
        with self._repair_lock:
            current = self._signature_or_none()
            if current != failed_on:
                return  # replaced meanwhile (another session's rebuild, the ETL): try the new file
            if self._last_repair is not None:
                mended, when = self._last_repair
                if mended == current and time.monotonic() - when < REBUILD_RETRY_SECONDS:
                    raise DatabaseUnavailable(f"{self.path} is still unreadable after a rebuild") from cause
            _LOG.warning("database %s is missing or damaged (%s): rebuilding from the data folder", self.path, cause)
            self._close_connection()
            try:
                self._rebuild()
            except Exception as exc:
                self._last_repair = (self._signature_or_none(), time.monotonic())
                _LOG.exception("rebuilding %s failed", self.path)
                raise DatabaseUnavailable(f"{self.path} could not be rebuilt") from exc
            self._last_repair = (self._signature_or_none(), time.monotonic())

    def _open_cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            current = self.signature()
            if self._connection is None or current != self._signature:
                # Wait for the cursors of other sessions to finish (queries take milliseconds), close,
                # then open the new file by itself (connect_read_only: never DuckDB's cached instance).
                while self._open_cursors:
                    self._lock.wait()
                if self._connection is not None:
                    self._connection.close()
                self._connection, self._signature = None, current
                self._connection = connect_read_only(self.path)
            cursor = self._connection.cursor()
            try:
                use_attached(cursor)
            except BaseException:
                cursor.close()
                raise
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
        """Run one parameterised query on its own cursor (after a rebuild if the file is missing or damaged)."""
        for attempt in (1, 2):
            try:
                with self.cursor() as cursor:
                    return cursor.execute(sql, params or []).df()
            except Exception as exc:
                if not is_damage(exc):
                    raise
                if attempt == 2:
                    _LOG.error("database %s unreadable after a rebuild: %s", self.path, exc)
                    raise DatabaseUnavailable(str(exc)) from exc
                # The file that failed: the one the connection was opened (or being opened) on; None when missing.
                self.repair(exc, self._signature_or_none() if isinstance(exc, OSError) else self._signature)
        raise AssertionError("unreachable")

    def _close_connection(self) -> None:
        with self._lock:
            while self._open_cursors:
                self._lock.wait()
            if self._connection is not None:
                self._connection.close()
                self._connection = None
                self._signature = None

    def close(self) -> None:
        self._close_connection()
