"""Open data: the public tables as CSV and Parquet with a Frictionless datapackage.json, and the feeds."""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from feedgen.feed import FeedGenerator
from frictionless import Package, Resource, Schema
from frictionless.resources import FileResource

from app import opendata_links
from core import exports
from core.config import public_dir as default_public_dir
from core.config import public_url, temporary_path
from core.duckdb_files import connect_read_only
from core.i18n import catalogue, fmt_date, languages, source_text, t
from core.vocabulary import ANNOUNCED_EVENTS

PACKAGE_NAME = "uncat-open-data"
ZIP_NAME = opendata_links.BUNDLE
DESCRIPTOR_NAME = opendata_links.PACKAGE
ATOM_NAME = opendata_links.ATOM
# The newest treaty events in the Atom feed; the full list is in the bundle.
ATOM_ENTRIES = 100
# Fixed timestamp inside the ZIP, so that the same data gives the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

UN = {
    "title": "UN material: facts (dates, names, classifications) reused with attribution",
    "path": "https://www.un.org/en/about-us/terms-of-use",
}
ODBL = {
    "name": "ODbL-1.0",
    "title": "Open Data Commons Open Database License 1.0 (label points derived from world-countries)",
    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
}
UNTC = {
    "title": "UN Treaty Collection, status of CAT (IV-9) and OPCAT (IV-9-b)",
    "path": "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-9&chapter=4&clang=_en",
}
M49 = {"title": "UN Statistics Division, M49 standard", "path": "https://unstats.un.org/unsd/methodology/m49/overview/"}
UN_MEMBERS = {"title": "United Nations, Member States", "path": "https://www.un.org/en/about-us/member-states"}
WORLD_COUNTRIES = {"title": "world-countries 5.1.0 (label points, ODbL)", "path": "https://github.com/mledoze/countries"}
DAC = {
    "title": "OECD DAC List of ODA Recipients (each list period)",
    "path": "https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html",
}
OHCHR_UPR = {"title": "OHCHR, Universal Periodic Review", "path": "https://www.ohchr.org/EN/HRBodies/UPR/Pages/CyclesUPR.aspx"}
UPR_INFO = {"title": "UPR Info database export (via rochelleterman/uprs)", "path": "https://github.com/rochelleterman/uprs"}
APT = {
    "title": "Association for the Prevention of Torture, legal indicators (APT_data_corrected_April2025.xlsx)",
}
CAT_COMMITTEE = {
    "title": "Committee against Torture: reports, concluding observations, summary records (UN document symbols in each row)",
}
CTI = {"title": "Convention against Torture Initiative (CTI), public pages", "path": "https://cti2024.org/"}
CTI_STRATEGY = {"title": "CTI Strategy 2020–2022 (updated March 2020), section 'Chaque année'"}
LEVEL_TEXT = "how the fact is known: primary (the owning body's own record), secondary (a compilation), inferred (a named rule)"
SEE_ROWS = "Every row names its own source in the column `source`; data/SOURCES.md in the repository gives the details."


@dataclass(frozen=True)
class Table:
    """One public table of the bundle: the query that selects only public rows and fields, and its description."""

    name: str
    title: str
    description: str
    query: str
    fields: dict[str, str]
    sources: list[dict]
    licenses: list[dict]
    primary_key: list[str] = field(default_factory=list)


