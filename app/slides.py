"""The annual forum deck: slides built from two snapshots and the forum's facts, public by construction (no Streamlit).

Every slide is a plain value (title, big lines, an optional chart or table, speaker notes and the
as-of and source lines), so the forum page shows it and app.deck writes it to PPTX unchanged.
Only public information is used: treaty facts, and activity totals (never per-state activity).
The inputs: the snapshots of the as-of date and of the "since" date (app.snapshot), the facts
between them (queries.forum_facts) and the map's shapes; never the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from app import charts, figures, maps, series, tables
from app.targets import METRICS, public_cutoff, strategy_years, yearly_progress
from core.i18n import as_of_and_source, colon, fmt_date, fmt_number, fmt_percent, name_column, region, strategy_name, t, t_count

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

SECTIONS = ("headline", "map", "timeline", "changes", "targets", "remaining")


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    lines: tuple[str, ...] = ()
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    notes: str = ""
    footer: tuple[str, ...] = field(default_factory=tuple)
    # The slide's key figure, drawn as a big number ("173 of 193"), with what it counts under it.
    figure: str = ""
    figure_caption: str = ""
    # Beside the chart: headed lists of names ("Asia", "Bhutan, Brunei Darussalam (signatory), ...").
    names: tuple[tuple[str, str], ...] = ()
    # Rows of `table` left out of a projected slide (they are in the speaker notes).
    more: str = ""


# The rows of a table a projected slide shows at 24 px or more; the others are counted under it.
SLIDE_TABLE_ROWS = 10


def footer_lines(as_of: date, latest: date, lang: str, source: str | None = None) -> tuple[str, ...]:
    return tuple(as_of_and_source(lang, as_of, latest, source))


def for_projector(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Larger type for a room: axis, legend and title fonts sized to be read from the back."""
    return (
        chart.configure_axis(labelFontSize=18, titleFontSize=18)
        .configure_legend(labelFontSize=18, titleFontSize=18, symbolSize=220, labelLimit=0)
        .configure_title(fontSize=22)
    )


def _names(rows: pd.DataFrame, lang: str) -> str:
    return ", ".join(rows[name_column(lang)].tolist())


def headline_slide(
    today: Snapshot, then: Snapshot, facts: dict[str, pd.DataFrame], as_of: date, since: date, latest: date, lang: str
) -> Slide:
    now = figures.headline(today.status)
    before = figures.headline(then.status)
    share = now["member_parties"] / now["members"]
    joined = facts["joined"]
    members_joined = joined[joined.kind == "member"]
    figure = t("forum.headline_figure", lang, parties=fmt_number(now["member_parties"], lang), members=now["members"])
    caption = t("forum.headline_figure_caption", lang, share=fmt_percent(share, lang))
    lines = [
        t("forum.headline_all", lang, parties=fmt_number(now["parties"], lang), states=now["states"]),
        t(
            "forum.headline_change" if now["member_parties"] != before["member_parties"] else "forum.headline_no_change",
            lang,
            change=fmt_number(now["member_parties"] - before["member_parties"], lang),
            since=fmt_date(since, lang),
        ),
    ]
    if len(members_joined):
        lines.append(t("forum.headline_joined", lang, names=_names(members_joined, lang)))
    notes = t(
        "forum.notes_headline",
        lang,
        parties=now["member_parties"],
        members=now["members"],
        share=fmt_percent(share, lang),
        all_parties=now["parties"],
        states=now["states"],
        before=before["member_parties"],
        since=fmt_date(since, lang),
        as_of=fmt_date(as_of, lang),
    )
    return Slide(
        "headline",
        t("forum.title_headline", lang),
        tuple(lines),
        notes=notes,
        footer=footer_lines(as_of, latest, lang),
        figure=figure,
        figure_caption=caption,
    )


def map_slide(today: Snapshot, geometry: dict, as_of: date, latest: date, lang: str) -> Slide:
    frame = maps.map_frame(today.status, today.groups, {}, maps.MapOptions(), lang)
    counts = maps.legend_counts(frame)
    line = " · ".join(f"{t(f'status.{s}', lang)}{colon(lang)}{fmt_number(n, lang)}" for s, n in counts.items())
    notes = t("forum.notes_map", lang, as_of=fmt_date(as_of, lang), **{k: v for k, v in counts.items()})
    footer = (*footer_lines(as_of, latest, lang), t("map.disclaimer", lang))
    return Slide(
        "map", t("forum.title_map", lang), (line,), chart=maps.static_map_chart(geometry, frame, lang), notes=notes, footer=footer
    )


