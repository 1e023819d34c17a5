"""A missing, truncated or corrupt database while the app runs: rebuilt once under a lock, or one plain sentence; no
traceback in a browser; the ETL cleans up the temporary files of builds that died."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from app import data as app_data
from app.db import Database, DatabaseUnavailable
from etl import build as etl_build
from etl.build import build
from tests.conftest import APP, ROOT, copy_inputs
from tests.test_targets_page import private_data  # noqa: F401 - fixture: a private data folder and database for the app


def overview() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    return at


def parties(at: AppTest) -> str:
    # The label names its universe ("States parties (all 197 states)").
    return next(m.value for m in at.metric if m.label.startswith("States parties"))


def damage(database, how: str) -> None:
    if how == "missing":
        database.unlink()
    elif how == "truncated":
        content = database.read_bytes()
        database.write_bytes(content[: len(content) // 2])
    elif how == "corrupt":
        content = bytearray(database.read_bytes())
        for offset in range(12288, len(content), 4096):  # every block after the headers
            content[offset : offset + 16] = b"\xff" * 16
        database.write_bytes(bytes(content))
    elif how == "empty":
        database.write_bytes(b"")


@pytest.mark.parametrize("how", ["missing", "truncated", "corrupt", "empty"])
def test_a_damaged_database_is_rebuilt_while_the_app_runs(private_data, how):  # noqa: F811
    _, database = private_data
    at = overview()
    assert not at.exception
    before = parties(at)
    damage(database, how)
    at.run()
    assert not at.exception, at.exception
    assert parties(at) == before
    assert not at.error
    assert app_data.database().query("select count(*) as n from states").n[0] == 197  # a whole new file


def test_a_database_that_cannot_be_rebuilt_is_one_plain_sentence(private_data):  # noqa: F811
    folder, database = private_data
    at = overview()
    (folder / "states.csv").write_text("not,the,header\n", encoding="utf-8")  # data/ broken too
    database.unlink()
    at.run()
    assert not at.exception  # no traceback, no path
    assert [e.value for e in at.error] == [
        "The data cannot be read right now: the database is missing or damaged and could not be rebuilt. Try again in a "
        "minute; if this persists, the operator should run `python -m etl` and read its messages."
    ]
    at.run()  # within a minute: the same sentence, without another attempt
    assert not at.exception and len(at.error) == 1


def test_concurrent_readers_rebuild_once(tmp_path):
    folder = copy_inputs(tmp_path / "data")
    database = tmp_path / "db.duckdb"
    build(folder, database, quiet=True)
    builds = []

    def rebuild():
        builds.append(1)
        build(folder, database, quiet=True)

    db = Database(database, rebuild=rebuild)
    assert db.query("select count(*) as n from states").n[0] == 197
    database.unlink()
    results, errors = [], []

    def read():
        try:
            results.append(int(db.query("select count(*) as n from states").n[0]))
        except Exception as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(6)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=120)
    db.close()
    assert errors == [] and results == [197] * 6
    assert builds == [1]


def test_without_a_rebuild_the_error_is_database_unavailable(tmp_path):
    db = Database(tmp_path / "absent.duckdb")
    with pytest.raises(DatabaseUnavailable):
        db.query("select 1")


def test_the_shipped_config_shows_no_error_details():
    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["client"]["showErrorDetails"] == "none"


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_build_removes_temporary_files_of_dead_builds(tmp_path):
    folder = copy_inputs(tmp_path / "data")
    database = tmp_path / "uncat.duckdb"
    dead, alive = dead_pid(), os.getppid()
    leftovers = [tmp_path / f"uncat.duckdb.tmp-{dead}", tmp_path / f"uncat.duckdb.tmp-{dead}.wal"]
    running = tmp_path / f"uncat.duckdb.tmp-{alive}"  # a build still running in another process
    for path in [*leftovers, running]:
        path.write_bytes(b"x" * 1000)
    build(folder, database, quiet=True)
    assert not any(path.exists() for path in leftovers)
    assert running.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("uncat")) == ["uncat.duckdb", running.name]


def test_a_failed_build_removes_its_own_temporary_files(tmp_path, monkeypatch):
    folder = copy_inputs(tmp_path / "data")
    database = tmp_path / "uncat.duckdb"
    build(folder, database, quiet=True)
    before = database.read_bytes()
    temporary = tmp_path / f"uncat.duckdb.tmp-{os.getpid()}"

    def disk_full(con):
        temporary.with_name(temporary.name + ".wal").write_bytes(b"x" * 600_000)  # as a full disk leaves it
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(etl_build, "_check_contract", disk_full)
    with pytest.raises(OSError):
        build(folder, database, quiet=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("uncat")) == ["uncat.duckdb"]
    assert database.read_bytes() == before
