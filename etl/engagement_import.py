"""Import engagement inputs into data/: UPR calendars and recommendations, APT indicators, public CTI events.

Every command compares what the file would give with data/ and prints the differences (added,
changed with old and new values, removed); nothing is written without --apply. With --apply the
replaced files are copied to data/.backup/<time>/, the new ones written and the database rebuilt;
if the rebuild fails the files are put back.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl import engagement, schemas
from etl.untc_import import _key, backup, name_index
from etl.upr_text import action_of, response_of, treaty_of
from etl.validate import InputError, Problem

CTI_EVENTS_FILE = "activities/activities_cti_public.csv"


class ImportProblem(Exception):
    """The input cannot be imported; `problems` say where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class Target:
    """One file of data/ that an import rewrites: its columns, key, and the rows it brings."""

    filename: str
    columns: list[str]
    key: list[str]
    rows: pd.DataFrame
    # Rows of data/ the input speaks for: those it does not bring again are reported as removed.
    scope: Callable[[pd.DataFrame], pd.Series]
    messages: list[str] = field(default_factory=list)


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A CSV's header and its rows with their line numbers."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem([Problem(str(path), 1, 1, "", "", "not UTF-8; save the file as UTF-8")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    line = 2
    for record in reader:
        rows.append((line, {k: (v or "").strip() for k, v in record.items() if k is not None}))
        line = reader.line_num + 1
    return [h.strip() for h in (reader.fieldnames or [])], rows


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


class Names:
    """State names as printed in an input, to ISO codes, through states.csv and state_aliases.csv."""

    def __init__(self, states: pd.DataFrame, aliases: pd.DataFrame):
        self.index = name_index(states, aliases)
        for column in ("name_fr", "name_es"):
            for name, iso3 in zip(states[column], states.iso3, strict=True):
                self.index.setdefault(_key(name), iso3)
        self.iso3 = set(states.iso3)
        self.unknown: dict[str, list[str]] = {}

    def find(self, name: str, where: str, iso3_hint: str = "") -> str | None:
        name = html.unescape(name).strip()
        key = _key(name)
        if key in self.index:
            return self.index[key]
        if iso3_hint in self.iso3 and not name:
            return iso3_hint
        self.unknown.setdefault(name, []).append(where)
        return None

    def check(self, path: Path) -> None:
        if self.unknown:
            listed = "; ".join(f"{name!r} ({places[0]})" for name, places in sorted(self.unknown.items()))
            reason = (
                f"{len(self.unknown)} state name(s) not in data/states.csv nor data/state_aliases.csv: {listed}. "
                "Add each to data/state_aliases.csv with its ISO alpha-3 code (empty code: not a state)."
            )
            raise ImportProblem([Problem(str(path), 1, 1, "", "", reason)])


def _session_cycle(session: int) -> int | None:
    for cycle, sessions in engagement.CYCLE_SESSIONS.items():
        if session in sessions:
            return cycle
    return None


def _rec_id(*parts: str) -> str:
    return "UPR-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]  # noqa: S324 - an identifier, not security


# --- recommendations -------------------------------------------------------------------------------

UPR_INFO_COLUMNS = {"state_under_review", "recommending_state", "recommendation", "response", "session"}
# The UPR Info database's own export names its columns To, From, Text (with To-Rgrp, Issue, Action...).
UPR_INFO_EXPORT_NAMES = {"state_under_review": "to", "recommending_state": "from", "recommendation": "text"}
EXTRACT_COLUMNS = {"state_under_review", "recommendation", "recommending_states", "position", "cycle", "document_symbol"}
UPR_INFO_SOURCE = "UPR Info database export"
# UPR Info is a compilation of the Working Group's reports: its rows are secondary. An extract of a UN
# document with its symbol is the UN's own record (primary); a draft report without a symbol is not citable as one.
LEVELS = ("primary", "secondary", "inferred")
# Two rows of one state to another in one session, with different responses, that open with the same words
# (at least this many characters) are the parts of one recommendation that UPR Info records separately.
SPLIT_PREFIX = 30