def timeline_slide(today: Snapshot, as_of: date, latest: date, lang: str) -> Slide:
    status = figures.in_universe(today.status, "members")
    cumulative = series.cumulative(status, as_of)
    chart = charts.cumulative_chart(cumulative, len(status), lang, annotation_size=18).properties(
        width=charts.EXPORT_WIDTH, height=380
    )
    parties = int((status.status == "party").sum())
    notes = t("forum.notes_timeline", lang, parties=parties, members=len(status), as_of=fmt_date(as_of, lang))
    return Slide("timeline", t("forum.title_timeline", lang), chart=chart, notes=notes, footer=footer_lines(as_of, latest, lang))


def changes_for_slide(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Treaty actions as a slide shows them: the date in words, the state's name, the treaty, the action (no link)."""
    return pd.DataFrame(
        {
            t("column.date", lang): [fmt_date(pd.Timestamp(day).date(), lang) for day in changes.event_date],
            t("column.state", lang): changes[name_column(lang)].tolist(),
            t("column.treaty", lang): changes.treaty.map(lambda x: t(f"treaty.{x}", lang)).tolist(),
            t("column.action", lang): changes.event.map(lambda e: t(f"event.{e}", lang)).tolist(),
        }
    )


def more_rows(table: pd.DataFrame | None, lang: str) -> str:
    """ "and 3 more (in the speaker notes)" for the rows of a table a slide leaves out, or ""."""
    if table is None or len(table) <= SLIDE_TABLE_ROWS:
        return ""
    return t_count("forum.more_rows", lang, len(table) - SLIDE_TABLE_ROWS)


def changes_slide(facts: dict[str, pd.DataFrame], as_of: date, since: date, latest: date, lang: str) -> Slide:
    table = changes_for_slide(facts["changes"], lang)
    if table.empty:
        lines: tuple[str, ...] = (t("forum.no_changes", lang, since=fmt_date(since, lang)),)
    else:
        lines = (t_count("forum.changes_count", lang, len(table), since=fmt_date(since, lang)),)
    listed = "; ".join(" ".join(str(v) for v in row) for row in table.itertuples(index=False)) or "—"
    notes = t(
        "forum.notes_changes", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang), count=len(table), listed=listed
    )
    return Slide(
        "changes",
        t("forum.title_changes", lang, since=fmt_date(since, lang)),
        lines,
        table=table,
        notes=notes,
        footer=footer_lines(as_of, latest, lang),
        more=more_rows(table, lang),
    )


def targets_slide(facts: dict[str, pd.DataFrame], as_of: date, latest: date, lang: str) -> Slide:
    """Each year of the strategy period against its targets: totals only, never which state.

    facts: the `targets` and the yearly `totals` of the strategy's years (queries.targets_facts).
    """
    targets, totals = facts["targets"], facts["totals"]
    found = strategy_years(targets, as_of)
    title = t("forum.title_targets", lang)
    source = t("forum.targets_source", lang)
    if found is None:
        return Slide("targets", title, (t("forum.no_targets", lang),), footer=footer_lines(as_of, latest, lang, source))
    strategy, years = found
    progress = yearly_progress(totals, targets, as_of).set_index(["metric", "year"])
    measure = t("targets.column_metric", lang)
    cutoff = public_cutoff(as_of)  # public totals only, to the end of the last complete month

    def heading(year: int) -> str:
        if year == cutoff.year and cutoff < date(year, 12, 31):
            return t("forum.year_to_month", lang, year=year, date=fmt_date(cutoff, lang))
        return str(year)

    rows = []
    for metric in METRICS:
        row = {measure: t(f"targets.metric.{metric}", lang)}
        for year in years:
            item = progress.loc[(metric, year)]
            cell = f"{fmt_number(int(item.actual), lang)} — {t(f'target_status.{item.status}', lang)}"
            if item.sample_records:  # a figure counting sample records says so, beside real ones
                cell += f" ({t('records.slide_mixed' if item.real_records else 'records.slide_sample', lang)})"
            row[heading(year)] = cell
        rows.append(row)
    table = pd.DataFrame(rows)
    sample, real = int(progress.sample_records.sum()), int(progress.real_records.sum())
    lines = [t("forum.targets_strategy", lang, strategy=strategy_name(strategy, lang))]
    last = int(pd.to_datetime(targets[targets.strategy == strategy].period_end).max().year)
    if years[-1] > last:  # the current year, after the strategy's period
        lines.append(t("forum.current_year_line", lang, year=years[-1], date=fmt_date(cutoff, lang), last=last))
    if sample:
        lines.append(tables.sample_line(sample, real, lang))
        # What the marks beside the figures mean, in one line (the targets page explains its counts the same way).
        marks = {"sample": t("records.slide_sample", lang), "mixed": t("records.slide_mixed", lang)}
        lines.append(t("forum.records_explained", lang, **marks))
    listed = "; ".join(
        f"{year} {t(f'targets.metric.{metric}', lang)}{colon(lang)}{int(progress.loc[(metric, year)].actual)} "
        f"({t(f'target_status.{progress.loc[(metric, year)].status}', lang)})"
        for year in years
        for metric in METRICS
    )
    notes = t("forum.notes_targets", lang, strategy=strategy_name(strategy, lang), listed=listed, sample=sample)
    return Slide("targets", title, tuple(lines), table=table, notes=notes, footer=footer_lines(as_of, latest, lang, source))


