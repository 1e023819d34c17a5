"""Pure Altair chart builders (data + language -> alt.Chart) of the pages but the map and calendar; PNG/SVG export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import vl_convert

from app import palette
from app.palette import TARGET, TARGET_MARK
from app.targets import STATUSES
from core.i18n import fmt_date, t
from core.treaty_rules import CONVENTION_IN_FORCE, CTI_LAUNCH, OPENED_FOR_SIGNATURE, STRATEGY_PERIODS, UNIVERSALITY_GOAL_YEAR

WIDTH = "container"
HEIGHT = 320
EXPORT_WIDTH = 800
YEAR_AXIS = alt.Axis(format="%Y", labelAngle=0, title=None)
# A long axis title ("Estados Miembros de las Naciones Unidas partes") read upwards was longer than the
# plot is tall and cut at both ends: it is written across, above the axis.
ABOVE_THE_AXIS = alt.Axis(titleAngle=0, titleAlign="left", titleAnchor="start", titleBaseline="bottom", titleX=0, titleY=-8)


def _status_scale(lang: str, statuses: tuple[str, ...]) -> alt.Scale:
    return alt.Scale(domain=[t(f"status.{s}", lang) for s in statuses], range=[palette.STATUS[s] for s in statuses])


def _consent_scale(lang: str) -> alt.Scale:
    return alt.Scale(domain=[t(f"consent.{c}", lang) for c in palette.CONSENT], range=list(palette.CONSENT.values()))


def annotations(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fixed dates (events) and the CTI strategy periods drawn on the timeline, labelled in the language."""
    events = pd.DataFrame(
        {
            "date": pd.to_datetime([OPENED_FOR_SIGNATURE, CONVENTION_IN_FORCE, CTI_LAUNCH]),
            "label": [t("timeline.note_opened", lang), t("timeline.note_in_force", lang), t("timeline.note_cti", lang)],
            "row": [0, 1, 1],  # rows of labels under the universe line: the first two dates are close
        }
    )
    periods = pd.DataFrame(
        {
            "start": pd.to_datetime([start for _, start, _ in STRATEGY_PERIODS]),
            "end": pd.to_datetime([end for _, _, end in STRATEGY_PERIODS]),
            "label": [t("timeline.note_strategy", lang, period=name) for name, _, _ in STRATEGY_PERIODS],
            "row": [i % 2 for i in range(len(STRATEGY_PERIODS))],  # rows above the axis: the periods touch
            "shade": [palette.PERIOD_BAND, palette.PERIOD_BAND_ALT][: len(STRATEGY_PERIODS)],
        }
    )
    return events, periods


def _tick_values(total: int) -> list[int]:
    """Round axis values up to `total` (about eight of them): none above it, where the reference labels sit."""
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if total / s <= 8), 100)
    return list(range(0, total + 1, step))


# The room above the universe line, as a share of its height: two rows of labels (the line's and the goal's) sit
# there, where no line of the data can run (no count passes the universe).
HEADROOM = 1.25


def when(dates: pd.Series, lang: str) -> list[str]:
    """Dates in words in the language (a tooltip's date, never "1984-12-31 00:00:00")."""
    return [fmt_date(pd.Timestamp(day).date(), lang) for day in dates]


