"""The ETL command: bad inputs are reported by file:line:column and leave the database untouched."""

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from etl.build import build
from tests.conftest import ROOT


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(path: Path, edit) -> None:
    """Apply `edit(rows)` to a CSV file's rows (header included) and write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def find(rows, **match) -> int:
    header = rows[0]
    for i, row in enumerate(rows[1:], start=1):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return i
    raise LookupError(match)


@pytest.fixture
def good_build(data_copy, tmp_path, built_db):
    # The session's database is built from the same inputs as data_copy: a copy of it is that good build, without
    # building and publishing again for every case (the build itself is tested below).
    database = tmp_path / "good.duckdb"
    shutil.copy2(built_db, database)
    return data_copy, database


def set_cell(column, value, **match):
    def edit(rows):
        rows[find(rows, **match)][rows[0].index(column)] = value

    return edit


BAD_INPUTS = {
    "unknown iso code": (
        "treaty_events.csv",
        set_cell("iso3", "XXK", iso3="ALB", treaty="CAT", event="accession"),
        ":1:",
        "unknown ISO code",
    ),
    "malformed date": (
        "treaty_events.csv",
        set_cell("event_date", "1994-13-11", iso3="ALB", treaty="CAT", event="accession"),
        ":4:",
        "not a date in the form YYYY-MM-DD",
    ),
    "future date": (
        "treaty_events.csv",
        set_cell("event_date", "2999-01-01", iso3="ALB", treaty="CAT", event="accession"),
        ":4:",
        "date is in the future",
    ),
    "missing source": (
        "treaty_events.csv",
        set_cell("source", "", iso3="ALB", treaty="CAT", event="accession"),
        ":5:",
        "missing value",
    ),
    "consent before signature": (
        "treaty_events.csv",
        set_cell("event_date", "1984-12-31", iso3="AFG", treaty="CAT", event="ratification"),
        ":4:",
        "consent dated before this state's signature",
    ),
    "unknown event": (
        "treaty_events.csv",
        set_cell("event", "ratifcation", iso3="AFG", treaty="CAT", event="ratification"),
        ":3:",
        "unknown event",
    ),
    "unknown group": (
        "group_membership.csv",
        set_cell("group_code", "NATO", iso3="CHL", group_code="CTI_CORE"),
        ":2:",
        "unknown group",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_value_is_reported_and_database_kept(case, good_build, capsys):
    folder, database = good_build
    filename, edit, column, reason = BAD_INPUTS[case]
    before = digest(database)
    rewrite(folder / filename, edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    line = [x for x in err.splitlines() if reason in x]
    assert line, err
    assert f"{filename}:" in line[0] and column in line[0]
    assert digest(database) == before
    assert not list(database.parent.glob("*.tmp-*"))


def test_message_names_the_exact_line(good_build, capsys):
    folder, database = good_build
    with (folder / "treaty_events.csv").open(encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith("ALB,CAT,accession"))
    rewrite(folder / "treaty_events.csv", set_cell("iso3", "XXK", iso3="ALB", treaty="CAT", event="accession"))
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    assert f"treaty_events.csv:{number}:1: iso3 'XXK': unknown ISO code" in capsys.readouterr().err


def test_duplicate_event_and_second_consent(good_build, capsys):
    folder, database = good_build
    before = digest(database)

    def edit(rows):
        row = rows[find(rows, iso3="ALB", treaty="CAT", event="accession")]
        rows.append(list(row))  # the same event again
        rows.append([row[0], "CAT", "ratification", "1995-01-01", "test", ""])  # a second consent

    rewrite(folder / "treaty_events.csv", edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert "duplicate event" in err
    assert "a second consent" in err
    assert digest(database) == before


def test_not_utf8_names_line_and_column(good_build, capsys):
    folder, database = good_build
    before = digest(database)
    path = folder / "states.csv"
    raw = path.read_bytes().replace("Côte".encode(), "C\xf4te".encode("latin-1"), 1)
    path.write_bytes(raw)
    line = raw[: raw.index(b"C\xf4te")].count(b"\n") + 1
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert f"states.csv:{line}:" in err and "not UTF-8" in err
    assert digest(database) == before


@pytest.mark.parametrize("rename", [("event_date", "event_dte"), ("source", None)])
def test_missing_or_renamed_column(rename, good_build, capsys):
    folder, database = good_build
    before = digest(database)
    old, new = rename

    def edit(rows):
        at = rows[0].index(old)
        if new is None:
            for row in rows:
                del row[at]
        else:
            rows[0][at] = new

    rewrite(folder / "treaty_events.csv", edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert "treaty_events.csv:1:" in err and f"header '{old}': missing column" in err
    if new:
        assert f"header '{new}': unexpected column" in err
    assert digest(database) == before


def test_every_problem_is_listed_not_just_the_first(good_build, capsys):
    folder, database = good_build

    def edit(rows):
        edits = [
            set_cell("iso3", "XXK", iso3="ALB", treaty="CAT", event="accession"),
            set_cell("event_date", "2999-01-01", iso3="AFG", treaty="CAT", event="signature"),
        ]
        for e in edits:
            e(rows)

    rewrite(folder / "treaty_events.csv", edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert "XXK" in err and "2999-01-01" in err


def test_two_copies_alike_are_read_once_and_each_named_as_itself(data_copy, tmp_path):
    """The fixed inputs are kept by their bytes (etl.build._checked), not by folder: a second copy of data/ is not
    read again, yet its tables and its problems name its own files, never the first copy's."""
    from etl.build import load_inputs
    from etl.validate import InputError
    from tests.conftest import copy_inputs

    first = load_inputs(data_copy)
    other = copy_inputs(tmp_path / "other")
    second = load_inputs(other)
    for name, table in second.tables.items():
        assert Path(table.path).parent == other and str(other) in table.label, (name, table.path, table.label)
        assert table.frame.equals(first.tables[name].frame)
    # Both copies broken alike: each one's problem names its own file and line, the second's too (kept by bytes).
    lines = (other / "states.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    broken = lines[0] + lines[1].replace(lines[1].split(",")[0], "XX", 1) + "".join(lines[2:])
    for folder in (data_copy, other):
        states = folder / "states.csv"
        states.write_text(broken, encoding="utf-8")
        with pytest.raises(InputError) as raised:
            load_inputs(folder)
        found = raised.value.problems
        assert any(problem.path == str(states) and problem.line == 2 for problem in found), found


def test_record_files_alike_in_two_copies_are_each_named_as_themselves(data_copy, tmp_path):
    """Activity record files are kept by their kind and bytes too: the second copy's records name its own files (the
    record_file the database stores), and a problem in a record file alike in both copies names each copy's file."""
    from etl.build import load_inputs
    from etl.validate import InputError
    from tests.conftest import copy_inputs

    other = copy_inputs(tmp_path / "other")
    for folder in (data_copy, other):
        inputs = load_inputs(folder)
        assert inputs.activities and all(Path(table.path).parent == folder / "activities" for table in inputs.activities)
        assert all(str(folder) in table.label for table in inputs.activities), [t.label for t in inputs.activities]
    sample = "activities/activities_sample.csv"
    lines = (other / sample).read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("iso3")] = "XXX"  # no such state
    broken = lines[0] + ",".join(cells) + "\n" + "".join(lines[2:])
    for folder in (data_copy, other):
        (folder / sample).write_text(broken, encoding="utf-8")
        with pytest.raises(InputError) as raised:
            load_inputs(folder)
        found = raised.value.problems
        assert found and all(problem.path == str(folder / sample) for problem in found), found
        assert any(problem.line == 2 and problem.column_no == header.index("iso3") + 1 for problem in found), found