def remaining_slide(today: Snapshot, as_of: date, latest: date, lang: str) -> Slide:
    rows, _ = figures.non_parties(today)
    rows = rows[rows.kind == "member"]
    frame = pd.DataFrame({"iso3": rows.iso3, "status": rows.status, "category": rows.m49_region.map(lambda r: region(r, lang))})
    chart = charts.remaining_chart(frame, lang).properties(width=charts.EXPORT_WIDTH)
    shares = figures.strategy_figures(today)
    non_parties, oda = len(shares["non_parties"]), len(shares["non_parties_oda"])
    sids_cp = len(shares["non_parties_oda_sids_cp"])
    lines = [t_count("forum.remaining_count", lang, non_parties)]
    if shares["oda_list"] == "unknown":
        lines.append(t("forum.oda_unknown", lang))
    elif non_parties:
        lines.append(t("forum.oda_share", lang, oda=oda, count=non_parties, share=fmt_percent(oda / non_parties, lang)))
        if oda:
            lines.append(t("forum.sids_share", lang, sids=sids_cp, oda=oda, share=fmt_percent(sids_cp / oda, lang)))
    notes = t("forum.notes_remaining", lang, as_of=fmt_date(as_of, lang), count=non_parties, oda=oda, sids=sids_cp)
    return Slide(
        "remaining",
        t("forum.title_remaining", lang),
        tuple(lines),
        chart=chart,
        notes=notes,
        footer=footer_lines(as_of, latest, lang),
        names=remaining_names(rows, lang) if len(rows) <= MAX_NAMED else (),
    )


# The most states "Who is left" names beside its chart (20 today): more would not be read from the back of a room.
MAX_NAMED = 30


def remaining_names(rows: pd.DataFrame, lang: str) -> tuple[tuple[str, str], ...]:
    """The UN member states not party, by region (the chart's order: most first), each signatory said so."""
    signatory = t("status.signatory", lang).lower()
    names = rows.assign(
        region_name=rows.m49_region.map(lambda r: region(r, lang)),
        shown=[
            f"{name} ({signatory})" if status == "signatory" else name
            for name, status in zip(rows[name_column(lang)], rows.status, strict=True)
        ],
    )
    ordered = names.groupby("region_name").size().reset_index(name="n").sort_values(["n", "region_name"], ascending=[False, True])
    return tuple(
        (f"{where} ({fmt_number(int(n), lang)})", ", ".join(sorted(names[names.region_name == where].shown, key=str.casefold)))
        for where, n in zip(ordered.region_name, ordered.n, strict=True)
    )


def build(
    today: Snapshot, then: Snapshot, facts: dict[str, pd.DataFrame], geometry: dict, as_of: date, since: date, lang: str
) -> list[Slide]:
    """The forum deck, one slide per section, in the order of SECTIONS.

    today, then: the snapshots of `as_of` and of `since`; facts: queries.forum_facts(as_of, since);
    geometry: the map's shapes (data/geo/states.geojson).
    """
    return [build_one(section, today, then, facts, geometry, as_of, since, lang) for section in SECTIONS]


# The slides that read queries.forum_facts (the others read only the snapshots).
NEEDS_FACTS = frozenset({"headline", "changes", "targets"})


def build_one(
    section: str, today: Snapshot, then: Snapshot | None, facts, geometry: dict, as_of: date, since: date, lang: str
) -> Slide:
    """One slide of the deck (a page shows one at a time: the others are not built for it); `then` is needed by the
    headline only, `facts` by NEEDS_FACTS."""
    latest = today.data_as_of
    if section == "headline":
        return headline_slide(today, then, facts, as_of, since, latest, lang)
    if section == "map":
        return map_slide(today, geometry, as_of, latest, lang)
    if section == "timeline":
        return timeline_slide(today, as_of, latest, lang)
    if section == "changes":
        return changes_slide(facts, as_of, since, latest, lang)
    if section == "targets":
        return targets_slide(facts, as_of, latest, lang)
    if section == "remaining":
        return remaining_slide(today, as_of, latest, lang)
    raise KeyError(section)