TABLES = [
    Table(
        "states",
        "States",
        "The 197 states of the dashboard: 193 UN member states, the 2 observer states, Cook Islands and Niue.",
        "select iso3, iso2, m49, name_en, name_fr, name_es, kind, un_member_since, m49_region, m49_subregion,"
        " un_regional_group, lat, lon, source from states order by iso3",
        {
            "iso3": "ISO 3166-1 alpha-3 code",
            "iso2": "ISO 3166-1 alpha-2 code",
            "m49": "UN M49 numeric code",
            "name_en": "official UN short name in English",
            "name_fr": "official UN short name in French",
            "name_es": "official UN short name in Spanish",
            "kind": "member (UN member state), observer (UN observer state) or other",
            "un_member_since": "date of UN membership",
            "m49_region": "UN M49 region",
            "m49_subregion": "UN M49 sub-region (the intermediate region where M49 has one)",
            "un_regional_group": "UN regional group",
            "lat": "latitude of a label point inside the state (degrees)",
            "lon": "longitude of a label point inside the state (degrees)",
            "source": "where the row comes from",
        },
        [M49, UN_MEMBERS, WORLD_COUNTRIES],
        [UN, ODBL],
        ["iso3"],
    ),
    Table(
        "treaty_events",
        "CAT and OPCAT treaty actions",
        "Signatures, ratifications, accessions, successions, art. 21/22 declarations and art. 20 reservations and"
        " withdrawals, as recorded by the depositary. " + SEE_ROWS,
        "select iso3, treaty, event, event_date, source, note from treaty_events order by iso3, treaty, event_date, event",
        {
            "iso3": "the state (states.iso3)",
            "treaty": "CAT (Convention against Torture) or OPCAT (its Optional Protocol)",
            "event": "signature, ratification, accession, succession, declaration_art21, declaration_art22,"
            " reservation_art20 or withdrawal_art20",
            "event_date": "date of the action as the depositary records it",
            "source": "the depositary record, a depositary notification or another document",
            "note": "remarks on the record",
        },
        [UNTC],
        [UN],
        ["iso3", "treaty", "event"],
    ),
    Table(
        "groups",
        "Groups of states",
        "The groups a state can belong to (ODA recipients, LDC, SIDS, CTI core group, regional organisations).",
        "select group_code, name_en, name_fr, name_es, source, note from groups order by group_code",
        {
            "group_code": "short code of the group",
            "name_en": "name in English",
            "name_fr": "name in French",
            "name_es": "name in Spanish",
            "source": "where the group and its names come from",
            "note": "remarks",
        },
        [DAC, CTI],
        [],
        ["group_code"],
    ),
    Table(
        "group_membership",
        "Group membership, time-bounded",
        "Which state belonged to which group from when to when (valid_to empty: still valid). " + SEE_ROWS,
        "select iso3, group_code, valid_from, valid_to, source, note from group_membership"
        " order by group_code, iso3, valid_from nulls first",
        {
            "iso3": "the state (states.iso3)",
            "group_code": "the group (groups.group_code)",
            "valid_from": "first day of membership (empty: not recorded)",
            "valid_to": "last day of membership, inclusive (empty: still valid)",
            "source": "where the membership comes from",
            "note": "remarks (e.g. a year-only date written as 1 January)",
        },
        [DAC, CTI],
        [],
    ),
    Table(
        "upr_sessions",
        "UPR Working Group sessions",
        "Sessions of the Universal Periodic Review Working Group with their dates at the precision known. " + SEE_ROWS,
        "select session, cycle, start_date, end_date, date_precision, states_listed, source, level, note from upr_sessions"
        " order by session",
        {
            "session": "session number",
            "cycle": "UPR cycle",
            "start_date": "first day (at the precision given by date_precision)",
            "end_date": "last day (at the precision given by date_precision)",
            "date_precision": "day, month or year: a month or year is written as its first day",
            "states_listed": "complete: every state reviewed in the session is in upr_reviews; partial or none otherwise",
            "source": "where the dates come from",
            "level": LEVEL_TEXT,
            "note": "remarks",
        },
        [OHCHR_UPR],
        [],
        ["session"],
    ),
    Table(
        "upr_reviews",
        "UPR reviews",
        "Which state is reviewed in which session: published (basis = published) or inferred from the cycle pattern"
        " (basis = inferred, an expected review, never a scheduled one). " + SEE_ROWS,
        "select iso3, cycle, session, status, review_date, start_date, end_date, date_precision, basis, level, source, note"
        " from upr_reviews order by iso3, cycle, session",
        {
            "iso3": "the state reviewed (states.iso3)",
            "cycle": "UPR cycle",
            "session": "Working Group session",
            "status": "held, scheduled (published for a later date) or expected (inferred)",
            "review_date": "the day of the review where the Working Group's report gives it",
            "start_date": "first day of the session (at the precision given by date_precision)",
            "end_date": "last day of the session (at the precision given by date_precision)",
            "date_precision": "day, month or year",
            "basis": "published (a source names the review) or inferred (session n + 14 reviews the states of session n)",
            "level": LEVEL_TEXT,
            "source": "where the review comes from",
            "note": "remarks",
        },
        [OHCHR_UPR],
        [],
    ),
    Table(
        "upr_postponements",
        "UPR reviews postponed by the Human Rights Council",
        "Reviews the Council postponed or rescheduled: the session it was set for, the session it moved to (empty: not yet"
        " set), the decision. A postponed review is never shown as held on its old date. " + SEE_ROWS,
        "select iso3, cycle, from_session, to_session, decision, decision_date, source, level, note from upr_postponements"
        " order by iso3, cycle, from_session",
        {
            "iso3": "the state under review (states.iso3)",
            "cycle": "UPR cycle",
            "from_session": "the session the review was set for",
            "to_session": "the session it moved to (empty: not yet set)",
            "decision": "the Council's decision",
            "decision_date": "the day of the decision",
            "source": "where the postponement comes from",
            "level": LEVEL_TEXT,
            "note": "remarks",
        },
        [OHCHR_UPR],
        [],
    ),
    Table(
        "upr_review_gaps",
        "UN member states without a UPR review in a cycle, and why",
        "A state with no row in upr_reviews for a cycle, with the reason (e.g. not yet a UN member). " + SEE_ROWS,
        "select iso3, cycle, reason, source, note from upr_review_gaps order by cycle, iso3",
        {
            "iso3": "the state (states.iso3)",
            "cycle": "UPR cycle",
            "reason": "why the state has no review in the cycle",
            "source": "where the reason comes from",
            "note": "remarks",
        },
        [OHCHR_UPR],
        [],
    ),
    Table(
        "conflicts",
        "Where sources disagree",
        "Facts on which two sources disagree: the value shown, the other value, their sources and levels, and why the"
        " one shown was chosen (recorded by a person, or found by the build: origin). " + SEE_ROWS,
        "select table_name, iso3, fact, value_shown, source_shown, level_shown, value_other, source_other, level_other, why,"
        " origin from conflicts order by table_name, iso3, fact",
        {
            "table_name": "the table of the fact",
            "iso3": "the state (states.iso3; empty: not about one state)",
            "fact": "the fact",
            "value_shown": "the value the dashboard shows",
            "source_shown": "its source",
            "level_shown": "its verification level",
            "value_other": "the other value",
            "source_other": "its source",
            "level_other": "its verification level",
            "why": "why the value shown was chosen",
            "origin": "recorded (data/conflicts.csv) or derived (found by the build)",
        },
        [OHCHR_UPR, CAT_COMMITTEE, APT],
        [],
    ),
    Table(
        "upr_recommendations",
        "UPR recommendations on CAT and OPCAT",
        "Recommendations on the Convention or its Optional Protocol, one row per recommending state, with the"
        " treaty and the demand classified from the text, the response and the verification level. " + SEE_ROWS,
        "select rec_id, iso3, cycle, session, recommending_iso3, recommending_name, text, treaty, action, response,"
        " document, source, level, note from upr_recommendations order by rec_id",
        {
            "rec_id": "identifier of the recommendation row",
            "iso3": "the state under review (states.iso3)",
            "cycle": "UPR cycle",
            "session": "Working Group session",
            "recommending_iso3": "the recommending state (ISO alpha-3)",
            "recommending_name": "the recommending state as named in the source",
            "text": "the recommendation's text",
            "treaty": "the instrument named, classified from the text",
            "action": "the demand, classified from the text",
            "response": "supported, noted or pending",
            "document": "UN document symbol",
            "source": "where the row comes from",
            "level": "primary (a UN document, named in document) or secondary (a compilation: the UPR Info database)",
            "note": "remarks",
        },
        [UPR_INFO, OHCHR_UPR],
        [],
        ["rec_id"],
    ),
    Table(
        "implementation",
        "Legal implementation indicators",
        "The APT's legal indicators per state (constitution, criminalisation, NPM, NHRI, initial report): yes, partial"
        " or no, with the year where known. " + SEE_ROWS,
        "select iso3, indicator, value, year, source, level, note from implementation order by iso3, indicator",
        {
            "iso3": "the state (states.iso3)",
            "indicator": "the indicator",
            "value": "yes, partial or no",
            "year": "year (empty: not known)",
            "source": "where the row comes from",
            "level": LEVEL_TEXT,
            "note": "remarks",
        },
        [APT],
        [],
    ),
    Table(
        "reports",
        "Initial reports under art. 19 of the Convention",
        "The initial report of each party: entry into force, due date (the day before the first anniversary of entry"
        " into force, as the Committee counts it) and submission (a day, or a year only). " + SEE_ROWS,
        "select iso3, report, consent_date, entry_into_force, due_date, symbol, submitted_date, submitted_year,"
        " date_precision, received_by, known_by, due_source, submission_source, submission_level, note from reports"
        " order by iso3, report",
        {
            "iso3": "the state party (states.iso3)",
            "report": "the report (initial)",
            "consent_date": "the deposit of ratification, accession or succession (no report is recorded before it)",
            "entry_into_force": "entry into force of the Convention for the state (art. 27)",
            "due_date": "due date of the report (art. 19(1))",
            "symbol": "the report's symbol in the Committee's documents (CAT/C/...)",
            "submitted_date": "first day of the period in which the report was received (see date_precision)",
            "submitted_year": "year the report was received",
            "date_precision": "precision of the submission: day, month or year",
            "received_by": "a day by which the report had been received, where the day of receipt is not known"
            " (the Committee considered it then)",
            "known_by": "by this day the report had surely been received (the period's last day, or received_by)",
            "due_source": "rule or document for the due date",
            "submission_source": "where the submission comes from",
            "submission_level": "how the submission is known: primary (the Committee's own record), secondary (a compilation)"
            " or inferred (a rule, named in note)",
            "note": "remarks",
        },
        [CAT_COMMITTEE, APT],
        [UN],
    ),
    Table(
        "activities",
        "Public CTI activities",
        "CTI activities made public, with the page that announced them. Only real records marked public are here:"
        " confidential records and the sample data are never published. They are not the CTI's complete record and"
        " are not counted toward the yearly targets; participant figures are not published.",
        "select activity_id, start_date, end_date, kind, iso3, title, source, date_precision, note from activities"
        " where is_public and not is_sample order by start_date, activity_id",
        {
            "activity_id": "identifier of the record",
            "start_date": "first day (at the precision given by date_precision)",
            "end_date": "last day (at the precision given by date_precision)",
            "kind": "country_visit, study_visit, remote_advice, seminar, workshop, conference or forum",
            "iso3": "the state that received a visit or advice and made it public (empty: a multi-state event)",
            "title": "title as published",
            "source": "the page that made the activity public",
            "date_precision": "day, month or year",
            "note": "remarks (figures as published)",
        },
        [CTI],
        [],
        ["activity_id"],
    ),
    Table(
        "targets",
        "CTI yearly targets",
        "The CTI's yearly activity targets and the strategy that set them.",
        "select metric, period_start, period_end, comparator, value, unit, strategy, source from targets"
        " order by metric, period_start",
        {
            "metric": "what is counted",
            "period_start": "first day the target applies",
            "period_end": "last day the target applies",
            "comparator": "at_least or up_to (a ceiling)",
            "value": "the target",
            "unit": "unit of the value",
            "strategy": "the strategy that set the target",
            "source": "where the target is written",
        },
        [CTI_STRATEGY],
        [],
        ["metric", "period_start"],
    ),
]

