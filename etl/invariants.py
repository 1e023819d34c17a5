"""Rules the engagement facts must keep (the build refuses to break them) and facts that need a note.

A violation is a Problem (file:line:column and the rule): `python -m etl` stops and the previous
database stays. A notice is listed by `python -m etl verify` and does not stop the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from etl import engagement
from etl.validate import CsvTable, Problem

# The initial report's symbol in the Committee's series: CAT/C/<ISO>/1 or an addendum of the early
# collections (CAT/C/5/Add.31). CAT/C/<ISO>/2 (or later) is a periodic report.
_LATER_REPORT = re.compile(r"CAT/C/[A-Z]{3}/([2-9]|\d{2,})(\b|/)")
_COMBINED_INITIAL = re.compile(r"CAT/C/[A-Z]{3}/1-\d+")


@dataclass(frozen=True)
class Notice:
    """A fact that holds but needs a note (shown by the verification report)."""

    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


def _problem(table: CsvTable, index: int, column: str, reason: str) -> Problem:
    value = str(table.frame.at[index, column]) if column in table.frame.columns else ""
    column_no = table.columns.index(column) + 1 if column in table.columns else 1
    return Problem(table.label, table.lines[index], column_no, column, value, reason)


def _where(table: CsvTable, index: int) -> str:
    return f"{table.label}:{table.lines[index]}"


def report_violations(submissions: CsvTable, reports: pd.DataFrame) -> list[Problem]:
    """No report before the state was bound; the initial report is not a later report; reports only from parties."""
    problems = []
    consent = reports.set_index("iso3").consent_date
    for index, row in submissions.frame.iterrows():
        if row.iso3 not in consent.index:
            problems.append(_problem(submissions, index, "iso3", "rule report-from-party: the state is not a party to CAT"))
            continue
        for column in ("submitted", "received_by"):
            value = row[column]
            if value and engagement.period_end(value) < consent[row.iso3]:
                bound = consent[row.iso3].isoformat()
                reason = f"rule report-after-consent: submitted before the state was bound (consent {bound})"
                problems.append(_problem(submissions, index, column, reason))
        if _LATER_REPORT.search(row.symbol or "") and not _COMBINED_INITIAL.search(row.symbol or ""):
            reason = "rule initial-not-later: the symbol is that of a periodic report, not the initial report"
            problems.append(_problem(submissions, index, "symbol", reason))
    return problems


def review_violations(
    published: CsvTable, postponements: CsvTable, sessions: pd.DataFrame, reviews: pd.DataFrame, today: date
) -> list[Problem]:
    """No held review that the Council postponed; no inferred review against a published list; held means past."""
    problems = []
    frame = published.frame
    # itertuples and a dict of sessions, not iterrows and .loc: this runs on every build and every upload's check.
    postponed = {
        (row.iso3, int(row.cycle), int(row.from_session)): row.Index
        for row in postponements.frame.itertuples()
        if row.from_session.isdigit()
    }
    moved_to = {(row.iso3, int(row.cycle)): row.to_session for row in postponements.frame.itertuples()}
    by_session = {
        int(row.session): (row.start_date, row.end_date, row.date_precision) for row in sessions.itertuples(index=False)
    }
    for row in frame.itertuples():
        index = row.Index
        key = (row.iso3, int(row.cycle), int(row.session))
        if key in postponed:
            reason = (
                f"rule postponed-not-held: the Council postponed this review (upr_postponements.csv line "
                f"{postponements.lines[postponed[key]]}); record it at the session where it is held"
            )
            problems.append(_problem(published, index, "session", reason))
        target = moved_to.get(key[:2])
        if target and target.isdigit() and int(target) != int(row.session) and key not in postponed:
            reason = f"rule postponed-to: the Council moved this review to session {target}"
            problems.append(_problem(published, index, "session", reason))
        start, end_date, precision = by_session[int(row.session)]
        if row.status == "held" and start is not None and not pd.isna(start) and start > today:
            problems.append(_problem(published, index, "status", "rule held-is-past: the session has not started yet"))
        if row.review_date:
            day = date.fromisoformat(row.review_date)
            end = engagement.known_by(start, end_date, precision)
            if start is None or pd.isna(start) or not (start <= day <= end):
                reason = "rule review-in-session: the review's day is outside its session's dates"
                problems.append(_problem(published, index, "review_date", reason))
    complete = set(sessions.session[sessions.states_listed == "complete"])
    published_keys = set(zip(frame.iso3, frame.cycle.astype(int), strict=True))
    origin = {(row.iso3, int(row.cycle) + 1): row.Index for row in frame.itertuples()}
    for row in reviews[reviews.basis == "inferred"].itertuples(index=False):
        clash = (row.iso3, row.cycle) in published_keys or row.session in complete or (row.iso3, row.cycle) in moved_to
        if clash:
            index = origin.get((row.iso3, row.cycle), 0)
            reason = f"rule inferred-vs-published: the review inferred in session {row.session} contradicts a published fact"
            problems.append(_problem(published, index, "session", reason))
    return problems


def violations(tables: dict[str, CsvTable], frames: dict[str, pd.DataFrame], today: date) -> list[Problem]:
    """Every broken invariant of the engagement facts, in file order."""
    problems = report_violations(tables["report_submissions"], frames["reports"])
    problems += review_violations(
        tables["upr_reviews"], tables["upr_postponements"], frames["upr_sessions"], frames["upr_reviews"], today
    )
    return sorted(problems, key=lambda p: (p.path, p.line, p.column_no))


def _cycle_end(sessions: pd.DataFrame, cycle: int) -> date | None:
    """The day the cycle surely ended: its last session's known end (None while that session is not in the data)."""
    last = max(engagement.CYCLE_SESSIONS.get(cycle, [0]))
    rows = sessions[sessions.session == last]
    if rows.empty or rows.known_by.isna().any():
        return None
    return rows.known_by.iloc[0]


