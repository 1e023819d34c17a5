"""Overview: headline universality figures as of a chosen date."""

import streamlit as st

from app import data, ui
from app.i18n import fmt_number, t

lang = ui.lang()
st.title(t("overview.title", lang))
st.write(t("overview.description", lang))

as_of = ui.as_of_control(lang)
figures = data.headline(as_of)

first, second, third, fourth = st.columns(4)
first.metric(t("overview.parties", lang), fmt_number(figures["parties"], lang), help=t("overview.parties_help", lang))
second.metric(
    t("overview.member_parties", lang),
    t("overview.member_parties_value", lang, parties=fmt_number(figures["member_parties"], lang), members=figures["members"]),
)
third.metric(t("overview.signatories", lang), fmt_number(figures["signatories"], lang), help=t("overview.signatories_help", lang))
fourth.metric(t("overview.no_action", lang), fmt_number(figures["no_action"], lang), help=t("overview.no_action_help", lang))

first, second, third, _ = st.columns(4)
first.metric(
    t("overview.since_launch", lang), fmt_number(figures["since_launch"], lang), help=t("overview.since_launch_help", lang)
)
second.metric(t("overview.opcat", lang), fmt_number(figures["opcat_parties"], lang))
third.metric(t("overview.art22", lang), fmt_number(figures["art22"], lang))

st.progress(figures["member_parties"] / figures["members"], text=t("overview.member_parties", lang))
st.caption(t("overview.universe_note", lang, states=figures["states"]))

st.subheader(t("overview.remaining", lang))
st.caption(t("overview.remaining_help", lang))
st.dataframe(ui.remaining_table(data.status(as_of), lang), hide_index=True, width="stretch")
ui.source_footer(lang, as_of)