def cumulative_chart(series: pd.DataFrame, total: int, lang: str, annotation_size: int = 10) -> alt.LayerChart:
    """States parties and signatories over time against the universe size, with the fixed dates and the 2024 goal.

    `annotation_size` is the font size of the reference labels (larger on a projector). The labels sit in rows
    counted in pixels from the universe line, so that they stay apart whatever the plot's height and the font
    size: above the line, where no line of the data runs (the scale leaves room there), the line's own label at
    the left and the goal's on a second row ending at the goal; under the line the dates' labels at the right of
    their line, two rows; each strategy period's label ending at its end, so that it stays inside the plot, one
    row each above the axis.
    """
    data = series.assign(label=series.status.map(lambda s: t(f"status.{s}", lang)), when=when(series.date, lang))
    events, periods = annotations(lang)
    events = events.assign(y=total)
    periods = periods.assign(y=0)
    step = round(annotation_size * 1.4)  # one row of labels, in pixels
    start = pd.to_datetime(pd.concat([data.date, events.date, periods.start])).min()
    # The goal names a year, not a day ("by 2024"): the marker sits on that year's tick, 1 January.
    goal = pd.DataFrame(
        {
            "date": [pd.Timestamp(date(UNIVERSALITY_GOAL_YEAR, 1, 1))],
            "y": [total],
            "label": [t("timeline.note_goal", lang)],
            "row": [1],
        }
    )
    universe = pd.DataFrame(
        {"date": [start], "y": [total], "label": [t("timeline.universe_line", lang, total=total)], "row": [0]}
    )

    def labels(frame: pd.DataFrame, x: str, align: str, dx: int, down: bool) -> list[alt.Chart]:
        """One text layer per row of `frame`: rows go down from the line at `y`, or up from it."""
        return [
            alt.Chart(frame[frame.row == row])
            .mark_text(
                align=align,
                baseline="top" if down else "bottom",
                dx=dx,
                dy=(4 + int(row) * step) * (1 if down else -1),
                fontSize=annotation_size,
                color=palette.ANNOTATION,
            )
            .encode(x=x, y="y:Q", text="label:N")
            for row in sorted(frame.row.unique())
        ]

    y_title = t("timeline.states", lang)
    bands = (
        alt.Chart(periods)
        .mark_rect(opacity=0.8)
        .encode(
            x=alt.X("start:T", axis=YEAR_AXIS),
            x2="end:T",
            color=alt.Color("shade:N", scale=None),
            tooltip=[alt.Tooltip("label:N", title=" ")],
        )
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("date:T", axis=YEAR_AXIS),
            y=alt.Y(
                "count:Q",
                title=y_title,
                scale=alt.Scale(domain=[0, round(total * HEADROOM)], nice=False),
                axis=alt.Axis(values=_tick_values(total)),
            ),
            color=alt.Color("label:N", scale=_status_scale(lang, ("party", "signatory")), title=None),
            tooltip=[
                alt.Tooltip("when:N", title=t("column.date", lang)),
                alt.Tooltip("label:N", title=t("column.status", lang)),
                alt.Tooltip("count:Q", title=y_title),
            ],
        )
    )
    rules = alt.Chart(events).mark_rule(strokeDash=[3, 3], color=palette.ANNOTATION).encode(x="date:T")
    ceiling = alt.Chart(universe).mark_rule(strokeDash=[6, 3], color=palette.ANNOTATION).encode(y="y:Q")
    goal_mark = (
        alt.Chart(goal)
        .mark_point(shape="diamond", size=90, filled=True, color=palette.ANNOTATION)
        .encode(x="date:T", y="y:Q", tooltip=[alt.Tooltip("label:N", title=" ")])
    )
    return alt.layer(
        bands,
        *labels(periods, "end:T", "right", -3, down=False),
        ceiling,
        *labels(universe, "date:T", "left", 3, down=False),
        rules,
        *labels(events, "date:T", "left", 3, down=True),
        lines,
        goal_mark,
        *labels(goal, "date:T", "right", 6, down=False),
    ).properties(width=WIDTH, height=HEIGHT)


