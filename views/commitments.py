"""UPR commitments: every CAT/OPCAT recommendation, who made it, what was asked, the answer, and what the state did since."""

import json

import streamlit as st

from app import commitments as rules
from app import data, ui
from core import exports
from core.i18n import fmt_date, fmt_number, fmt_percent, t, t_count

CYCLES = (1, 2, 3, 4)
MULTI = {  # URL name -> the values it may hold (states are checked against the data)
    "cycle": tuple(str(c) for c in CYCLES),
    "treaty": rules.TREATIES,
    "action": rules.ACTIONS,
    "response": rules.RESPONSES,
    "fate": rules.FATES,
}


def remember(key: str, kept: str) -> None:
    st.session_state[kept] = st.session_state[key]


def from_url(name: str, allowed) -> list[str]:
    """A comma-separated list in the URL, kept to the values allowed; anything else is said and left out."""
    raw = ui.url_value(name)
    if raw is None or not raw.strip():
        return []
    wanted = [value.strip() for value in raw.split(",") if value.strip()]
    known = [value for value in wanted if value in allowed]
    if len(known) < len(wanted):
        ui.ignored(name, raw, ", ".join(known) if known else t("commitments.no_filter", lang), lang)
    return list(dict.fromkeys(known))


def kept_state(name: str, initial) -> str:
    """The widget's key, given its value from a session key that survives page switches (as the calendar does)."""
    key, kept = f"commitments_{name}", f"kept_commitments_{name}"
    if kept not in st.session_state:
        st.session_state[kept] = initial()
    if key not in st.session_state:
        st.session_state[key] = st.session_state[kept]
    return key


def to_url(name: str, values) -> None:
    if values:
        st.query_params[name] = ",".join(str(v) for v in values)
    elif name in st.query_params:
        del st.query_params[name]


def choose_core(key: str, core: tuple[str, ...]) -> None:
    st.session_state[key] = list(core)
    st.session_state[f"kept_{key}"] = list(core)


def pills(name: str, label: str, labels: dict, container) -> list:
    key = kept_state(name, lambda: [v if name != "cycle" else int(v) for v in from_url(name, MULTI[name])])
    chosen = container.pills(
        label,
        options=list(labels),
        selection_mode="multi",
        format_func=labels.get,
        key=key,
        on_change=remember,
        args=(key, f"kept_{key}"),
        help=t("commitments.pills_help", lang),
    )
    to_url(name, chosen)
    return chosen


lang = ui.lang()
latest = data.data_as_of()
st.title(t("commitments.title", lang))
st.write(t("commitments.description", lang))
as_of = ui.as_of_control(lang, latest)
snap = data.snapshot(as_of)
names = dict(data.state_names(lang))

# Who: the state under review, the recommending state (the core states in one click), region and group on the date.
first, second = st.columns(2)
reviewed_key = kept_state("reviewed", lambda: from_url("reviewed", names))
reviewed = first.multiselect(
    t("commitments.filter_reviewed", lang),
    options=list(names),
    format_func=names.get,
    key=reviewed_key,
    on_change=remember,
    args=(reviewed_key, f"kept_{reviewed_key}"),
    placeholder=t("commitments.all_states", lang),
)
to_url("reviewed", reviewed)
recommending_key = kept_state("by", lambda: from_url("by", names))
recommending = second.multiselect(
    t("commitments.filter_recommending", lang),
    options=list(names),
    format_func=names.get,
    key=recommending_key,
    on_change=remember,
    args=(recommending_key, f"kept_{recommending_key}"),
    placeholder=t("commitments.all_states", lang),
)
core = rules.core_states(snap.groups)
second.button(
    t("commitments.core_button", lang),
    key="commitments_core",
    on_click=choose_core,
    args=(recommending_key, core),
    help=t("commitments.core_help", lang, states=", ".join(names[c] for c in core), date=fmt_date(as_of, lang)),
    icon=":material/group:",
    disabled=not core,
)
to_url("by", recommending)
choices = dict(data.group_choices(lang))
regions = {"none": t("commitments.all_regions", lang)} | {k: v for k, v in choices.items() if ":" in k}
groups = {"none": t("commitments.all_groups", lang)} | {k: v for k, v in choices.items() if ":" not in k and k != "none"}
third, fourth = st.columns(2)
region = ui.url_choice(t("commitments.filter_region", lang), regions, "region", "none", container=third)
group = ui.url_choice(t("commitments.filter_group", lang), groups, "group", "none", container=fourth)

