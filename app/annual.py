"""The Secretariat's annual report: a year told from the snapshots of its first and last day, in one language.

Pure (no Streamlit, no database): the snapshots of 31 December of the year before and of the year's last day
(31 December, or the data's as-of date in the current year), the year's facts (queries.annual_report_facts) and the
map's shapes in; a `Report` out, which the page shows and app.report writes as PDF and DOCX. Every figure is
computed here once, from those two snapshots, as the dashboard's pages compute it (app.figures). Only public
facts are used: activity figures are yearly totals to the end of a complete month, never a state's visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from app import charts, figures, maps, opportunities, series
from app.profile import short_source
from app.tables import period_text
from app.targets import METRICS, public_cutoff, yearly_progress
from core.i18n import (
    as_of_and_source,
    colon,
    fmt_date,
    fmt_list,
    fmt_month,
    fmt_number,
    fmt_percent,
    languages,
    name_column,
    normalise,
    region,
    strategy_name,
    t,
    t_count,
)
from core.treaty_rules import CTI_LAUNCH
from core.vocabulary import UN_MEMBERS

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

FIRST_YEAR = 1985  # the Convention was opened for signature on 4 February 1985
CONSENTS = ("ratification", "accession", "succession")
# The least developed and small island states come first in the reporting section: the strategy's commitment.
PRIORITY = ("LDC", "SIDS")
# Compilations named as their readers know them (app.profile.short_source), kept as they are in every language.
NAMED_SOURCES = ("UPR Info",)
# Print size of the charts (pixels of the Vega-Lite view; the PDF scales them to the text width).
CHART_WIDTH = 700
MAP_WIDTH = 700


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[int, ...] = ()  # columns of figures, aligned right
    dates: tuple[int, ...] = ()  # columns of dates, kept on one line

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Figure:
    """A chart of the report: its Vega-Lite chart (SVG in the PDF, PNG in the DOCX, the same spec on the page)."""

    key: str
    title: str
    chart: alt.TopLevelMixin
    alt: str  # the text alternative: what the chart shows, in words and figures
    lines: tuple[str, ...]  # the as-of and source lines (and the map's disclaimer)


@dataclass(frozen=True)
class Block:
    """One piece of a section, in reading order: a paragraph, a table, a figure, a sub-heading or a note."""

    kind: str  # "paragraph" | "heading" | "table" | "figure" | "note"
    text: str = ""
    table: Table | None = None
    figure: Figure | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]
    source: str = ""


@dataclass(frozen=True)
class Report:
    year: int
    lang: str
    start: date  # 31 December of the year before: the figures "at the start of the year"
    as_of: date  # the last day counted: 31 December, or the data's as-of date in the current year
    data_as_of: date
    complete: bool  # the whole year is in the data
    generated: date
    title: str
    subtitle: str
    cover: tuple[str, ...]
    key_figures: tuple[tuple[str, str], ...]  # (figure, what it counts) on the cover: the summary's own figures
    sections: tuple[Section, ...]
    disclaimer: str
    footer: str

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def figures(self) -> list[Figure]:
        return [b.figure for s in self.sections for b in s.blocks if b.figure is not None]

    def text(self) -> str:
        """Every word the report says (cover, paragraphs, tables, captions), for the tests and the search."""
        parts = [self.title, self.subtitle, *self.cover, *(f"{v} {k}" for v, k in self.key_figures), self.disclaimer, self.footer]
        for section in self.sections:
            parts += [section.title, section.source]
            for block in section.blocks:
                parts.append(block.text)
                if block.table is not None:
                    parts += [block.table.caption, *block.table.columns, *(cell for row in block.table.rows for cell in row)]
                if block.figure is not None:
                    parts += [block.figure.title, block.figure.alt, *block.figure.lines]
        return "\n".join(part for part in parts if part)


def _paragraph(text: str) -> Block:
    return Block("paragraph", text)


def _heading(text: str) -> Block:
    return Block("heading", text)


def _note(text: str) -> Block:
    return Block("note", text)


def _table(table: Table) -> Block:
    return Block("table", table=table)


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def year_end(year: int, data_as_of: date) -> date:
    """The last day a report of `year` counts: 31 December, or the data's as-of date when the year is not over."""
    return min(date(year, 12, 31), data_as_of)


def when(report_complete: bool, as_of: date, lang: str) -> str:
    """ "at the end of the year", or "on 3 February 2026" for a year still in progress."""
    return t("report.when_year_end", lang) if report_complete else t("report.when_on", lang, date=fmt_date(as_of, lang))