def deposits_chart(per_year: pd.DataFrame, lang: str) -> alt.Chart:
    """Deposits per year, stacked by type; the tooltip lists the states that joined that year.

    Every year of `per_year` has its place on the axis, a year without a deposit (a row of count 0,
    series.deposits_per_year) an empty one: a slowdown shows as gaps rather than disappearing.
    """
    years = sorted(int(year) for year in per_year.year.unique())
    drawn = per_year[per_year["count"] > 0]
    data = drawn.assign(label=drawn.consent_type.map(lambda c: t(f"consent.{c}", lang)))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90), scale=alt.Scale(domain=years)),
            y=alt.Y("sum(count):Q", title=t("timeline.deposits_axis", lang)),
            color=alt.Color("label:N", scale=_consent_scale(lang), title=None),
            order=alt.Order("consent_type:O"),
            tooltip=[
                alt.Tooltip("year:O", title=t("column.year", lang)),
                alt.Tooltip("year_total:Q", title=t("timeline.deposits_axis", lang)),
                alt.Tooltip("year_states:N", title=t("timeline.joined_that_year", lang)),
                alt.Tooltip("label:N", title=t("column.consent_type", lang)),
                alt.Tooltip("count:Q", title=t("timeline.of_this_type", lang)),
                alt.Tooltip("states:N", title=t("column.states", lang)),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


# What three panels of breakdown_chart take on screen with their axes (826 px measured in Chromium), and some room.
BREAKDOWN_WIDE_PX = 840


def breakdown_chart(frame: pd.DataFrame, lang: str, columns: int = 3) -> alt.FacetChart:
    """Small multiples: parties over time in each category, against the category's size."""
    parties = (
        alt.Chart()
        .mark_area(color=palette.PARTY, opacity=0.85, interpolate="step-after")
        .encode(
            x=alt.X("date:T", axis=YEAR_AXIS),
            y=alt.Y("parties:Q", title=t("timeline.parties_axis", lang)),
            tooltip=[
                alt.Tooltip("category:N", title=" "),
                alt.Tooltip("when:N", title=t("column.date", lang)),
                alt.Tooltip("parties:Q", title=t("timeline.parties_axis", lang)),
                alt.Tooltip("total:Q", title=t("timeline.category_total", lang)),
            ],
        )
    )
    total = alt.Chart().mark_line(strokeDash=[4, 3], color=palette.ANNOTATION).encode(x="date:T", y="total:Q")
    return (
        alt.layer(total, parties, data=frame.assign(when=when(frame.date, lang)))
        .properties(width=200, height=120)
        .facet(facet=alt.Facet("category:N", title=None, header=alt.Header(labelFontWeight="bold")), columns=columns)
        .resolve_scale(y="independent")
        .resolve_axis(x="independent")  # every panel has its own year axis, not only the bottom row
    )


def projection_chart(history: pd.DataFrame, projected: dict, total: int, as_of: date, lang: str) -> alt.LayerChart:
    """UN member states parties so far, and the straight extrapolation at the recent pace (dashed)."""
    y_title = t("timeline.member_parties_axis", lang)
    actual = (
        alt.Chart(history)
        .mark_line(color=palette.PARTY, point=alt.OverlayMarkDef(size=14, color=palette.PARTY))
        .encode(
            x=alt.X("date:T", axis=YEAR_AXIS),
            y=alt.Y("count:Q", title=y_title, scale=alt.Scale(zero=False), axis=ABOVE_THE_AXIS),
        )
    )
    layers = [actual]
    if projected["year"] is not None and projected["remaining"] > 0:
        path = pd.DataFrame(
            {"date": pd.to_datetime([as_of, date(projected["year"], 12, 31)]), "count": [projected["parties"], total]}
        )
        layers.append(
            alt.Chart(path)
            .mark_line(strokeDash=[6, 4], color=palette.PARTY)
            .encode(x="date:T", y="count:Q", tooltip=[alt.Tooltip("count:Q", title=y_title)])
        )
    ceiling = pd.DataFrame({"y": [total]})
    layers.append(alt.Chart(ceiling).mark_rule(strokeDash=[2, 2], color=palette.ANNOTATION).encode(y="y:Q"))
    return alt.layer(*layers).properties(width=WIDTH, height=240)


def remaining_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """States not yet party per category (region or UN regional group), split into signatories and no action."""
    data = frame.assign(label=frame.status.map(lambda s: t(f"status.{s}", lang)))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=None, sort="-x"),
            x=alt.X("count(iso3):Q", title=t("universality.count_axis", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("label:N", scale=_status_scale(lang, ("signatory", "no_action")), title=None),
            order=alt.Order("status:O", sort="descending"),
            tooltip=[
                alt.Tooltip("category:N", title=" "),
                alt.Tooltip("label:N", title=t("column.status", lang)),
                alt.Tooltip("count(iso3):Q", title=t("universality.count_axis", lang)),
            ],
        )
        # 28 px a bar, as a number: a step height ("discrete") makes Vega warn "Dropping fit-y" on the page.
        .properties(
            width=WIDTH,
            height=28 * max(frame.category.nunique(), 1),
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
    )


# Axis, legend and facet-header text in the palette's chart text colour, on every chart a page shows: Streamlit's
# chart theme greys them to 3.7:1 on white (WCAG AA asks 4.5:1). A chart's own colour, where it sets one, stays.
TEXT_COLOURS = {
    part: {"labelColor": palette.CHART_TEXT, "titleColor": palette.CHART_TEXT} for part in ("axis", "legend", "header")
}


def legible(spec: dict) -> dict:
    """The Vega-Lite dict with the chart text colours in its config (changed in place and returned)."""
    config = spec.setdefault("config", {})
    for part, colours in TEXT_COLOURS.items():
        for key, colour in colours.items():
            config.setdefault(part, {}).setdefault(key, colour)
    return spec


@dataclass(frozen=True)
class Prepared:
    """A chart with its Vega-Lite spec serialised once: Altair's validation is the slow part of a rerun."""

    chart: alt.TopLevelMixin
    spec_json: str
    # Small multiples have a fixed width (Vega-Lite cannot fit a facet to its container): the same chart in one column
    # of panels, shown instead where the page is narrower than `wide_px` (WCAG 1.4.10, reflow at 320 CSS px).
    narrow_spec_json: str | None = None
    wide_px: int = 0


def prepare(chart: alt.TopLevelMixin, narrow: alt.TopLevelMixin | None = None, wide_px: int = 0) -> Prepared:
    narrow_json = None if narrow is None else json.dumps(legible(narrow.to_dict()))
    return Prepared(chart, json.dumps(legible(chart.to_dict())), narrow_json, wide_px)


def titled(chart: alt.TopLevelMixin | dict, title: str, lines: list[str]) -> alt.TopLevelMixin | dict:
    """The chart (or Vega-Lite dict) with its title and the as-of and source lines, so an exported file says what it shows."""
    params = {"text": title, "subtitle": lines, "anchor": "start", "subtitleColor": palette.ANNOTATION}
    if isinstance(chart, dict):
        return {**chart, "title": params}
    return chart.properties(title=alt.TitleParams(**params))


def _for_export(chart: alt.TopLevelMixin | dict) -> str:
    # "container" width has no meaning outside a page: give exported files a fixed width.
    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = EXPORT_WIDTH
    return json.dumps(spec)


def to_png(chart: alt.TopLevelMixin | dict, scale: float = 2) -> bytes:
    """PNG bytes, rendered offline by vl-convert (the data are embedded in the spec)."""
    return vl_convert.vegalite_to_png(_for_export(chart), scale=scale)


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
    """SVG text, rendered offline by vl-convert."""
    return vl_convert.vegalite_to_svg(_for_export(chart))


# The targets page: bullet charts and the multi-year trend (totals only).
# The height given is the plot's own: Streamlit's default "fit" squeezes axes, legend and title into it,
# which left 25 px of plot under a legend and drew the bullet rows over each other.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
WHOLE_NUMBERS = {"format": "d", "tickMinStep": 1}
# "2026 (hasta la fecha)" under a 20-pixel bar was cut to "2026 (hasta la fec…": a label breaks at its first space.
TWO_LINES = (
    "indexof(datum.label, ' ') < 0 ? datum.label"
    " : [slice(datum.label, 0, indexof(datum.label, ' ')), slice(datum.label, indexof(datum.label, ' ') + 1)]"
)


def _target_status_scale(lang: str) -> alt.Scale:
    return alt.Scale(domain=[t(f"target_status.{s}", lang) for s in STATUSES], range=[TARGET[s] for s in STATUSES])


def bullet_chart(row: pd.Series, lang: str) -> alt.Chart:
    """One metric in one year: the figure as a bar coloured by status, the target as a tick, the projection as an outline."""
    status = t(f"target_status.{row['status']}", lang)
    bars = [{"what": t("targets.chart_actual", lang), "value": int(row["actual"]), "status": status}]
    if row.get("projection") is not None and not pd.isna(row.get("projection")):
        bars.append({"what": t("targets.chart_projection", lang), "value": int(row["projection"]), "status": status})
    frame = pd.DataFrame(bars)
    target = None if row.get("target") is None or pd.isna(row.get("target")) else int(row["target"])
    top = max([b["value"] for b in bars] + [target or 0, 1]) * 1.15
    x = alt.X("value:Q", title=None, scale=alt.Scale(domain=[0, top]), axis=alt.Axis(**WHOLE_NUMBERS))
    y = alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=0, labelFontSize=12))
    tooltip = [alt.Tooltip("what:N", title=" "), alt.Tooltip("value:Q", title=t("targets.chart_value", lang))]
    actual = (
        alt.Chart(frame)
        .transform_filter(alt.datum.what == t("targets.chart_actual", lang))
        .mark_bar(height=22)
        .encode(x=x, y=y, color=alt.Color("status:N", scale=_target_status_scale(lang), legend=None), tooltip=tooltip)
    )
    projected = (
        alt.Chart(frame)
        .transform_filter(alt.datum.what == t("targets.chart_projection", lang))
        .mark_bar(height=22, fillOpacity=0.25, strokeWidth=1.5, strokeDash=[4, 2])
        .encode(
            x=x,
            y=y,
            color=alt.Color("status:N", scale=_target_status_scale(lang), legend=None),
            stroke=alt.Color("status:N", scale=_target_status_scale(lang), legend=None),
            tooltip=tooltip,
        )
    )
    # An empty layer (no projection) makes Vega warn "Infinite extent" in the browser console.
    layers = [actual, projected] if len(bars) > 1 else [actual]
    if target is not None:
        marker = pd.DataFrame(
            {"value": [target], "what": [t("targets.chart_actual", lang)], "label": [t("targets.chart_target", lang)]}
        )
        layers.append(
            alt.Chart(marker)
            .mark_tick(color=TARGET_MARK, thickness=3, size=34)
            .encode(
                x=x,
                y=y,
                tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title=t("targets.chart_value", lang))],
            )
        )
    return alt.layer(*layers).properties(height=34 * len(bars), autosize=FIT_WIDTH)


