"""Atom feeds to follow one state or one group: its deposits and declarations, its UPR reviews and report deadlines.

Pure (no Streamlit, no database): the public tables (the open data's, as Arrow tables or frames) and a day in;
feed documents out, which the ETL's publisher writes under `feeds/state/<ISO3>.atom` and
`feeds/group/<CODE>.atom` (and `.fr.atom`, `.es.atom`). Every entry is a public fact with a stable id derived
from the fact itself (state, treaty and action; state and UPR cycle; state and report), so a feed reader never
announces the same fact twice, and the same fact has the same id in a state's feed, its groups' feeds and the
treaty-event feed. Never a CTI activity: visits and advice are confidential, and the feeds announce none.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from lxml import etree

from app import opendata_links
from app.opportunities import WINDOW_MONTHS, add_months, period
from app.profile import cite
from core.i18n import fmt_date, fmt_month, name_column, source_text, t, t_count
from core.vocabulary import ANNOUNCED_EVENTS

ATOM_NS = "http://www.w3.org/2005/Atom"
# The newest entries of a group's feed (a state's feed has all of its own).
GROUP_ENTRIES = 100
# The treaty actions announced, as in the treaty-event feed (its phrases: feed.<treaty>_<event>).
EVENTS = ANNOUNCED_EVENTS


def fact_id(*parts: str) -> str:
    """An entry's id, derived from the fact it announces (the same fact keeps it across builds and feeds)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "uncat-dashboard:" + ":".join(parts)).urn


def treaty_event_id(iso3: str, treaty: str, event: str) -> str:
    """The id of a treaty action: the same in every feed that announces it (etl.opendata.entry_id)."""
    return fact_id("treaty-event", treaty, iso3, event)


@dataclass(frozen=True)
class Entry:
    id: str
    iso3: str
    kind: str  # treaty_event, upr_review, upr_outcome, upr_window, report_due, report_overdue, report_received
    title: str
    summary: str
    updated: date  # the day the fact happened or became news; never after the day the feed is built
    categories: tuple[str, ...] = ()


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _when(day: date | None, precision: str | None, lang: str) -> str:
    if day is None:
        return "—"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return fmt_month(day, lang)
    return fmt_date(day, lang)


def treaty_entries(events: pd.DataFrame, names: dict[str, str], as_of: date, lang: str) -> list[Entry]:
    entries = []
    for row in events.itertuples(index=False):
        day = _day(row.event_date)
        if (row.treaty, row.event) not in EVENTS or day is None or day > as_of:
            continue
        name = names.get(row.iso3, row.iso3)
        action = t(f"feed.{row.treaty}_{row.event}", lang)
        summary = t(
            "feed.summary",
            lang,
            state=name,
            iso3=row.iso3,
            action=action,
            date=fmt_date(day, lang),
            source=source_text(row.source, lang),
        )
        entries.append(
            Entry(
                treaty_event_id(row.iso3, row.treaty, row.event),
                row.iso3,
                "treaty_event",
                t("feed.entry_title", lang, state=name, action=action, date=fmt_date(day, lang)),
                summary,
                day,
                (row.treaty, row.event),
            )
        )
    return entries


def _session_end(sessions: pd.DataFrame) -> dict[int, date]:
    """The last day each UPR session can have ended (a session known to the month ends with its month)."""
    return {
        int(row.session): period(row.start_date, row.end_date, row.date_precision)[1]
        for row in sessions.itertuples(index=False)
        if _day(row.start_date) is not None
    }