def recommendations(path: Path, names: Names, current: pd.DataFrame) -> list[Target]:
    header, rows = _read_table(path)
    columns = {_norm(h): h for h in header}
    for ours, theirs in UPR_INFO_EXPORT_NAMES.items():
        if theirs in columns and ours not in columns:
            columns[ours] = columns[theirs]
    if set(columns) >= UPR_INFO_COLUMNS:
        return _upr_info(path, rows, columns, names)
    if set(columns) >= EXTRACT_COLUMNS:
        return _extracts(path, rows, columns, names, current)
    needed = ", ".join(sorted(UPR_INFO_COLUMNS))
    raise ImportProblem(
        [Problem(str(path), 1, 1, "header", ",".join(header), f"not a recommendations file; expected columns {needed}")]
    )


def _rec_row(iso3, cycle, session, recommending, name, text, response, document, source, level, note, rec_id) -> dict:
    return {
        "rec_id": rec_id,
        "iso3": iso3,
        "cycle": str(cycle),
        "session": str(session) if session else "",
        "recommending_iso3": recommending or "",
        "recommending_name": name,
        "text": " ".join(text.split()),
        "treaty": treaty_of(text),
        "action": action_of(text),
        "response": response,
        "document": document,
        "source": source,
        "level": level,
        "note": note,
    }


def _int(value: str, where: Problem) -> int:
    if not re.fullmatch(r"\d{1,4}", value):
        raise ImportProblem([where])
    return int(value)


def _upr_info(path: Path, rows, columns: dict[str, str], names: Names) -> list[Target]:
    """The UPR Info database export: one row per recommendation and recommending state.

    Every text is classified (etl.upr_text); a text that concerns neither CAT nor OPCAT is left out.
    The file speaks for the UPR Info rows of data/ in the sessions it covers, whatever their source
    was named (an earlier keyword-filtered copy of the same export included).
    """
    get = lambda row, name: row.get(columns.get(name, ""), "")  # noqa: E731
    out, problems, skipped, sessions = [], [], 0, set()
    for line, row in rows:
        where = f"line {line}"
        text = get(row, "recommendation")
        try:
            session = _int(
                get(row, "session"), Problem(str(path), line, 1, "session", get(row, "session"), "not a session number")
            )
        except ImportProblem as exc:
            problems.extend(exc.problems)
            continue
        sessions.add(str(session))
        response = response_of(get(row, "response"))
        if response is None:
            problems.append(Problem(str(path), line, 1, "response", get(row, "response"), "unknown response"))
            continue
        if treaty_of(text) is None:
            skipped += 1
            continue
        iso3 = names.find(get(row, "state_under_review"), where)
        recommender_name = html.unescape(get(row, "recommending_state"))
        recommender = names.find(recommender_name, where) if recommender_name else None
        source = get(row, "source") or f"{UPR_INFO_SOURCE} ({path.name})"
        note = (
            "response as printed: Supported/Noted (supported in part)" if _norm(get(row, "response")) == "supported_noted" else ""
        )
        rec_id = _rec_id(str(session), get(row, "state_under_review"), recommender_name, text)
        cycle = _session_cycle(session)
        out.append(
            _rec_row(iso3, cycle, session, recommender, recommender_name, text, response, "", source, "secondary", note, rec_id)
        )
    if problems:
        raise ImportProblem(problems)
    names.check(path)
    frame = _split_parts(_unique_ids(pd.DataFrame(out, columns=engagement.COLUMNS["upr_recommendations"])))
    sources = set(frame.source)

    def scope(df: pd.DataFrame) -> pd.Series:
        return df.source.isin(sources) | (df.source.str.contains(UPR_INFO_SOURCE, regex=False) & df.session.isin(sessions))

    return [_recommendations_target(frame, skipped, scope)]


def _split_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """Note the parts of one recommendation that UPR Info records as rows with their own responses.

    "Sign and ratify ... (CAT)" Accepted and "Sign and ratify ... (OP-ICESCR, ICCPR-OP1 and OP2, OP-CAT)"
    Noted, from one state to another in one session: each part keeps its row, its treaty and its response.
    """
    frame = frame.copy()
    for _, group in frame.groupby(["session", "iso3", "recommending_name"]):
        if group.response.nunique() < 2:
            continue
        for i, a in group.iterrows():
            others = [
                f"{b.rec_id} ({b.treaty}, {b.response})"
                for j, b in group.iterrows()
                if j != i and b.response != a.response and len(os.path.commonprefix([a.text, b.text])) >= SPLIT_PREFIX
            ]
            if others:
                part = "one recommendation that UPR Info records in parts with their own responses; the other part: "
                frame.loc[i, "note"] = "; ".join(p for p in (a.note, part + ", ".join(others)) if p)
    return frame


