"""UPR commitments: each recommendation's fate on a date, on hand-made frames and on the data at two dates."""

from datetime import date

import pandas as pd
import pytest

from app import commitments, queries, snapshot
from etl import opendata

EARLY, LATE = date(2016, 1, 1), date(2026, 2, 3)


def recs(*rows) -> pd.DataFrame:
    """(rec_id, iso3, treaty, action, response, counts_from) with the open data's other columns filled."""
    frame = pd.DataFrame(rows, columns=["rec_id", "iso3", "treaty", "action", "response", "counts_from"])
    return frame.assign(
        cycle=1,
        session=7,
        recommending_iso3="DNK",
        recommending_name="Denmark",
        text="Ratify the Convention",
        document=None,
        source="test",
        level="secondary",
        note=None,
        review_day=None,
        counts_from=pd.to_datetime(frame.counts_from),
    )


def events(*rows) -> pd.DataFrame:
    """(iso3, treaty, event, event_date)."""
    frame = pd.DataFrame(rows, columns=["iso3", "treaty", "event", "event_date"])
    return frame.assign(event_date=pd.to_datetime(frame.event_date))


def fates(rows: pd.DataFrame, acts: pd.DataFrame, as_of: date) -> dict[str, tuple[str, str]]:
    found = commitments.with_fates(rows, acts, as_of)
    return {r.rec_id: (r.fate, "" if pd.isna(r.fate_date) else r.fate_date.date().isoformat()) for r in found.itertuples()}


SESSION_END = "2010-02-19"


@pytest.mark.parametrize(
    ("deposit", "as_of", "expected"),
    [
        ("2010-02-10", date(2012, 1, 1), ("done_before", "2010-02-10")),  # during the session: it does not keep it
        ("2010-02-19", date(2012, 1, 1), ("kept", "2010-02-19")),  # the day the recommendation counts from
        ("2011-06-01", date(2011, 5, 31), ("open", "")),  # kept later: open before its deposit
        ("2011-06-01", date(2011, 6, 1), ("kept", "2011-06-01")),
    ],
)
def test_a_deposit_keeps_a_recommendation_only_from_the_day_it_counts(deposit, as_of, expected):
    rows = recs(("R1", "FJI", "CAT", "ratify", "supported", SESSION_END))
    assert fates(rows, events(("FJI", "CAT", "accession", deposit)), as_of) == {"R1": expected}


def test_a_recommendation_is_not_shown_before_its_session_surely_ended():
    rows = recs(("R1", "FJI", "CAT", "ratify", "supported", SESSION_END))
    assert fates(rows, events(), date(2010, 2, 18)) == {}
    assert fates(rows, events(), date(2010, 2, 19)) == {"R1": ("open", "")}


def test_each_demand_is_kept_by_its_own_act():
    rows = recs(
        ("sign", "KIR", "OPCAT", "sign", "supported", SESSION_END),
        ("sign-by-accession", "TUV", "CAT", "sign", "supported", SESSION_END),
        ("art22", "GHA", "CAT", "declare_art22", "supported", SESSION_END),
        ("art22-open", "KEN", "CAT", "declare_art22", "supported", SESSION_END),
        ("reservation", "AFG", "CAT", "withdraw_reservation", "supported", SESSION_END),
        ("no-reservation", "PAK", "CAT", "withdraw_reservation", "supported", SESSION_END),
        ("implement", "GHA", "CAT", "implement", "supported", SESSION_END),
        ("other", "GHA", "OPCAT", "other", "noted", SESSION_END),
    )
    acts = events(
        ("KIR", "OPCAT", "signature", "2012-01-01"),
        ("TUV", "CAT", "accession", "2013-01-01"),
        ("GHA", "CAT", "declaration_art22", "2012-05-05"),
        ("AFG", "CAT", "reservation_art20", "1987-04-01"),
        ("AFG", "CAT", "withdrawal_art20", "2018-04-17"),
    )
    assert fates(rows, acts, date(2020, 1, 1)) == {
        "sign": ("kept", "2012-01-01"),
        "sign-by-accession": ("kept", "2013-01-01"),  # a state that accedes never signs: the deposit goes further
        "art22": ("kept", "2012-05-05"),
        "art22-open": ("open", ""),
        "reservation": ("kept", "2018-04-17"),
        "no-reservation": ("not_applicable", ""),  # no art. 20 reservation in force: its others are not in the data
        "implement": ("not_applicable", ""),
        "other": ("not_applicable", ""),
    }