def _name(row, lang: str) -> str:
    return getattr(row, name_column(lang))


def _item(row, what: str, lang: str) -> str:
    """ "Viet Nam (ratification, 5 February 2015)"."""
    return t("report.item", lang, state=_name(row, lang), what=what, date=fmt_date(_day(row.event_date), lang))


def _of_events(changes: pd.DataFrame, treaty: str, events: tuple[str, ...]) -> pd.DataFrame:
    return changes[(changes.treaty == treaty) & changes.event.isin(events)]


# The summary.


@dataclass(frozen=True)
class Moment:
    """A snapshot with the day the report shows for it (the snapshot's own day is its last change on or before)."""

    snapshot: Snapshot
    day_shown: date

    @property
    def status(self) -> pd.DataFrame:
        return self.snapshot.status

    @property
    def groups(self) -> pd.DataFrame:
        return self.snapshot.groups


def headline_rows(start: Moment, end: Moment, lang: str) -> Table:
    """The year's headline figures at its start and at its end, with the change, each naming its universe."""
    before, after = figures.headline(start.status), figures.headline(end.status)
    rows = []
    for key, label in (
        ("parties", t("report.row_parties", lang, states=fmt_number(after["states"], lang))),
        ("member_parties", t("report.row_member_parties", lang, members=UN_MEMBERS)),
        ("member_signatories", t("report.row_member_signatories", lang)),
        ("member_no_action", t("report.row_member_no_action", lang)),
        ("art22", t("report.row_art22", lang)),
        ("opcat_parties", t("report.row_opcat", lang)),
    ):
        change = after[key] - before[key]
        rows.append(
            (
                label,
                fmt_number(before[key], lang),
                fmt_number(after[key], lang),
                ("+" if change > 0 else "") + fmt_number(change, lang) if change else "0",
            )
        )
    columns = (t("report.column_figure", lang), fmt_date(start.day_shown, lang), fmt_date(end.day_shown, lang))
    return Table((*columns, t("report.column_change", lang)), tuple(rows), numeric=(1, 2, 3))


def summary_section(start: Moment, end: Moment, changes: pd.DataFrame, year: int, complete: bool, lang: str) -> Section:
    after, before = figures.headline(end.status), figures.headline(start.status)
    at = when(complete, end.day_shown, lang)
    joined = _of_events(changes, "CAT", CONSENTS)
    names = fmt_list([_item(row, t(f"consent.{row.event}", lang).lower(), lang) for row in joined.itertuples()], lang)
    values = {
        "year": year,
        "names": names,
        "total": fmt_number(after["parties"], lang),
        "members": fmt_number(after["member_parties"], lang),
        "members_before": fmt_number(before["member_parties"], lang),
        "when": at,
    }
    sentences = [
        t_count("report.summary_joined", lang, len(joined), **values) if len(joined) else t("report.summary_none", lang, **values)
    ]
    for events, treaty, key, total in (
        (("signature",), "CAT", "signatures", None),
        (("declaration_art22",), "CAT", "art22", after["art22"]),
        (CONSENTS, "OPCAT", "opcat", after["opcat_parties"]),
    ):
        rows = _of_events(changes, treaty, events)
        items = fmt_list([_item(row, t(f"event.{row.event}", lang).lower(), lang) for row in rows.itertuples()], lang)
        total_text = "" if total is None else fmt_number(total, lang)
        if len(rows):
            sentences.append(t_count(f"report.summary_{key}", lang, len(rows), names=items, total=total_text, when=at))
        else:
            sentences.append(t(f"report.summary_no_{key}", lang, total=total_text, when=at))
    share = after["member_parties"] / after["members"]
    sentences.append(
        t(
            "report.summary_share",
            lang,
            share=fmt_percent(share, lang),
            left=fmt_number(after["members"] - after["member_parties"], lang),
            since=fmt_number(after["since_launch"], lang),
            launch=fmt_date(CTI_LAUNCH, lang),
        )
    )
    blocks = [_paragraph(" ".join(sentences)), _table(headline_rows(start, end, lang))]
    blocks.append(_note(t("report.summary_note", lang, start=fmt_date(start.day_shown, lang), end=fmt_date(end.day_shown, lang))))
    return Section("summary", t("report.section_summary", lang), tuple(blocks), t("report.source_treaty", lang))


# The map, the timeline and the year's treaty actions.


