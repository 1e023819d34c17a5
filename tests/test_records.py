"""The Secretariat's records (issue 26): corrections, withdrawals, undo as dated files, replayed; accounts, the audit log."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from app import activity_files, audit, auth
from app import data as app_data
from app import secretariat as secretariat_mode
from app.db import connect_read_only
from etl.build import build
from etl.schemas import COLUMNS
from tests.targets_fixture import handmade_data
from tests.test_targets_page import BROWSER, open_targets, private_data  # noqa: F401 - fixture

HEADER = ",".join(COLUMNS["activities"])


def _row(activity_id: str, officials: int, title: str = "Seminar") -> str:
    return f"{activity_id},2024-03-01,2024-03-01,seminar,,{officials},40,{title},false,false,test record"


def _activities(database: Path) -> list[tuple]:
    with connect_read_only(database) as con:
        return con.execute(
            "select activity_id, senior_officials, title, record_file from activities order by activity_id"
        ).fetchall()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "activities").iterdir()}


def test_corrections_withdrawals_and_undo_are_dated_files_and_a_replay_rebuilds_the_same_database(tmp_path):
    folder = handmade_data(tmp_path / "data")
    database = tmp_path / "live.duckdb"
    build(folder, database, quiet=True)
    kept: dict[str, str] = {}
    steps = iter(range(1, 100))

    def at() -> datetime:
        return datetime(2026, 1, 1, 10, 0, next(steps))

    def check_nothing_lost():
        now = _digests(folder)
        assert {k: now[k] for k in kept} == kept  # no file ever changed or deleted
        kept.update(now)

    def add(text: str, kind: str = "activities"):
        result = activity_files.add_activities("x.csv", text.encode(), folder=folder, database=database, now=at(), kind=kind)
        assert result.ok, result.problems
        check_nothing_lost()
        return result

    check_nothing_lost()
    first = add(f"{HEADER}\n{_row('R-1', 5)}\n{_row('R-2', 6, 'Another seminar')}\n")
    assert [r[:2] for r in _activities(database) if r[0].startswith("R-")] == [("R-1", 5), ("R-2", 6)]
    correction = add(f"{HEADER}\n{_row('R-1', 9, 'Seminar corrected')}\n", "corrections")
    assert ("R-1", 9, "Seminar corrected") in [r[:3] for r in _activities(database)]
    # A correction of an id never recorded is refused, naming the row.
    refused = activity_files.add_activities(
        "y.csv", f"{HEADER}\n{_row('R-404', 1)}\n".encode(), folder=folder, database=database, now=at(), kind="corrections"
    )
    assert refused.problems and "not recorded" in refused.problems[0].reason
    withdrawn = activity_files.withdraw([("R-2", "")], "held twice", folder=folder, database=database, now=at())
    assert withdrawn.ok
    check_nothing_lost()
    assert "R-2" not in [r[0] for r in _activities(database)]
    # A target set, then replaced: two dated targets files, replayed after data/targets.csv.
    for value in ("5", "4"):
        assert activity_files.set_targets([_target(value)], folder=folder, database=database, now=at()).ok
        check_nothing_lost()
    add(f"{HEADER}\n{_row('R-3', 3)}\n")
    # Undo the last upload, then undo the correction: R-1 falls back to the first version, still on file.
    standing = activity_files.standing_by_file(_frame(database))
    name, ids = activity_files.last_upload(folder, standing)
    assert ids == ["R-3"]
    assert activity_files.undo_upload(name, ids, "uploaded by mistake", folder=folder, database=database, now=at()).ok
    check_nothing_lost()
    name, ids = activity_files.last_upload(folder, activity_files.standing_by_file(_frame(database)))
    assert name == correction.stored and ids == ["R-1"]
    assert activity_files.undo_upload(name, ids, "wrong figure", folder=folder, database=database, now=at()).ok
    check_nothing_lost()
    live = _activities(database)
    assert ("R-1", 5, "Seminar", f"{folder}/activities/{first.stored}") in live
    assert not {"R-2", "R-3"} & {r[0] for r in live}
    # The history lists every file, newest first, with the reasons of the withdrawals.
    entries = activity_files.history(folder)
    assert [e.kind for e in entries[:3]] == ["withdrawals", "withdrawals", "activities"]
    assert entries[0].reason == "wrong figure"
    # Replay: a database built from the files alone holds the same records, the same targets, the same tables.
    replayed = tmp_path / "replayed.duckdb"
    build(folder, replayed, quiet=True)
    assert _activities(replayed) == live
    assert ("states_visited", 2026, 4) in _tables(database)["targets"]
    assert _tables(replayed) == _tables(database)


def _target(value: str) -> dict[str, str]:
    return {
        "metric": "states_visited",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "comparator": "at_least",
        "value": value,
        "unit": "states per year",
        "strategy": "Test plan",
        "source": "test decision",
    }


def _tables(database: Path) -> dict[str, list[tuple]]:
    """Every table the build writes, each row as a tuple, sorted (the record of the build itself aside)."""
    with connect_read_only(database) as con:
        names = [row[0] for row in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        tables = {
            name: sorted(con.execute(f'select * from "{name}"').fetchall(), key=repr) for name in names if name != "etl_runs"
        }
        tables["targets"] = [
            (metric, year, value)
            for metric, year, value in con.execute("select metric, year(period_start), value from targets").fetchall()
        ]
    return tables


def _frame(database: Path):
    with connect_read_only(database) as con:
        return con.execute("select activity_id, record_file from activities").df()


def test_the_etl_validates_the_audit_log(tmp_path):
    folder = handmade_data(tmp_path / "data")
    audit.record("amina", "upload", "activities_20260101T100000.csv", 2, "activity records 1 -> 3", folder=folder)
    build(folder, tmp_path / "ok.duckdb", quiet=True)
    with audit.path(folder).open("a", encoding="utf-8") as handle:
        handle.write("yesterday,,delete,x,many,,\n")
    from etl.validate import InputError

    with pytest.raises(InputError) as caught:
        build(folder, tmp_path / "bad.duckdb", quiet=True)
    reasons = {(p.column, p.reason) for p in caught.value.problems}
    assert {"at", "account", "action", "records"} <= {column for column, _ in reasons}


@pytest.fixture
def accounts(monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    monkeypatch.setenv(
        auth.ACCOUNTS_ENV_VAR, f"amina={auth.hash_password('amina password 1')},jo={auth.hash_password('jo password 22')}"
    )
    monkeypatch.setattr(auth, "GUESSES", auth.GuessLimiter())
    monkeypatch.setattr(auth, "SIGN_INS", auth.SignIns())
    monkeypatch.setattr(secretariat_mode, "browser", lambda: BROWSER)


def test_a_named_account_corrects_a_record_the_message_stays_and_the_audit_log_names_it(private_data, accounts):  # noqa: F811
    folder, _ = private_data
    at = open_targets()
    at.text_input(key="secretariat_account").input("jo")
    at.text_input(key="secretariat_password").input("amina password 1")  # another account's password
    at.button(key="sign_in").click().run()
    assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="secretariat_account").input("amina")
    at.text_input(key="secretariat_password").input("amina password 1")
    at.button(key="sign_in").click().run()
    assert any("Signed in as amina" in s.value for s in at.success)
    recorded = app_data.database().query("select * from activities where not is_sample limit 1")
    if recorded.empty:
        recorded = app_data.database().query("select * from activities limit 1")
    row = recorded.iloc[0]
    line = ",".join(
        [
            row.activity_id,
            pd.Timestamp(row.start_date).date().isoformat(),
            pd.Timestamp(row.end_date).date().isoformat(),
            row.kind,
            row.iso3 or "",
            str(row.senior_officials + 1),
            str(max(row.participants, row.senior_officials + 1)),
            "Corrected title",
            "true" if row.is_public else "false",
            "true" if row.is_sample else "false",
            row.source or "",
        ]
    )
    at.radio(key="upload_mode").set_value("corrections").run()
    at.file_uploader(key="activities_upload").set_value(("fix.csv", f"{HEADER}\n{line}\n".encode(), "text/csv")).run()
    at.button(key="upload_submit").click().run()
    assert not at.exception
    message = [s.value for s in at.success if "corrected" in s.value]
    assert message and "→" in message[0]
    at.run()  # another run: the message stays until dismissed
    assert any("corrected" in s.value for s in at.success)
    assert app_data.database().query("select title from activities where activity_id = ?", [row.activity_id]).title[0] == (
        "Corrected title"
    )
    log = audit.read(folder)
    assert log[0]["account"] == "amina" and log[0]["action"] == "correction" and log[0]["file"].startswith("corrections_")
    history = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert "amina" in set(history["Who"])
    at.button(key="dismiss_result").click().run()
    assert not any("corrected" in s.value for s in at.success)


@pytest.mark.parametrize(
    ("lang", "what", "figures"),
    [
        (
            "en",
            "Records changed: years 2025 and 2026; kinds: country visit and seminar; states: 1.",
            "Figures to today: 2026: Senior officials 91 → 105, States visited 4 → 5.",
        ),
        (
            "fr",
            "Enregistrements modifiés\u00a0: années 2025 et 2026\u00a0;",
            "Chiffres à ce jour\u00a0: 2026\u00a0: Hauts responsables 91 → 105",
        ),
        (
            "es",
            "Registros modificados: años 2025 y 2026; tipos: seminario y visita al país; Estados: 1.",
            "Cifras a hoy: 2026: Altos funcionarios 91 → 105",
        ),
    ],
)
def test_the_message_after_a_change_says_what_moved(lang, what, figures):
    """Issue 26 row 7: years, kinds and states of the records changed, and each yearly figure before → after."""
    from types import MappingProxyType

    from app.data import RecordsState

    kept = ("A", 2024, "seminar", "", "activities_sample.csv")
    before = RecordsState(
        2,
        frozenset({kept, ("B", 2025, "seminar", "", "activities_sample.csv")}),
        MappingProxyType({(2026, "senior_officials"): 91, (2026, "states_visited"): 4, (2026, "states_advised"): 2}),
    )
    after = RecordsState(
        3,
        frozenset(
            {kept, ("C", 2026, "seminar", "", "activities_x.csv"), ("D", 2026, "country_visit", "HTI", "activities_x.csv")}
        ),
        MappingProxyType({(2026, "senior_officials"): 105, (2026, "states_visited"): 5, (2026, "states_advised"): 2}),
    )
    text = secretariat_mode.moved_text(before, after, lang)
    assert what in text and figures in text
    assert "2 → 3" in text  # the records held, before → after
    assert "States advised" not in text and "2024" not in text  # what did not move is not named