def notices(tables: dict[str, CsvTable], frames: dict[str, pd.DataFrame], states: pd.DataFrame, as_of: date) -> list[Notice]:
    """Facts that hold but need a note: NPM operational before designated, a completed cycle without a review
    for a member, a fact kept at year precision where a dated document is known."""
    found = []
    impl = tables["implementation"]
    frame = impl.frame
    for iso3, rows in frame.groupby("iso3"):
        by = rows.set_index("indicator")
        if "npm_operational" not in by.index or by.at["npm_operational", "value"] != "yes":
            continue
        index = rows.index[rows.indicator == "npm_operational"][0]
        designated = by.value.get("npm_designated")
        op_year, des_year = by.at["npm_operational", "year"], by.year.get("npm_designated", "")
        if designated != "yes":
            found.append(Notice("npm-order", _where(impl, index), f"{iso3}: NPM operational but designated is {designated!r}"))
        elif op_year and des_year and int(op_year) < int(des_year):
            detail = f"{iso3}: NPM operational in {op_year}, designated in {des_year}"
            found.append(Notice("npm-order", _where(impl, index), detail))
    sessions, reviews, gaps = frames["upr_sessions"], frames["upr_reviews"], frames["upr_review_gaps"]
    members = states[states.kind == "member"]
    for cycle in sorted(set(sessions.cycle)):
        end = _cycle_end(sessions, cycle)
        if end is None or end > as_of:
            continue
        reviewed = set(reviews.iso3[reviews.cycle == cycle])
        known_gaps = dict(zip(gaps.iso3[gaps.cycle == cycle], gaps.reason[gaps.cycle == cycle], strict=True))
        for iso3 in sorted(set(members.iso3) - reviewed):
            reason = known_gaps.get(iso3)
            detail = f"{iso3}: no review in cycle {cycle}" + (f" (known gap: {reason})" if reason else " (not listed as a gap)")
            found.append(Notice("cycle-coverage", f"upr_reviews, cycle {cycle}", detail))
    subs = tables["report_submissions"]
    for index, row in subs.frame.iterrows():
        if row.symbol and engagement.precision_of(row.submitted) == "year":
            detail = f"{row.iso3}: submitted {row.submitted} (year only) though {row.symbol} is known"
            found.append(Notice("year-where-day", _where(subs, index), detail))
    return found