def trend_chart(progress: pd.DataFrame, metric: str, lang: str) -> alt.Chart:
    """A metric year by year: bars coloured by status, the target in force as a tick (none where no target is set)."""
    rows = progress[progress.metric == metric]
    frame = pd.DataFrame(
        {
            # The year in progress is labelled as such: its bar is a figure to date, not a result.
            "year": [
                str(year) if complete else t("targets.year_to_date", lang, year=year)
                for year, complete in zip(rows.year, rows.year_complete, strict=True)
            ],
            "value": rows.actual.astype(int),
            "target": rows.target.astype(float),
            "status": rows.status.map(lambda s: t(f"target_status.{s}", lang)),
        }
    )
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=12, labelLimit=0, labelExpr=TWO_LINES)),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(labelFontSize=12, **WHOLE_NUMBERS)),
            color=alt.Color(
                "status:N",
                scale=_target_status_scale(lang),
                title=t("targets.column_status", lang),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, labelFontSize=12, titleFontSize=12),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=t("targets.column_year", lang)),
                alt.Tooltip("value:Q", title=t("targets.chart_value", lang)),
                alt.Tooltip("target:Q", title=t("targets.chart_target", lang)),
                alt.Tooltip("status:N", title=t("targets.column_status", lang)),
            ],
        )
    )
    layers = [bars]
    if frame.target.notna().any():  # a tick layer with no target at all makes Vega warn "Infinite extent"
        layers.append(
            alt.Chart(frame[frame.target.notna()])
            .mark_tick(color=TARGET_MARK, thickness=3, size=28)
            .encode(x="year:O", y="target:Q")
        )
    return alt.layer(*layers).properties(
        height=220,
        width="container",
        autosize=FIT_WIDTH,
        title=alt.TitleParams(t(f"targets.metric.{metric}", lang), fontSize=14, limit=0),
    )


