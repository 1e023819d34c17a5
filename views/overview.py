"""Overview: headline universality figures as of a chosen date."""

import streamlit as st

from app import data, ui
from core.i18n import fmt_number, t

lang = ui.lang()
latest = data.data_as_of()
st.title(t("overview.title", lang))
st.write(t("overview.description", lang))

as_of = ui.as_of_control(lang, latest)
ui.whole_metric_labels()
figures, remaining = data.overview(data.snapshot(as_of), lang)


# Figures over all states say so in their label, beside pages whose figures count the UN members only.
every_state = t("headline.all_states", lang, states=figures["states"])


def show(column, key: str, value: int, with_help: bool = True, universe: str | None = None) -> None:
    label = t(f"overview.{key}", lang)
    column.metric(
        t("headline.in_universe", lang, label=label, universe=universe) if universe else label,
        fmt_number(value, lang),
        help=t(f"overview.{key}_help", lang) if with_help else None,
    )


first, second, third, fourth = st.columns(4)
show(first, "parties", figures["parties"], universe=every_state)
second.metric(
    t("overview.member_parties", lang),
    t("overview.member_parties_value", lang, parties=fmt_number(figures["member_parties"], lang), members=figures["members"]),
)
show(third, "signatories", figures["signatories"], universe=every_state)
show(fourth, "no_action", figures["no_action"], universe=every_state)

first, second, third, _ = st.columns(4)
show(first, "since_launch", figures["since_launch"])
show(second, "opcat", figures["opcat_parties"], with_help=False)
show(third, "art22", figures["art22"], with_help=False)

st.progress(figures["member_parties"] / figures["members"], text=t("overview.member_parties", lang))
st.caption(t("overview.universe_note", lang, states=figures["states"]))

st.header(t("overview.remaining", lang))
st.caption(t("overview.remaining_help", lang))
st.dataframe(remaining, hide_index=True, width="stretch", column_config=ui.state_links(lang))
ui.source_footer(lang, as_of, latest)
