"""Target computations per year on a hand-made set of activities, and the pure rules behind them."""

import csv
from datetime import date

import pandas as pd
import pytest

from app import queries
from app.db import Database
from app.targets import projection, target_for, target_status, year_fraction, yearly_progress
from etl.build import build
from tests.targets_fixture import handmade_data

AS_OF = date(2023, 6, 30)


@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    folder = handmade_data(tmp_path_factory.mktemp("handmade") / "data")
    database = folder.parent / "handmade.duckdb"
    build(folder, database, quiet=True)
    db = Database(database)
    yield folder, db
    db.close()


def progress_of(db, as_of=AS_OF):
    totals = queries.yearly_totals(db, 2020, 2023, as_of)
    frame = yearly_progress(totals, queries.targets(db), as_of)
    return {(r.year, r.metric): r for r in frame.itertuples(index=False)}


def test_states_visited_counts_distinct_states_by_start_year(handmade):
    _, db = handmade
    got = progress_of(db)
    assert got[(2021, "states_visited")].actual == 3  # BRB twice, TON, KIR (starts 30 December)
    assert got[(2021, "states_visited")].status == "met"
    assert got[(2022, "states_visited")].actual == 1
    assert got[(2022, "states_visited")].status == "missed"
    assert got[(2020, "states_visited")].status == "missed"


def test_states_advised_up_to_comparator(handmade):
    _, db = handmade
    got = progress_of(db)
    assert got[(2020, "states_advised")].actual == 10
    assert got[(2020, "states_advised")].status == "met"
    assert got[(2021, "states_advised")].actual == 11  # 12 records, the Bahamas twice
    assert got[(2021, "states_advised")].status == "over_capacity"
    assert got[(2022, "states_advised")].actual == 0
    assert got[(2022, "states_advised")].status == "missed"


def test_senior_officials_sum_seminars_workshops_conferences(handmade):
    _, db = handmade
    got = progress_of(db)
    assert got[(2021, "senior_officials")].actual == 30  # 12 + 10 + 8; the forum's 50 are not counted
    assert got[(2021, "senior_officials")].status == "met"
    assert got[(2022, "senior_officials")].actual == 29
    assert got[(2022, "senior_officials")].status == "missed"


def test_year_without_target_is_not_compared_and_current_year_is_projected(handmade):
    _, db = handmade
    visited = progress_of(db)[(2023, "states_visited")]
    assert visited.actual == 2  # the visit of 1 August is after the as-of date
    assert visited.status == "no_target" and pd.isna(visited.target)
    assert not visited.year_complete
    assert visited.projection == 4  # 2 in 181 of 365 days
    assert progress_of(db, date(2023, 12, 31))[(2023, "states_visited")].actual == 3


def test_a_later_strategy_is_a_new_row(handmade, tmp_path):
    folder, _ = handmade
    targets = folder / "targets.csv"
    original = targets.read_text(encoding="utf-8")
    try:
        with targets.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow(
                ["states_visited", "2023-01-01", "2025-12-31", "at_least", "2", "states per year", "Test strategy", "test"]
            )
        build(folder, tmp_path / "later.duckdb", quiet=True)
        db = Database(tmp_path / "later.duckdb")
        visited = progress_of(db)[(2023, "states_visited")]
        assert (visited.status, visited.target, visited.strategy) == ("met", 2, "Test strategy")
        assert progress_of(db)[(2023, "states_advised")].status == "no_target"
        db.close()
    finally:
        targets.write_text(original, encoding="utf-8")


@pytest.mark.parametrize(
    ("actual", "comparator", "value", "complete", "expected"),
    [
        (3, "at_least", 3, False, "met"),
        (2, "at_least", 3, False, "not_yet"),
        (2, "at_least", 3, True, "missed"),
        (0, "up_to", 10, False, "not_yet"),
        (0, "up_to", 10, True, "missed"),
        (1, "up_to", 10, True, "met"),
        (10, "up_to", 10, True, "met"),
        (11, "up_to", 10, True, "over_capacity"),
        (5, None, None, True, "no_target"),
    ],
)
def test_target_status(actual, comparator, value, complete, expected):
    assert target_status(actual, comparator, value, complete) == expected


def test_year_fraction_and_projection():
    assert year_fraction(2022, date(2023, 1, 1)) == 1.0
    assert year_fraction(2024, date(2023, 1, 1)) == 0.0
    assert year_fraction(2024, date(2024, 12, 31)) == 1.0
    assert year_fraction(2024, date(2024, 1, 1)) == pytest.approx(1 / 366)
    assert projection(15, 2023, date(2023, 7, 2)) == 30  # 183 of 365 days
    assert projection(3, 2022, date(2023, 1, 1)) is None


def test_target_for_needs_the_whole_year_covered():
    targets = pd.DataFrame(
        {
            "metric": ["states_visited"],
            "period_start": [date(2020, 1, 1)],
            "period_end": [date(2022, 12, 31)],
            "comparator": ["at_least"],
            "value": [3],
            "strategy": ["S"],
        }
    )
    assert target_for(targets, "states_visited", 2022).value == 3
    assert target_for(targets, "states_visited", 2023) is None
    assert target_for(targets, "states_advised", 2021) is None


def test_public_queries_cannot_return_states(handmade):
    _, db = handmade
    for frame in (queries.yearly_totals(db, 2020, 2023, AS_OF), queries.targets(db)):
        assert not queries.STATE_COLUMNS & set(frame.columns)
    public = queries.public_activities(db, 2020, 2023, AS_OF)
    assert set(public.public_state_en.dropna()) == {"Ghana"}
    with pytest.raises(queries.ConfidentialityError):
        queries._without_states(pd.DataFrame({"year": [2021], "iso3": ["BRB"]}))


def test_secretariat_detail_filters(handmade):
    _, db = handmade
    visits = queries.activity_detail(db, 2021, 2021, ["country_visit", "study_visit"], None)
    assert list(visits.activity_id) == ["V1", "V2", "V3", "V4"]
    barbados = queries.activity_detail(db, 2020, 2023, None, ["BRB"])
    assert set(barbados.activity_id) == {"V1", "V2"}
