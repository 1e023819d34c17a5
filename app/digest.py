"""The Group of Friends' update: what changed since a date and the next three months' engagement moments, one page.

Pure (no Streamlit, no database): the snapshots of the "since" date and of the as-of date, the span's facts
(queries.span_facts) and the engagement calendar's rules (app.opportunities) in; an `Update` out, which the
page shows and app.update writes as an e-mail (HTML with inline styles and a plain-text part) and as a PDF.
Public facts only: treaty actions, UPR reviews and recommendations, initial reports; never a CTI activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from app import figures, opportunities
from app.annual import PRIORITY
from core.i18n import fmt_date, fmt_month, fmt_number, fmt_percent, name_column, normalise, t, t_count
from core.vocabulary import ANNOUNCED_EVENTS, UN_MEMBERS

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

AHEAD_MONTHS = 3
# One page: a part lists this many items at most, then says how many more the dashboard shows.
MAX_ITEMS = 10
# The treaty actions the update announces, each with the Atom feed's phrase (feed.<treaty>_<event>).
ANNOUNCED = set(ANNOUNCED_EVENTS)


@dataclass(frozen=True)
class Item:
    text: str
    iso3: str = ""  # the state it is about: its profile is linked where the dashboard's address is known


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    items: tuple[Item, ...]
    empty: str  # said when there is no item
    more: str = ""  # "and 4 more in the dashboard"
    note: str = ""


@dataclass(frozen=True)
class Update:
    lang: str
    since: date
    as_of: date
    data_as_of: date
    generated: date
    title: str
    subject: str
    period: str
    headline: str
    parts: tuple[Part, ...]
    footer: tuple[str, ...]

    def text(self) -> str:
        """Every word of the update, in reading order (the plain-text part of the e-mail is made from the same parts)."""
        lines = [self.title, self.period, self.headline]
        for part in self.parts:
            lines.append(part.title)
            lines += [item.text for item in part.items] or [part.empty]
            lines += [line for line in (part.more, part.note) if line]
        return "\n".join([*lines, *self.footer])


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _limited(items: list[Item], lang: str) -> tuple[tuple[Item, ...], str]:
    if len(items) <= MAX_ITEMS:
        return tuple(items), ""
    return tuple(items[:MAX_ITEMS]), t_count("update.more", lang, len(items) - MAX_ITEMS)


def _when(day: date | None, precision: str | None, lang: str) -> str:
    if day is None:
        return "—"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return fmt_month(day, lang)
    return fmt_date(day, lang)


def treaty_part(changes: pd.DataFrame, since: date, as_of: date, data_as_of: date, lang: str) -> Part:
    announced = changes[[(row.treaty, row.event) in ANNOUNCED for row in changes.itertuples(index=False)]]
    items = [
        Item(
            t(
                "update.treaty_item",
                lang,
                date=fmt_date(_day(row.event_date), lang),
                state=getattr(row, name_column(lang)),
                action=t(f"feed.{row.treaty}_{row.event}", lang),
            ),
            row.iso3,
        )
        for row in announced.itertuples(index=False)
    ]
    shown, more = _limited(items, lang)
    if since >= data_as_of:
        empty = t("update.treaty_not_verified", lang, date=fmt_date(data_as_of, lang))
    else:
        empty = t("update.treaty_none", lang)
    # A span reaching past the treaty data's date may miss a later deposit: said, whatever was found.
    note = t("update.treaty_verified", lang, date=fmt_date(data_as_of, lang)) if since < data_as_of < as_of else ""
    return Part("treaty", t("update.part_treaty", lang), shown, empty, more, note)


def _review_day(row) -> date | None:
    return _day(row.review_date) or _day(row.start_date)


def reviews_part(facts: dict, now: Snapshot, since: date, as_of: date, lang: str) -> Part:
    """UPR reviews held after `since` up to `as_of` of states not party on `as_of`, with their CAT/OPCAT outcome."""
    reviews, recs = facts["reviews"], facts["recommendations"]
    status = now.status.set_index("iso3")
    in_span = reviews[[(day := _review_day(row)) is not None and since < day <= as_of for row in reviews.itertuples(index=False)]]
    not_party = in_span[in_span.iso3.map(lambda iso3: status.status.get(iso3) != "party")]
    items = []
    for row in not_party.sort_values(["start_date", "iso3"]).itertuples(index=False):
        received = recs[(recs.iso3 == row.iso3) & (recs.cycle == row.cycle)]
        if len(received):
            counts = received.response.value_counts()
            outcome = t_count(
                "update.review_recs",
                lang,
                len(received),
                **{k: t_count(f"profile.recs_{k}", lang, int(counts.get(k, 0))) for k in ("supported", "noted", "pending")},
            )
        else:
            outcome = t("update.review_no_recs", lang)
        key = "update.review_item_inferred" if row.basis == "inferred" else "update.review_item"
        items.append(
            Item(
                t(
                    key,
                    lang,
                    state=status[name_column(lang)][row.iso3],
                    status=t(f"status.{status.status[row.iso3]}", lang).lower(),
                    session=int(row.session),
                    when=_when(_review_day(row), "day" if _day(row.review_date) else row.date_precision, lang),
                    outcome=outcome,
                ),
                row.iso3,
            )
        )
    shown, more = _limited(items, lang)
    others = len(in_span) - len(not_party)
    note = t_count("update.reviews_of_parties", lang, others) if others else ""
    return Part("reviews", t("update.part_reviews", lang), shown, t("update.reviews_none", lang), more, note)


def _priority_text(iso3: str, groups: pd.DataFrame, lang: str) -> str:
    codes = [t(f"group_short.{code}", lang) for code in PRIORITY if iso3 in set(groups.loc[groups.group_code == code, "iso3"])]
    return t("update.priority", lang, groups=", ".join(codes)) if codes else ""


def reports_part(facts: dict, now: Snapshot, since: date, as_of: date, lang: str) -> Part:
    """Initial reports received after `since` up to `as_of`, and those that fell overdue in that span."""
    reports = facts["reports"]
    status = now.status.set_index("iso3")
    names = status[name_column(lang)]
    items = []
    for row in reports.sort_values("known_by").itertuples(index=False):
        received = _day(row.submitted_date)
        if received is None or not since < received <= as_of or row.date_precision == "year":
            continue  # a report known only to the year, or only "by" a day, is not dated to the span
        symbol = f" ({row.symbol})" if isinstance(row.symbol, str) and row.symbol else ""
        items.append(
            Item(
                t("update.report_received", lang, state=names[row.iso3], when=_when(received, row.date_precision, lang)) + symbol,
                row.iso3,
            )
        )
    parties = set(status.index[status.status == "party"])
    for row in reports.sort_values("due_date").itertuples(index=False):
        due, surely = _day(row.due_date), _day(row.known_by)
        if row.iso3 in parties and since <= due < as_of and (surely is None or surely > as_of):
            items.append(
                Item(
                    t("update.report_overdue", lang, state=names[row.iso3], due=fmt_date(due, lang))
                    + _priority_text(row.iso3, now.groups, lang),
                    row.iso3,
                )
            )
    shown, more = _limited(items, lang)
    return Part("reports", t("update.part_reports", lang), shown, t("update.reports_none", lang), more)


def ahead_part(facts: dict, now: Snapshot, as_of: date, lang: str) -> Part:
    """The next three months: UPR reviews of states not party, and initial reports falling due (the calendar's rules)."""
    rows = opportunities.opportunities(
        as_of, AHEAD_MONTHS, now.status, now.groups, facts["reviews"], facts["recommendations"], facts["reports"]
    )
    horizon = opportunities.add_months(as_of, AHEAD_MONTHS)
    status = now.status.set_index("iso3")
    names = status[name_column(lang)]
    items = []
    # The reviews themselves in the next three months (the calendar's "only reviews in the period"), not every window.
    reviews = opportunities.reviews_in_span(rows, as_of, AHEAD_MONTHS)
    for row in reviews[~reviews.review_past.astype(bool)].sort_values(["review_start", "iso3"]).itertuples(index=False):
        start = _day(row.review_date) or _day(row.review_start)
        key = "update.ahead_review_expected" if row.basis == "expected" else "update.ahead_review"
        items.append(
            Item(
                t(
                    key,
                    lang,
                    state=names[row.iso3],
                    status=t(f"status.{status.status[row.iso3]}", lang).lower(),
                    session=int(row.session),
                    when=_when(start, "day" if _day(row.review_date) else row.precision, lang),
                ),
                row.iso3,
            )
        )
    due = rows[(rows.kind == "report") & (rows.report_status == "due")]
    for row in due.sort_values(["start", "iso3"]).itertuples(index=False):
        items.append(
            Item(
                t("update.ahead_report", lang, state=names[row.iso3], due=fmt_date(_day(row.start), lang))
                + _priority_text(row.iso3, now.groups, lang),
                row.iso3,
            )
        )
    shown, more = _limited(items, lang)
    title = t("update.part_ahead", lang, until=fmt_date(horizon, lang))
    return Part("ahead", title, shown, t("update.ahead_none", lang), more, t("update.ahead_note", lang))


def build(then: Snapshot, now: Snapshot, facts: dict, since: date, as_of: date, lang: str, generated: date) -> Update:
    """The update for the span after `since` up to `as_of`, in `lang`.

    then, now: the snapshots of `since` and `as_of`; facts: queries.span_facts(since, as_of).
    """
    lang = normalise(lang)
    before, after = figures.headline(then.status), figures.headline(now.status)
    change = after["member_parties"] - before["member_parties"]
    headline = t(
        "update.headline",
        lang,
        members=fmt_number(after["member_parties"], lang),
        total_members=UN_MEMBERS,
        share=fmt_percent(after["member_parties"] / after["members"], lang),
        total=fmt_number(after["parties"], lang),
    )
    headline += " " + (
        t_count("update.headline_change", lang, change, since=fmt_date(since, lang))
        if change
        else t("update.headline_no_change", lang, since=fmt_date(since, lang))
    )
    currency = facts["currency"]
    parts = (
        treaty_part(facts["changes"], since, as_of, now.data_as_of, lang),
        reviews_part(facts, now, since, as_of, lang),
        reports_part(facts, now, since, as_of, lang),
        ahead_part(facts, now, as_of, lang),
    )
    footer = (
        t("update.sources", lang, date=fmt_date(now.data_as_of, lang), session=currency["last_published_session"]),
        t("update.public_only", lang),
        t("update.generated", lang, date=fmt_date(generated, lang)),
    )
    return Update(
        lang=lang,
        since=since,
        as_of=as_of,
        data_as_of=now.data_as_of,
        generated=generated,
        title=t("update.title", lang),
        subject=t("update.subject", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang)),
        period=t("update.period", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang)),
        headline=headline,
        parts=parts,
        footer=footer,
    )
