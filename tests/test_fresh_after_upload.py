"""After an upload, every reader in the process sees the new records: the pages, the detail and the open data."""

from __future__ import annotations

import threading
import time

import duckdb

from app import activity_files
from app.db import Database
from etl.build import build
from etl.opendata import read_public
from etl.schemas import COLUMNS
from tests.targets_fixture import handmade_data

HEADER = ",".join(COLUMNS["activities"])


def _record(n: int) -> str:
    # A public visit (so the open data carry it) with its own id and officials, in a past month.
    return f"F-{n},2024-0{1 + n % 9}-01,2024-0{1 + n % 9}-02,country_visit,FJI,{n},0,Fresh {n},true,false,https://example.invalid/{n}"


def test_a_connection_left_on_the_replaced_file_is_never_served_to_a_new_reader(tmp_path):
    """DuckDB hands `connect(path)` the instance already open for that path: with any connection to the replaced
    file still alive in the process, the reopened pages and the open data read the old file (issue 26, row 2)."""
    folder = handmade_data(tmp_path / "data")
    database = tmp_path / "live.duckdb"
    build(folder, database, quiet=True)
    db = Database(database)
    before = int(db.query("select count(*) as n from activities").n[0])
    lingering = duckdb.connect(str(database), read_only=True)  # e.g. a build's or a writer's, not yet released
    try:
        (folder / "activities" / "activities_20260101T000000.csv").write_text(f"{HEADER}\n{_record(1)}\n", encoding="utf-8")
        build(folder, database, quiet=True)
        assert int(db.query("select count(*) as n from activities").n[0]) == before + 1
        assert "F-1" in read_public(database).tables["activities"].column("activity_id").to_pylist()
    finally:
        lingering.close()
        db.close()


# A breath between reads: still hundreds of reads during each upload, and the uploads are not starved of the cores.
READ_PAUSE = 0.005


def test_uploads_while_sessions_read_never_leave_a_stale_figure(tmp_path, monkeypatch):
    """Three uploads while three sessions read (and one holds connections of its own, as other code may): after each,
    the count, the detail and the open data hold the new record."""
    public = tmp_path / "public"
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(public))
    folder = handmade_data(tmp_path / "data")
    database = tmp_path / "live.duckdb"
    build(folder, database, quiet=True)
    db = Database(database)
    expected = int(db.query("select count(*) as n from activities").n[0])
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                db.query("select count(*) as n, sum(senior_officials) as s from activities")
            except BaseException as exc:  # noqa: BLE001 - any error fails the test
                errors.append(exc)
                return
            time.sleep(READ_PAUSE)

    def hold():
        while not stop.is_set():
            try:
                with duckdb.connect(str(database), read_only=True) as con:
                    con.execute("select count(*) from activities").fetchone()
            except duckdb.Error:
                pass  # the file was being swapped; what matters is the other readers
            time.sleep(READ_PAUSE)

    threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=hold)]
    for thread in threads:
        thread.start()
    try:
        for n in range(1, 4):
            result = activity_files.add_activities(
                f"up{n}.csv",
                f"{HEADER}\n{_record(n)}\n".encode(),
                folder=folder,
                database=database,
                reopen=lambda: db.query("select 1"),
            )
            assert result.ok, result.problems
            expected += 1
            assert int(db.query("select count(*) as n from activities").n[0]) == expected, f"upload {n}"
            detail = db.query("select activity_id from activities where activity_id = ?", [f"F-{n}"])
            assert len(detail) == 1, f"upload {n}: the detail lacks F-{n}"
            assert f"F-{n}" in (public / "activities.csv").read_text(encoding="utf-8"), f"upload {n}: open data lag"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        db.close()
    assert errors == []
