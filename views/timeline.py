"""Timeline: how the Convention reached its states parties, and where the recent pace would lead."""

import streamlit as st

from app import data, ui
from core.i18n import fmt_date, fmt_number, t, t_count
from core.treaty_rules import CTI_LAUNCH
from core.vocabulary import UN_MEMBERS

lang = ui.lang()
latest = data.data_as_of()
st.title(t("timeline.title", lang))
st.write(t("timeline.description", lang))

as_of = ui.as_of_control(lang, latest)
first, second = st.columns(2)  # a universe's name, "Los 193 Estados Miembros de las Naciones Unidas", whole
with first:
    universe = ui.universe_control(lang)
with second:
    breakdowns = {"region": t("timeline.by_region", lang), "regional_group": t("timeline.by_regional_group", lang)}
    breakdowns |= {code: name for code, name in data.group_options(lang).items()}
    group = ui.url_choice(t("timeline.group_label", lang), breakdowns, "group", "region")

snap = data.snapshot(as_of)  # status and groups on the date, computed once for every section
view = data.timeline(snap, as_of, universe, lang)
st.caption(t("timeline.universe_note", lang, universe=t(f"universe.{universe}", lang), total=view["total"]))

ui.chart_block(
    view["cumulative_chart"],
    view["cumulative"],
    lang,
    as_of,
    latest,
    "cumulative",
    t("timeline.cumulative_title", lang),
)

if view["per_year"].empty:
    st.info(t("timeline.no_deposits", lang), icon=":material/info:")
else:
    ui.chart_block(
        view["per_year_chart"],
        view["per_year"],
        lang,
        as_of,
        latest,
        "deposits",
        t("timeline.deposits_title", lang),
    )

frame, breakdown_chart, coverage = data.breakdown(snap, as_of, universe, group, lang)
if coverage == "unknown":
    st.warning(t("common.oda_unknown", lang, date=fmt_date(as_of, lang)), icon=":material/help:")
elif coverage == "extrapolated":
    st.info(t("common.oda_extrapolated", lang), icon=":material/info:")
if group not in ("region", "regional_group"):
    st.caption(t("timeline.group_as_of", lang, date=fmt_date(as_of, lang)))
ui.chart_block(
    breakdown_chart,
    frame,
    lang,
    as_of,
    latest,
    "breakdown",
    t(f"timeline.breakdown_title_{group if group in ('region', 'regional_group') else 'group'}", lang, group=breakdowns[group]),
)

st.header(t("timeline.since_launch_title", lang, date=fmt_date(CTI_LAUNCH, lang)))
if as_of < CTI_LAUNCH:
    st.info(t("timeline.before_launch", lang), icon=":material/info:")
else:
    deposits, coverages = data.deposits_since(CTI_LAUNCH, as_of, lang)
    st.caption(t_count("timeline.since_launch_help", lang, deposits.num_rows))
    if "unknown" in coverages:
        st.warning(t("timeline.oda_unknown_rows", lang), icon=":material/help:")
    if "extrapolated" in coverages:
        st.info(t("common.oda_extrapolated", lang), icon=":material/info:")
    st.dataframe(deposits, hide_index=True, width="stretch", column_config=ui.state_links(lang))

st.header(t("timeline.projection_title", lang))
years = st.slider(t("timeline.pace_years", lang), min_value=1, max_value=20, value=10, key="pace_years")
history, projected, projection_chart = data.projection(snap, as_of, years, lang)
if projected["remaining"] <= 0:
    st.success(t("timeline.projection_done", lang), icon=":material/check:")
elif projected["year"] is None:
    st.write(t_count("timeline.projection_none", lang, years, remaining=fmt_number(projected["remaining"], lang)))
else:
    st.write(
        t_count(
            "timeline.projection_result",
            lang,
            years,
            pace=fmt_number(round(projected["pace"], 1), lang),
            remaining=fmt_number(projected["remaining"], lang),
            year=projected["year"],
        )
    )
st.caption(t_count("timeline.projection_assumption", lang, years, members=UN_MEMBERS, date=fmt_date(as_of, lang)))
ui.chart_block(
    projection_chart,
    history,
    lang,
    as_of,
    latest,
    "projection",
    t("timeline.projection_chart_title", lang),
)
ui.source_footer(lang, as_of, latest)
