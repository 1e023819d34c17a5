"""Engagement opportunities as of a date: which states are at a moment the strategy names, and why.

Pure rules (date and frames in, rows out): no Streamlit, no SQL. The frames come from a snapshot of the
date (app.snapshot) and from queries.engagement_inputs; `from_snapshot` is the one wiring of them, for
the calendar page and its iCalendar feed alike.
A row is one fact: a UPR window, an open supported recommendation, an initial report due or
overdue, or a signature not followed by ratification for ten years or more.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from core.treaty_rules import add_years

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

KINDS = ("upr_window", "recommendation", "report", "signatory")
WINDOW_MONTHS = 6  # the strategy: "especially in the period before and after their UPR"
SIGNATORY_YEARS = 10
# The recommendations this calendar follows, and the act that answers each.
TARGETS = ("CAT", "OPCAT", "ART22")
PRIORITY_GROUPS = ("LDC", "SIDS")  # the strategy's focus: least developed and small island states first
COLUMNS = [
    "uid",
    "kind",
    "iso3",
    "start",
    "end",
    "review_start",
    "review_end",
    "review_date",
    "review_held",
    "review_past",
    "precision",
    "basis",
    "cycle",
    "session",
    "target",
    "supported",
    "noted",
    "pending",
    "years",
    "report_status",
    "submitted_year",
    "priority",
]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); a day the month lacks falls back to its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def period(start, end, precision: str | None) -> tuple[date, date]:
    """First and last day a date known to the day, the month or the year can fall on."""
    first = _day(start)
    last = _day(end) or first
    if precision == "year":
        return date(first.year, 1, 1), date(last.year, 12, 31)
    if precision == "month":
        return first.replace(day=1), month_end(last)
    return first, max(first, last)


def upr_window(start, end, precision: str | None) -> tuple[date, date]:
    """From 6 months before the review to 6 months after it.

    A review known to the day (its session's dates) gives the session's first day minus 6 months to
    its last day plus 6 months. A review known only to the month or the year gives the widest window
    it can have: 6 months before the first day of that month or year to the end of the month 6 months
    after its last day, so the window is shown in whole months.
    """
    first, last = period(start, end, precision)
    if precision in ("month", "year"):
        return add_months(first, -WINDOW_MONTHS), month_end(add_months(last, WINDOW_MONTHS))
    return add_months(first, -WINDOW_MONTHS), add_months(last, WINDOW_MONTHS)


def whole_years(since: date, until: date) -> int:
    """Complete years from `since` to `until` (0 when less than a year, negative never)."""
    years = until.year - since.year - ((until.month, until.day) < (since.month, since.day))
    return max(years, 0)


def _row(**values) -> dict:
    return {column: values.get(column) for column in COLUMNS}


def review_past(review, as_of: date) -> bool:
    """The review's day (or its session's last possible day) is before `as_of`."""
    day = _day(getattr(review, "review_date", None))
    if day is None:
        _, day = period(review.start_date, review.end_date, review.date_precision)
    return day < as_of


def review_held(review, as_of: date) -> bool:
    """A review recorded as held, and past on `as_of`. A review only scheduled (or expected) is never said to be
    held, even once its date has passed."""
    return getattr(review, "status", "held") == "held" and review_past(review, as_of)


def upr_windows(as_of: date, horizon: date, status: pd.DataFrame, reviews: pd.DataFrame, recs: pd.DataFrame) -> list[dict]:
    """Non-parties and signatories whose UPR window meets [as_of, horizon], with last cycle's CAT recommendations.

    Each row says the review's own day where the Working Group's report gives it, and whether it was
    already held on `as_of` (a window still open after the review: the follow-up half)."""
    not_party = set(status.loc[status.status != "party", "iso3"])
    rows = []
    for review in reviews[reviews.iso3.isin(not_party) & reviews.start_date.notna()].itertuples(index=False):
        first, last = upr_window(review.start_date, review.end_date, review.date_precision)
        if first > horizon or last < as_of:
            continue
        previous = recs[(recs.iso3 == review.iso3) & (recs.cycle == review.cycle - 1)]
        responses = previous.response.value_counts()
        rows.append(
            _row(
                uid=f"upr-{review.iso3}-cycle{review.cycle}",
                kind="upr_window",
                iso3=review.iso3,
                start=first,
                end=last,
                review_start=_day(review.start_date),
                review_end=_day(review.end_date),
                review_date=_day(getattr(review, "review_date", None)),
                review_held=review_held(review, as_of),
                review_past=review_past(review, as_of),
                precision=review.date_precision or "day",
                basis="expected" if review.basis == "inferred" else "published",
                cycle=int(review.cycle),
                session=int(review.session),
                supported=int(responses.get("supported", 0)),
                noted=int(responses.get("noted", 0)),
                pending=int(responses.get("pending", 0)),
            )
        )
    return rows


def _targets_of(treaty: str, action: str) -> tuple[str, ...]:
    if action == "declare_art22":
        return ("ART22",)
    if action == "ratify":
        return {"CAT": ("CAT",), "OPCAT": ("OPCAT",), "CAT+OPCAT": ("CAT", "OPCAT")}.get(treaty, ())
    return ()


def _acted_on(state, target: str) -> bool:
    if target == "CAT":
        return state.status == "party"
    if target == "OPCAT":
        return _day(state.opcat_consent_date) is not None
    return _day(state.art22_declaration_date) is not None


def open_recommendations(as_of: date, status: pd.DataFrame, recs: pd.DataFrame) -> list[dict]:
    """Supported recommendations to ratify CAT or OPCAT, or to declare under art. 22, not acted on by `as_of`.

    A recommendation counts from the last day its session can have ended (a session known only to
    the year counts from 31 December), so a calendar never shows a recommendation before it was made.
    One row per state and target, dated by the first supported recommendation still open.
    """
    states = {row.iso3: row for row in status.itertuples(index=False)}
    supported = recs[(recs.response == "supported") & recs.action.isin(["ratify", "declare_art22"])]
    found: dict[tuple[str, str], dict] = {}
    for rec in supported.itertuples(index=False):
        if rec.iso3 not in states or _day(rec.session_start) is None:
            continue
        first, last = period(rec.session_start, rec.session_end, rec.session_precision)
        if last > as_of:
            continue
        for target in _targets_of(rec.treaty, rec.action):
            if _acted_on(states[rec.iso3], target):
                continue
            entry = found.setdefault(
                (rec.iso3, target), {"first": None, "rec": None, "count": 0, "last_cycle": 0, "expected": False}
            )
            entry["count"] += 1
            entry["last_cycle"] = max(entry["last_cycle"], int(rec.cycle))
            if entry["first"] is None or first < entry["first"][0]:
                entry["first"], entry["rec"] = (first, last), rec
                entry["expected"] = rec.review_basis == "inferred"
    rows = []
    for (iso3, target), entry in sorted(found.items()):
        (first, last), rec = entry["first"], entry["rec"]
        rows.append(
            _row(
                uid=f"rec-{iso3}-{target}",
                kind="recommendation",
                iso3=iso3,
                start=first,
                end=None,
                precision=rec.session_precision or "day",
                basis="expected" if entry["expected"] else "published",
                cycle=int(rec.cycle),
                session=int(rec.session),
                target=target,
                supported=entry["count"],
                years=whole_years(last, as_of),
            )
        )
    return rows


def initial_reports(as_of: date, horizon: date, status: pd.DataFrame, reports: pd.DataFrame, priority: set[str]) -> list[dict]:
    """Parties whose initial report (art. 19) is due from `as_of` to `horizon`, or overdue on `as_of`.

    Submitted means a day of submission on or before `as_of`, or a year of submission before the
    year of `as_of` (a year alone proves nothing about the months of that year). Due on `as_of`
    itself is due, not overdue.
    """
    parties = set(status.loc[status.status == "party", "iso3"])
    rows = []
    for report in reports[reports.iso3.isin(parties)].itertuples(index=False):
        surely_by = _day(report.known_by)  # the submission's last possible day (its day, month's or year's end, or a bound)
        submitted_year = None if pd.isna(report.submitted_year) else int(report.submitted_year)
        if surely_by is not None and surely_by <= as_of:
            continue
        due = _day(report.due_date)
        if due > horizon:
            continue
        overdue = due < as_of
        rows.append(
            _row(
                uid=f"report-{report.iso3}-{report.report}",
                kind="report",
                iso3=report.iso3,
                start=due,
                end=None,
                precision="day",
                basis="published",
                years=whole_years(due, as_of) if overdue else 0,
                report_status="overdue" if overdue else "due",
                submitted_year=submitted_year if submitted_year == as_of.year else None,
                priority=report.iso3 in priority,
            )
        )
    return rows


def long_signatories(as_of: date, status: pd.DataFrame) -> list[dict]:
    """Signatories on `as_of` whose signature is ten years old or more."""
    rows = []
    for state in status[status.status == "signatory"].itertuples(index=False):
        signed = _day(state.signature_date)
        if signed is None or signed > add_years(as_of, -SIGNATORY_YEARS):
            continue
        rows.append(
            _row(
                uid=f"signatory-{state.iso3}-CAT",
                kind="signatory",
                iso3=state.iso3,
                start=signed,
                end=None,
                precision="day",
                basis="published",
                years=whole_years(signed, as_of),
            )
        )
    return rows


def opportunities(
    as_of: date,
    months: int,
    status: pd.DataFrame,
    groups: pd.DataFrame,
    reviews: pd.DataFrame,
    recs: pd.DataFrame,
    reports: pd.DataFrame,
) -> pd.DataFrame:
    """Every opportunity from `as_of` to `months` months later, one row per fact (columns: COLUMNS).

    status: app.queries.status_as_of; groups: groups_as_of; reviews: upr_reviews_dated;
    recs: cat_recommendations; reports: initial_reports. Ordered by kind, then: UPR windows by
    start; recommendations and signatures oldest first; reports LDC and SIDS first, then most overdue.
    """
    horizon = add_months(as_of, months)
    priority = set(groups.loc[groups.group_code.isin(PRIORITY_GROUPS), "iso3"])
    rows = (
        upr_windows(as_of, horizon, status, reviews, recs)
        + open_recommendations(as_of, status, recs)
        + initial_reports(as_of, horizon, status, reports, priority)
        + long_signatories(as_of, status)
    )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["priority"] = frame.priority.fillna(False).astype(bool)
    frame["kind_order"] = frame.kind.map({kind: i for i, kind in enumerate(KINDS)})
    frame["sort_years"] = -frame.years.fillna(0).astype(float)
    frame["sort_priority"] = ~frame.priority
    frame = frame.sort_values(["kind_order", "sort_priority", "sort_years", "start", "iso3"], kind="stable")
    return frame.drop(columns=["kind_order", "sort_years", "sort_priority"]).reset_index(drop=True)


def from_snapshot(snapshot: Snapshot, engagement: Mapping[str, object], as_of: date, months: int) -> pd.DataFrame:
    """`opportunities` from the snapshot of `as_of` and the engagement inputs (queries.engagement_inputs)."""
    return opportunities(
        as_of,
        months,
        snapshot.status,
        snapshot.groups,
        engagement["reviews"],
        engagement["recommendations"],
        engagement["reports"],
    )


def review_in(row, first: date, last: date) -> bool:
    """A UPR window whose review itself (its day, or any day its session can fall on) is in [first, last]."""
    if row.kind != "upr_window":
        return False
    day = _day(row.review_date)
    if day is not None:
        return first <= day <= last
    start, end = period(row.review_start, row.review_end, row.precision)
    return start <= last and end >= first


def reviews_in_span(rows: pd.DataFrame, as_of: date, months: int) -> pd.DataFrame:
    """Only the UPR windows whose review falls from `as_of` to `months` later: "which states not party have
    a review in the next 6 months?" in one filter."""
    horizon = add_months(as_of, months)
    keep = [review_in(row, as_of, horizon) for row in rows.itertuples(index=False)]
    return rows[pd.Series(keep, index=rows.index, dtype=bool)].reset_index(drop=True)


def in_group(rows: pd.DataFrame, status: pd.DataFrame, groups: pd.DataFrame, group: str) -> pd.DataFrame:
    """Rows of the states in a group as of the date: 'none' (all), a group code, 'region:NAME' or 'unrg:NAME'."""
    if group in ("none", ""):
        return rows
    if group.startswith("region:"):
        members = set(status.loc[status.m49_region == group.removeprefix("region:"), "iso3"])
    elif group.startswith("unrg:"):
        members = set(status.loc[status.un_regional_group == group.removeprefix("unrg:"), "iso3"])
    else:
        members = set(groups.loc[groups.group_code == group, "iso3"])
    return rows[rows.iso3.isin(members)].reset_index(drop=True)


def of_kinds(rows: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    return rows[rows.kind.isin(kinds)].reset_index(drop=True)