def _recommendations_target(frame: pd.DataFrame, skipped: int, scope: Callable[[pd.DataFrame], pd.Series]) -> Target:
    """The recommendations an input brings, and the data/ rows it replaces (`scope`)."""
    target = Target(engagement.FILES["upr_recommendations"], engagement.COLUMNS["upr_recommendations"], ["rec_id"], frame, scope)
    if skipped:
        target.messages.append(f"{skipped} row(s) skipped: their text concerns neither the Convention nor its Optional Protocol")
    return target


def _extracts(path: Path, rows, columns: dict[str, str], names: Names, current: pd.DataFrame) -> list[Target]:
    """Single-state extracts of UN documents: one row per recommendation, recommending states joined by ';'."""
    get = lambda row, name: row.get(columns.get(name, ""), "")  # noqa: E731
    covered = set(zip(current.iso3, current.cycle, strict=True)) if len(current) else set()
    out, problems, skipped, already = [], [], 0, 0
    for line, row in rows:
        where = f"line {line}"
        text = get(row, "recommendation")
        cycle = _int(get(row, "cycle"), Problem(str(path), line, 1, "cycle", get(row, "cycle"), "not a cycle number"))
        session = get(row, "session")
        response = response_of(get(row, "position"))
        if response is None:
            problems.append(Problem(str(path), line, 1, "position", get(row, "position"), "unknown response"))
            continue
        iso3 = names.find(get(row, "state_under_review"), where)
        document = get(row, "document_symbol")
        source = get(row, "source") or f"extract of {document or 'a draft UPR report'} ({path.name})"
        if document and get(row, "provisional").casefold() == "true":
            source = f"{source}; provisional numbering"
        if get(row, "draft_file"):
            source = f"{source}; draft report: {get(row, 'draft_file')}"
        if treaty_of(text) is None:
            skipped += 1
            continue
        level = "primary" if document else "secondary"
        if (iso3, str(cycle)) in covered and not current[(current.iso3 == iso3) & (current.cycle == str(cycle))].source.eq(
            source
        ).any():
            already += 1
            continue
        note = (
            "response as printed: Supported/Noted (supported in part)" if _norm(get(row, "position")) == "supported_noted" else ""
        )
        for recommender_name in [n.strip() for n in get(row, "recommending_states").split(";") if n.strip()] or [""]:
            recommender = names.find(recommender_name, where) if recommender_name else None
            rec_id = _rec_id(str(cycle), document, get(row, "state_under_review"), recommender_name, text)
            out.append(
                _rec_row(
                    iso3, cycle, session, recommender, recommender_name, text, response, document, source, level, note, rec_id
                )
            )
    if problems:
        raise ImportProblem(problems)
    names.check(path)
    frame = _unique_ids(pd.DataFrame(out, columns=engagement.COLUMNS["upr_recommendations"]))
    sources = set(frame.source)
    target = _recommendations_target(frame, skipped, lambda df: df.source.isin(sources))
    if already:
        target.messages.append(
            f"{already} row(s) skipped: data/ already holds that state's recommendations for that cycle from another source"
        )
    return [target]


def _unique_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """The same text from the same state twice in one review: number the repeats."""
    repeat = frame.groupby("rec_id").cumcount()
    frame["rec_id"] = frame.rec_id.where(repeat == 0, frame.rec_id + "-" + (repeat + 1).astype(str))
    return frame


# --- calendar -------------------------------------------------------------------------------------