def map_figure(end: Moment, geometry: dict, year: int, complete: bool, lang: str) -> Figure:
    frame = maps.map_frame(end.status, end.groups, {}, maps.MapOptions(), lang)
    counts = maps.legend_counts(frame)
    line = " · ".join(f"{t(f'status.{s}', lang)}{colon(lang)}{fmt_number(n, lang)}" for s, n in counts.items())
    title = t("map.playing", lang, year=year) if complete else t("report.map_on", lang, date=fmt_date(end.day_shown, lang))
    return Figure(
        "map",
        title,
        maps.static_map_chart(geometry, frame, lang, width=MAP_WIDTH),
        t("report.map_alt", lang, date=fmt_date(end.day_shown, lang), counts=line),
        (line, *as_of_and_source(lang, end.day_shown, end.snapshot.data_as_of), t("map.disclaimer", lang)),
    )


def timeline_figure(end: Moment, lang: str) -> Figure:
    members = figures.in_universe(end.status, "members")
    cumulative = series.cumulative(members, end.day_shown)
    chart = charts.cumulative_chart(cumulative, len(members), lang).properties(width=CHART_WIDTH, height=300)
    parties = int((members.status == "party").sum())
    signatories = int((members.status == "signatory").sum())
    return Figure(
        "timeline",
        t("report.timeline_title", lang, year=end.day_shown.year),
        chart,
        t(
            "report.timeline_alt",
            lang,
            parties=fmt_number(parties, lang),
            signatories=fmt_number(signatories, lang),
            members=UN_MEMBERS,
            date=fmt_date(end.day_shown, lang),
        ),
        tuple(as_of_and_source(lang, end.day_shown, end.snapshot.data_as_of)),
    )


def changes_table(changes: pd.DataFrame, lang: str) -> Table:
    rows = tuple(
        (
            fmt_date(_day(row.event_date), lang),
            _name(row, lang),
            t(f"treaty.{row.treaty}", lang),
            t(f"event.{row.event}", lang),
        )
        for row in changes.itertuples(index=False)
    )
    columns = tuple(t(f"column.{c}", lang) for c in ("date", "state", "treaty", "action"))
    return Table(columns, rows, dates=(0,))


def world_section(end: Moment, changes: pd.DataFrame, geometry: dict, year: int, complete: bool, lang: str) -> Section:
    blocks = [
        Block("figure", figure=map_figure(end, geometry, year, complete, lang)),
        Block("figure", figure=timeline_figure(end, lang)),
        _heading(t("report.changes_title", lang, year=year)),
    ]
    if len(changes):
        blocks.append(_paragraph(t_count("report.changes_count", lang, len(changes), year=year)))
        blocks.append(_table(changes_table(changes, lang)))
    else:
        blocks.append(_paragraph(t("report.no_changes", lang, year=year)))
    return Section("world", t("report.section_world", lang), tuple(blocks), t("report.source_treaty", lang))


# The road ahead: who is left, with the strategy's shares.