# What: cycle, treaty, demand, response, fate; words of the text.
left, right = st.columns(2)
cycles = pills(
    "cycle", t("commitments.filter_cycle", lang), {c: t("commitments.cycle_label", lang, cycle=c) for c in CYCLES}, left
)
treaties = pills("treaty", t("commitments.filter_treaty", lang), {v: rules.treaty_label(v, lang) for v in rules.TREATIES}, right)
actions = pills(
    "action", t("commitments.filter_action", lang), {v: t(f"commitments.action_{v}", lang) for v in rules.ACTIONS}, st
)
left, right = st.columns(2)
responses = pills(
    "response", t("commitments.filter_response", lang), {v: t(f"commitments.response_{v}", lang) for v in rules.RESPONSES}, left
)
fates = pills("fate", t("commitments.filter_fate", lang), {v: t(f"commitments.fate_{v}", lang) for v in rules.FATES}, right)
search_key = kept_state("q", lambda: (ui.url_value("q") or "")[:200])
search = st.text_input(
    t("commitments.filter_search", lang),
    key=search_key,
    on_change=remember,
    args=(search_key, f"kept_{search_key}"),
    placeholder=t("commitments.search_placeholder", lang),
    max_chars=200,
)
to_url("q", [search] if search.strip() else [])

filters = rules.Filters(
    reviewed=tuple(reviewed),
    recommending=tuple(recommending),
    region=region,
    group=group,
    cycles=tuple(sorted(int(c) for c in cycles)),
    treaties=tuple(treaties),
    actions=tuple(actions),
    responses=tuple(responses),
    fates=tuple(fates),
    search=search.strip(),
)
view = data.commitments(snap, as_of, filters, lang)
figures = view.figures
date_text = fmt_date(as_of, lang)
universe = t_count(
    "commitments.universe_filtered" if filters.active() else "commitments.universe_all", lang, figures["shown"], date=date_text
)

if view.rows.empty:
    st.info(t("commitments.empty", lang), icon=":material/info:")
