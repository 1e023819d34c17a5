"""Engagement data (UPR, art. 19 reports, implementation indicators): inputs, rules, derived tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from app.treaty_rules import entry_into_force, initial_report_due
from etl.validate import SEP, frame_check, is_iso_date, one_of, required

PRECISIONS = {"day", "month", "year"}
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
INFERRED_NOTE = (
    "expected: inferred from the cycle pattern (session n + 14 reviews the states of session n), not a published schedule"
)

COLUMNS = {
    "upr_sessions": ["session", "cycle", "start_date", "end_date", "date_precision", "source", "note"],
    "upr_reviews": ["iso3", "cycle", "session", "source", "note"],
    "upr_recommendations": [
        "rec_id",
        "iso3",
        "cycle",
        "session",
        "recommending_iso3",
        "recommending_name",
        "text",
        "treaty",
        "action",
        "response",
        "document",
        "source",
        "note",
    ],
    "implementation": ["iso3", "indicator", "value", "year", "source", "note"],
    "report_submissions": ["iso3", "report", "submitted_date", "submitted_year", "source", "note"],
}
FILES = {name: f"{name}.csv" for name in COLUMNS}


def _text(*checks: pa.Check) -> pa.Column:
    return pa.Column(object, checks=list(checks))


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
            "source": _text(required("source")),
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
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "cycle"], "session", "this state already has a review in this cycle"),
            frame_check("session", "session number outside its cycle", _session_in_cycle),
        ],
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
            "note": _text(),
        },
        checks=[
            _unique(["rec_id"], "rec_id", "duplicate rec_id"),
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
            "note": _text(),
        },
        checks=[_unique(["iso3", "indicator"], "indicator", "duplicate indicator for this state")],
    )


def submissions_schema(iso3: set[str], today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "report": _text(one_of("report", REPORTS, "unknown report")),
            "submitted_date": _text(
                pa.Check(lambda s: is_iso_date(s, True), error=f"submitted_date{SEP}not a date in the form YYYY-MM-DD")
            ),
            "submitted_year": _text(_whole("submitted_year", 1987, today.year, allow_empty=True)),
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "report"], "report", "duplicate report for this state"),
            frame_check(
                "submitted_date",
                "give either submitted_date (day known) or submitted_year (year only), not both or neither",
                lambda df: (df.submitted_date == "") != (df.submitted_year == ""),
            ),
        ],
    )


def schemas(iso3: set[str], sessions: set[str], today: date) -> dict[str, pa.DataFrameSchema]:
    return {
        "upr_sessions": sessions_schema(),
        "upr_reviews": reviews_schema(iso3, sessions),
        "upr_recommendations": recommendations_schema(iso3),
        "implementation": implementation_schema(iso3, today),
        "report_submissions": submissions_schema(iso3, today),
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


def reviews(published: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Published reviews, plus reviews inferred from the cycle pattern where no source gives one.

    A state reviewed in session n of cycle c is expected in session n + 14 of cycle c + 1 (and was
    reviewed in session n - 14 of cycle c - 1), for cycles 2 to 4, only where that session is in
    upr_sessions and no published review exists for that state and cycle.
    """
    published = _ints(empty_to_null(published, "note"), "cycle", "session").assign(basis="published")
    known = set(zip(published.iso3, published.cycle, strict=True))
    session_cycle = dict(zip(sessions.session, sessions.cycle, strict=True))
    inferred = []
    for row in published.itertuples(index=False):
        for step in (1, -1):
            cycle = row.cycle + step
            session = row.session + step * SESSIONS_PER_CYCLE
            if min(row.cycle, cycle) < 2 or session_cycle.get(session) != cycle or (row.iso3, cycle) in known:
                continue
            known.add((row.iso3, cycle))
            source = f"inferred from session {row.session} ({row.source})"
            inferred.append({"iso3": row.iso3, "cycle": cycle, "session": session, "source": source, "note": INFERRED_NOTE})
    inferred_frame = pd.DataFrame(inferred, columns=["iso3", "cycle", "session", "source", "note"]).assign(basis="inferred")
    frame = pd.concat([published, _ints(inferred_frame, "cycle", "session")], ignore_index=True)
    dates = sessions[["session", "start_date", "end_date", "date_precision"]]
    frame = frame.merge(dates, on="session", how="left")
    columns = ["iso3", "cycle", "session", "start_date", "end_date", "date_precision", "basis", "source", "note"]
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
                "entry_into_force": in_force,
                "due_date": initial_report_due(in_force),
                "due_source": (
                    f"art. 19(1) as the Committee counts it (app.treaty_rules.initial_report_due) from the deposit of "
                    f"{consent.event_date}: {consent.source}"
                ),
            }
        )
    due = pd.DataFrame(rows, columns=["iso3", "report", "entry_into_force", "due_date", "due_source"])
    submitted = _ints(typed_dates(empty_to_null(submissions, "note"), "submitted_date"), "submitted_year")
    submitted["date_precision"] = submitted.submitted_date.map(lambda d: "year" if d is None or pd.isna(d) else "day")
    frame = due.merge(submitted, on=["iso3", "report"], how="left")
    frame = frame.rename(columns={"source": "submission_source"})
    columns = [
        "iso3",
        "report",
        "entry_into_force",
        "due_date",
        "submitted_date",
        "submitted_year",
        "date_precision",
        "due_source",
        "submission_source",
        "note",
    ]
    frame["date_precision"] = frame.date_precision.where(frame.submission_source.notna(), None)
    return frame[columns].sort_values("iso3").reset_index(drop=True)


