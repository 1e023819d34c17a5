"""The timeline's series builders and the queries behind both new pages, against the test database."""

from datetime import date

import pandas as pd
import pytest

from app import figures, queries, series, snapshot
from core.treaty_rules import CONVENTION_IN_FORCE, CTI_LAUNCH

AS_OF = date(2026, 2, 3)


@pytest.fixture(scope="module")
def status(db):
    return queries.status_as_of(db, AS_OF)


@pytest.mark.parametrize("universe", ["members", "all"])
def test_cumulative_count_at_each_year_end_matches_cat_status_as_of(db, status, universe):
    built = series.cumulative(figures.in_universe(status, universe), AS_OF)
    kinds = {"members": ("member",), "all": ("member", "observer", "other")}[universe]
    for day in [date(year, 12, 31) for year in range(1984, 2026)] + [AS_OF]:
        expected = db.query(
            """
            select status, count(*) as n
            from cat_status_as_of(?::date) join states using (iso3)
            where list_contains(?::varchar[], states.kind)
            group by status
            """,
            [day, list(kinds)],
        ).set_index("status")["n"]
        at = built[built.date == pd.Timestamp(day)].set_index("status")["count"]
        assert at["party"] == expected.get("party", 0), day
        assert at["signatory"] == expected.get("signatory", 0), day


def test_cumulative_points_are_year_ends_then_the_date():
    days = series.points(date(1987, 6, 26))
    assert days == [date(1984, 12, 31), date(1985, 12, 31), date(1986, 12, 31), date(1987, 6, 26)]
    assert series.points(date(2020, 12, 31))[-2:] == [date(2019, 12, 31), date(2020, 12, 31)]


def test_known_points_of_the_cumulative_series(status):
    built = series.cumulative(figures.in_universe(status, "members"), AS_OF).set_index(["date", "status"])["count"]
    assert built[(pd.Timestamp(AS_OF), "party")] == 173
    assert built[(pd.Timestamp(AS_OF), "signatory")] == 4
    assert built[(pd.Timestamp("1984-12-31"), "party")] == 0
    assert built[(pd.Timestamp("1984-12-31"), "signatory")] == 0


def test_deposits_per_year_add_up_and_list_the_states(status):
    per_year = series.deposits_per_year(status, "name_en")
    assert per_year["count"].sum() == (status.status == "party").sum()
    by_year = per_year.groupby("year")["count"].sum()
    assert (per_year.year_total == per_year.year.map(by_year)).all()
    row2024 = per_year[per_year.year == 2024]
    assert set(row2024.consent_type) == {"accession"}
    assert row2024.states.iloc[0] == "Tuvalu, Dominica"  # in date order: 25 March, 5 December
    assert set(per_year.consent_type.dropna()) == {"ratification", "accession", "succession"}


def test_breakdown_by_region_sums_to_the_cumulative_parties(status):
    members = figures.in_universe(status, "members")
    frame = series.breakdown(members, series.categories(members, "region", "en"), AS_OF)
    at_end = frame[frame.date == pd.Timestamp(AS_OF)]
    assert at_end.parties.sum() == 173
    assert at_end.total.sum() == 193
    assert set(at_end.category) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}


def test_oda_breakdown_is_unknown_where_no_list_covers_the_date(db, status):
    day = date(2012, 6, 30)  # no DAC list in the data before 2014
    groups = queries.groups_as_of(db, day)
    labels = series.categories(status, "ODA", "en", groups, "ODA recipients")
    assert set(labels) == {"unknown"}
    assert figures.list_coverage(groups) == "unknown"
    covered = series.categories(status, "ODA", "en", queries.groups_as_of(db, date(2020, 3, 1)), "ODA recipients")
    assert set(covered) == {"ODA recipients", "Not ODA recipients"}


def test_list_coverage_reports_an_extrapolated_list():
    groups = pd.DataFrame({"iso3": ["FJI"], "group_code": ["ODA"], "extrapolated": [True]})
    assert figures.list_coverage(groups) == "extrapolated"
    assert figures.list_coverage(groups.assign(extrapolated=False)) == "covered"


