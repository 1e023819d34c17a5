"""Targets: the Secretariat's yearly activity figures against the strategy's targets; Secretariat mode for the detail."""

import pandas as pd
import streamlit as st

from app import data, secretariat, ui
from app.tables import records_text, sample_line, target_text
from app.targets import METRICS, default_year, public_cutoff
from core.i18n import colon, fmt_date, fmt_number, strategy_name, t

lang = ui.lang()
today = data.today()
st.title(t("targets.title", lang))
st.write(t("targets.description", lang))

first_activity, _ = data.activity_years()
all_targets = data.targets()
known_years = [first_activity, *pd.to_datetime(all_targets.period_start).dt.year, today.year]
first_year = min(int(y) for y in known_years if y is not None)
years = list(range(today.year, first_year - 1, -1))
if "year" not in st.session_state:
    st.session_state["year"] = ui.url_int("year", years, default_year(all_targets, years), lang)
year = st.columns([1, 3])[0].selectbox(t("targets.year", lang), years, key="year")
st.query_params["year"] = str(year)

view = data.targets_view(first_year, today.year, today, lang)
figures_to = public_cutoff(today)  # activity figures count to the end of the last complete month
this_year = view["progress"][year]
bullets = data.target_bullets(first_year, today.year, today, lang, year)
if view["sample_records"]:
    st.warning(sample_line(view["sample_records"], view["real_records"], lang), icon=":material/science:")
last_target = max(pd.to_datetime(all_targets.period_end), default=None)
if (this_year.status == "no_target").all() and last_target is not None and year > last_target.year:
    # After the last strategy: say so plainly; the cards show its targets for comparison, marked as such.
    last_strategy = all_targets.sort_values("period_end").iloc[-1]
    st.info(
        t(
            "targets.none_after",
            lang,
            last=last_target.year,
            first=pd.Timestamp(last_strategy.period_start).year,
            strategy=ui.md_text(strategy_name(last_strategy.strategy, lang)),
            year=year,
        ),
        icon=":material/flag:",
    )
elif (this_year.status == "no_target").all():
    periods = [
        f"{strategy_name(r.strategy, lang)} ({r.period_start.year}–{r.period_end.year})"
        for r in all_targets.drop_duplicates("strategy").itertuples(index=False)
    ]
    st.info(t("targets.no_target_banner", lang, year=year, periods=ui.md_text("; ".join(periods)) or "—"), icon=":material/flag:")
if not this_year.year_complete.all():
    st.caption(t("targets.ytd_note", lang, year=year, date=fmt_date(figures_to, lang)))

lines = [
    t("targets.as_of_line", lang, date=fmt_date(figures_to, lang)),
    t("targets.source", lang, strategy="; ".join(sorted({strategy_name(s, lang) for s in all_targets.strategy}))),
]
for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
    row = this_year.loc[metric]
    with column.container(border=True):
        st.metric(t(f"targets.metric.{metric}", lang), fmt_number(int(row.actual), lang))
        status = t(f"target_status.{row.status}", lang)
        compared = row.status != "no_target" or not pd.isna(row.reference_target)  # a target, or the last strategy's
        st.markdown(f"**{status}** · {ui.md_text(target_text(row, lang))}" if compared else f"**{status}**")
        if not pd.isna(row.projection):
            st.caption(t("targets.projection", lang, value=fmt_number(int(row.projection), lang)))
        if row.sample_records or row.real_records:
            st.caption(records_text(row, lang))
        label = t(f"targets.metric.{metric}", lang)
        st.vega_lite_chart(bullets[metric], width="stretch", alt=f"{label} {year}{colon(lang)}{status}")
        ui.export_buttons(
            bullets[metric],
            lang,
            f"cti-targets-{metric}-{year}",
            f"bullet_{metric}",
            f"{t(f'targets.metric.{metric}', lang)} {year}",
            lines,
        )

if this_year.sample_records.any():  # what the counts under each figure mean
    st.caption(t("targets.records_explained", lang))

with st.expander(t("targets.definitions", lang)):
    st.markdown(t("targets.definitions_text", lang))

st.header(t("targets.trend", lang))
st.caption(t("targets.trend_help", lang))
for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
    label = t(f"targets.metric.{metric}", lang)
    with column:
        st.vega_lite_chart(view["trends"][metric], width="stretch", alt=f"{t('targets.trend', lang)}{colon(lang)}{label}")
        ui.export_buttons(
            view["trends"][metric], lang, f"cti-targets-{metric}-{today.isoformat()}", f"trend_{metric}", label, lines
        )

st.header(t("targets.totals", lang))
st.dataframe(view["totals"], hide_index=True, width="stretch")
st.download_button(
    t("targets.download_totals", lang),
    view["totals_csv"],
    file_name=f"cti-targets-{today.isoformat()}.csv",
    mime="text/csv",
    key="download_totals",
)

st.header(t("targets.public_activities", lang))
st.caption(t("targets.public_activities_help", lang))
if view["public"].num_rows:
    st.dataframe(view["public"], hide_index=True, width="stretch")
else:
    st.write(t("targets.no_public_activities", lang))

strategies = sorted({strategy_name(s, lang) for s in all_targets.strategy})
st.caption(
    " ".join(
        [
            t("targets.as_of_line", lang, date=fmt_date(figures_to, lang)),
            t("targets.source", lang, strategy=ui.md_text("; ".join(strategies))),
        ]
    )
)

secretariat.section(lang, years, year)