def calendar(path: Path, names: Names) -> list[Target]:
    """A UPR calendar: session rows (dates), session-state rows (who is reviewed), or both in one file.

    Columns of our format: session, cycle, start_date, end_date, date_precision, state (a name) or
    iso3, source, note. A row with no state gives the session's dates; a row with a state records
    that the state is reviewed in that session. `year` may stand for the dates (year precision).
    """
    header, rows = _read_table(path)
    columns = {_norm(h): h for h in header}
    if not {"session", "source"} <= set(columns):
        raise ImportProblem(
            [Problem(str(path), 1, 1, "header", ",".join(header), "a calendar needs at least the columns session and source")]
        )
    get = lambda row, name: row.get(columns.get(name, ""), "")  # noqa: E731
    sessions, reviews, problems = {}, [], []
    has_state = "state" in columns or "iso3" in columns or "state_as_printed" in columns
    for line, row in rows:
        where = f"line {line}"
        try:
            session = _int(
                get(row, "session"), Problem(str(path), line, 1, "session", get(row, "session"), "not a session number")
            )
        except ImportProblem as exc:
            problems.extend(exc.problems)
            continue
        cycle = get(row, "cycle") or str(_session_cycle(session) or "")
        start, end, precision = _session_dates(row, get)
        if precision is None:
            problems.append(
                Problem(
                    str(path), line, 1, "start_date", get(row, "start_date"), "not a date (YYYY-MM-DD), month (YYYY-MM) or year"
                )
            )
            continue
        note = get(row, "note") or get(row, "source_note")
        name = (get(row, "state") or get(row, "state_as_printed")) if has_state else ""
        code = get(row, "iso3") if has_state else ""
        if not name and not code:
            # A row without a state gives the session's dates.
            if start or session not in sessions:
                sessions[session] = {
                    "session": str(session),
                    "cycle": cycle,
                    "start_date": start,
                    "end_date": end,
                    "date_precision": precision,
                    "states_listed": get(row, "states_listed"),
                    "source": get(row, "source"),
                    "level": _level(get(row, "level")),
                    "note": note,
                }
            continue
        iso3 = names.find(name, where, code) if name else (code if code in names.iso3 else None)
        if iso3 is None and not name:
            problems.append(Problem(str(path), line, 1, "iso3", code, "unknown ISO code (not in states.csv)"))
            continue
        if iso3:
            held = (end or start) and (end or start) <= date.today().isoformat()
            reviews.append(
                {
                    "iso3": iso3,
                    "cycle": cycle,
                    "session": str(session),
                    "status": get(row, "status") or ("held" if held else "scheduled"),
                    "review_date": get(row, "review_date"),
                    "source": get(row, "source"),
                    "level": _level(get(row, "level")),
                    "note": note,
                }
            )
    if problems:
        raise ImportProblem(problems)
    names.check(path)
    targets = []
    if sessions:
        frame = pd.DataFrame(list(sessions.values()), columns=engagement.COLUMNS["upr_sessions"])
        # A session is replaced only by dates at least as precise as those data/ has for it.
        incoming = dict(zip(frame.session, frame.date_precision.map(PRECISION_RANK), strict=True))

        sources = dict(zip(frame.session, frame.source, strict=True))

        def replaces(df: pd.DataFrame) -> pd.Series:
            # dates more precise than data/ has, or a newer reading of the same source
            finer = df.session.map(incoming).fillna(-1) > df.date_precision.map(PRECISION_RANK)
            return finer | (df.session.map(sources) == df.source)

        targets.append(Target(engagement.FILES["upr_sessions"], engagement.COLUMNS["upr_sessions"], ["session"], frame, replaces))
    if reviews:
        frame = pd.DataFrame(reviews, columns=engagement.COLUMNS["upr_reviews"])
        review_sources = set(frame.source)
        # The calendar speaks for the reviews it recorded before (same source); a review from another source is kept.
        targets.append(
            Target(
                engagement.FILES["upr_reviews"],
                engagement.COLUMNS["upr_reviews"],
                ["iso3", "cycle"],
                frame,
                lambda df: df.source.isin(review_sources),
            )
        )
    return targets


PRECISION_RANK = {"": 0, "year": 1, "month": 2, "day": 3}


def _level(value: str) -> str:
    """The verification level an input gives; a file that says nothing is a compilation (never promoted)."""
    return value if value in ("primary", "secondary") else "secondary"