# Columns never published, whatever a table's query says (checked on every publish and in the tests).
CONFIDENTIAL_COLUMNS = frozenset({"is_public", "is_sample", "record_file", "senior_officials", "participants"})


@dataclass(frozen=True)
class PublicData:
    """What a feed writer reads: the public tables, the data's as-of date, and the database they come from.

    `database` is there for derived public facts that need the app's queries (the engagement calendar's
    UPR windows and report deadlines); a writer never reads `activities` from it: use `tables`.
    """

    tables: dict[str, pa.Table]
    data_as_of: date
    built_at: datetime
    base_url: str
    database: Path


# Writers of feeds beside the bundle: each takes the public data and the output folder, and returns the files
# it wrote. The engagement calendar's iCalendar writer is added here (see the README, "Open data").
FeedWriter = Callable[[PublicData, Path], list[Path]]
CALENDAR_MONTHS = 12


def _calendar_writer(data: PublicData, folder: Path) -> list[Path]:
    """The engagement calendar for the 12 months from the build day, as the /calendar page builds it:
    UPR windows and initial-report deadlines, one event each, with the same stable UIDs."""
    from app import engagement_calendar, opportunities, queries, snapshot
    from app.db import Database

    as_of = max(data.data_as_of, data.built_at.date())
    database = Database(data.database)
    try:
        snap, engagement = snapshot.take(database, as_of), queries.engagement_inputs(database)
    finally:
        database.close()
    rows = opportunities.from_snapshot(snap, engagement, as_of, CALENDAR_MONTHS)
    written = []
    for lang in languages():  # one calendar per language of the dashboard, as for the Atom feed
        path = folder / opendata_links.in_language(opendata_links.CALENDAR, lang)
        _write(
            path, engagement_calendar.ics(rows, snap.status, as_of, CALENDAR_MONTHS, lang, data.built_at, False, data.base_url)
        )
        written.append(path)
    return written


