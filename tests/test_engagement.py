"""Engagement data: UPR sessions, reviews and recommendations, art. 19 reports, indicators, imports."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from app import queries
from app.tables import period_text
from core.treaty_rules import entry_into_force, initial_report_due
from etl import engagement
from etl.__main__ import main
from etl.upr_text import action_of, response_of, treaty_of
from tests.conftest import SHARED

INPUTS = SHARED / "inputs"
CONTRACT_DATES = [date(2015, 5, 15), date(2020, 3, 1), date(2026, 2, 3)]

# Hand-checked: each text read in full, its treaty and its demand decided by a person.
CLASSIFIED = [
    ("Expedite ratification of the Convention against Torture", "CAT", "ratify"),
    (
        "Accede to the Optional Protocol to the Convention against Torture and other Cruel, Inhuman or Degrading "
        "Treatment or Punishment",
        "OPCAT",
        "ratify",
    ),
    (
        "Sign the Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment "
        "or Punishment",
        "OPCAT",
        "sign",
    ),
    (
        "Sign the CAT and its Optional Protocol (OPCAT), in order to provide a further disincentive against torture by "
        "the security forces and police",
        "CAT+OPCAT",
        "sign",
    ),
    ("Sign and ratify ICCPR-OP1, ICCPR-OP2, OP-ICESCR and OP- CAT", "OPCAT", "ratify"),
    ("Promptly ratify CAT and sign its Optional Protocol", "CAT+OPCAT", "ratify"),
    ("Become party to CAT and its Optional Protocol", "CAT+OPCAT", "ratify"),
    ("Make the necessary declarations under articles 21 and 22 of CAT", "CAT", "declare_art22"),
    (
        "Make the declarations under articles 21 and 22 of CAT and withdraw its reservation with regard to article 20 of "
        "CAT, as recommended by the Committee",
        "CAT",
        "declare_art22",
    ),
    ("Put into effect the declaration of article 22 of the Convention against Torture.", "CAT", "declare_art22"),
    ("Withdraw reservations to CAT and CRC", "CAT", "withdraw_reservation"),
    ("Review the reservations to CAT with a view to eliminating them", "CAT", "withdraw_reservation"),
    ("Withdraw all reservations to OP-CAT", "OPCAT", "withdraw_reservation"),
    (
        "Establish a national mechanism for the prevention of torture, to which it committed itself by signing the "
        "Optional Protocol of the Convention against Torture in 2008",
        "OPCAT",
        "implement",
    ),
    (
        "Strengthen the national legal framework through the adhesion to the International Convention for the "
        "Protection of All Persons from Enforced Disappearance and the Convention against Torture",
        "CAT",
        "ratify",
    ),
    (
        "Recognise the competence of treaty bodies to examine individual complaints by ratifying the respective "
        "optional protocols, in particular OPCAT",
        "OPCAT",
        "ratify",
    ),
    ("Implement the recommendations of the Committee against Torture", "CAT", "implement"),
    ("Ratify the International Covenant on Civil and Political Rights", None, "ratify"),
]


@pytest.mark.parametrize(("text", "treaty", "action"), CLASSIFIED)
def test_recommendation_classified_from_its_text(text, treaty, action):
    assert treaty_of(text) == treaty
    assert action_of(text) == action


def test_responses_as_the_contract_names_them():
    assert [response_of(v) for v in ("Accepted", "Noted", "Supported", "Under consideration", "", " supported/Noted ")] == [
        "supported",
        "noted",
        "supported",
        "pending",
        "pending",
        "supported",
    ]
    assert response_of("maybe") is None


def _sessions(*rows, complete=()):
    frame = pd.DataFrame(
        [
            (str(s), str(c), d, "", "day" if d else "", "complete" if s in complete else "partial", "src", "primary", "")
            for s, c, d in rows
        ],
        columns=engagement.COLUMNS["upr_sessions"],
    )
    frame.loc[frame.start_date != "", "end_date"] = frame.start_date
    return engagement.typed_sessions(frame)


def _published(*rows):
    return pd.DataFrame(
        [(iso3, str(cycle), str(session), "held", "", source, "primary", "") for iso3, cycle, session, source in rows],
        columns=engagement.COLUMNS["upr_reviews"],
    )


def _postponed(*rows):
    return pd.DataFrame(
        [(iso3, str(c), str(a), str(b) if b else "", "decision", "", "src", "primary", "") for iso3, c, a, b in rows],
        columns=engagement.COLUMNS["upr_postponements"],
    )


def test_reviews_inferred_forward_only_and_never_over_a_published_one():
    sessions = _sessions(
        (13, 2, "2012-05-21"),
        (15, 2, "2013-01-21"),
        (17, 2, "2013-10-21"),
        (27, 3, "2017-05-01"),
        (29, 3, "2018-01-15"),
        (31, 3, "2018-11-05"),
        (36, 3, "2020-11-02"),
        (41, 4, "2022-11-07"),
        (43, 4, "2023-05-01"),
        (50, 4, "2025-11-03"),
        (1, 1, "2008-04-07"),
        complete=(43,),
    )
    published = _published(
        ("DZA", 3, 27, "list A"),  # -> expected in 41 (cycle 4); never backwards into 13 (cycle 2)
        ("MDV", 4, 50, "list B"),  # nothing inferred backwards into cycle 3
        ("MDV", 2, 13, "list C"),  # -> expected in 27 (cycle 3)
        ("ARM", 1, 1, "list D"),  # cycle 1 had 12 sessions: the rule starts in cycle 2
        ("ISR", 2, 17, "list E"),  # postponed from 15: its group is session 15's, so 29 in cycle 3 (not 31)
        ("BHR", 3, 29, "list F"),  # 43's published list is complete and does not name it: nothing inferred
    )
    postponements = engagement.typed_postponements(_postponed(("ISR", 2, 15, 17), ("USA", 4, 50, None)))
    reviews = engagement.reviews(published, sessions, postponements).set_index(["iso3", "cycle"])
    assert reviews.loc[("DZA", 4), ["session", "basis", "level", "status"]].tolist() == [41, "inferred", "inferred", "expected"]
    assert reviews.loc[("DZA", 4), "start_date"] == date(2022, 11, 7)
    assert "rule n+14" in reviews.loc[("DZA", 4), "source"] and "expected" in reviews.loc[("DZA", 4), "note"]
    assert ("DZA", 2) not in reviews.index and ("MDV", 3) in reviews.index
    assert reviews.loc[("MDV", 3), ["session", "basis"]].tolist() == [27, "inferred"]
    assert reviews.loc[("MDV", 2), "basis"] == "published"
    assert ("ARM", 2) not in reviews.index
    assert reviews.loc[("ISR", 3), "session"] == 29
    assert ("BHR", 4) not in reviews.index
    assert ("USA", 4) not in reviews.index


def test_a_session_is_known_over_by_its_last_possible_day():
    assert engagement.known_by(date(2017, 5, 1), date(2017, 5, 12), "day") == date(2017, 5, 12)
    assert engagement.known_by(date(2026, 11, 1), None, "month") == date(2026, 11, 30)
    assert engagement.known_by(date(2010, 1, 1), None, "year") == date(2010, 12, 31)
    assert engagement.known_by(None, None, None) is None


def test_engagement_tables_keep_their_contract(db):
    sessions = db.query("select * from upr_sessions")
    assert sessions.session.is_unique and (sessions.source.str.strip() != "").all()
    assert set(sessions.date_precision.dropna()) <= {"day", "month", "year"}
    undated = sessions[sessions.start_date.isna()]
    assert undated.date_precision.isna().all()
    reviews = db.query("select * from upr_reviews")
    assert not reviews.duplicated(["iso3", "cycle"]).any()
    assert set(reviews.basis) == {"published", "inferred"}
    inferred = reviews[reviews.basis == "inferred"]
    assert inferred.note.str.contains("inferred").all() and inferred.note.str.contains("expected").all()
    recs = db.query("select * from upr_recommendations")
    assert recs.rec_id.is_unique and (recs.source.str.strip() != "").all() and (recs.text.str.strip() != "").all()
    assert set(recs.treaty) <= engagement.REC_TREATIES and set(recs.action) <= engagement.REC_ACTIONS
    assert set(recs.response) == engagement.RESPONSES
    indicators = db.query("select * from implementation")
    assert set(indicators.indicator) <= engagement.INDICATORS and set(indicators.value) <= {"yes", "partial", "no"}
    assert indicators.year.dropna().between(1900, date.today().year).all()
    reports = db.query("select * from reports")
    parties = queries.status_as_of(db, queries.data_as_of(db)).query("status == 'party'")
    assert set(reports.iso3) == set(parties.iso3) and reports.iso3.is_unique
    for row in reports.itertuples():
        assert row.due_date.date() == initial_report_due(row.entry_into_force.date())
    submitted = reports.dropna(subset=["submitted_date"])
    assert (submitted.submitted_date.dt.year == submitted.submitted_year).all()
    assert (submitted.known_by >= submitted.submitted_date).all() and submitted.submission_level.notna().all()
    assert (submitted.known_by.dt.date >= submitted.consent_date.dt.date).all()  # the build's invariant, kept


@pytest.mark.parametrize("day", CONTRACT_DATES)
def test_engagement_as_of_one_row_per_state(db, day):
    frame = db.query("select * from engagement_as_of(?::date)", [day])
    states = db.query("select count(*) from states").iloc[0, 0]
    assert len(frame) == states and frame.iso3.is_unique
    assert set(frame.initial_report_status.dropna()) <= {"not_due", "due", "overdue", "submitted"}
    status = queries.status_as_of(db, day).set_index("iso3").status
    with_status = frame.dropna(subset=["initial_report_status"]).iso3
    assert (status[with_status] == "party").all()
    assert (frame.last_review_start.dropna().dt.date <= day).all()
    assert (frame.next_review_start.dropna().dt.date > day).all()
    assert not frame.open_supported_ratify[status[frame.iso3].to_numpy() == "party"].any()


def test_initial_report_status_at_its_edges(db):
    fiji = db.query("select event_date from treaty_events where iso3 = 'FJI' and treaty = 'CAT' and event = 'ratification'")
    deposit = fiji.iloc[0, 0].date()
    in_force = entry_into_force(deposit)
    due = initial_report_due(in_force)

    def status(day):
        frame = db.query("select initial_report_status from engagement_as_of(?::date) where iso3 = 'FJI'", [day])
        return frame.iloc[0, 0]

    assert pd.isna(status(date.fromordinal(deposit.toordinal() - 1)))  # not yet a party
    assert status(deposit) == "not_due"  # party, the Convention not yet in force for it
    assert status(in_force) == "due"
    assert status(due) == "due"  # due on this day: not yet overdue
    assert status(date.fromordinal(due.toordinal() + 1)) == "overdue"


def test_last_and_next_review_relative_to_the_date(db):
    algeria = db.query("select cycle, session, start_date from upr_reviews where iso3 = 'DZA' and cycle in (3, 4) order by cycle")
    (_, third_session, third), (_, fourth_session, fourth) = algeria.itertuples(index=False)
    between = date.fromordinal(third.date().toordinal() + 10)
    row = db.query("select * from engagement_as_of(?::date) where iso3 = 'DZA'", [between]).iloc[0]
    assert (row.last_review_session, row.next_review_session) == (third_session, fourth_session)
    assert row.next_review_start == fourth


def test_supported_ratification_stays_open_until_the_state_is_party(db):
    # A state recommended to ratify CAT, with that recommendation supported, and not yet a party then.
    frame = db.query(
        """
        select recs.iso3, min(sessions.known_by) as first
        from upr_recommendations as recs
        join upr_sessions as sessions using (session)
        where recs.response = 'supported' and recs.action = 'ratify' and recs.treaty in ('CAT', 'CAT+OPCAT')
        group by recs.iso3
        """
    )
    checked = 0
    for row in frame.itertuples():
        day = row.first.date()
        status = queries.status_as_of(db, day).set_index("iso3").status[row.iso3]
        engaged = db.query("select open_supported_ratify from engagement_as_of(?::date) where iso3 = ?", [day, row.iso3])
        assert bool(engaged.iloc[0, 0]) == (status != "party")
        checked += 1
    assert checked > 10


# The Committee against Torture's own counts of states parties with overdue initial reports, from its
# annual reports to the General Assembly and its summary records (data/SOURCES.md), beside ours from the same rule.
COMMITTEE_OVERDUE = {
    date(2011, 5, 20): 31,  # CAT/C/SR.1000, para. 2
    date(2015, 5, 15): 28,  # A/70/44
    date(2016, 5, 13): 28,  # A/71/44
    date(2017, 5, 12): 27,  # A/72/44
    date(2019, 5, 17): 26,  # A/74/44
    date(2020, 5, 15): 25,  # A/75/44
    date(2021, 4, 28): 28,  # A/76/44
    date(2024, 5, 10): 28,  # A/79/44
}


@pytest.mark.parametrize(("day", "committee"), COMMITTEE_OVERDUE.items())
def test_overdue_initial_reports_against_the_committee(db, day, committee):
    frame = db.query(
        """
        select iso3, reports.submission_source is not null as sourced
        from engagement_as_of(?::date)
        join reports using (iso3)
        where initial_report_status = 'overdue'
        """,
        [day],
    )
    sourced, ours = int(frame.sourced.sum()), len(frame)
    # Overdue with a source (the Committee's record, or the APT's "No") is a floor; the states with no submission on
    # record at all may have reported (their count is the ceiling). Up to two more: a submission known only by its
    # year counts from the next 1 January, and the Committee counts at its own reporting date (data/SOURCES.md).
    unrecorded = sorted(frame.iso3[~frame.sourced])
    assert sourced <= committee <= ours + 2, f"{day}: ours {sourced} with a source + {unrecorded}; the Committee's {committee}"


def test_public_cti_events_are_real_and_outside_the_targets(db):
    records = db.query("select * from activities where record_file like '%cti_public%'")
    assert len(records) > 10
    assert (~records.is_sample).all() and records.is_public.all() and (~records.counts_toward_targets).all()
    assert records.source.str.startswith("https://").all()
    totals = queries.yearly_totals(db, 2014, 2023, date(2026, 2, 3))
    sample = db.query(
        "select count(distinct iso3) from activities where is_sample and kind in ('country_visit', 'study_visit') "
        "and year(start_date) = 2018"
    ).iloc[0, 0]
    visited_2018 = totals[(totals.year == 2018) & (totals.metric == "states_visited")].actual.iloc[0]
    assert visited_2018 == sample  # The Gambia's public 2018 visit is listed, not counted
    public = queries.public_activities(db, 2014, 2023, date(2026, 2, 3))
    gambia = public[public.public_state_en == "Gambia"]
    assert len(gambia) == 1 and pd.isna(gambia.senior_officials.iloc[0])
    assert period_text(gambia.start_date.iloc[0], gambia.end_date.iloc[0], gambia.date_precision.iloc[0]) == "2018"


def test_period_text_shows_only_what_is_known():
    assert period_text(date(2016, 1, 1), date(2018, 12, 31), "year") == "2016–2018"
    assert period_text(date(2016, 4, 1), date(2016, 4, 30), "month") == "2016-04"
    assert period_text(date(2015, 5, 12), date(2015, 5, 12), "day") == "2015-05-12"


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.csv")):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


UPR_EXPORTS = [f"upr/upr_info_exports/sessions_{s}.csv" for s in ("1-5", "6-9", "10-13", "14-17", "18-20")]


@pytest.mark.parametrize(
    ("command", "relatives"),
    [
        ("import-upr", ["upr/upr_session_states.csv"]),
        ("import-upr", [*UPR_EXPORTS, "upr/upr_recs_cat_opcat_manual_extracts.csv"]),
        ("import-apt", ["apt/APT_data_corrected_April2025.xlsx"]),
        ("import-cti", ["cti/cti_public_events.csv"]),
    ],
)
def test_reimporting_the_inputs_finds_data_up_to_date(data_copy, tmp_path, capsys, command, relatives):
    before = _tree_hash(data_copy)
    paths = [str(INPUTS / relative) for relative in relatives]
    code = main(["--data-dir", str(data_copy), "--db", str(tmp_path / "x.duckdb"), command, *paths])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 difference(s)" in out and "\n0 difference(s). Dry run" in out
    assert _tree_hash(data_copy) == before and not (tmp_path / "x.duckdb").exists()


def test_the_full_exports_rebuild_the_recommendations_and_never_the_reviews(data_copy, tmp_path, capsys):
    """From data/ without its UPR Info rows, the exports (then the extracts) give back the same file; no review is written."""
    recs_path = data_copy / "upr_recommendations.csv"
    expected = recs_path.read_bytes()
    reviews = (data_copy / "upr_reviews.csv").read_bytes()
    recs = pd.read_csv(recs_path, dtype=str, keep_default_na=False)
    others = recs[~recs.source.str.startswith("UPR Info database export")]
    others.to_csv(recs_path, index=False, lineterminator="\n")
    paths = [str(INPUTS / r) for r in [*UPR_EXPORTS, "upr/upr_recs_cat_opcat_manual_extracts.csv"]]
    args = ["--data-dir", str(data_copy), "--db", str(tmp_path / "x.duckdb"), "import-upr"]
    # Applied at once (the dry run's report is the same and is tested above): the import classifies every text.
    assert main([*args, "--apply", *paths]) == 0
    out = capsys.readouterr().out
    assert "upr_reviews" not in out
    assert f"Applied {len(recs) - len(others)} difference(s)" in out
    assert recs_path.read_bytes() == expected
    assert (data_copy / "upr_reviews.csv").read_bytes() == reviews


def test_dry_run_shows_old_and_new_values_and_apply_writes(data_copy, tmp_path, capsys):
    published = pd.read_csv(data_copy / "upr_reviews.csv", dtype=str, keep_default_na=False)
    states = pd.read_csv(data_copy / "states.csv", dtype=str, keep_default_na=False)
    members = states[states.kind == "member"]
    state = members[~members.iso3.isin(published[published.cycle == "4"].iso3)].iloc[0]
    calendar = tmp_path / "calendar.csv"
    calendar.write_text(
        "session,cycle,start_date,end_date,date_precision,state,source\n"
        "53,4,2026-11-02,2026-11-13,day,,OHCHR UPR calendar (test)\n"
        f"53,4,2026-11-02,2026-11-13,day,{state.name_en},OHCHR UPR calendar (test)\n",
        encoding="utf-8",
    )
    args = ["--data-dir", str(data_copy), "--db", str(tmp_path / "x.duckdb"), "import-upr", str(calendar)]
    before = _tree_hash(data_copy)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "~ 53: start_date: '2026-11-01' -> '2026-11-02'" in out and "date_precision: 'month' -> 'day'" in out
    assert _tree_hash(data_copy) == before
    assert main([*args, "--apply"]) == 0
    out = capsys.readouterr().out
    assert "database rebuilt" in out and list((data_copy / ".backup").glob("*/upr_sessions.csv"))
    from app.db import Database

    database = Database(tmp_path / "x.duckdb")
    try:
        row = database.query("select start_date, date_precision from upr_sessions where session = 53").iloc[0]
        assert (row.start_date.date(), row.date_precision) == (date(2026, 11, 2), "day")
        review = database.query("select session, basis from upr_reviews where iso3 = ? and cycle = 4", [state.iso3]).iloc[0]
        assert (review.session, review.basis) == (53, "published")
    finally:
        database.close()


def test_unknown_names_and_bad_values_stop_the_import(data_copy, tmp_path, capsys):
    recs = tmp_path / "recs.csv"
    recs.write_text(
        "State under Review,Recommending State,Recommendation,Response,Session\n"
        "Atlantis,France,Ratify the Convention against Torture,Accepted,3\n"
        "Fiji,Ruritania,Ratify the Convention against Torture,Accepted,3\n",
        encoding="utf-8",
    )
    before = _tree_hash(data_copy)
    args = ["--data-dir", str(data_copy), "--db", str(tmp_path / "x.duckdb"), "import-upr", "--apply"]
    assert main([*args, str(recs)]) == 2
    out = capsys.readouterr().out
    assert "'Atlantis' (line 2)" in out and "'Ruritania' (line 3)" in out and "state_aliases.csv" in out
    assert "Nothing was changed" in out
    recs.write_text(
        "State under Review,Recommending State,Recommendation,Response,Session\n"
        "Fiji,France,Ratify the Convention against Torture,Maybe,3\n",
        encoding="utf-8",
    )
    assert main([*args, str(recs)]) == 2
    assert f"{recs}:2:1: response 'Maybe': unknown response" in capsys.readouterr().out
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("session,start_date,end_date,source\n54,2027-02-30,2027-03-01,x\n", encoding="utf-8")
    assert main([*args, str(calendar)]) == 2
    assert f"{calendar}:2:1: start_date '2027-02-30'" in capsys.readouterr().out
    assert _tree_hash(data_copy) == before and not (tmp_path / "x.duckdb").exists()


def test_a_bad_row_in_data_names_file_line_and_column(data_copy, tmp_path):
    from etl.build import build
    from etl.validate import InputError

    path = data_copy / "implementation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",yes,", ",maybe,", 1) if ",yes," in lines[5] else lines[5].replace(",no,", ",maybe,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(data_copy, tmp_path / "x.duckdb", quiet=True)
    assert any(str(p).startswith(f"{path}:6:3: value 'maybe': unknown value") for p in caught.value.problems)
