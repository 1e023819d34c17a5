"""Activity records and targets in the ETL: bad rows are reported by file:line:column, nothing is lost."""

import shutil

import duckdb
import pytest

from etl.__main__ import main
from etl.build import build
from tests.test_etl import digest, find, rewrite, set_cell

SAMPLE = "activities/activities_sample.csv"
CTI_PUBLIC = "activities/activities_cti_public.csv"


@pytest.fixture
def good_build(data_copy, tmp_path, built_db):
    # The session's database is built from the same inputs as data_copy: a copy of it is that good build, without
    # building and publishing again for every case (the build itself is tested below).
    database = tmp_path / "good.duckdb"
    shutil.copy2(built_db, database)
    return data_copy, database


def set_first(of_kind, **values):
    def edit(rows):
        row = rows[find(rows, kind=of_kind)]
        for column, value in values.items():
            row[rows[0].index(column)] = value

    return edit


BAD_ACTIVITIES = {
    "unknown state": (set_first("country_visit", iso3="XXK"), "iso3 'XXK': unknown ISO code"),
    "end before start": (set_first("seminar", start_date="2021-05-10", end_date="2021-05-09"), "end_date is before start_date"),
    "negative count": (set_first("workshop", senior_officials="-4"), "senior_officials '-4': not a whole number"),
    "unknown kind": (set_first("seminar", kind="webinar"), "kind 'webinar': unknown kind of activity"),
    "public advice without source": (
        set_first("remote_advice", is_public="true", source=""),
        "a public activity naming a state needs the source",
    ),
    "visit without a state": (set_first("study_visit", iso3=""), "a visit or remote advice needs the state"),
    "not a yes/no": (set_first("forum", is_public="yes"), "is_public 'yes': not a yes/no value"),
    "future date": (set_first("forum", start_date="2999-01-01", end_date="2999-01-02"), "date is in the future"),
    "NUL in a title": (
        set_first("seminar", title="Regional\x00seminar"),
        "title 'Regional\\x00seminar': control character U+0000",
    ),
    "escape in a source": (set_first("workshop", source="x\x1b[31m"), "control character U+001B in the text"),
}


@pytest.mark.parametrize("case", BAD_ACTIVITIES)
def test_bad_activity_is_reported_and_database_kept(case, good_build, capsys):
    folder, database = good_build
    edit, message = BAD_ACTIVITIES[case]
    before = digest(database)
    sample = folder / SAMPLE
    lines_before = sample.read_text(encoding="utf-8")
    rewrite(sample, edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    hits = [line for line in err.splitlines() if message in line]
    assert hits, err
    assert "activities_sample.csv:" in hits[0]
    # The line number points at the damaged row.
    line_no = int(hits[0].split("activities_sample.csv:")[1].split(":")[0])
    assert sample.read_text(encoding="utf-8").splitlines()[line_no - 1] != lines_before.splitlines()[line_no - 1]
    assert digest(database) == before
    assert sample.exists()


def test_the_command_lists_the_first_hundred_problems_and_the_total(good_build, capsys):
    folder, database = good_build
    header = (folder / SAMPLE).read_text(encoding="utf-8").splitlines()[0]
    rows = [f"X-{n},2026-13-01,2026-03-02,seminar,,1,1,t,false,true," for n in range(150)]
    (folder / "activities" / "activities_20260101T000000.csv").write_text("\n".join([header, *rows]), encoding="utf-8")
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert sum(line.startswith("error: ") for line in lines) == 100
    total = int(lines[-1].split(" problem(s)")[0])
    assert total >= 150
    assert lines[-1] == f"{total} problem(s) in the inputs (the first 100 are listed); the database was not changed."


def test_duplicate_id_across_files(good_build, capsys):
    folder, database = good_build
    before = digest(database)
    header, first = (folder / SAMPLE).read_text(encoding="utf-8").splitlines()[:2]
    (folder / "activities" / "activities_20260101T000000.csv").write_text(f"{header}\n{first}\n", encoding="utf-8")
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    # Files load in ledger order (the shipped files, then dated ones); the later one is blamed, naming the first.
    assert "activities_20260101T000000.csv:2:1: activity_id" in err
    assert "already recorded in" in err and "activities_sample.csv" in err
    assert digest(database) == before


def test_overlapping_targets_are_refused(good_build, capsys):
    folder, database = good_build

    def edit(rows):
        row = list(rows[find(rows, metric="states_visited")])
        row[rows[0].index("period_start")] = "2022-01-01"
        row[rows[0].index("period_end")] = "2024-12-31"
        rows.append(row)

    rewrite(folder / "targets.csv", edit)
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    assert "targets.csv:5:2: period_start '2022-01-01': periods of the same metric overlap" in capsys.readouterr().err


def test_bad_target_comparator(good_build, capsys):
    folder, database = good_build
    rewrite(folder / "targets.csv", set_cell("comparator", "at_most", metric="states_advised"))
    assert main(["--data-dir", str(folder), "--db", str(database)]) == 1
    assert "comparator 'at_most': unknown comparator" in capsys.readouterr().err


def test_every_activity_file_is_loaded(data_copy, tmp_path):
    header, first = (data_copy / SAMPLE).read_text(encoding="utf-8").splitlines()[:2]
    extra = first.replace(first.split(",")[0], "UPLOAD-1", 1)
    (data_copy / "activities" / "activities_20260101T000000.csv").write_text(f"{header}\n{extra}\n", encoding="utf-8")
    (data_copy / "activities" / "notes.csv").write_text("not an activity file\n", encoding="utf-8")
    counts = build(data_copy, tmp_path / "all.duckdb", quiet=True)
    shipped = [data_copy / SAMPLE, data_copy / CTI_PUBLIC]
    assert counts["activities"] == sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in shipped) + 1
    with duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True) as con:
        files = dict(con.execute("select activity_id, record_file from activities").fetchall())
    assert files["UPLOAD-1"].endswith("activities_20260101T000000.csv")


def test_shipped_activities_are_all_labelled_sample(db):
    rows = db.query("select * from activities")
    assert len(rows) > 0
    sample = rows[rows.is_sample]
    assert (sample.title.str.startswith("Sample – ")).all()
    assert (sample.source == "sample data for demonstration (not real CTI activities)").all()
    assert {2020, 2021, 2022, 2023, 2024, 2025} <= {day.year for day in rows.start_date}


def test_targets_ship_as_data(db):
    targets = db.query("select metric, comparator, value, strategy from targets order by metric")
    assert targets.values.tolist() == [
        ["senior_officials", "at_least", 30, "CTI Strategy 2020-2022"],
        ["states_advised", "up_to", 10, "CTI Strategy 2020-2022"],
        ["states_visited", "at_least", 3, "CTI Strategy 2020-2022"],
    ]
