"""Road to universality: who is not yet party, the shares the strategy quotes, and what changed since a date."""

import streamlit as st

from app import data, ui
from core.i18n import fmt_date, fmt_number, fmt_percent, t, t_count
from core.treaty_rules import add_years

lang = ui.lang()
latest = data.data_as_of()
st.title(t("universality.title", lang))
st.write(t("universality.description", lang))

as_of = ui.as_of_control(lang, latest)
ui.whole_metric_labels()
first, second = st.columns(2)  # a universe's name, "Los 193 Estados Miembros de las Naciones Unidas", whole
with first:
    universe = ui.universe_control(lang)
with second:
    groupings = {"region": t("timeline.by_region", lang), "regional_group": t("timeline.by_regional_group", lang)}
    group = ui.url_choice(t("universality.group_label", lang), groupings, "group", "region")

snap = data.snapshot(as_of)  # status and groups on the date, computed once for every section
view = data.non_parties(snap, universe, lang)
rows = view["rows"]
signatories, no_action = int((rows.status == "signatory").sum()), int((rows.status == "no_action").sum())
left, middle, right, _ = st.columns(4)
named = t(f"universe.{universe}", lang)  # the universe in each label: the Overview's counts all states
left.metric(t("headline.in_universe", lang, label=t("universality.not_party", lang), universe=named), fmt_number(len(rows), lang))
middle.metric(t("headline.in_universe", lang, label=t("status.signatory", lang), universe=named), fmt_number(signatories, lang))
right.metric(t("headline.in_universe", lang, label=t("status.no_action", lang), universe=named), fmt_number(no_action, lang))
st.caption(t("universality.universe_note", lang, universe=t(f"universe.{universe}", lang)))

if rows.empty:
    st.success(t("universality.none_left", lang), icon=":material/check:")
else:
    remaining, remaining_chart = data.remaining_by(snap, universe, group, lang)
    ui.chart_block(
        remaining_chart,
        remaining,
        lang,
        as_of,
        latest,
        "remaining",
        t(f"universality.chart_title_{group}", lang),
    )
    if view["coverage"] == "unknown":
        st.warning(t("common.oda_unknown", lang, date=fmt_date(as_of, lang)), icon=":material/help:")
    elif view["coverage"] == "extrapolated":
        st.info(t("common.oda_extrapolated", lang), icon=":material/info:")
    st.caption(t("universality.flags_help", lang, date=fmt_date(as_of, lang)))
    st.header(t("universality.signatories_title", lang, count=fmt_number(signatories, lang)))
    st.dataframe(view["signatories"], hide_index=True, width="stretch", column_config=ui.state_links(lang))
    st.header(t("universality.no_action_title", lang, count=fmt_number(no_action, lang)))
    st.dataframe(view["no_action"], hide_index=True, width="stretch", column_config=ui.state_links(lang))

st.header(t("universality.shares_title", lang))
figures = data.strategy(snap)
non_parties, oda = len(figures["non_parties"]), len(figures["non_parties_oda"])
if figures["oda_list"] == "unknown":
    st.warning(t("common.oda_unknown", lang, date=fmt_date(as_of, lang)), icon=":material/help:")
elif non_parties:
    if figures["oda_list"] == "extrapolated":
        st.info(t("common.oda_extrapolated", lang), icon=":material/info:")
    first, second, third, fourth = st.columns(4)
    first.metric(
        t("universality.share_oda", lang),
        fmt_percent(oda / non_parties, lang),
        help=t("universality.share_oda_help", lang, count=oda, total=non_parties),
    )
    for column, key in ((second, "caribbean"), (third, "pacific"), (fourth, "other")):
        count = len(figures[f"non_parties_oda_sids_{key}"])
        column.metric(
            t(f"universality.share_sids_{key}", lang),
            fmt_percent(count / oda, lang) if oda else "—",
            help=t("universality.share_sids_help", lang, count=count, total=oda),
        )
    st.caption(t("universality.shares_values", lang, non_parties=non_parties, oda=oda, sids=len(figures["non_parties_oda_sids"])))
st.markdown(t("universality.shares_definitions", lang, date=fmt_date(as_of, lang)))

st.header(t("universality.changes_title", lang))
since = ui.date_control(t("universality.since", lang), "since", add_years(as_of, -1), st.columns([1, 3])[0], before=as_of)
if since >= as_of:
    st.info(t("universality.since_after", lang, date=fmt_date(as_of, lang)), icon=":material/info:")
else:
    changes = data.changes(since, as_of, lang)
    st.caption(
        t_count("universality.changes_help", lang, changes.num_rows, since=fmt_date(since, lang), date=fmt_date(as_of, lang))
    )
    if not changes.num_rows:
        st.info(t("universality.no_changes", lang), icon=":material/info:")
    else:
        st.dataframe(changes, hide_index=True, width="stretch", column_config=ui.state_links(lang))
ui.source_footer(lang, as_of, latest)