# The UPR commitments page: accepted commitments kept and still open, per cycle.


def commitments_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Supported recommendations asking a treaty act, kept or still open, stacked per UPR cycle (commitments.by_cycle)."""
    fates = ("kept", "open")
    data = frame.assign(
        cycle_label=frame.cycle.map(lambda c: t("commitments.cycle_label", lang, cycle=int(c))),
        label=frame.fate.map(lambda f: t(f"commitments.fate_{f}", lang)),
        order=frame.fate.map({fate: i for i, fate in enumerate(fates)}),
    )
    scale = alt.Scale(
        domain=[t(f"commitments.fate_{f}", lang) for f in fates], range=[palette.STATUS["party"], palette.STATUS["no_action"]]
    )
    axis_title = t("commitments.chart_axis", lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("cycle_label:N", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=0)),
            y=alt.Y(
                "count:Q", title=axis_title, stack="zero", axis=alt.Axis(tickMinStep=1, format="d", **ABOVE_THE_AXIS.to_dict())
            ),
            color=alt.Color("label:N", scale=scale, title=None, legend=alt.Legend(orient="bottom", labelLimit=0)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("cycle_label:N", title=t("commitments.column_cycle", lang)),
                alt.Tooltip("label:N", title=t("commitments.column_fate", lang)),
                alt.Tooltip("count:Q", title=axis_title),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, autosize=FIT_WIDTH)
    )