def test_a_recommendation_naming_both_treaties_is_kept_when_both_are_done_on_the_later_date():
    rows = recs(("both", "TON", "CAT+OPCAT", "ratify", "supported", SESSION_END))
    cat = ("TON", "CAT", "accession", "2012-01-01")
    assert fates(rows, events(cat), date(2020, 1, 1)) == {"both": ("open", "")}
    found = commitments.with_fates(rows, events(cat), date(2020, 1, 1))
    assert found.open_treaties.tolist() == ["OPCAT"]  # the Convention part is kept, the Protocol part is not
    acts = events(cat, ("TON", "OPCAT", "accession", "2015-03-03"))
    assert fates(rows, acts, date(2020, 1, 1)) == {"both": ("kept", "2015-03-03")}
    earlier = events(("TON", "CAT", "accession", "2000-01-01"), ("TON", "OPCAT", "accession", "2015-03-03"))
    assert fates(rows, earlier, date(2020, 1, 1)) == {"both": ("kept", "2015-03-03")}  # the Convention part was done before
    both_before = events(("TON", "CAT", "accession", "2000-01-01"), ("TON", "OPCAT", "accession", "2001-01-01"))
    assert fates(rows, both_before, date(2020, 1, 1)) == {"both": ("done_before", "2001-01-01")}


def test_supported_open_commitments_are_the_supported_rows_still_open():
    rows = recs(
        ("open", "FJI", "OPCAT", "ratify", "supported", SESSION_END),
        ("noted", "FJI", "OPCAT", "ratify", "noted", SESSION_END),
        ("kept", "FJI", "CAT", "ratify", "supported", SESSION_END),
        ("implement", "FJI", "CAT", "implement", "supported", SESSION_END),
    )
    acts = events(("FJI", "CAT", "ratification", "2016-03-14"))
    assert commitments.supported_open_commitments(rows, acts, date(2016, 3, 13)).rec_id.tolist() == ["kept", "open"]
    assert commitments.supported_open_commitments(rows, acts, date(2016, 3, 14)).rec_id.tolist() == ["open"]


# On the data, at two dates.


@pytest.fixture(scope="module")
def inputs(db):
    return queries.commitment_inputs(db)


def rows_on(inputs, day: date) -> pd.DataFrame:
    return commitments.with_fates(inputs["recommendations"], inputs["events"], day)


