"""The opportunity rules at their edge dates, on small hand-made frames (no database, no Streamlit)."""

from datetime import date

import pandas as pd
import pytest

from app import opportunities
from app.opportunities import add_months, upr_window
from app.opportunities import opportunities as build

AS_OF = date(2026, 3, 15)


def status(*rows) -> pd.DataFrame:
    """States: (iso3, status, signature_date, opcat_consent_date, art22_declaration_date)."""
    frame = pd.DataFrame(rows, columns=["iso3", "status", "signature_date", "opcat_consent_date", "art22_declaration_date"])
    frame["m49_region"] = ["Oceania" if iso3.startswith("P") else "Africa" for iso3 in frame.iso3]
    frame["un_regional_group"] = "Asia-Pacific Group"
    for column in ("signature_date", "opcat_consent_date", "art22_declaration_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def reviews(*rows) -> pd.DataFrame:
    """(iso3, cycle, session, start_date, end_date, date_precision, basis)."""
    frame = pd.DataFrame(rows, columns=["iso3", "cycle", "session", "start_date", "end_date", "date_precision", "basis"])
    return frame.assign(start_date=pd.to_datetime(frame.start_date), end_date=pd.to_datetime(frame.end_date))


def recs(*rows) -> pd.DataFrame:
    """(iso3, cycle, session, treaty, action, response, session_start, session_end, session_precision)."""
    columns = ["iso3", "cycle", "session", "treaty", "action", "response", "session_start", "session_end", "session_precision"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["review_basis"] = "published"
    return frame.assign(session_start=pd.to_datetime(frame.session_start), session_end=pd.to_datetime(frame.session_end))


def reports(*rows) -> pd.DataFrame:
    """(iso3, due_date, submitted_date, submitted_year); known_by as the ETL derives it (the day, or the year's end)."""
    frame = pd.DataFrame(rows, columns=["iso3", "due_date", "submitted_date", "submitted_year"])
    frame["report"] = "initial"
    frame["submitted_year"] = frame.submitted_year.astype("Int64")
    frame = frame.assign(due_date=pd.to_datetime(frame.due_date), submitted_date=pd.to_datetime(frame.submitted_date))
    year_end = pd.to_datetime(frame.submitted_year.astype("string") + "-12-31", errors="coerce")
    return frame.assign(known_by=frame.submitted_date.fillna(year_end))


NO_GROUPS = pd.DataFrame({"iso3": [], "group_code": []})
NO_REVIEWS, NO_RECS, NO_REPORTS = reviews(), recs(), reports()


def rows_for(
    state_rows, review_rows=NO_REVIEWS, rec_rows=NO_RECS, report_rows=NO_REPORTS, as_of=AS_OF, months=12, groups=NO_GROUPS
):
    return build(as_of, months, state_rows, groups, review_rows, rec_rows, report_rows)


def test_months_are_added_as_calendar_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -6) == date(2025, 9, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_window_of_a_review_known_to_the_day_month_or_year():
    assert upr_window(date(2026, 1, 19), date(2026, 1, 30), "day") == (date(2025, 7, 19), date(2026, 7, 30))
    # Known to the month: 6 months before the 1st to the end of the month 6 months after the month's end.
    assert upr_window(date(2026, 11, 1), None, "month") == (date(2026, 5, 1), date(2027, 5, 31))
    # Known to the year: the widest window the review can have.
    assert upr_window(date(2026, 1, 1), None, "year") == (date(2025, 7, 1), date(2027, 6, 30))


def test_a_review_exactly_six_months_after_the_span_is_in_and_a_day_later_is_out():
    state = status(("PLW", "signatory", "2011-09-20", None, None))
    horizon = add_months(AS_OF, 12)
    review_day = add_months(horizon, 6)  # its window opens on the last day of the span
    on_edge = rows_for(state, reviews(("PLW", 4, 52, review_day, review_day, "day", "published")))
    assert list(on_edge.kind) == ["upr_window", "signatory"]
    assert on_edge.start[0] == horizon
    late = review_day.replace(day=review_day.day + 1)
    after = rows_for(state, reviews(("PLW", 4, 52, late, late, "day", "published")))
    assert "upr_window" not in set(after.kind)


def test_a_review_exactly_six_months_away_opens_its_window_on_the_as_of_date():
    state = status(("PLW", "no_action", None, None, None))
    review_day = add_months(AS_OF, 6)
    rows = rows_for(state, reviews(("PLW", 4, 52, review_day, review_day, "day", "inferred")), months=1)
    assert len(rows) == 1 and rows.start[0] == AS_OF and rows.basis[0] == "expected"
    # A window that closed the day before the as-of date is over.
    closed = add_months(AS_OF, -6) - pd.Timedelta(days=1)
    assert rows_for(state, reviews(("PLW", 4, 52, closed, closed, "day", "published"))).empty


def test_windows_only_for_states_not_party_with_last_cycles_recommendations():
    states = status(("TON", "no_action", None, None, None), ("FRA", "party", "1985-02-04", "2008-11-11", "1988-06-18"))
    review_rows = reviews(
        ("TON", 4, 43, "2026-05-01", "2026-05-12", "day", "published"),
        ("FRA", 4, 43, "2026-05-01", "2026-05-12", "day", "published"),
    )
    rec_rows = recs(
        ("TON", 3, 29, "CAT", "ratify", "supported", "2018-01-15", "2018-01-26", "day"),
        ("TON", 3, 29, "CAT", "ratify", "noted", "2018-01-15", "2018-01-26", "day"),
        ("TON", 2, 15, "OPCAT", "ratify", "noted", "2013-01-01", None, "year"),  # not the last cycle
    )
    rows = rows_for(states, review_rows, rec_rows)
    windows = rows[rows.kind == "upr_window"]
    assert list(windows.iso3) == ["TON"]
    assert (windows.supported.iloc[0], windows.noted.iloc[0], windows.pending.iloc[0]) == (1, 1, 0)
    assert windows.basis.iloc[0] == "published" and windows.precision.iloc[0] == "day"


def test_a_recommendation_supported_in_the_same_cycle_as_the_ratification():
    """Supported in May 2019, ratified in November 2019 (same cycle): open between the two, closed after."""
    rec_rows = recs(("GHA", 3, 33, "CAT", "ratify", "supported", "2019-05-06", "2019-05-17", "day"))
    before = status(("GHA", "signatory", "2015-09-07", None, None))
    open_rows = rows_for(before, rec_rows=rec_rows, as_of=date(2019, 8, 1))
    assert list(open_rows.kind) == ["recommendation"]
    assert open_rows.target[0] == "CAT" and open_rows.years[0] == 0
    after = status(("GHA", "party", "2015-09-07", None, None))
    assert rows_for(after, rec_rows=rec_rows, as_of=date(2019, 12, 1)).empty
    # Ratified before the session of the same cycle: nothing to act on either.
    assert rows_for(after, rec_rows=rec_rows, as_of=date(2019, 6, 1)).empty


def test_a_recommendation_counts_from_the_end_of_its_session_and_targets_each_instrument():
    rec_rows = recs(
        ("HTI", 1, 12, "CAT+OPCAT", "ratify", "supported", "2011-01-01", None, "year"),
        ("HTI", 2, 26, "CAT", "declare_art22", "supported", "2016-11-02", "2016-11-11", "day"),
        ("HTI", 2, 26, "CAT", "ratify", "noted", "2016-11-02", "2016-11-11", "day"),
        ("HTI", 2, 26, "CAT", "implement", "supported", "2016-11-02", "2016-11-11", "day"),
    )
    state = status(("HTI", "signatory", "2013-08-16", None, None))
    # A session known only by its year is not counted before that year has ended.
    assert rows_for(state, rec_rows=rec_rows, as_of=date(2011, 12, 30)).empty
    rows = rows_for(state, rec_rows=rec_rows, as_of=date(2026, 3, 15))
    recommendations = rows[rows.kind == "recommendation"].set_index("target")
    assert set(recommendations.index) == {"CAT", "OPCAT", "ART22"}
    assert recommendations.loc["CAT", "years"] == 14  # from 31 December 2011
    assert recommendations.loc["CAT", "precision"] == "year"
    assert recommendations.loc["ART22", "supported"] == 1
    # Party to OPCAT and art. 22 declared: only the Convention is left.
    done = status(("HTI", "signatory", "2013-08-16", "2020-01-01", "2020-01-01"))
    left = rows_for(done, rec_rows=rec_rows)
    assert list(left[left.kind == "recommendation"].target) == ["CAT"]


def test_a_report_due_on_the_as_of_date_is_due_not_overdue():
    state = status(("TUV", "party", None, None, None))
    rows = rows_for(state, report_rows=reports(("TUV", AS_OF, None, None)))
    assert list(rows.report_status) == ["due"] and rows.years[0] == 0
    day_after = rows_for(state, report_rows=reports(("TUV", AS_OF, None, None)), as_of=date(2026, 3, 16))
    assert list(day_after.report_status) == ["overdue"]
    # Due after the span: not yet a row; due on its last day: a row.
    horizon = add_months(AS_OF, 12)
    assert rows_for(state, report_rows=reports(("TUV", horizon, None, None))).report_status.tolist() == ["due"]
    assert rows_for(state, report_rows=reports(("TUV", horizon + pd.Timedelta(days=1), None, None))).empty


def test_a_report_submitted_on_or_before_the_date_or_in_an_earlier_year_is_no_row():
    state = status(("FJI", "party", None, None, None))
    assert rows_for(state, report_rows=reports(("FJI", "2017-04-12", AS_OF, None))).empty
    assert rows_for(state, report_rows=reports(("FJI", "2017-04-12", None, 2025))).empty
    # Known only as "2026": not proved by March 2026, so still overdue, with the year said.
    rows = rows_for(state, report_rows=reports(("FJI", "2017-04-12", None, 2026)))
    assert rows.report_status.tolist() == ["overdue"] and rows.submitted_year[0] == 2026 and rows.years[0] == 8


def test_overdue_reports_put_ldcs_and_sids_first_then_the_longest_overdue():
    states = status(*[(iso3, "party", None, None, None) for iso3 in ("NGA", "LSO", "TUV", "SMR")])
    groups = pd.DataFrame({"iso3": ["LSO", "TUV"], "group_code": ["LDC", "SIDS"]})
    report_rows = reports(
        ("NGA", "2002-07-27", None, None),
        ("LSO", "2002-12-11", None, None),
        ("TUV", "2025-04-23", None, None),
        ("SMR", "2007-12-26", None, None),
    )
    rows = rows_for(states, report_rows=report_rows, groups=groups)
    assert list(rows.iso3) == ["LSO", "TUV", "NGA", "SMR"]
    assert list(rows.priority) == [True, True, False, False]


def test_signatories_of_ten_years_or_more():
    states = status(
        ("IND", "signatory", "1997-10-14", None, None),
        ("BRN", "signatory", "2016-03-15", None, None),  # exactly ten years on the as-of date
        ("XXA", "signatory", "2016-03-16", None, None),  # a day short
        ("FRA", "party", "1985-02-04", None, None),
    )
    rows = rows_for(states)
    assert list(rows.iso3) == ["IND", "BRN"]
    assert list(rows.years) == [28, 10]


def test_group_and_kind_filters():
    states = status(("PLW", "signatory", "2011-09-20", None, None), ("AGO", "signatory", "2000-09-24", None, None))
    rows = rows_for(states)
    groups = pd.DataFrame({"iso3": ["PLW"], "group_code": ["SIDS"]})
    assert list(opportunities.in_group(rows, states, groups, "SIDS").iso3) == ["PLW"]
    assert list(opportunities.in_group(rows, states, groups, "region:Africa").iso3) == ["AGO"]
    assert len(opportunities.in_group(rows, states, groups, "unrg:Asia-Pacific Group")) == 2
    assert len(opportunities.in_group(rows, states, groups, "none")) == 2
    assert opportunities.of_kinds(rows, ("report",)).empty


@pytest.mark.parametrize("kind", opportunities.KINDS)
def test_every_row_says_whether_its_date_is_published_or_expected(kind):
    states = status(("HTI", "signatory", "2013-08-16", None, None), ("FJI", "party", None, None, None))
    rows = rows_for(
        states,
        reviews(("HTI", 4, 53, "2026-11-01", None, "month", "inferred")),
        recs(("HTI", 1, 12, "CAT", "ratify", "supported", "2011-01-01", None, "year")),
        reports(("FJI", "2017-04-12", None, None)),
    )
    chosen = rows[rows.kind == kind]
    assert len(chosen) == 1
    assert chosen.basis.iloc[0] in ("published", "expected")
    assert chosen.uid.iloc[0].startswith(
        {"upr_window": "upr-", "recommendation": "rec-", "report": "report-"}.get(kind, "signatory-")
    )