def typed(tables: dict[str, pd.DataFrame], events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The engagement tables as loaded into the database (events: the typed treaty events)."""
    sessions = typed_sessions(tables["upr_sessions"])
    review_rows = reviews(tables["upr_reviews"], sessions)
    return {
        "upr_sessions": sessions,
        "upr_reviews": review_rows,
        "upr_recommendations": typed_recommendations(tables["upr_recommendations"], review_rows),
        "implementation": typed_implementation(tables["implementation"]),
        "reports": initial_reports(events, tables["report_submissions"]),
    }


DDL = {
    "upr_sessions": """
        create table upr_sessions (
            session integer primary key, cycle integer not null, start_date date, end_date date,
            date_precision varchar check (date_precision in ('day', 'month', 'year')),
            source varchar not null, note varchar, known_by date)""",
    "upr_reviews": """
        create table upr_reviews (
            iso3 varchar not null references states, cycle integer not null,
            session integer not null references upr_sessions, start_date date, end_date date,
            date_precision varchar, basis varchar not null check (basis in ('published', 'inferred')),
            source varchar not null, note varchar, primary key (iso3, cycle))""",
    "upr_recommendations": """
        create table upr_recommendations (
            rec_id varchar primary key, iso3 varchar not null references states, cycle integer not null,
            session integer, recommending_iso3 varchar references states, recommending_name varchar,
            text varchar not null, treaty varchar not null check (treaty in ('CAT', 'OPCAT', 'CAT+OPCAT')),
            action varchar not null check (action in ('ratify', 'sign', 'declare_art22', 'withdraw_reservation',
                                                      'implement', 'other')),
            response varchar not null check (response in ('supported', 'noted', 'pending')),
            document varchar, source varchar not null, note varchar)""",
    "implementation": """
        create table implementation (
            iso3 varchar not null references states, indicator varchar not null,
            value varchar not null check (value in ('yes', 'partial', 'no')), year integer,
            source varchar not null, note varchar, primary key (iso3, indicator))""",
    "reports": """
        create table reports (
            iso3 varchar not null references states, report varchar not null, entry_into_force date not null,
            due_date date not null, submitted_date date, submitted_year integer,
            date_precision varchar check (date_precision in ('day', 'year')),
            due_source varchar not null, submission_source varchar, note varchar,
            primary key (iso3, report))""",
}