FEED_WRITERS: list[FeedWriter] = [_calendar_writer]


def _field_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    return "string"


def read_public(database: Path, base_url: str | None = None) -> PublicData:
    """The public tables from a built database, through each table's own query."""
    with connect_read_only(database) as con:
        tables = {table.name: con.sql(table.query).to_arrow_table() for table in TABLES}
        as_of, finished = con.execute("select data_as_of, finished_at from etl_runs order by run_id desc limit 1").fetchone()
    for name, table in tables.items():
        leaked = CONFIDENTIAL_COLUMNS.intersection(table.column_names)
        if leaked:
            raise RuntimeError(f"open data: table {name} would publish confidential columns {sorted(leaked)}")
    return PublicData(tables, as_of, finished.astimezone(UTC), public_url() if base_url is None else base_url, database)


def _csv_bytes(table: pa.Table) -> bytes:
    """CSV safe to open in a spreadsheet (core.exports: formula-like text gets an apostrophe; text is always quoted)."""
    sink = io.BytesIO()
    pa_csv.write_csv(exports.safe_table(table), sink, pa_csv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _schema(table: Table, arrow: pa.Table) -> Schema:
    fields = [
        {"name": name, "type": _field_type(arrow.schema.field(name).type), "description": table.fields[name]}
        for name in arrow.column_names
    ]
    descriptor = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        descriptor["primaryKey"] = table.primary_key
    return Schema.from_descriptor(descriptor)


def subscription_files(data: PublicData) -> dict[str, bytes]:
    """The per-state and per-group Atom feeds in every language (app.subscriptions): path -> document.

    Built from the public tables alone, as on the day of the build (a UPR window that opened, a report fallen
    overdue), like the engagement calendar; never from the activity records. An upload of activity records
    changes none of their inputs: the last feeds are reused when the inputs are the same (_LAST_FEEDS).
    """
    from app import subscriptions

    as_of = max(data.data_as_of, data.built_at.date())
    key = _feeds_key(data, as_of)
    last = _LAST_FEEDS[0] if _LAST_FEEDS else None  # read once: a key and its feeds, never two publishes' halves
    if last is not None and last[0] == key:
        return dict(last[1])
    # NumPy-backed frames: row loops over Arrow-backed strings cost several times more.
    tables = {name: data.tables[name].to_pandas(types_mapper=None) for name in SUBSCRIPTION_TABLES}
    files: dict[str, bytes] = {}
    for lang in languages():
        files.update(subscriptions.feeds(tables, as_of, data.data_as_of, lang, data.base_url, opendata_links.STATIC_PATH))
    _LAST_FEEDS[:] = [(key, files)]
    return dict(files)


# The feeds of the last publish in this process and what they were made of (one entry: a few megabytes). Each
# upload publishes again, and the feeds took half of that time while never depending on the records uploaded.
_LAST_FEEDS: list[tuple[str, dict[str, bytes]]] = []


def _feeds_key(data: PublicData, as_of: date) -> str:
    """A digest of everything the feeds are made of: their tables' content, the days, the address, the
    languages and their catalogues."""
    digest = hashlib.blake2b(digest_size=20)
    for name in SUBSCRIPTION_TABLES:
        # As CSV, with the schema: Arrow's IPC bytes of two equal tables differ (padding), the CSV does not.
        digest.update(f"{name}\0{data.tables[name].schema}\0".encode() + _csv_bytes(data.tables[name]))
    langs = tuple(languages())
    words = repr([sorted(catalogue(lang).items()) for lang in langs])
    digest.update(repr((as_of, data.data_as_of, data.base_url, opendata_links.STATIC_PATH, langs, words)).encode())
    return digest.hexdigest()


# The public tables the per-state and per-group feeds are made of (never `activities`).
SUBSCRIPTION_TABLES = (
    "states",
    "treaty_events",
    "groups",
    "group_membership",
    "upr_sessions",
    "upr_reviews",
    "upr_recommendations",
    "reports",
)
FEED_DESCRIPTION = (
    "Per-state feeds (feeds/state/<ISO3>.atom, .fr.atom, .es.atom): one state's treaty actions (CAT signature, deposit,"
    " art. 22 declaration; OPCAT consent), UPR reviews (the window opening six months before, the review, its CAT/OPCAT"
    " recommendations) and initial-report deadlines (due, overdue, received), newest first, with entry ids derived from"
    " the fact (stable across builds). Per-group feeds (feeds/group/<CODE>.atom): the same entries for the group's"
    " members on the day of the build, the 100 newest."
)


def _feed_resource(path: str, content: bytes) -> dict:
    """A feed as a plain file resource (checked by its hash and size); what the feeds hold is said once, in the
    package's description, not in each of the six hundred resources.

    Written as the descriptor frictionless would export for a FileResource, key for key: six hundred metadata objects
    took a second of every publish (after each upload), for fields that need no inference.
    """
    _, kind, name = path.split("/")
    code, *lang = name.removesuffix(".atom").split(".")
    language = lang[0] if lang else "en"
    return {
        "name": f"feed-{kind}-{code}-{language}".lower(),
        "type": "file",
        "description": f"Atom feed of the {kind} {code}, in {language}.",
        "sources": [dict(FEED_SOURCE)],
        "path": path,
        "scheme": "file",
        "format": "atom",
        "mediatype": "application/atom+xml",
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        "bytes": len(content),
    }


FEED_SOURCE = {"title": "UN Treaty Collection, OHCHR (UPR), Committee against Torture: the public tables of this package"}


def bundle_files(data: PublicData, feeds: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """File name -> bytes of the data package: CSV and Parquet of every public table, the per-state and per-group
    feeds (`feeds`: subscription_files), and datapackage.json.

    Each CSV is a tabular resource with its schema. Each Parquet file is a plain file resource beside it (its own
    file holds its types): the standard validator reads Parquet through pandas, where an empty integer cell becomes
    NaN and fails its type, so Parquet listed as a table could never validate. As a file it is still checked, by
    its hash and size; so is each feed.
    """
    files: dict[str, bytes] = {}
    resources = []
    for table in TABLES:
        arrow = data.tables[table.name]
        content = _csv_bytes(arrow)
        files[f"{table.name}.csv"] = content
        resources.append(
            Resource(
                name=table.name,
                title=table.title,
                description=table.description,
                path=f"{table.name}.csv",
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                schema=_schema(table, arrow),
                sources=table.sources,
                licenses=table.licenses,
                hash=f"sha256:{hashlib.sha256(content).hexdigest()}",
                bytes=len(content),
            )
        )
        content = _parquet_bytes(arrow)
        files[f"{table.name}.parquet"] = content
        resources.append(
            FileResource(
                name=f"{table.name}-parquet",
                title=f"{table.title} (Parquet)",
                description=f"{table.description} The rows and fields of {table.name}.csv, typed, in one Parquet file.",
                path=f"{table.name}.parquet",
                format="parquet",
                mediatype="application/vnd.apache.parquet",
                sources=table.sources,
                licenses=table.licenses,
                hash=f"sha256:{hashlib.sha256(content).hexdigest()}",
                bytes=len(content),
            )
        )
    feed_resources = []
    for path, content in sorted((feeds or {}).items()):
        files[path] = content
        feed_resources.append(_feed_resource(path, content))
    digest = hashlib.sha256(b"".join(files[name] for name in sorted(files) if name.endswith(".csv"))).hexdigest()
    package = Package(
        name=PACKAGE_NAME,
        title="UNCAT Universality Dashboard: open data",
        description=(
            "The public tables of the UNCAT Universality Dashboard: states, CAT and OPCAT treaty actions, groups,"
            " UPR sessions, reviews and recommendations, initial reports, implementation indicators, public CTI"
            f" activities and the CTI's targets. Treaty data as of {data.data_as_of.isoformat()}. Each table exists"
            f" as CSV and as Parquet with the same fields. {FEED_DESCRIPTION} Confidential activity records are never"
            " included. A table"
            " without a licence entry holds facts taken from the sources it names, reused with attribution; the"
            " sources' own terms apply."
        ),
        version=f"{data.data_as_of.year}.{data.data_as_of.month}.{data.data_as_of.day}+{digest[:12]}",
        created=data.built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        homepage=data.base_url or None,
        resources=resources,
    )
    descriptor = package.to_descriptor()
    descriptor["resources"].extend(feed_resources)  # after the tables, as before: plain descriptors (_feed_resource)
    files[DESCRIPTOR_NAME] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def _zip(files: dict[str, bytes]) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{PACKAGE_NAME}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return sink.getvalue()


# The treaty events the Atom feed announces; each one's phrase is the catalogue's feed.<treaty>_<event>.
EVENT_TITLES = {(treaty, event): f"feed.{treaty}_{event}" for treaty, event in ANNOUNCED_EVENTS}


def entry_id(iso3: str, treaty: str, event: str) -> str:
    """A treaty event's Atom id: the same fact (state, treaty, action) keeps the same id across builds, and the same id
    in the per-state and per-group feeds (app.subscriptions)."""
    from app.subscriptions import treaty_event_id

    return treaty_event_id(iso3, treaty, event)


def profile_url(base_url: str, iso3: str, lang: str = "en") -> str:
    return f"{base_url}/country?state={iso3}" + ("" if lang == "en" else f"&lang={lang}")


def atom_feed(data: PublicData, lang: str = "en", limit: int = ATOM_ENTRIES) -> bytes:
    """Atom feed of the newest treaty events (CAT signatures, deposits, art. 22 declarations; OPCAT consents),
    in `lang`: the states' UN short names, the phrases and the dates in that language (ISO in the feed's own fields)."""
    states = data.tables["states"]
    names = dict(zip(states["iso3"].to_pylist(), states[f"name_{lang}"].to_pylist(), strict=True))
    events = [row for row in data.tables["treaty_events"].to_pylist() if (row["treaty"], row["event"]) in EVENT_TITLES]
    events.sort(key=lambda row: (row["iso3"], row["treaty"], row["event"]))
    events.sort(key=lambda row: row["event_date"], reverse=True)
    events = events[:limit]
    feed = FeedGenerator()
    feed.id(uuid.uuid5(uuid.NAMESPACE_URL, f"uncat-dashboard:treaty-events{'' if lang == 'en' else ':' + lang}").urn)
    feed.title(t("feed.title", lang))
    feed.subtitle(t("feed.subtitle", lang, limit=limit, date=fmt_date(data.data_as_of, lang)))
    feed.author({"name": t("app.title", lang)})
    own = opendata_links.link(opendata_links.in_language(ATOM_NAME, lang))
    feed.link(href=f"{data.base_url}/{own}", rel="self", type="application/atom+xml")
    feed.link(href=f"{data.base_url}/?lang={lang}", rel="alternate", type="text/html")
    feed.language(lang)
    latest = events[0]["event_date"] if events else data.data_as_of
    feed.updated(datetime.combine(latest, time(), tzinfo=UTC))
    for row in events:
        name = names.get(row["iso3"]) or row["iso3"]
        day = fmt_date(row["event_date"], lang)
        action = t(EVENT_TITLES[(row["treaty"], row["event"])], lang)
        when = datetime.combine(row["event_date"], time(), tzinfo=UTC)
        entry = feed.add_entry(order="append")
        entry.id(entry_id(row["iso3"], row["treaty"], row["event"]))
        entry.title(t("feed.entry_title", lang, state=name, action=action, date=day))
        entry.link(href=profile_url(data.base_url, row["iso3"], lang), rel="alternate", type="text/html")
        entry.published(when)
        entry.updated(when)
        entry.category(term=row["treaty"], label=row["treaty"])
        entry.category(term=row["event"], label=row["event"])
        source = source_text(row["source"], lang)
        summary = t("feed.summary", lang, state=name, iso3=row["iso3"], action=action, date=day, source=source)
        note = t("feed.note", lang, note=row["note"]) if row["note"] else ""
        entry.summary(f"{summary} {note}".strip())
    return feed.atom_str(pretty=True)


def _write(path: Path, content: bytes, always: bool = False) -> None:
    """Write beside, then swap in: a reader never sees half a file (nor the temporary one: a dot-file is never served).

    A file already holding `content` is left as it is (its date too: a client's cached copy stays valid), unless
    `always`: after an upload most of the six hundred feeds are unchanged, and swapping each in took half a second.
    """
    if not always and path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(path)
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _atom_writer(data: PublicData, folder: Path) -> list[Path]:
    """One feed per language of the dashboard (the English one under the plain name)."""
    written = []
    for lang in languages():
        path = folder / opendata_links.in_language(ATOM_NAME, lang)
        _write(path, atom_feed(data, lang))
        written.append(path)
    return written


def publish(database: Path, folder: Path | None = None, base_url: str | None = None) -> list[Path]:
    """Write the bundle (its files, and all of them in one ZIP) and the feeds from a built database."""
    folder = Path(folder or default_public_dir())
    folder.mkdir(parents=True, exist_ok=True)
    data = read_public(database, base_url)
    files = bundle_files(data, subscription_files(data))
    written = []
    for name, content in files.items():
        _write(folder / name, content)
        written.append(folder / name)
    _write(folder / ZIP_NAME, _zip(files), always=True)  # its date says the bundle is as new as the database
    written.append(folder / ZIP_NAME)
    for writer in [_atom_writer, *FEED_WRITERS]:
        written.extend(writer(data, folder))
    return written


def is_published(database: Path, folder: Path | None = None) -> bool:
    """True when the bundle in `folder` was written after the database it comes from was swapped in, and the
    feeds are there in every language (a language added since the last build has its feeds written)."""
    folder = Path(folder or default_public_dir())
    bundle = folder / ZIP_NAME
    feeds = [opendata_links.in_language(name, lang) for name in (ATOM_NAME, opendata_links.CALENDAR) for lang in languages()]
    # A build from before the per-state and per-group feeds (or before a language was added) lacks some of them.
    feeds += [f"feeds/group/{opendata_links.in_language('SIDS.atom', lang)}" for lang in languages()]
    return (
        database.exists()
        and bundle.exists()
        and bundle.stat().st_mtime >= database.stat().st_mtime
        and all((folder / feed).exists() for feed in feeds)
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m etl.opendata --check`: exit 0 when the database is current and its open data published."""
    import argparse

    from core.config import database_path
    from etl.build import is_current

    parser = argparse.ArgumentParser(prog="python -m etl.opendata", description=main.__doc__)
    parser.add_argument("--check", action="store_true", required=True)
    parser.parse_args(argv)
    database = database_path()
    return 0 if is_current(database) and is_published(database) else 1


if __name__ == "__main__":
    raise SystemExit(main())