def upr_entries(
    reviews: pd.DataFrame,
    recommendations: pd.DataFrame,
    sessions: pd.DataFrame,
    names: dict[str, str],
    as_of: date,
    lang: str,
) -> list[Entry]:
    """Per review: the window opening (6 months before), the review held, and its CAT/OPCAT outcome once recorded."""
    ends = _session_end(sessions)
    # Counted once, not filtered per review (a filter per review of 758 cost seconds per language).
    responses: dict[tuple[str, int], dict[str, int]] = {}
    for (iso3, cycle, response), count in recommendations.groupby(["iso3", "cycle", "response"]).size().items():
        responses.setdefault((iso3, int(cycle)), {})[response] = int(count)
    entries = []
    for row in reviews.itertuples(index=False):
        start = _day(row.start_date)
        if start is None:
            continue
        name = names.get(row.iso3, row.iso3)
        review_day = _day(row.review_date) or start
        when = _when(review_day, "day" if _day(row.review_date) else row.date_precision, lang)
        cycle, session = int(row.cycle), int(row.session)
        window = add_months(period(row.start_date, row.end_date, row.date_precision)[0], -WINDOW_MONTHS)
        expected = row.basis == "inferred"
        if window <= as_of < review_day:
            key = "subscriptions.window_expected" if expected else "subscriptions.window"
            entries.append(
                Entry(
                    fact_id("upr-window", row.iso3, f"cycle{cycle}"),
                    row.iso3,
                    "upr_window",
                    t(key, lang, state=name, session=session, when=when),
                    t("subscriptions.window_summary", lang, state=name, months=WINDOW_MONTHS, when=when, cycle=cycle),
                    window,
                    ("UPR",),
                )
            )
        if row.status == "held" and review_day <= as_of:
            entries.append(
                Entry(
                    fact_id("upr-review", row.iso3, f"cycle{cycle}"),
                    row.iso3,
                    "upr_review",
                    t("subscriptions.review", lang, state=name, session=session, when=when),
                    t("subscriptions.review_summary", lang, state=name, session=session, cycle=cycle, when=when),
                    review_day,
                    ("UPR",),
                )
            )
        counts = responses.get((row.iso3, cycle), {})
        ended = ends.get(session)
        if counts and ended is not None and ended <= as_of:
            parts = {k: t_count(f"profile.recs_{k}", lang, counts.get(k, 0)) for k in ("supported", "noted", "pending")}
            entries.append(
                Entry(
                    fact_id("upr-outcome", row.iso3, f"cycle{cycle}"),
                    row.iso3,
                    "upr_outcome",
                    t("subscriptions.outcome", lang, state=name, cycle=cycle),
                    t_count("subscriptions.outcome_summary", lang, sum(counts.values()), state=name, cycle=cycle, **parts),
                    ended,
                    ("UPR",),
                )
            )
    return entries


def report_entries(reports: pd.DataFrame, names: dict[str, str], as_of: date, lang: str) -> list[Entry]:
    """The initial report's deadline (from entry into force), its fall into arrears, its receipt."""
    entries = []
    for row in reports[reports.report == "initial"].itertuples(index=False):
        in_force, due, surely = _day(row.entry_into_force), _day(row.due_date), _day(row.known_by)
        if in_force is None or due is None or in_force > as_of:
            continue
        name = names.get(row.iso3, row.iso3)
        entries.append(
            Entry(
                fact_id("initial-report-due", row.iso3),
                row.iso3,
                "report_due",
                t("subscriptions.report_due", lang, state=name, due=fmt_date(due, lang)),
                t(
                    "subscriptions.report_due_summary",
                    lang,
                    state=name,
                    due=fmt_date(due, lang),
                    in_force=fmt_date(in_force, lang),
                ),
                in_force,
                ("report",),
            )
        )
        # Overdue while it still is: once received, the receipt is the news (and this entry leaves the feed).
        if due < as_of and (surely is None or surely > as_of):
            overdue_from = due + timedelta(days=1)
            if overdue_from <= as_of:
                entries.append(
                    Entry(
                        fact_id("initial-report-overdue", row.iso3),
                        row.iso3,
                        "report_overdue",
                        t("subscriptions.report_overdue", lang, state=name, due=fmt_date(due, lang)),
                        t("subscriptions.report_overdue_summary", lang, state=name, due=fmt_date(due, lang)),
                        overdue_from,
                        ("report",),
                    )
                )
        if surely is not None and surely <= as_of:
            if _day(row.submitted_date) is not None:
                when = _when(_day(row.submitted_date), row.date_precision, lang)
                key = "subscriptions.report_received"
            else:
                when = fmt_date(surely, lang)
                key = "subscriptions.report_received_by"
            how = cite(row.submission_level, row.submission_source, "committee", lang, row.symbol) or "—"
            entries.append(
                Entry(
                    fact_id("initial-report-received", row.iso3),
                    row.iso3,
                    "report_received",
                    t(key, lang, state=name, when=when),
                    t("subscriptions.report_received_summary", lang, state=name, when=when, how=how),
                    surely,
                    ("report",),
                )
            )
    return entries


def all_entries(tables: dict[str, pd.DataFrame], as_of: date, lang: str) -> dict[str, list[Entry]]:
    """Every state's entries on `as_of`, newest first (ties by id), by ISO3.

    tables: the open data's `states`, `treaty_events`, `upr_reviews`, `upr_recommendations`, `upr_sessions`
    and `reports` tables as frames.
    """
    states = tables["states"]
    names = dict(zip(states.iso3, states[name_column(lang)], strict=True))
    entries = (
        treaty_entries(tables["treaty_events"], names, as_of, lang)
        + upr_entries(tables["upr_reviews"], tables["upr_recommendations"], tables["upr_sessions"], names, as_of, lang)
        + report_entries(tables["reports"], names, as_of, lang)
    )
    by_state: dict[str, list[Entry]] = {iso3: [] for iso3 in states.iso3}
    for entry in sorted(entries, key=lambda e: (e.updated, e.id), reverse=True):
        by_state.setdefault(entry.iso3, []).append(entry)
    return by_state