def _session_dates(row: dict, get) -> tuple[str, str, str | None]:
    """(start, end, precision) of a calendar row; precision None when a value cannot be read."""
    start, end = get(row, "start_date"), get(row, "end_date")
    year = get(row, "year") or get(row, "session_year")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end):
        try:
            date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            return "", "", None
        return start, end, "day"
    if re.fullmatch(r"\d{4}-\d{2}", start) and not end:
        return f"{start}-01", "", "month"
    if not start and not end and re.fullmatch(r"\d{4}", year):
        return f"{year}-01-01", "", "year"
    if not start and not end:
        return "", "", ""
    return "", "", None


# --- APT indicators -------------------------------------------------------------------------------

APT_INDICATORS = {
    "Prohibition of torture in the constitution": "constitution",
    "Criminalisation of torture under domestic law": "criminalisation",
    "Designation of the National Preventive Mechanism (in law)": "npm_designated",
    "Operationality of the National Preventive Mechanism": "npm_operational",
    "Existence of National Human Rights Institution that fully complies with Paris Principles": "nhri_paris",
    "Submission of initial report to CAT": "initial_report_submitted",
}
APT_TREATY_INDICATORS = {
    "Ratification of the UN Convention against Torture": "CAT",
    "Ratification of Optional Protocol (OPCAT)": "OPCAT",
}
APT_VALUES = {"yes": "yes", "partially": "partial", "no": "no"}
APT_COLUMNS = ["Region", "Country", "Indicator", "Input", "Date"]


def apt(path: Path, names: Names, events: pd.DataFrame) -> tuple[list[Target], list[str]]:
    """The APT's legal indicators workbook: implementation rows, initial-report years, and the
    treaty facts it states compared with the depositary's (which win)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported, never a traceback
        raise ImportProblem(
            [Problem(str(path), 1, 1, "", "", f"not a readable XLSX workbook ({exc.__class__.__name__})")]
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    if header[: len(APT_COLUMNS)] != APT_COLUMNS:
        raise ImportProblem(
            [Problem(f"{path}:{sheet.title}", 1, 1, "header", ",".join(header), f"expected columns {', '.join(APT_COLUMNS)}")]
        )
    source = f"Association for the Prevention of Torture, legal indicators ({path.name}, sheet '{sheet.title}')"
    implementation, submissions, problems, disagreements = [], [], [], []
    consents = events[(events.treaty.isin(["CAT", "OPCAT"])) & events.event.isin(["ratification", "accession", "succession"])]
    consent_year = {(r.iso3, r.treaty): r.event_date[:4] for r in consents.itertuples(index=False)}
    for line, values in enumerate(rows, start=2):
        if not any(v is not None for v in values):
            continue
        _, country, indicator, value, when = (list(values) + [None] * 5)[:5]
        where = f"{path.name}:{sheet.title}:{line}"
        iso3 = names.find(str(country or ""), where)
        raw = str(value or "").strip().casefold()
        if raw and raw not in APT_VALUES:
            problems.append(Problem(f"{path}:{sheet.title}", line, 4, "Input", str(value), "expected Yes, Partially or No"))
            continue
        year = _year(when)
        if year == "?":
            problems.append(Problem(f"{path}:{sheet.title}", line, 5, "Date", str(when), "not a date or a year"))
            continue
        if iso3 is None or not raw:
            continue  # not a state in the data, or no value: unknown stays unknown
        indicator = str(indicator or "").strip()
        if indicator in APT_TREATY_INDICATORS:
            treaty = APT_TREATY_INDICATORS[indicator]
            ours = consent_year.get((iso3, treaty))
            theirs = year if raw == "yes" else None
            if (ours is None) != (raw != "yes") or (ours and theirs and ours != theirs):
                disagreements.append(
                    f"{iso3} {treaty}: APT {value}{' ' + theirs if theirs else ''}; depositary {ours or 'no consent'}"
                )
            continue
        code = APT_INDICATORS.get(indicator)
        if code is None:
            problems.append(Problem(f"{path}:{sheet.title}", line, 3, "Indicator", indicator, "unknown indicator"))
            continue
        implementation.append(
            {
                "iso3": iso3,
                "indicator": code,
                "value": APT_VALUES[raw],
                "year": year,
                "source": source,
                "level": "secondary",
                "note": "",
            }
        )
        if code == "initial_report_submitted" and raw == "yes" and year and (iso3, "CAT") in consent_year:
            if year < consent_year[(iso3, "CAT")]:
                disagreements.append(
                    f"{iso3} initial report: APT {year}, before the state was bound ({consent_year[(iso3, 'CAT')]})"
                )
                continue
            note = "year as given by the APT (stored as 1 January in its file: the day is not known)"
            submissions.append(
                {
                    "iso3": iso3,
                    "report": "initial",
                    "symbol": "",
                    "submitted": year,
                    "received_by": "",
                    "source": source,
                    "level": "secondary",
                    "note": note,
                }
            )
    if problems:
        raise ImportProblem(problems)
    names.check(path)
    impl = pd.DataFrame(implementation, columns=engagement.COLUMNS["implementation"])
    subs = pd.DataFrame(submissions, columns=engagement.COLUMNS["report_submissions"])
    targets = [
        Target(
            engagement.FILES["implementation"],
            engagement.COLUMNS["implementation"],
            ["iso3", "indicator"],
            impl,
            lambda df: df.source == source,
        ),
        Target(
            engagement.FILES["report_submissions"],
            engagement.COLUMNS["report_submissions"],
            ["iso3", "report"],
            subs,
            lambda df: df.source == source,
        ),
    ]
    return targets, disagreements


def _year(value) -> str:
    """A year from the APT's Date cell: a datetime (1 January of the year), a number, or empty; '?' if neither."""
    if value is None or value == "":
        return ""
    if hasattr(value, "year"):
        return str(value.year)
    if isinstance(value, int | float) and value == value and 1900 <= value <= 2100:
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return value.strip()
    return "?"


