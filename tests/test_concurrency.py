"""Readers querying while the ETL rebuilds and swaps the database see the old or the new data, never an error."""

import threading
import time

from app.db import Database
from etl.build import build
from tests.conftest import copy_inputs
from tests.targets_fixture import HANDMADE, write_activities


def test_readers_see_old_or_new_data_during_rebuilds(tmp_path):
    old_data = copy_inputs(tmp_path / "old")
    new_data = copy_inputs(tmp_path / "new")
    for folder, rows in ((old_data, HANDMADE[:10]), (new_data, HANDMADE)):
        for path in (folder / "activities").glob("*.csv"):
            path.unlink()
        write_activities(folder / "activities" / "activities_test.csv", rows)
    database = tmp_path / "live.duckdb"
    build(old_data, database, quiet=True)
    expected = {len(HANDMADE[:10]), len(HANDMADE)}

    db = Database(database)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                seen.append(int(db.query("select count(*) as n from activities").n[0]))
            except BaseException as exc:  # noqa: BLE001 - any error is a failure of the test
                errors.append(exc)
                return
            # A breath between reads: still hundreds per build, and the builds are not starved of the two cores.
            time.sleep(0.005)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(6):
            build(new_data if i % 2 == 0 else old_data, database, quiet=True)
        build(new_data, database, quiet=True)
        # The readers reopen on the new file: the last build's data is served.
        before = len(seen)
        while len(seen) < before + 20 and not errors:
            time.sleep(0.01)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        db.close()
    assert errors == []
    assert len(seen) > 50
    assert set(seen) <= expected
    assert set(seen) == expected  # both versions were served
    assert seen[-1] == len(HANDMADE)
