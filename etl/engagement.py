"""Engagement data (UPR, art. 19 reports, implementation indicators): inputs, rules, derived tables."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pandera.pandas as pa

from core.treaty_rules import entry_into_force, initial_report_due
from core.vocabulary import UPR_RECOMMENDATION_COLUMNS
from etl.validate import SEP, frame_check, is_iso_date, one_of, required

PRECISIONS = {"day", "month", "year"}
# How a fact is known (data/SOURCES.md, "Engagement data"): the owning body's own record, a compilation, or a named rule.
LEVELS = {"primary", "secondary", "inferred"}
STATE_LISTS = {"complete", "partial", "none"}
REVIEW_STATUSES = {"held", "scheduled"}
RESPONSES = {"supported", "noted", "pending"}
REC_TREATIES = {"CAT", "OPCAT", "CAT+OPCAT"}
REC_ACTIONS = {"ratify", "sign", "declare_art22", "withdraw_reservation", "implement", "other"}
INDICATORS = {
    "constitution",
    "criminalisation",
    "npm_designated",
    "npm_operational",
    "nhri_paris",
    "initial_report_submitted",
}
INDICATOR_VALUES = {"yes", "partial", "no"}
REPORTS = {"initial"}
# Within a UPR cycle of 14 sessions, session n + 14 reviews the states of session n (cycles 2 to 4).
CYCLE_SESSIONS = {1: range(1, 13), 2: range(13, 27), 3: range(27, 41), 4: range(41, 55)}
SESSIONS_PER_CYCLE = 14
# The rule's name, as rows inferred by it cite it (`source`) and the verification report counts them.
CYCLE_RULE = "rule n+14"
INFERRED_NOTE = (
    "expected: inferred from the cycle pattern (session n + 14 reviews the states of session n), not a published schedule"
)

COLUMNS = {
    "upr_sessions": ["session", "cycle", "start_date", "end_date", "date_precision", "states_listed", "source", "level", "note"],
    "upr_reviews": ["iso3", "cycle", "session", "status", "review_date", "source", "level", "note"],
    "upr_postponements": [
        "iso3",
        "cycle",
        "from_session",
        "to_session",
        "decision",
        "decision_date",
        "source",
        "level",
        "note",
    ],
    "upr_review_gaps": ["iso3", "cycle", "reason", "source", "note"],
    "upr_recommendations": list(UPR_RECOMMENDATION_COLUMNS),
    "implementation": ["iso3", "indicator", "value", "year", "source", "level", "note"],
    "report_submissions": ["iso3", "report", "symbol", "submitted", "received_by", "source", "level", "note"],
    "conflicts": [
        "table_name",
        "iso3",
        "fact",
        "value_shown",
        "source_shown",
        "level_shown",
        "value_other",
        "source_other",
        "level_other",
        "why",
    ],
}
FILES = {name: f"{name}.csv" for name in COLUMNS}


def _text(*checks: pa.Check) -> pa.Column:
    return pa.Column(object, checks=list(checks))


def _level(allowed: set[str] = LEVELS) -> pa.Column:
    return _text(one_of("level", allowed, "unknown verification level"))


def _published_level() -> pa.Column:
    """A fact read in a document: primary or secondary (an inferred one is made by the ETL, never typed in)."""
    return _level(LEVELS - {"inferred"})


def _whole(column: str, low: int, high: int, allow_empty: bool = False) -> pa.Check:
    def ok(s: pd.Series) -> pd.Series:
        good = s.str.fullmatch(r"\d{1,4}") & pd.to_numeric(s, errors="coerce").between(low, high)
        return good | (s == "") if allow_empty else good

    return pa.Check(ok, error=f"{column}{SEP}not a whole number between {low} and {high}")


def _unique(columns: list[str], blame: str, reason: str) -> pa.Check:
    return frame_check(blame, reason, lambda df: ~df.duplicated(columns, keep="first"))


def _session_in_cycle(df: pd.DataFrame) -> pd.Series:
    cycle = pd.to_numeric(df.cycle, errors="coerce")
    session = pd.to_numeric(df.session, errors="coerce")
    ok = pd.Series(True, index=df.index)
    for number, sessions in CYCLE_SESSIONS.items():
        ok &= ~((cycle == number) & session.notna() & ~session.isin(list(sessions)))
    return ok


def sessions_schema() -> pa.DataFrameSchema:
    def dates_match_precision(df: pd.DataFrame) -> pd.Series:
        day = df.date_precision == "day"
        coarse = df.date_precision.isin(["month", "year"])
        unknown = df.date_precision == ""
        return (
            (day & (df.start_date != "") & (df.end_date != ""))
            | (coarse & (df.start_date != "") & (df.end_date == ""))
            | (unknown & (df.start_date == "") & (df.end_date == ""))
        )

    def first_of_period(df: pd.DataFrame) -> pd.Series:
        month = (df.date_precision == "month") & ~df.start_date.str.endswith("-01")
        year = (df.date_precision == "year") & ~df.start_date.str.endswith("-01-01")
        return ~(month | year)

    return pa.DataFrameSchema(
        {
            "session": _text(_whole("session", 1, 200)),
            "cycle": _text(_whole("cycle", 1, 20)),
            "start_date": _text(
                pa.Check(lambda s: is_iso_date(s, True), error=f"start_date{SEP}not a date in the form YYYY-MM-DD")
            ),
            "end_date": _text(pa.Check(lambda s: is_iso_date(s, True), error=f"end_date{SEP}not a date in the form YYYY-MM-DD")),
            "date_precision": _text(
                pa.Check(lambda s: s.isin(PRECISIONS) | (s == ""), error=f"date_precision{SEP}expected day, month, year or empty")
            ),
            "states_listed": _text(one_of("states_listed", STATE_LISTS, "unknown state list")),
            "source": _text(required("source")),
            "level": _level(),
            "note": _text(),
        },
        checks=[
            _unique(["session"], "session", "duplicate session"),
            frame_check("session", "session number outside its cycle", _session_in_cycle),
            frame_check(
                "date_precision",
                "dates do not match the precision (day: start and end; month or year: start only; empty: no date)",
                dates_match_precision,
            ),
            frame_check("start_date", "a month or year is written as its first day (YYYY-MM-01, YYYY-01-01)", first_of_period),
            frame_check(
                "end_date", "end_date is before start_date", lambda df: ~((df.end_date != "") & (df.end_date < df.start_date))
            ),
        ],
    )


def reviews_schema(iso3: set[str], sessions: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "cycle": _text(_whole("cycle", 1, 20)),
            "session": _text(one_of("session", sessions, "unknown session (not in upr_sessions.csv)")),
            "status": _text(one_of("status", REVIEW_STATUSES, "unknown review status")),
            "review_date": _text(
                pa.Check(lambda s: is_iso_date(s, True), error=f"review_date{SEP}not a date in the form YYYY-MM-DD")
            ),
            "source": _text(required("source")),
            "level": _published_level(),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "cycle"], "session", "this state already has a review in this cycle"),
            frame_check("session", "session number outside its cycle", _session_in_cycle),
        ],
    )


def postponements_schema(iso3: set[str], sessions: set[str]) -> pa.DataFrameSchema:
    def later(df: pd.DataFrame) -> pd.Series:
        start, end = pd.to_numeric(df.from_session, errors="coerce"), pd.to_numeric(df.to_session, errors="coerce")
        return (df.to_session == "") | (end > start)

    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "cycle": _text(_whole("cycle", 1, 20)),
            "from_session": _text(one_of("from_session", sessions, "unknown session (not in upr_sessions.csv)")),
            "to_session": _text(
                pa.Check(
                    lambda s: s.isin(sessions) | (s == ""),
                    error=f"to_session{SEP}unknown session (not in upr_sessions.csv); leave empty when not yet set",
                )
            ),
            "decision": _text(),  # the decision's symbol (S-13/1, OM/7/101); empty when it was not found
            "decision_date": _text(
                pa.Check(lambda s: is_iso_date(s, True), error=f"decision_date{SEP}not a date in the form YYYY-MM-DD")
            ),
            "source": _text(required("source")),
            "level": _published_level(),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "cycle", "from_session"], "from_session", "this postponement is already recorded"),
            frame_check("to_session", "the new session is not after the postponed one", later),
        ],
    )


def gaps_schema(iso3: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "cycle": _text(_whole("cycle", 1, 20)),
            "reason": _text(required("reason")),
            "source": _text(),
            "note": _text(),
        },
        checks=[_unique(["iso3", "cycle"], "cycle", "this gap is already recorded")],
    )


def recommendations_schema(iso3: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rec_id": _text(
                required("rec_id"),
                pa.Check.str_matches(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,79}$", error=f"rec_id{SEP}not an identifier"),
            ),
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "cycle": _text(_whole("cycle", 1, 20)),
            "session": _text(_whole("session", 1, 200, allow_empty=True)),
            "recommending_iso3": _text(
                pa.Check(lambda s: s.isin(iso3) | (s == ""), error=f"recommending_iso3{SEP}unknown ISO code (not in states.csv)")
            ),
            "recommending_name": _text(),
            "text": _text(required("text")),
            "treaty": _text(one_of("treaty", REC_TREATIES, "unknown treaty")),
            "action": _text(one_of("action", REC_ACTIONS, "unknown action")),
            "response": _text(one_of("response", RESPONSES, "unknown response")),
            "document": _text(),
            "source": _text(required("source")),
            # The UN's own document (primary, its symbol in `document`) or a compilation such as UPR Info (secondary).
            "level": _published_level(),
            "note": _text(),
        },
        checks=[
            _unique(["rec_id"], "rec_id", "duplicate rec_id"),
            frame_check(
                "level", "a primary row names its UN document symbol", lambda df: ~((df.level == "primary") & (df.document == ""))
            ),
            frame_check("session", "session number outside its cycle", _session_in_cycle),
        ],
    )


def implementation_schema(iso3: set[str], today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "indicator": _text(one_of("indicator", INDICATORS, "unknown indicator")),
            "value": _text(one_of("value", INDICATOR_VALUES, "unknown value")),
            "year": _text(_whole("year", 1900, today.year, allow_empty=True)),
            "source": _text(required("source")),
            "level": _published_level(),
            "note": _text(),
        },
        checks=[_unique(["iso3", "indicator"], "indicator", "duplicate indicator for this state")],
    )


# A submission is known to the day (YYYY-MM-DD), the month (YYYY-MM) or the year (YYYY); or only as received by a
# day (`received_by`: the Committee considered the report then); both empty: not submitted, as the row's source
# records (the Committee's concluding observations in the absence of a report, say). An inferred level names its rule.
_SUBMITTED = r"\d{4}(-\d{2}(-\d{2})?)?"


def _submitted_ok(values: pd.Series, today: date) -> pd.Series:
    def ok(value: str) -> bool:
        if value == "":
            return True
        if not re.fullmatch(_SUBMITTED, value):
            return False
        try:
            start = period_start(value)
        except ValueError:
            return False
        return start.year >= 1987 and start <= today

    return values.map(ok).astype(bool)


def submissions_schema(iso3: set[str], today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "report": _text(one_of("report", REPORTS, "unknown report")),
            "symbol": _text(
                pa.Check(
                    lambda s: s.str.fullmatch(r"(CAT/C/[A-Za-z0-9./-]+((,| and| to) (CAT/C/)?[A-Za-z0-9./-]+)*)?"),
                    error=f"symbol{SEP}not a Committee document symbol (CAT/C/...)",
                )
            ),
            "submitted": _text(
                pa.Check(
                    lambda s: _submitted_ok(s, today),
                    error=f"submitted{SEP}not a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY) from 1987 to today",
                )
            ),
            "received_by": _text(
                pa.Check(lambda s: is_iso_date(s, True), error=f"received_by{SEP}not a date in the form YYYY-MM-DD")
            ),
            "source": _text(required("source")),
            "level": _level(),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "report"], "report", "duplicate report for this state"),
            frame_check(
                "received_by",
                "received_by is before the submission it bounds",
                lambda df: ~((df.received_by != "") & (df.submitted != "") & (df.submitted.str[:4] > df.received_by.str[:4])),
            ),
        ],
    )


def conflicts_schema(iso3: set[str], tables: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "table_name": _text(one_of("table_name", tables, "unknown table")),
            "iso3": _text(pa.Check(lambda s: s.isin(iso3) | (s == ""), error=f"iso3{SEP}unknown ISO code (not in states.csv)")),
            "fact": _text(required("fact")),
            "value_shown": _text(required("value_shown")),
            "source_shown": _text(required("source_shown")),
            "level_shown": _level(),
            "value_other": _text(required("value_other")),
            "source_other": _text(required("source_other")),
            "level_other": _level(),
            "why": _text(required("why")),
        },
        checks=[_unique(["table_name", "iso3", "fact", "value_other"], "value_other", "this conflict is already recorded")],
    )


def schemas(iso3: set[str], sessions: set[str], today: date) -> dict[str, pa.DataFrameSchema]:
    return {
        "upr_sessions": sessions_schema(),
        "upr_reviews": reviews_schema(iso3, sessions),
        "upr_postponements": postponements_schema(iso3, sessions),
        "upr_review_gaps": gaps_schema(iso3),
        "upr_recommendations": recommendations_schema(iso3),
        "implementation": implementation_schema(iso3, today),
        "report_submissions": submissions_schema(iso3, today),
        "conflicts": conflicts_schema(iso3, set(DDL) | {"activities"}),
    }


def typed_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """ISO date text to dates; an empty cell is a null."""
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d").dt.date
    return frame


def empty_to_null(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Empty text cells to nulls."""
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].replace("", None)
    return frame