def test_build_is_idempotent(data_copy, tmp_path):
    database = tmp_path / "twice.duckdb"
    tables = ["states", "treaty_events", "group_membership", "groups", "state_aliases", "datasets"]

    def content():
        with duckdb.connect(str(database), read_only=True) as con:
            return {t: con.execute(f"select * from {t}").fetchall() for t in tables}

    build(data_copy, database, quiet=True)
    first = content()
    build(data_copy, database, quiet=True)
    assert content() == first
    with duckdb.connect(str(database), read_only=True) as con:
        runs = con.execute("select run_id, input_hashes from etl_runs order by run_id").fetchall()
    assert [r[0] for r in runs] == [1, 2] and runs[0][1] == runs[1][1]


def test_command_line_exit_codes(data_copy, tmp_path, capsys):
    from etl.__main__ import main

    database = tmp_path / "cli.duckdb"
    ok = subprocess.run(
        [sys.executable, "-m", "etl", "--data-dir", str(data_copy), "--db", str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "[etl] load inputs" in ok.stderr and "[etl] swapped in" in ok.stderr
    rewrite(data_copy / "states.csv", set_cell("kind", "colony", iso3="NIU"))
    # The refusal through the same entry point, in this process (the command's start-up is shown above).
    assert main(["--data-dir", str(data_copy), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert "states.csv:" in err and "kind 'colony': unknown kind" in err


def test_database_is_built_when_missing_and_rebuilt_when_data_change(data_copy, tmp_path):
    from etl.build import ensure_current, is_current

    database = tmp_path / "auto.duckdb"
    assert not is_current(database, data_copy)
    ensure_current(database, data_copy)  # missing: built
    assert is_current(database, data_copy)
    first = digest(database)
    ensure_current(database, data_copy)  # current: left alone
    assert digest(database) == first
    rewrite(data_copy / "treaty_events.csv", set_cell("note", "edited", iso3="ALB", treaty="CAT", event="accession"))
    assert not is_current(database, data_copy)  # data/ changed since the build
    ensure_current(database, data_copy)
    assert is_current(database, data_copy) and digest(database) != first
