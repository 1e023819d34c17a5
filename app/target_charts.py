"""Pure chart builders for the targets page: bullet charts and the multi-year trend (totals only)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app.palette import TARGET, TARGET_MARK
from app.targets import STATUSES
from core.i18n import t

# The height given is the plot's own: Streamlit's default "fit" squeezes axes, legend and title into it,
# which left 25 px of plot under a legend and drew the bullet rows over each other.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
WHOLE_NUMBERS = {"format": "d", "tickMinStep": 1}
# "2026 (hasta la fecha)" under a 20-pixel bar was cut to "2026 (hasta la fec…": a label breaks at its first space.
TWO_LINES = (
    "indexof(datum.label, ' ') < 0 ? datum.label"
    " : [slice(datum.label, 0, indexof(datum.label, ' ')), slice(datum.label, indexof(datum.label, ' ') + 1)]"
)


def _status_scale(lang: str) -> alt.Scale:
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
        .encode(x=x, y=y, color=alt.Color("status:N", scale=_status_scale(lang), legend=None), tooltip=tooltip)
    )
    projected = (
        alt.Chart(frame)
        .transform_filter(alt.datum.what == t("targets.chart_projection", lang))
        .mark_bar(height=22, fillOpacity=0.25, strokeWidth=1.5, strokeDash=[4, 2])
        .encode(
            x=x,
            y=y,
            color=alt.Color("status:N", scale=_status_scale(lang), legend=None),
            stroke=alt.Color("status:N", scale=_status_scale(lang), legend=None),
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
                scale=_status_scale(lang),
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