else:
    ui.whole_metric_labels()
    columns = st.columns(4)
    for column, key in zip(columns, ("shown", "accepted", "kept", "open"), strict=True):
        column.metric(
            t(f"commitments.metric_{key}", lang), fmt_number(figures[key], lang), help=t(f"commitments.metric_{key}_help", lang)
        )
    st.caption(universe)
    if len(recommending) == 1:
        row = figures["recommending"].iloc[0]
        st.markdown(
            ui.md_text(
                t(
                    "commitments.recommender_line",
                    lang,
                    state=names[recommending[0]],
                    recommendations=t_count("commitments.count_recommendations", lang, int(row.recommendations)),
                    accepted=t_count("commitments.count_accepted", lang, int(row.accepted)),
                    kept=fmt_number(int(row.kept), lang),
                    open=fmt_number(int(row.open), lang),
                    date=date_text,
                )
            )
        )

    st.header(t("commitments.share_title", lang))
    share = figures["share"]
    if len(share) and int(share.total.iloc[0]):
        total = share.iloc[0]
        st.markdown(
            t(
                "commitments.share_line",
                lang,
                kept=fmt_number(int(total.kept), lang),
                total=fmt_number(int(total.total), lang),
                share=fmt_percent(float(total.share), lang),
            )
        )
    st.caption(t("commitments.share_definition", lang, date=date_text))
    left, right = st.columns(2)
    with left:
        ui.table(figures["by_cycle"])
    with right:
        ui.table(figures["by_region"])

    st.header(t("commitments.median_title", lang))
    deposits = figures["deposits"]
    median = rules.median_years(deposits)
    if median is None:
        st.markdown(t("commitments.median_none", lang, date=date_text))
    else:
        st.markdown(t_count("commitments.median_value", lang, len(deposits), years=ui.md_text(rules.years_text(median, lang))))
    st.caption(t("commitments.median_definition", lang, date=date_text))

    st.header(t("commitments.most_open_title", lang))
    st.caption(t("commitments.most_open_definition", lang, date=date_text))
    if figures["most_open"].num_rows:
        profile = t("commitments.column_profile", lang)
        st.dataframe(
            figures["most_open"],
            hide_index=True,
            width="stretch",
            column_config={profile: st.column_config.LinkColumn(profile, display_text=t("commitments.profile_link_text", lang))},
        )
    else:
        st.markdown(t("commitments.most_open_none", lang))

    title = t("commitments.chart_title", lang)
    lines = [
        t("common.as_of_line", lang, date=date_text),
        universe,
        t("commitments.sources", lang, treaty=fmt_date(latest, lang)),
    ]
    if view.chart is not None:
        st.header(title)
        st.caption(t("commitments.chart_help", lang))
        st.vega_lite_chart(
            json.loads(view.chart.spec_json),  # a fresh dict each run: Streamlit moves the datasets out of it
            key="chart_commitments",
            width="stretch",
            alt=f"{title}. {lines[0]}",
        )
        st.caption(" ".join(ui.md_text(line) for line in lines[:2]))
        ui.export_buttons(
            view.chart.chart,
            lang,
            f"uncat-commitments-chart-{as_of.isoformat()}",
            "commitments",
            title,
            lines,
            data=view.chart_data,
        )

    st.header(t("commitments.by_recommending_title", lang))
    st.caption(t("commitments.by_recommending_definition", lang, date=date_text))
    st.dataframe(figures["by_recommending"], hide_index=True, width="stretch")

    st.header(t("commitments.table_title", lang))
    st.caption(universe)
    profile = t("commitments.column_profile", lang)
    st.dataframe(
        view.table,
        hide_index=True,
        width="stretch",
        column_config={
            profile: st.column_config.LinkColumn(profile, display_text=t("commitments.profile_link_text", lang)),
            t("commitments.column_text", lang): st.column_config.TextColumn(width="large"),
        },
        key="table_commitments",
    )
    stem = f"uncat-commitments-{as_of.isoformat()}"
    buttons = st.container(horizontal=True, gap="small")
    buttons.download_button(
        t("commitments.download_csv", lang),
        data=lambda: exports.csv_bytes(view.table_frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="csv_commitments_list",
        on_click="ignore",
        icon=":material/table:",
    )
    buttons.download_button(
        t("commitments.download_xlsx", lang),
        data=lambda: rules.xlsx(view.table_frame, lang),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="xlsx_commitments_list",
        on_click="ignore",
        icon=":material/grid_on:",
    )

ranking = data.topic_ranking()
st.header(t("commitments.claim_title", lang))
if ranking is None:
    st.info(t("commitments.claim_missing", lang), icon=":material/info:")
else:
    claim = rules.claim(ranking, lang)
    for paragraph in claim.paragraphs:
        st.markdown(paragraph)  # the catalogue's words and numbers only: its bold marks are meant
    ui.table(claim.table)
    st.caption(ui.md_text(claim.method))

with st.expander(t("commitments.how_title", lang)):
    st.markdown(t("commitments.how", lang))
st.caption(
    " ".join([t("common.as_of_line", lang, date=date_text), t("commitments.sources", lang, treaty=fmt_date(latest, lang))])
)