def test_projection_on_a_hand_made_series():
    # 10 states; 6 parties on 1 January 2020, 4 of them in the last 2 years: pace 2 a year,
    # 4 remaining -> 2 more years -> 2022.
    consents = pd.Series(
        pd.to_datetime(["1990-05-01", "2000-01-01", "2018-06-01", "2018-09-01", "2019-03-01", "2019-12-31"] + [None] * 4)
    )
    result = series.projection(consents, date(2020, 1, 1), years=2, total=10)
    assert result == {"parties": 6, "remaining": 4, "recent": 4, "years": 2, "pace": 2.0, "year": 2022}
    slower = series.projection(consents, date(2020, 1, 1), years=4, total=10)
    assert slower["pace"] == 1.0 and slower["year"] == 2024


def test_projection_without_recent_deposits_or_without_anyone_left():
    consents = pd.Series(pd.to_datetime(["1990-05-01", None]))
    assert series.projection(consents, date(2020, 1, 1), years=5, total=2)["year"] is None
    assert series.projection(consents, date(2020, 1, 1), years=5, total=1)["year"] == 2020


def test_deposits_since_launch_carry_flags_as_of_each_deposit(db):
    found = queries.deposits_between(db, CTI_LAUNCH, AS_OF)
    deposits = figures.flag_deposits(found, queries.groups_on(db, found.consent_date))
    assert len(deposits) == 21
    assert deposits.consent_date.is_monotonic_increasing
    by_state = deposits.set_index("iso3")
    # São Tomé and Príncipe deposited in 2017: the 2014 list governed 2017 flows (data/SOURCES.md).
    assert by_state.loc["STP", "ODA"] is True and by_state.loc["STP", "oda_list"] == "covered"
    assert by_state.loc["BHS", "ODA"] is False
    assert by_state.loc["TUV", "LDC"] is True and by_state.loc["TUV", "SIDS"] is True
    assert by_state.loc["OMN", "SIDS"] is False


def test_changes_after_a_date_in_date_order(db):
    changes = queries.changes_between(db, date(2020, 6, 9), date(2021, 12, 31))
    assert "OMN" not in set(changes.iso3)  # acceded on 9 June 2020: not after it
    cat = changes[changes.treaty == "CAT"]
    assert list(cat.iso3) == ["KNA", "SDN", "SUR"]
    assert changes.event_date.is_monotonic_increasing
    assert set(changes.event) <= {"signature", "ratification", "accession", "succession", "declaration_art22"}
    assert not queries.changes_between(db, AS_OF, AS_OF).shape[0]


def test_strategy_sids_split_as_of_march_2020(db):
    shares = figures.strategy_figures(snapshot.take(db, date(2020, 3, 1)))
    caribbean, pacific = shares["non_parties_oda_sids_caribbean"], shares["non_parties_oda_sids_pacific"]
    assert len(caribbean) + len(pacific) == len(shares["non_parties_oda_sids_cp"]) == 11
    assert set(shares["non_parties_oda_sids"]) >= set(caribbean) | set(pacific)
    assert shares["oda_list"] == "covered"
    assert figures.strategy_figures(snapshot.take(db, date(2017, 6, 30)))["oda_list"] == "covered"
    assert figures.strategy_figures(snapshot.take(db, date(2012, 6, 30)))["oda_list"] == "unknown"


def test_before_the_convention_existed_nothing_counts(status):
    early = series.cumulative(status, date(1985, 1, 1))
    assert early["count"].sum() == 0
    built = series.cumulative(status, CONVENTION_IN_FORCE)
    in_force = built[built.date == pd.Timestamp(CONVENTION_IN_FORCE)].set_index("status")["count"]
    assert in_force["party"] > 0


def test_no_breakdown_panel_is_titled_with_a_dash(status):
    every_state = series.categories(status, "regional_group", "en")
    assert "—" not in set(every_state)
    assert "No UN regional group" in set(every_state)  # the observer states and the two others
    assert "—" not in set(series.categories(status, "region", "fr"))


def test_every_breakdown_panel_has_its_year_axis(status):
    from app import charts

    frame = series.breakdown(status, series.categories(status, "regional_group", "en"), AS_OF)
    spec = charts.breakdown_chart(frame, "en").to_dict()
    assert spec["resolve"]["axis"]["x"] == "independent"