def test_the_rows_are_the_open_data_table_plus_the_fate(db, inputs):
    """The page's data are the open-data table upr_recommendations (its rows counted by the date) and the fate."""
    table = next(t for t in opendata.TABLES if t.name == "upr_recommendations")
    published = db.query(table.query)
    assert list(published.columns) == list(commitments.OPEN_DATA_COLUMNS)
    counts_from = db.query("select session, known_by from upr_sessions").set_index("session").known_by
    for day in (EARLY, LATE, date(2026, 12, 1)):
        rows = rows_on(inputs, day)
        counted = published[published.session.map(counts_from) <= pd.Timestamp(day)]
        mine = rows[list(commitments.OPEN_DATA_COLUMNS)].sort_values("rec_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, counted.sort_values("rec_id").reset_index(drop=True), check_dtype=False)
        assert set(rows.fate) <= set(commitments.FATES)
    assert len(rows_on(inputs, date(2026, 12, 1))) == len(published)  # every row counts once its session ended


def test_denmarks_recommendations_and_their_fate(inputs):
    """Denmark as a recommending state: 19 accepted commitments; Australia's and Slovakia's were kept between the dates."""
    early, late = (rows_on(inputs, day) for day in (EARLY, LATE))
    early, late = (rows[rows.recommending_iso3 == "DNK"] for rows in (early, late))
    assert (len(early), len(late)) == (54, 55)
    accepted_early, accepted_late = commitments.accepted_commitments(early), commitments.accepted_commitments(late)
    assert (len(accepted_early), len(accepted_late)) == (19, 19)
    assert ((accepted_early.fate == "kept").sum(), (accepted_late.fate == "kept").sum()) == (9, 12)
    assert sorted(accepted_late[accepted_late.fate == "open"].iso3.unique()) == ["AGO", "CAN", "FSM", "IDN", "KEN", "LSO", "TZA"]
    australia = late[(late.iso3 == "AUS") & (late.response == "supported") & (late.action == "ratify")]
    assert australia.fate.tolist() == ["kept"] and australia.fate_date.dt.date.tolist() == [date(2017, 12, 21)]  # OPCAT
    assert early[(early.iso3 == "AUS") & (early.action == "ratify")].fate.tolist() == ["open"]  # before its deposit


def test_pacific_sids_with_an_accepted_open_commitment_to_ratify(db, inputs):
    wanted = commitments.Filters(
        region="region:Oceania", group="SIDS", responses=("supported",), actions=("ratify",), fates=("open",)
    )
    found = {}
    for day in (EARLY, LATE):
        snap = snapshot.take(db, day)
        found[day] = sorted(commitments.apply_filters(rows_on(inputs, day), wanted, snap.status, snap.groups).iso3.unique())
    assert found[EARLY] == ["FJI", "FSM", "MHL", "PNG", "SLB", "TON", "TUV", "VUT", "WSM"]
    # Tuvalu acceded to the Convention on 25 March 2024: open in 2016, kept since. Fiji (party since 2016) is still
    # open for the Optional Protocol.
    assert found[LATE] == ["FJI", "FSM", "MHL", "PNG", "SLB", "TON", "VUT", "WSM"]


def test_share_kept_in_cycle_1_and_cycle_2_at_two_dates(inputs):
    early, late = (
        commitments.share_kept(rows, rows.cycle).set_index("key") for rows in (rows_on(inputs, d) for d in (EARLY, LATE))
    )
    assert early.loc[1, ["kept", "total"]].tolist() == [151, 406]
    assert early.loc[2, ["kept", "total"]].tolist() == [33, 220]  # of the cycle-2 recommendations counted by 2016
    assert late.loc[1, ["kept", "total"]].tolist() == [216, 406]
    assert late.loc[2, ["kept", "total"]].tolist() == [121, 220]
    assert round(late.loc[1, "share"], 3) == 0.532 and round(late.loc[2, "share"], 3) == 0.55


def test_median_time_counts_one_commitment_per_state_instrument_and_review(inputs):
    rows = rows_on(inputs, LATE)
    deposits = commitments.time_to_deposit(rows)
    assert not deposits.duplicated(["iso3", "treaty", "cycle"]).any()
    fiji = deposits[(deposits.iso3 == "FJI") & (deposits.treaty == "CAT")].sort_values("cycle")
    # Fiji's accession on 14 March 2016 kept what its first two reviews recommended (19 states in all): two commitments,
    # from the review in session 7 (February 2010) and in session 20 (October 2014).
    assert fiji.cycle.tolist() == [1, 2] and set(fiji.deposit_day.dt.date) == {date(2016, 3, 14)}
    assert 6.0 < fiji.years.iloc[0] < 6.2 and 1.3 < fiji.years.iloc[1] < 1.5
    assert round(commitments.median_years(deposits), 1) == 3.6 and len(deposits) == 79


def test_states_with_the_most_open_commitments_name_what_is_still_to_do(inputs):
    most = commitments.most_open(rows_on(inputs, LATE)).set_index("iso3")
    assert most.index[0] == "CAN" and most.loc["CAN", "open"] == 22
    assert most.loc["AGO", "acts"] == (("OPCAT", "ratify"),)  # party to the Convention since 2019: the Protocol is left