# --- public CTI events ----------------------------------------------------------------------------

CTI_COLUMNS = ["date", "activity", "place", "states_named", "figures_as_published", "source"]
ACTIVITY_COLUMNS = [*schemas.COLUMNS["activities"], *schemas.ACTIVITY_OPTIONAL_COLUMNS]
CTI_NOTE = "public CTI event as published (not the Secretariat's complete record: not counted toward the yearly targets)"


def _kind(activity: str) -> str:
    text = activity.casefold()
    for words, kind in (
        (("forum",), "forum"),
        (("visit",), "country_visit"),
        (("workshop",), "workshop"),
        (("seminar",), "seminar"),
    ):
        if any(w in text for w in words):
            return kind
    return "conference"


def _period(value: str) -> tuple[str, str, str] | None:
    """(start, end, precision) of a published date: a day, a day range, a month, a year or a year range."""
    value = re.sub(r"\s*\(.*\)$", "", value.strip())
    month_end = lambda y, m: (pd.Timestamp(int(y), int(m), 1) + pd.offsets.MonthEnd(0)).date().isoformat()  # noqa: E731
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?", value):
        return m[1], m[2] or m[1], "day"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return f"{m[1]}-{m[2]}-01", month_end(m[1], m[2]), "month"
    if m := re.fullmatch(r"(\d{4})(?:/(\d{4}))?", value):
        return f"{m[1]}-01-01", f"{m[2] or m[1]}-12-31", "year"
    return None


def cti_events(path: Path, names: Names) -> Target:
    header, rows = _read_table(path)
    if header != CTI_COLUMNS:
        raise ImportProblem([Problem(str(path), 1, 1, "header", ",".join(header), f"expected columns {','.join(CTI_COLUMNS)}")])
    out, problems = [], []
    for line, row in rows:
        period = _period(row["date"])
        if period is None:
            problems.append(Problem(str(path), line, 1, "date", row["date"], "not a date, a month, a year or a range of them"))
            continue
        start, end, precision = period
        kind = _kind(row["activity"])
        title = f"{row['activity']} ({row['place']})" if row["place"] else row["activity"]
        note = "; ".join(
            p
            for p in (CTI_NOTE, f"figures as published: {row['figures_as_published']}" if row["figures_as_published"] else "")
            if p
        )
        states = [s.strip() for s in row["states_named"].split(";") if s.strip()] if kind == "country_visit" else []
        for state in states or [""]:
            iso3 = names.find(re.sub(r"\s*\(.*\)$", "", state), f"line {line}") if state else ""
            activity_id = f"CTI-{start[:4]}-{hashlib.sha1((row['date'] + row['activity'] + state).encode()).hexdigest()[:6]}"  # noqa: S324
            out.append(
                {
                    "activity_id": activity_id,
                    "start_date": start,
                    "end_date": end,
                    "kind": kind,
                    "iso3": iso3 or "",
                    "senior_officials": "0",
                    "participants": "0",
                    "title": title,
                    "is_public": "true",
                    "is_sample": "false",
                    "source": row["source"],
                    "date_precision": precision,
                    "counts_toward_targets": "false",
                    "note": note,
                    "level": "secondary",
                }
            )
    if problems:
        raise ImportProblem(problems)
    names.check(path)
    frame = pd.DataFrame(out, columns=ACTIVITY_COLUMNS)
    # The compilation speaks for the rows it transcribed, never for those re-read on the CTI's own pages (primary).
    return Target(CTI_EVENTS_FILE, ACTIVITY_COLUMNS, ["activity_id"], frame, lambda df: df.level != "primary")