def _ints(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    return frame


def typed_sessions(frame: pd.DataFrame) -> pd.DataFrame:
    sessions = _ints(typed_dates(empty_to_null(frame, "date_precision", "note"), "start_date", "end_date"), "session", "cycle")
    dates = zip(sessions.start_date, sessions.end_date, sessions.date_precision, strict=True)
    sessions["known_by"] = [known_by(*row) for row in dates]
    return sessions.sort_values("session").reset_index(drop=True)


def known_by(start, end, precision) -> date | None:
    """The day by which a session had surely ended: its last day, or the last day of its month or year.

    What was said in a session (a recommendation and its response) counts from that day, never before.
    """
    if start is None or pd.isna(start):
        return None
    if precision == "day":
        return end
    if precision == "month":
        return (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    return date(start.year, 12, 31)


def period_start(value: str) -> date:
    """The first day of a date written as YYYY-MM-DD, YYYY-MM or YYYY."""
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def period_end(value: str) -> date:
    """The last day of a date written as YYYY-MM-DD, YYYY-MM or YYYY: by then the fact had surely happened."""
    start = period_start(value)
    if value.count("-") == 2:
        return start
    if value.count("-") == 1:
        return (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    return date(start.year, 12, 31)


def precision_of(value: str) -> str | None:
    return {0: "year", 1: "month", 2: "day"}[value.count("-")] if value else None


def typed_postponements(frame: pd.DataFrame) -> pd.DataFrame:
    frame = typed_dates(empty_to_null(frame, "decision", "note"), "decision_date")
    return (
        _ints(frame, "cycle", "from_session", "to_session").sort_values(["iso3", "cycle", "from_session"]).reset_index(drop=True)
    )


def typed_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    return _ints(empty_to_null(frame, "source", "note"), "cycle").sort_values(["cycle", "iso3"]).reset_index(drop=True)


def reviews(published: pd.DataFrame, sessions: pd.DataFrame, postponements: pd.DataFrame) -> pd.DataFrame:
    """Published reviews, plus reviews inferred forward from the cycle pattern where no source gives one.

    A state reviewed in session n of cycle c (c >= 2) is expected in session n + 14 of cycle c + 1, only
    where that session is in upr_sessions, its published list of states is not complete, no published
    review exists for that state and cycle, and the Council postponed none of its reviews in cycle c + 1.
    A review the Council moved counts from its original slot (the group it was scheduled with).
    The rule runs forward only and never from an inferred row; it never overrides a published fact.
    """
    published = typed_dates(empty_to_null(published, "review_date", "note"), "review_date")
    published = _ints(published, "cycle", "session").assign(basis="published")
    known = set(zip(published.iso3, published.cycle, strict=True))
    moved = {(r.iso3, r.cycle) for r in postponements.itertuples(index=False)}
    slot = {(r.iso3, r.cycle): r.from_session for r in postponements.itertuples(index=False)}
    session_cycle = dict(zip(sessions.session, sessions.cycle, strict=True))
    complete = set(sessions.session[sessions.states_listed == "complete"])
    inferred = []
    for row in published.itertuples(index=False):
        cycle = row.cycle + 1
        origin = slot.get((row.iso3, row.cycle), row.session)
        session = origin + SESSIONS_PER_CYCLE
        if row.cycle < 2 or session_cycle.get(session) != cycle or session in complete:
            continue
        if (row.iso3, cycle) in known or (row.iso3, cycle) in moved:
            continue
        known.add((row.iso3, cycle))
        inferred.append(
            {
                "iso3": row.iso3,
                "cycle": cycle,
                "session": session,
                "status": "expected",
                "review_date": None,
                "source": f"{CYCLE_RULE}: from session {origin} ({row.source})",
                "level": "inferred",
                "note": INFERRED_NOTE,
            }
        )
    columns = ["iso3", "cycle", "session", "status", "review_date", "source", "level", "note"]
    inferred_frame = pd.DataFrame(inferred, columns=columns).assign(basis="inferred")
    frame = pd.concat([published, _ints(inferred_frame, "cycle", "session")], ignore_index=True)
    dates = sessions[["session", "start_date", "end_date", "date_precision"]]
    frame = frame.merge(dates, on="session", how="left")
    columns = [
        "iso3",
        "cycle",
        "session",
        "status",
        "review_date",
        "start_date",
        "end_date",
        "date_precision",
        "basis",
        "level",
        "source",
        "note",
    ]
    return frame[columns].sort_values(["iso3", "cycle"]).reset_index(drop=True)


def typed_recommendations(frame: pd.DataFrame, reviews_frame: pd.DataFrame) -> pd.DataFrame:
    """Recommendations typed; a missing session is taken from the state's review in that cycle."""
    recs = _ints(empty_to_null(frame, "recommending_iso3", "recommending_name", "document", "note"), "cycle", "session")
    review_session = reviews_frame.set_index(["iso3", "cycle"]).session
    missing = recs.session.isna()
    if missing.any():
        keys = pd.MultiIndex.from_frame(recs.loc[missing, ["iso3", "cycle"]])
        recs.loc[missing, "session"] = review_session.reindex(keys).to_numpy()
    return recs.sort_values(["iso3", "cycle", "rec_id"]).reset_index(drop=True)


def typed_implementation(frame: pd.DataFrame) -> pd.DataFrame:
    return _ints(empty_to_null(frame, "note"), "year").sort_values(["iso3", "indicator"]).reset_index(drop=True)


def typed_submissions(frame: pd.DataFrame) -> pd.DataFrame:
    """The submission as a period: its first day, its last day (known_by) and its precision; empty: not submitted."""
    frame = typed_dates(empty_to_null(frame, "symbol", "note"), "received_by")
    submitted = frame.submitted.fillna("")
    frame["submitted_date"] = [period_start(v) if v else None for v in submitted]
    frame["submitted_year"] = pd.array([period_start(v).year if v else None for v in submitted], dtype="Int64")
    frame["date_precision"] = [precision_of(v) for v in submitted]
    ends = [period_end(v) if v else None for v in submitted]
    frame["known_by"] = [
        end if end is not None else (None if pd.isna(by) else by) for end, by in zip(ends, frame.received_by, strict=True)
    ]
    return frame.drop(columns="submitted")


def initial_reports(events: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """One row per CAT party: its initial report's due date (art. 19(1)) and what is known of its submission."""
    consents = events[(events.treaty == "CAT") & events.event.isin(["ratification", "accession", "succession"])]
    rows = []
    for consent in consents.itertuples(index=False):
        in_force = entry_into_force(consent.event_date)
        rows.append(
            {
                "iso3": consent.iso3,
                "report": "initial",
                "consent_date": consent.event_date,
                "entry_into_force": in_force,
                "due_date": initial_report_due(in_force),
                "due_source": (
                    f"art. 19(1) as the Committee counts it (core.treaty_rules.initial_report_due) from the deposit of "
                    f"{consent.event_date}: {consent.source}"
                ),
            }
        )
    due = pd.DataFrame(rows, columns=["iso3", "report", "consent_date", "entry_into_force", "due_date", "due_source"])
    frame = due.merge(typed_submissions(submissions), on=["iso3", "report"], how="left")
    frame = frame.rename(columns={"source": "submission_source", "level": "submission_level"})
    columns = [
        "iso3",
        "report",
        "consent_date",
        "entry_into_force",
        "due_date",
        "symbol",
        "submitted_date",
        "submitted_year",
        "date_precision",
        "received_by",
        "known_by",
        "due_source",
        "submission_source",
        "submission_level",
        "note",
    ]
    return frame[columns].sort_values("iso3").reset_index(drop=True)


APT_SOURCE = "Association for the Prevention of Torture, legal indicators"


def derived_conflicts(implementation: pd.DataFrame, reports_frame: pd.DataFrame) -> pd.DataFrame:
    """Disagreements the build finds itself: the APT's year of the initial report against the one shown."""
    apt = implementation[(implementation.indicator == "initial_report_submitted") & (implementation.value == "yes")]
    shown = reports_frame.set_index("iso3")
    rows = []
    for row in apt.itertuples(index=False):
        if row.iso3 not in shown.index or pd.isna(row.year):
            continue
        report = shown.loc[row.iso3]
        if report.submission_source is None or pd.isna(report.submission_source):
            continue
        year = None if pd.isna(report.submitted_year) else int(report.submitted_year)
        bound = None if pd.isna(report.received_by) else pd.Timestamp(report.received_by).date()
        if year is not None:
            if year == int(row.year):
                continue
            value = _period_text(report.submitted_date, report.date_precision)
        elif bound is not None:
            if int(row.year) <= bound.year:
                continue  # the APT's year may be right: the report was received by then
            value = f"received by {bound.isoformat()}"
        else:
            value = "not submitted"
        rows.append(
            {
                "table_name": "reports",
                "iso3": row.iso3,
                "fact": "initial report submitted",
                "value_shown": value,
                "source_shown": report.submission_source,
                "level_shown": report.submission_level,
                "value_other": str(int(row.year)),
                "source_other": row.source,
                "level_other": row.level,
                "why": _why_shown(report.submission_level, row.level),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS["conflicts"])


def _period_text(day, precision) -> str:
    day = pd.Timestamp(day).date()
    return {"day": day.isoformat(), "month": day.isoformat()[:7]}.get(precision, str(day.year))


def _why_shown(shown: str, other: str) -> str:
    if shown == "primary" and other != "primary":
        return "the owning body's record (primary) is shown; the compilation (secondary) disagrees"
    return f"the {shown} source is shown; the {other} source disagrees (see the note of the shown row)"


def typed_conflicts(recorded: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Recorded disagreements (data/conflicts.csv) and the ones the build found, each once."""
    frame = pd.concat([recorded.assign(origin="recorded"), derived.assign(origin="derived")], ignore_index=True)
    frame = frame.drop_duplicates(["table_name", "iso3", "fact", "value_other"], keep="first")
    frame["iso3"] = frame.iso3.replace("", None)
    return frame.sort_values(["table_name", "iso3", "fact"]).reset_index(drop=True)


def typed(tables: dict[str, pd.DataFrame], events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The engagement tables as loaded into the database (events: the typed treaty events)."""
    sessions = typed_sessions(tables["upr_sessions"])
    postponements = typed_postponements(tables["upr_postponements"])
    review_rows = reviews(tables["upr_reviews"], sessions, postponements)
    implementation = typed_implementation(tables["implementation"])
    reports_frame = initial_reports(events, tables["report_submissions"])
    return {
        "upr_sessions": sessions,
        "upr_reviews": review_rows,
        "upr_postponements": postponements,
        "upr_review_gaps": typed_gaps(tables["upr_review_gaps"]),
        "upr_recommendations": typed_recommendations(tables["upr_recommendations"], review_rows),
        "implementation": implementation,
        "reports": reports_frame,
        "conflicts": typed_conflicts(tables["conflicts"], derived_conflicts(implementation, reports_frame)),
    }


DDL = {
    "upr_sessions": """
        create table upr_sessions (
            session integer primary key, cycle integer not null, start_date date, end_date date,
            date_precision varchar check (date_precision in ('day', 'month', 'year')),
            states_listed varchar not null check (states_listed in ('complete', 'partial', 'none')),
            source varchar not null, level varchar not null check (level in ('primary', 'secondary')),
            note varchar, known_by date)""",
    "upr_reviews": """
        create table upr_reviews (
            iso3 varchar not null references states, cycle integer not null,
            session integer not null references upr_sessions,
            status varchar not null check (status in ('held', 'scheduled', 'expected')), review_date date,
            start_date date, end_date date, date_precision varchar,
            basis varchar not null check (basis in ('published', 'inferred')),
            level varchar not null check (level in ('primary', 'secondary', 'inferred')),
            source varchar not null, note varchar, primary key (iso3, cycle))""",
    "upr_postponements": """
        create table upr_postponements (
            iso3 varchar not null references states, cycle integer not null,
            from_session integer not null references upr_sessions, to_session integer references upr_sessions,
            decision varchar, decision_date date, source varchar not null,
            level varchar not null check (level in ('primary', 'secondary')), note varchar,
            primary key (iso3, cycle, from_session))""",
    "upr_review_gaps": """
        create table upr_review_gaps (
            iso3 varchar not null references states, cycle integer not null, reason varchar not null,
            source varchar, note varchar, primary key (iso3, cycle))""",
    "upr_recommendations": """
        create table upr_recommendations (
            rec_id varchar primary key, iso3 varchar not null references states, cycle integer not null,
            session integer, recommending_iso3 varchar references states, recommending_name varchar,
            text varchar not null, treaty varchar not null check (treaty in ('CAT', 'OPCAT', 'CAT+OPCAT')),
            action varchar not null check (action in ('ratify', 'sign', 'declare_art22', 'withdraw_reservation',
                                                      'implement', 'other')),
            response varchar not null check (response in ('supported', 'noted', 'pending')),
            document varchar, source varchar not null,
            level varchar not null check (level in ('primary', 'secondary')), note varchar)""",
    "implementation": """
        create table implementation (
            iso3 varchar not null references states, indicator varchar not null,
            value varchar not null check (value in ('yes', 'partial', 'no')), year integer,
            source varchar not null, level varchar not null check (level in ('primary', 'secondary')),
            note varchar, primary key (iso3, indicator))""",
    "reports": """
        create table reports (
            iso3 varchar not null references states, report varchar not null, consent_date date not null,
            entry_into_force date not null, due_date date not null, symbol varchar,
            submitted_date date, submitted_year integer,
            date_precision varchar check (date_precision in ('day', 'month', 'year')), received_by date, known_by date,
            due_source varchar not null, submission_source varchar,
            submission_level varchar check (submission_level in ('primary', 'secondary', 'inferred')), note varchar,
            primary key (iso3, report))""",
    "conflicts": """
        create table conflicts (
            table_name varchar not null, iso3 varchar references states, fact varchar not null,
            value_shown varchar not null, source_shown varchar not null, level_shown varchar not null,
            value_other varchar not null, source_other varchar not null, level_other varchar not null,
            why varchar not null, origin varchar not null check (origin in ('recorded', 'derived')))""",
}