def group_members(membership: pd.DataFrame, code: str, as_of: date) -> list[str]:
    """The group's members on `as_of`: the memberships whose valid_from to valid_to (inclusive) holds the day."""
    rows = membership[membership.group_code == code]
    day = pd.Timestamp(as_of)
    started = rows.valid_from.isna() | (pd.to_datetime(rows.valid_from) <= day)
    running = rows.valid_to.isna() | (pd.to_datetime(rows.valid_to) >= day)
    return sorted(set(rows.iso3[started & running]))


def _stamp(day: date) -> str:
    return datetime.combine(day, time(), tzinfo=UTC).isoformat()


def feed_document(
    feed_id: str,
    title: str,
    subtitle: str,
    self_href: str,
    alternate_href: str,
    entries: Iterable[Entry],
    base_url: str,
    lang: str,
    updated: date,
) -> bytes:
    """An Atom 1.0 document (RFC 4287): the feed's id, title, updated, author and links, then each entry's id,
    title, updated (and published), link to the state's profile, categories and summary."""
    entries = list(entries)
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    def child(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", **attributes)
        if text is not None:
            element.text = text
        return element

    child(feed, "id", feed_id)
    child(feed, "title", title)
    child(feed, "subtitle", subtitle)
    child(feed, "updated", _stamp(max([updated, *(e.updated for e in entries)]) if entries else updated))
    author = child(feed, "author")
    child(author, "name", t("app.title", lang))
    child(feed, "link", href=self_href, rel="self", type="application/atom+xml")
    child(feed, "link", href=alternate_href, rel="alternate", type="text/html")
    query = "" if lang == "en" else f"&lang={lang}"
    for entry in entries:
        item = child(feed, "entry")
        child(item, "id", entry.id)
        child(item, "title", entry.title)
        child(item, "updated", _stamp(entry.updated))
        child(item, "published", _stamp(entry.updated))
        child(item, "link", href=f"{base_url}/country?state={entry.iso3}{query}", rel="alternate", type="text/html")
        for term in (entry.kind, *entry.categories):
            child(item, "category", term=term)
        child(item, "summary", entry.summary, type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def feed_path(kind: str, code: str, lang: str) -> str:
    """A feed's path under the public folder: feeds/state/FJI.atom, feeds/group/SIDS.fr.atom."""
    return opendata_links.subscription(kind, code, lang)


def feeds(
    tables: dict[str, pd.DataFrame], as_of: date, data_as_of: date, lang: str, base_url: str, static_path: str
) -> dict[str, bytes]:
    """Every state's and every group's feed in `lang`: path -> document. `static_path`: where the public folder is served."""
    by_state = all_entries(tables, as_of, lang)
    states = tables["states"].set_index("iso3")
    files = {}
    for iso3, entries in by_state.items():
        name = states.at[iso3, name_column(lang)]
        path = feed_path("state", iso3, lang)
        files[path] = feed_document(
            fact_id("feed", "state", iso3, lang),
            t("subscriptions.state_title", lang, state=name),
            t("subscriptions.subtitle", lang, date=fmt_date(data_as_of, lang)),
            f"{base_url}/{static_path}/{path}",
            f"{base_url}/country?state={iso3}" + ("" if lang == "en" else f"&lang={lang}"),
            entries,
            base_url,
            lang,
            data_as_of,
        )
    groups = tables["groups"]
    for row in groups.itertuples(index=False):
        members = group_members(tables["group_membership"], row.group_code, as_of)
        entries = sorted((e for iso3 in members for e in by_state.get(iso3, [])), key=lambda e: (e.updated, e.id), reverse=True)
        path = feed_path("group", row.group_code, lang)
        files[path] = feed_document(
            fact_id("feed", "group", row.group_code, lang),
            t("subscriptions.group_title", lang, group=getattr(row, name_column(lang))),
            t_count("subscriptions.group_subtitle", lang, len(members), limit=GROUP_ENTRIES, date=fmt_date(data_as_of, lang)),
            f"{base_url}/{static_path}/{path}",
            f"{base_url}/calendar?group={row.group_code}" + ("" if lang == "en" else f"&lang={lang}"),
            entries[:GROUP_ENTRIES],
            base_url,
            lang,
            data_as_of,
        )
    return files