# --- diff and apply -------------------------------------------------------------------------------


def _current(folder: Path, target: Target) -> pd.DataFrame:
    path = folder / target.filename
    if not path.exists():
        return pd.DataFrame(columns=target.columns)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _protected(current: pd.DataFrame, target: Target) -> pd.Series:
    """Rows of data/ an input may not replace nor remove: those from another source, and primary facts when the
    input is a compilation (secondary): a fact is never replaced by a weaker one."""
    protected = ~target.scope(current)
    if "level" in current.columns and "level" in target.rows.columns and not (target.rows.level == "primary").any():
        protected |= current.level == "primary"
    if "date_precision" in current.columns and "date_precision" in target.rows.columns:
        # a date is never replaced by a less precise one
        incoming = target.rows.astype(str).set_index(target.key).date_precision.map(PRECISION_RANK)
        keys = current.set_index(target.key).index
        theirs = pd.Series(incoming.reindex(keys).to_numpy(), index=current.index)
        protected |= theirs.notna() & (theirs < current.date_precision.map(PRECISION_RANK))
    return protected


def _incoming(current: pd.DataFrame, target: Target) -> pd.DataFrame:
    """The input's rows, less those whose key data/ already holds from another source (kept as they are)."""
    incoming = target.rows.astype(str)
    if not len(current):
        return incoming
    others = current[_protected(current, target)].set_index(target.key).index
    incoming = incoming[~incoming.set_index(target.key).index.isin(others)]
    # A cell the input leaves empty (a note, a state list it does not give) keeps what data/ holds.
    known = current.drop_duplicates(target.key).set_index(target.key)
    keyed = incoming.set_index(target.key)
    for column in keyed.columns.intersection(known.columns):
        held = known[column].reindex(keyed.index)
        keep = (keyed[column] == "") | (column == "note")  # data/'s own remark on a row is kept
        keyed[column] = keyed[column].where(~keep | held.isna() | (held == ""), held)
    return keyed.reset_index()[incoming.columns]


def differences(current: pd.DataFrame, target: Target) -> list[str]:
    """Added, changed (column: old -> new) and removed rows, one line each."""
    key = target.key
    incoming = _incoming(current, target)
    kept = len(target.rows) - len(incoming)
    if kept:
        target.messages.append(f"{kept} row(s) not taken: data/ holds them from another source, which is kept")
    old = current.set_index(key)
    new = incoming.set_index(key)
    lines = []
    for index in new.index.difference(old.index, sort=False):
        row = new.loc[index]
        lines.append(
            f"+ {_show(index)}: " + ", ".join(f"{c}={row[c]!r}" for c in new.columns if row[c] and c not in ("source",))[:300]
        )
    for index in new.index.intersection(old.index, sort=False):
        before, after = old.loc[index], new.loc[index]
        changed = [f"{c}: {before[c]!r} -> {after[c]!r}" for c in new.columns if c in old.columns and before[c] != after[c]]
        if changed:
            lines.append(f"~ {_show(index)}: " + "; ".join(changed))
    in_scope = current[~_protected(current, target)] if len(current) else current
    for index in in_scope.set_index(key).index.difference(new.index, sort=False):
        lines.append(f"- {_show(index)}: in data/ but not in the input")
    return lines