def _flag_text(value, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return t("flag.unknown", lang)
    return t("flag.yes", lang) if value else ""


def _count_flag(values: pd.Series) -> int:
    return int(sum(1 for value in values if value is True))


def road_section(end: Moment, lang: str) -> Section:
    rows, coverage = figures.non_parties(end.snapshot)
    rows = rows[rows.kind == "member"]
    shares = figures.strategy_figures(end.snapshot)
    non_parties, oda = len(shares["non_parties"]), len(shares["non_parties_oda"])
    sids_cp = len(shares["non_parties_oda_sids_cp"])
    blocks = [_paragraph(t_count("report.road_count", lang, non_parties, members=UN_MEMBERS, date=fmt_date(end.day_shown, lang)))]
    if coverage == "unknown":
        blocks.append(_paragraph(t("report.road_oda_unknown", lang)))
    elif non_parties:
        blocks.append(
            _paragraph(
                t(
                    "report.road_shares",
                    lang,
                    oda=fmt_number(oda, lang),
                    count=fmt_number(non_parties, lang),
                    oda_share=fmt_percent(oda / non_parties, lang),
                    sids=fmt_number(sids_cp, lang),
                    sids_share=fmt_percent(sids_cp / oda, lang) if oda else fmt_percent(0, lang),
                    caribbean=fmt_number(len(shares["non_parties_oda_sids_caribbean"]), lang),
                    pacific=fmt_number(len(shares["non_parties_oda_sids_pacific"]), lang),
                )
            )
        )
        if coverage == "extrapolated":
            blocks.append(_note(t("common.oda_extrapolated", lang)))
    by_region = []
    for name, part in sorted(rows.groupby("m49_region"), key=lambda item: region(item[0], lang)):
        by_region.append(
            (
                region(name, lang),
                fmt_number(len(part), lang),
                fmt_number(int((part.status == "signatory").sum()), lang),
                fmt_number(int((part.status == "no_action").sum()), lang),
                fmt_number(_count_flag(part.ODA), lang) if coverage != "unknown" else t("flag.unknown", lang),
                fmt_number(_count_flag(part.LDC), lang),
                fmt_number(_count_flag(part.SIDS), lang),
            )
        )
    if by_region:
        columns = (
            t("column.region", lang),
            t("report.column_not_party", lang),
            t("status.signatory", lang),
            t("status.no_action", lang),
            t("group_short.ODA", lang),
            t("group_short.LDC", lang),
            t("group_short.SIDS", lang),
        )
        blocks.append(_table(Table(columns, tuple(by_region), t("report.road_by_region", lang), numeric=(1, 2, 3, 4, 5, 6))))
        ordered = rows.sort_values(["m49_region", name_column(lang)])
        states = tuple(
            (
                _name(row, lang),
                t(f"status.{row.status}", lang),
                fmt_date(_day(row.signature_date), lang) if _day(row.signature_date) else "",
                region(row.m49_subregion, lang),
                _flag_text(row.ODA, lang),
                _flag_text(row.LDC, lang),
                _flag_text(row.SIDS, lang),
            )
            for row in ordered.itertuples(index=False)
        )
        columns = (
            t("column.state", lang),
            t("column.status", lang),
            t("column.signature_date", lang),
            t("column.subregion", lang),
            t("group_short.ODA", lang),
            t("group_short.LDC", lang),
            t("group_short.SIDS", lang),
        )
        blocks.append(_table(Table(columns, states, t("report.road_states", lang), dates=(2,))))
    blocks.append(_note(t("report.road_definitions", lang, date=fmt_date(end.day_shown, lang))))
    return Section("road", t("report.section_road", lang), tuple(blocks), t("report.source_road", lang))


# Reporting to the Committee against Torture: initial reports, LDC and SIDS first.


def _submitted_in(row, year: int) -> bool:
    """The submission's period (a day, a month or a year) lies in `year`; a bound alone ("received by") does not say when."""
    if row.date_precision == "year":
        return not pd.isna(row.submitted_year) and int(row.submitted_year) == year
    day = _day(row.submitted_date)
    return day is not None and day.year == year


def _received(row, lang: str) -> str:
    day = _day(row.submitted_date)
    if row.date_precision == "year":
        return str(int(row.submitted_year))
    if row.date_precision == "month":
        return fmt_month(day, lang)
    return fmt_date(day, lang)


def _priority(groups: pd.DataFrame, lang: str) -> dict[str, str]:
    """ISO3 -> "LDC", "SIDS" or "LDC, SIDS" (in the language: « PMA, PEID ») for the states in those groups on the day."""
    found: dict[str, list[str]] = {}
    for code in PRIORITY:
        for iso3 in groups.loc[groups.group_code == code, "iso3"]:
            found.setdefault(iso3, []).append(t(f"group_short.{code}", lang))
    return {iso3: ", ".join(codes) for iso3, codes in found.items()}


def known(level, source, lang: str, symbol=None, owner: str = "committee") -> str:
    """How a fact is known, in a table cell: "primary: CAT/C/SOM/1", "secondary: APT", "inferred: CAT/C/MWI/CO/1".

    The reference is a UN symbol, a site's name or a compilation's; a source given only in words (in the language it
    was read in) is named by its owner instead, so that a French report does not quote an English description.
    """
    if not isinstance(level, str) or not level:
        return t("report.no_record", lang)
    if isinstance(symbol, str) and symbol:
        reference = symbol
    elif isinstance(source, str) and source.startswith("APT"):
        reference = "APT"  # "APT legal indicators (the workbook's file and sheet)": the compilation's name is enough here
    else:
        reference = short_source(source, lang)
        if " " in reference and reference not in NAMED_SOURCES:
            reference = t(f"level.owner_{owner}", lang) if level == "primary" else t("report.a_compilation", lang)
    return t(f"report.known_{level}", lang, ref=reference)


def _how_known(row, lang: str) -> str:
    return known(row.submission_level, row.submission_source, lang, row.symbol)


def submitted_in_year(reports: pd.DataFrame, end: Moment, year: int, lang: str) -> tuple[Table, int]:
    names = end.status.set_index("iso3")[name_column(lang)]
    flags = _priority(end.groups, lang)
    chosen = [row for row in reports.itertuples(index=False) if _submitted_in(row, year) and _day(row.known_by) <= end.day_shown]
    chosen.sort(
        key=lambda row: (row.iso3 not in flags, _day(row.submitted_date) or date(year, 12, 31), names.get(row.iso3, row.iso3))
    )
    rows = tuple(
        (
            names.get(row.iso3, row.iso3),
            flags.get(row.iso3, ""),
            row.symbol if isinstance(row.symbol, str) else "—",
            _received(row, lang),
            fmt_date(_day(row.due_date), lang),
            _how_known(row, lang),
        )
        for row in chosen
    )
    columns = tuple(t(f"report.column_{c}", lang) for c in ("state", "priority", "symbol", "received", "due", "known"))
    return Table(columns, rows, dates=(3, 4)), sum(1 for row in chosen if row.iso3 in flags)


def overdue_at(reports: pd.DataFrame, end: Moment, lang: str) -> tuple[Table, int]:
    """Initial reports due before the day and not surely received by it, from parties on the day: LDC and SIDS
    first, then the longest overdue (the rule of engagement_as_of and the calendar)."""
    status = end.status.set_index("iso3")
    names = status[name_column(lang)]
    parties = set(status.index[status.status == "party"])
    flags = _priority(end.groups, lang)
    day = end.day_shown
    chosen = [
        row
        for row in reports.itertuples(index=False)
        if row.iso3 in parties and _day(row.due_date) < day and (_day(row.known_by) is None or _day(row.known_by) > day)
    ]
    chosen.sort(key=lambda row: (row.iso3 not in flags, _day(row.due_date), names.get(row.iso3, row.iso3)))
    rows = tuple(
        (
            names.get(row.iso3, row.iso3),
            flags.get(row.iso3, ""),
            fmt_date(_day(row.due_date), lang),
            fmt_number(opportunities.whole_years(_day(row.due_date), day), lang),
            _how_known(row, lang),
        )
        for row in chosen
    )
    columns = tuple(t(f"report.column_{c}", lang) for c in ("state", "priority", "due", "years_overdue", "known"))
    return Table(columns, rows, numeric=(3,), dates=(2,)), sum(1 for row in chosen if row.iso3 in flags)


def reporting_section(reports: pd.DataFrame, end: Moment, year: int, complete: bool, lang: str) -> Section:
    submitted, submitted_priority = submitted_in_year(reports, end, year, lang)
    overdue, overdue_priority = overdue_at(reports, end, lang)
    at = when(complete, end.day_shown, lang)
    blocks = [_paragraph(t("report.reporting_intro", lang)), _heading(t("report.submitted_title", lang, year=year))]
    if submitted.rows:
        blocks.append(
            _paragraph(
                t_count(
                    "report.submitted_count", lang, len(submitted.rows), year=year, priority=fmt_number(submitted_priority, lang)
                )
            )
        )
        blocks.append(_table(submitted))
    else:
        blocks.append(_paragraph(t("report.submitted_none", lang, year=year)))
    bounded = [
        row
        for row in reports.itertuples(index=False)
        if _day(row.submitted_date) is None
        and _day(row.received_by) is not None
        and _day(row.received_by).year == year
        and _day(row.received_by) <= end.day_shown
    ]
    if bounded:
        names = end.status.set_index("iso3")[name_column(lang)]
        items = [
            t("report.received_by_item", lang, state=names.get(row.iso3, row.iso3), date=fmt_date(_day(row.received_by), lang))
            for row in sorted(bounded, key=lambda row: _day(row.received_by))
        ]
        blocks.append(_note(t_count("report.received_by", lang, len(bounded), year=year, names=fmt_list(items, lang))))
    blocks.append(_heading(t("report.overdue_title", lang, when=at)))
    if overdue.rows:
        blocks.append(
            _paragraph(
                t_count("report.overdue_count", lang, len(overdue.rows), when=at, priority=fmt_number(overdue_priority, lang))
            )
        )
        blocks.append(_table(overdue))
    else:
        blocks.append(_paragraph(t("report.overdue_none", lang, when=at)))
    blocks.append(_note(t("report.reporting_definitions", lang)))
    return Section("reporting", t("report.section_reporting", lang), tuple(blocks), t("report.source_reporting", lang))


# The UPR: the year's reviews of states not party, what they were recommended, and supported commitments still open.


def _review_day(row) -> date | None:
    return _day(row.review_date) or _day(row.start_date)


def _review_when(row, lang: str) -> str:
    if _day(row.review_date):
        return fmt_date(_day(row.review_date), lang)
    day = _day(row.start_date)
    if row.date_precision == "year":
        return str(day.year)
    if row.date_precision == "month":
        return fmt_month(day, lang)
    return fmt_date(day, lang)


def _review_known(row, lang: str) -> str:
    if row.level == "inferred":
        return t("report.known_inferred", lang, ref=t("level.rule_cycle", lang))
    return known(row.level, row.source, lang, owner="upr")


def reviews_of_non_parties(reviews: pd.DataFrame, start: Moment, end: Moment) -> pd.DataFrame:
    """Reviews whose day falls in the span, of states not party at its start (signatories or no action)."""
    not_party = set(start.status.loc[start.status.status != "party", "iso3"])
    days = [_review_day(row) for row in reviews.itertuples(index=False)]
    in_span = [day is not None and start.day_shown < day <= end.day_shown for day in days]
    chosen = reviews[pd.Series(in_span, index=reviews.index) & reviews.iso3.isin(not_party)]
    return chosen.assign(day=[_review_day(row) for row in chosen.itertuples(index=False)]).sort_values(["day", "iso3"])


def open_commitments(end: Moment, recommendations: pd.DataFrame) -> pd.DataFrame:
    """Supported recommendations to ratify CAT or OPCAT or to declare under art. 22 still not acted on at the end of the
    span: the engagement calendar's rule (app.opportunities.open_recommendations), one row per state and target."""
    rows = opportunities.open_recommendations(end.day_shown, end.status, recommendations)
    return pd.DataFrame(rows, columns=opportunities.COLUMNS)


def upr_section(facts: dict, start: Moment, end: Moment, year: int, complete: bool, lang: str) -> Section:
    reviews = reviews_of_non_parties(facts["reviews"], start, end)
    recs = facts["recommendations"]
    names = end.status.set_index("iso3")[name_column(lang)]
    before, after = start.status.set_index("iso3").status, end.status.set_index("iso3").status
    blocks = [_paragraph(t("report.upr_intro", lang))]
    if len(reviews):
        blocks.append(_paragraph(t_count("report.upr_reviews_count", lang, len(reviews), year=year)))
        rows = []
        for row in reviews.itertuples(index=False):
            received = recs[(recs.iso3 == row.iso3) & (recs.cycle == row.cycle)]
            counts = received.response.value_counts()
            status_text = t(f"status.{before[row.iso3]}", lang)
            if after[row.iso3] != before[row.iso3]:
                status_text = t("report.status_change", lang, before=status_text, after=t(f"status.{after[row.iso3]}", lang))
            rows.append(
                (
                    names[row.iso3],
                    status_text,
                    t("report.review_session", lang, session=int(row.session), cycle=int(row.cycle)),
                    _review_when(row, lang),
                    " · ".join(
                        f"{t(f'profile.response_{k}', lang)} {fmt_number(int(counts.get(k, 0)), lang)}"
                        for k in ("supported", "noted", "pending")
                    )
                    if len(received)
                    else "—",
                    _review_known(row, lang),
                )
            )
        columns = tuple(
            t(f"report.column_{c}", lang) for c in ("state", "status", "session", "review_date", "responses", "known")
        )
        blocks.append(_table(Table(columns, tuple(rows), dates=(3,))))
        received = recs.merge(reviews[["iso3", "cycle"]], on=["iso3", "cycle"])
        if len(received):
            blocks.append(_heading(t("report.upr_recs_title", lang)))
            counts = received.response.value_counts()
            blocks.append(
                _paragraph(
                    t_count(
                        "report.upr_recs_count",
                        lang,
                        len(received),
                        **{
                            k: t_count(f"profile.recs_{k}", lang, int(counts.get(k, 0)))
                            for k in ("supported", "noted", "pending")
                        },
                    )
                )
            )
            recommending = f"recommending_{normalise(lang)}"
            rec_rows = tuple(
                (
                    names[row.iso3],
                    str(getattr(row, recommending) or "—"),
                    t(f"treaty.{row.treaty}", lang) if row.treaty in ("CAT", "OPCAT") else t("report.treaty_both", lang),
                    t(f"profile.action_{row.action}", lang),
                    t(f"profile.response_{row.response}", lang),
                )
                for row in received.sort_values(["iso3", recommending]).itertuples(index=False)
            )
            columns = tuple(t(f"report.column_{c}", lang) for c in ("state", "recommending", "treaty", "action", "response"))
            blocks.append(_table(Table(columns, rec_rows)))
        else:
            last = facts["currency"]["last_recommendation_session"]
            blocks.append(_paragraph(t("report.upr_no_recs", lang, session=last)))
    else:
        blocks.append(_paragraph(t("report.upr_no_reviews", lang, year=year)))
    blocks += commitments_blocks(open_commitments(end, recs), end, complete, lang)
    return Section("upr", t("report.section_upr", lang), tuple(blocks), t("report.source_upr", lang))


def commitments_blocks(rows: pd.DataFrame, end: Moment, complete: bool, lang: str) -> list[Block]:
    """Supported commitments still open: those to ratify the Convention in a table, the others named by count."""
    names = end.status.set_index("iso3")[name_column(lang)]
    at = when(complete, end.day_shown, lang)
    blocks = [_heading(t("report.open_title", lang, when=at))]
    cat = rows[rows.target == "CAT"].sort_values(["start", "iso3"])
    if len(cat):
        blocks.append(_paragraph(t_count("report.open_cat_count", lang, len(cat), when=at)))
        table_rows = tuple(
            (
                names[row.iso3],
                t(f"status.{end.status.set_index('iso3').status[row.iso3]}", lang),
                t("report.review_session", lang, session=int(row.session), cycle=int(row.cycle)),
                fmt_number(int(row.supported), lang),
                fmt_number(int(row.years), lang),
            )
            for row in cat.itertuples(index=False)
        )
        columns = tuple(t(f"report.column_{c}", lang) for c in ("state", "status", "first_supported", "supported", "years_open"))
        blocks.append(_table(Table(columns, table_rows, numeric=(3, 4))))
    else:
        blocks.append(_paragraph(t("report.open_cat_none", lang, when=at)))
    for target in ("OPCAT", "ART22"):
        part = rows[rows.target == target]
        if len(part):
            listed = fmt_list(sorted(names[iso3] for iso3 in part.iso3), lang)
            blocks.append(_paragraph(t_count(f"report.open_{target.lower()}_count", lang, len(part), names=listed)))
    blocks.append(_note(t("report.open_definition", lang)))
    return blocks


# The Secretariat's targets and its public activities.


def targets_section(facts: dict, end: Moment, year: int, lang: str) -> Section:
    cutoff = public_cutoff(end.day_shown)
    progress = yearly_progress(facts["totals"], facts["targets"], end.day_shown)
    blocks = []
    if cutoff.year < year:
        blocks.append(_paragraph(t("report.targets_no_month", lang, year=year)))
    else:
        blocks.append(_paragraph(t("report.targets_intro", lang, month=fmt_month(cutoff, lang))))
    rows = []
    for metric in METRICS:
        found = progress[progress.metric == metric]
        if found.empty:
            continue
        item = found.iloc[0]
        if item.status == "no_target":
            target = t("targets.no_target", lang)
        else:
            target = t(
                "targets.target_line",
                lang,
                comparator=t(f"targets.comparator.{item.comparator}", lang),
                value=int(item.target),
                strategy=strategy_name(item.strategy, lang),
            )
        records = int(item.sample_records), int(item.real_records)
        rows.append(
            (
                t(f"targets.metric.{metric}", lang),
                fmt_number(int(item.actual), lang),
                target,
                t(f"target_status.{item.status}", lang),
                fmt_number(records[1], lang),
                fmt_number(records[0], lang),
            )
        )
    columns = (
        t("targets.column_metric", lang),
        t("targets.column_actual", lang),
        t("targets.column_target", lang),
        t("targets.column_status", lang),
        t("report.column_real", lang),
        t("report.column_sample", lang),
    )
    blocks.append(_table(Table(columns, tuple(rows), numeric=(1, 4, 5))))
    sample, real = int(progress.sample_records.sum()), int(progress.real_records.sum())
    if sample:
        blocks.append(
            _paragraph(
                t(
                    "report.targets_sample",
                    lang,
                    sample=t_count("records.sample_records", lang, sample),
                    real=t_count("records.real_records", lang, real),
                )
            )
        )
    blocks.append(_note(t("report.targets_definitions", lang)))
    blocks.append(_heading(t("report.public_title", lang, year=year)))
    public = facts["public"]
    real_public = public[~public.is_sample.astype(bool)]
    if len(real_public):
        state = f"public_state_{normalise(lang)}"
        activity_rows = tuple(
            (
                period_text(row.start_date, row.end_date, row.date_precision),
                t(f"activity_kind.{row.kind}", lang),
                getattr(row, state) if isinstance(getattr(row, state), str) else "—",
                row.title,
                short_source(row.source, lang),
            )
            for row in real_public.itertuples(index=False)
        )
        columns = tuple(t(f"report.column_{c}", lang) for c in ("when", "kind", "state", "title", "source"))
        blocks.append(_paragraph(t_count("report.public_count", lang, len(real_public), year=year)))
        blocks.append(_table(Table(columns, activity_rows, dates=(0,))))
    else:
        blocks.append(_paragraph(t("report.public_none", lang, year=year)))
    sample_public = int(public.is_sample.astype(bool).sum())
    if sample_public:
        blocks.append(_note(t_count("report.public_sample", lang, sample_public)))
    return Section("targets", t("report.section_targets", lang), tuple(blocks), t("forum.targets_source", lang))


# The annex: definitions, sources, the data's dates, the disclaimer.


def annex_section(facts: dict, end: Moment, generated: date, lang: str) -> Section:
    datasets = facts["datasets"]
    dates = {row.dataset: _day(row.as_of) for row in datasets.itertuples(index=False)}
    blocks = [_heading(t("report.annex_definitions", lang))]
    blocks += [_paragraph(t(f"report.definition_{key}", lang)) for key in DEFINITIONS]
    blocks.append(_heading(t("report.annex_sources", lang)))
    blocks.append(_paragraph(t("report.source_line_treaty", lang, date=fmt_date(end.snapshot.data_as_of, lang))))
    blocks += [_paragraph(t(f"report.source_line_{key}", lang)) for key in SOURCES]
    blocks.append(_heading(t("report.annex_dates", lang)))
    blocks.append(
        _paragraph(
            t(
                "report.dates_line",
                lang,
                as_of=fmt_date(end.day_shown, lang),
                treaty=fmt_date(dates.get("treaty_events") or end.snapshot.data_as_of, lang),
                generated=fmt_date(generated, lang),
            )
        )
    )
    blocks.append(_heading(t("report.annex_disclaimer", lang)))
    blocks.append(_paragraph(t("map.disclaimer", lang)))
    blocks.append(_paragraph(t("report.draft_disclaimer", lang)))
    return Section("annex", t("report.section_annex", lang), tuple(blocks))


DEFINITIONS = ("party", "universes", "entry_into_force", "initial_report", "upr", "groups", "levels", "activities")
SOURCES = ("groups", "upr", "reports", "activities", "boundaries")


def build(
    start: Snapshot,
    end: Snapshot,
    facts: dict,
    geometry: dict,
    year: int,
    lang: str,
    generated: date,
) -> Report:
    """The annual report of `year` in `lang`.

    start, end: the snapshots of 31 December of the year before and of the year's last day (year_end);
    facts: queries.annual_report_facts(year, that day); geometry: the map's shapes; generated: the day it is drawn up.
    """
    lang = normalise(lang)
    data_as_of = end.data_as_of
    as_of = year_end(year, data_as_of)
    complete = as_of == date(year, 12, 31)
    first, last = Moment(start, date(year - 1, 12, 31)), Moment(end, as_of)
    changes = facts["changes"]
    sections = (
        summary_section(first, last, changes, year, complete, lang),
        world_section(last, changes, geometry, year, complete, lang),
        road_section(last, lang),
        reporting_section(facts["reports"], last, year, complete, lang),
        upr_section(facts, first, last, year, complete, lang),
        targets_section(facts, last, year, lang),
        annex_section(facts, last, generated, lang),
    )
    cover = [
        t("report.cover_draft", lang, date=fmt_date(generated, lang)),
        t("report.cover_as_of", lang, date=fmt_date(as_of, lang))
        if complete
        else t("report.cover_partial", lang, date=fmt_date(as_of, lang), year=year),
        t("report.cover_data", lang, date=fmt_date(data_as_of, lang)),
        t("report.cover_language", lang, language=languages()[lang]),
    ]
    after, joined = figures.headline(last.status), _of_events(changes, "CAT", CONSENTS)
    key_figures = (
        (fmt_number(after["parties"], lang), t("report.key_parties", lang, when=when(complete, as_of, lang))),
        (
            t("report.key_members_value", lang, parties=fmt_number(after["member_parties"], lang), members=UN_MEMBERS),
            t("report.key_members", lang),
        ),
        (fmt_number(len(joined), lang), t_count("report.key_joined", lang, len(joined), year=year)),
    )
    return Report(
        year=year,
        lang=lang,
        start=first.day_shown,
        as_of=as_of,
        data_as_of=data_as_of,
        complete=complete,
        generated=generated,
        title=t("report.title", lang, year=year),
        subtitle=t("report.subtitle", lang),
        cover=tuple(cover),
        key_figures=key_figures,
        sections=sections,
        disclaimer=t("map.disclaimer", lang),
        footer=t("report.footer", lang, year=year, date=fmt_date(generated, lang)),
    )