def _show(index) -> str:
    return " ".join(map(str, index)) if isinstance(index, tuple) else str(index)


def merged(current: pd.DataFrame, target: Target) -> pd.DataFrame:
    keep = current[_protected(current, target)] if len(current) else current
    frame = pd.concat([keep, _incoming(current, target)], ignore_index=True)[target.columns]
    return frame.sort_values(target.key, key=lambda s: s.str.zfill(4) if s.str.fullmatch(r"\d+").all() else s)


def write(path: Path, frame: pd.DataFrame) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _targets(
    kind: str, path: Path, names: Names, inputs, current: Callable[[str], pd.DataFrame]
) -> tuple[list[Target], list[str]]:
    """What one input file brings (and, for the APT workbook, where it disagrees with the depositary)."""
    if kind == "upr":
        header, _ = _read_table(path)
        if "recommendation" in {_norm(h) for h in header} or {"to", "from", "text"} <= {_norm(h) for h in header}:
            return recommendations(path, names, current(engagement.FILES["upr_recommendations"])), []
        return calendar(path, names), []
    if kind == "apt":
        return apt(path, names, inputs.frame("treaty_events"))
    return [cti_events(path, names)], []


def run(kind: str, paths: Path | list[Path], folder: Path, database: Path, apply: bool, out=print) -> int:
    """The import-upr / import-apt / import-cti commands; returns the exit code.

    Several files are compared in the order given, each with data/ as the files before it leave it
    (the UPR Info exports, then the UN document extracts, say which state's recommendations are covered).
    """
    from etl.build import build, load_inputs

    paths = [paths] if isinstance(paths, Path) else list(paths)
    try:
        inputs = load_inputs(folder)
    except InputError as exc:
        for problem in exc.problems[:100]:
            out(f"error: {problem}")
        out("data/ does not validate as it is; fix it before importing. Nothing was changed.")
        return 2
    names = Names(inputs.frame("states"), inputs.frame("state_aliases"))
    for path in paths:
        if not path.exists():
            out(f"error: {path}: no such file. Nothing was changed.")
            return 2
    frames: dict[str, pd.DataFrame] = {}

    def current(filename: str) -> pd.DataFrame:
        if filename not in frames:
            frames[filename] = _current(folder, Target(filename, [], [], pd.DataFrame(), None))
        return frames[filename]

    total = 0
    for path in paths:
        try:
            targets, notes = _targets(kind, path, names, inputs, current)
        except ImportProblem as exc:
            for problem in exc.problems[:100]:
                out(f"error: {problem}")
            if len(exc.problems) > 100:
                out(f"... and {len(exc.problems) - 100} more problem(s)")
            out("Nothing was changed.")
            return 2
        for target in targets:
            before = current(target.filename)
            lines = differences(before, target)
            total += len(lines)
            out(f"data/{target.filename}: {len(target.rows)} row(s) from {path.name}; {len(lines)} difference(s)")
            for message in target.messages:
                out(f"  note: {message}")
            for line in lines:
                out(f"  {line}")
            frames[target.filename] = merged(before, target)
        for note in notes:
            out(f"  differs from the depositary (the depositary is kept): {note}")
    if not apply:
        out(f"{total} difference(s). Dry run: nothing was changed; rerun with --apply to write them.")
        return 0
    if total == 0:
        out("Nothing to apply.")
        return 0
    files = [folder / filename for filename in frames]
    saved = backup(folder, files)
    existed = {p: p.exists() for p in files}
    for filename, frame in frames.items():
        write(folder / filename, frame)
    try:
        build(folder, database)
    except Exception as exc:  # noqa: BLE001 - the rebuild failed: put data/ back as it was
        for file in files:
            if existed[file]:
                shutil.copy2(saved / file.name, file)
            else:
                file.unlink(missing_ok=True)
        message = "\n".join(map(str, exc.problems[:100])) if isinstance(exc, InputError) else str(exc)
        out(f"error: the rebuild failed, data/ restored from {saved}:\n{message}")
        return 2
    out(f"Applied {total} difference(s); previous files kept in {saved}; database rebuilt.")
    return 0
