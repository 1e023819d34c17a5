"""Engagement calendar: which states are at a moment the strategy names (UPR, reports, recommendations, signatures)."""

import json
from datetime import UTC, datetime

import streamlit as st

from app import data, engagement_calendar, ui
from app.opportunities import KINDS, add_months
from core import exports
from core.i18n import fmt_date, fmt_number, t, t_count

MONTHS = (3, 6, 12, 18, 24)
DEFAULT_MONTHS = 12


def warn_unusable(name: str, value: str, fallback: str) -> None:
    ui.ignored(name, value, fallback, lang)  # the one line every page gives an unusable URL value


def months_from_url() -> int:
    raw = st.query_params.get("months")
    if raw is None:
        return DEFAULT_MONTHS
    if ui.parse_int(raw) in MONTHS:  # "²".isdigit() is True, int("²") raises
        return ui.parse_int(raw)
    warn_unusable("months", raw, t("calendar.months_option", lang, months=DEFAULT_MONTHS))
    return DEFAULT_MONTHS


def kinds_from_url() -> list[str]:
    raw = st.query_params.get("kinds")
    if raw is None:
        return list(KINDS)
    if not raw.strip():
        return []  # a link made with no kind chosen reopens with none (and says to choose one)
    wanted = [kind.strip() for kind in raw.split(",") if kind.strip()]
    known = [kind for kind in KINDS if kind in wanted]
    if len(known) < len(wanted) or not known:
        kept = ", ".join(t(f"calendar.kind_{kind}", lang) for kind in known) if known else t("calendar.all_kinds", lang)
        warn_unusable("kinds", raw, kept)
    return known or list(KINDS)


def remember(name: str) -> None:
    st.session_state[f"kept_{name}"] = st.session_state[name]


lang = ui.lang()
latest = data.data_as_of()
st.title(t("calendar.title", lang))
st.write(t("calendar.description", lang))

# URL values are read once per session; an unusable one gets a sentence (ui.ignored), never a traceback.
# The calendar opens on today: whom to engage from now on (the data's age is said under the date).
as_of = ui.as_of_control(lang, latest, default=data.today())

# Widget keys do not survive a page switch, nor does the URL: the kept_ keys do.
if "kept_calendar_months" not in st.session_state:
    st.session_state["kept_calendar_months"] = months_from_url()
if "calendar_months" not in st.session_state:
    st.session_state["calendar_months"] = st.session_state["kept_calendar_months"]
if "kept_calendar_kinds" not in st.session_state:
    st.session_state["kept_calendar_kinds"] = kinds_from_url()
if "calendar_kinds" not in st.session_state:
    st.session_state["calendar_kinds"] = st.session_state["kept_calendar_kinds"]
choices = dict(data.group_choices(lang)) | {"none": t("calendar.all_states", lang)}

first, second, _ = st.columns([1, 2, 1])
months = first.selectbox(
    t("calendar.months_label", lang),
    options=MONTHS,
    format_func=lambda m: t("calendar.months_option", lang, months=m),
    key="calendar_months",
    on_change=remember,
    args=("calendar_months",),
)
with second:
    group = ui.url_choice(t("calendar.group_label", lang), choices, "group", "none")
    ui.group_feed_link(group, choices.get(group, group), lang)
reviews_only = ui.url_toggle(t("calendar.reviews_only", lang), "reviews", help=t("calendar.reviews_only_help", lang))
kinds = st.pills(
    t("calendar.kinds_label", lang),
    options=list(KINDS),
    selection_mode="multi",
    format_func=lambda kind: t(f"calendar.kind_{kind}", lang),
    key="calendar_kinds",
    on_change=remember,
    args=("calendar_kinds",),
)
st.query_params["months"] = str(months)
st.query_params["kinds"] = ",".join(kinds)

view = data.calendar(data.snapshot(as_of), as_of, months, group, tuple(kinds), lang, data.today(), reviews_only)
currency = view.currency
sources = t(
    "calendar.sources",
    lang,
    last_session=currency["last_session"],
    last_start=engagement_calendar.fmt_when(currency["last_session_start"], "month", lang),
    published=currency["last_published_session"],
    recs=currency["last_recommendation_session"],
    treaty=fmt_date(latest, lang),
)
horizon = add_months(as_of, months)
if view.coverage == "unknown":
    st.warning(t("common.oda_unknown", lang, date=fmt_date(as_of, lang)), icon=":material/help:")
elif view.coverage == "extrapolated":
    st.info(t("common.oda_extrapolated", lang), icon=":material/info:")

if not kinds:
    st.info(t("calendar.no_kinds", lang), icon=":material/info:")
elif view.rows.empty:
    st.info(t("calendar.empty", lang), icon=":material/info:")
else:
    counts = view.rows.kind.value_counts()
    chosen = [kind for kind in KINDS if kind in kinds]
    for column, kind in zip(st.columns(len(KINDS))[: len(chosen)], chosen, strict=True):
        # The label fits a quarter of the page; the kind's full name is its help.
        column.metric(
            t(f"calendar.metric_{kind}", lang), fmt_number(int(counts.get(kind, 0)), lang), help=t(f"calendar.kind_{kind}", lang)
        )
    range_line = t(
        "calendar.range_line",
        lang,
        first=fmt_date(as_of, lang),
        last=fmt_date(horizon, lang),
        opportunities=t_count("calendar.opportunity_count", lang, len(view.rows)),
        states=t_count("calendar.state_count", lang, view.rows.iso3.nunique()),
    )
    st.write(range_line)

    title = t("calendar.chart_title", lang)
    lines = [t("common.as_of_line", lang, date=fmt_date(as_of, lang)), range_line]
    stem = f"uncat-calendar-{as_of.isoformat()}-{months}m"
    st.markdown(f"**{title}**")
    if view.chart is None:
        st.info(t("calendar.no_dated", lang), icon=":material/info:")
        st.download_button(
            t("common.download_csv", lang),
            data=lambda: exports.csv_bytes(view.table_frame),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="csv_calendar",
            on_click="ignore",
            icon=":material/table:",
        )
    else:
        st.caption(t("calendar.chart_help", lang))
        alt_text = f"{title}. {range_line}"
        spec = json.loads(view.chart.spec_json)
        spec = engagement_calendar.for_phone(spec) if ui.on_phone() else spec
        st.vega_lite_chart(spec, key="chart_calendar", width="stretch", alt=alt_text)
        st.caption(" ".join(lines))
        left_out = view.rows.iso3.nunique() - view.charted
        if left_out:
            st.caption(t_count("calendar.left_out", lang, left_out))
        ui.export_buttons(view.chart.chart, lang, stem, "calendar", title, [*lines, sources], data=view.table_frame)
        # Reviews, deadlines in the span and overdue reports become events; the windows too if asked.
        with_windows = st.toggle(t("calendar.ics_windows", lang), key="ics_windows", help=t("calendar.ics_windows_help", lang))
        st.download_button(
            t("calendar.download_ics", lang),
            data=lambda: engagement_calendar.ics(
                view.rows, view.status, as_of, months, lang, datetime.now(UTC), with_windows, ui.site_address()
            ),
            file_name=f"{stem}.ics",
            mime="text/calendar",
            key="ics_calendar",
            on_click="ignore",
            icon=":material/event:",
            help=t("calendar.ics_help", lang),
        )

    st.header(t("calendar.table_title", lang))
    profile = t("calendar.column_profile", lang)
    st.dataframe(
        view.table,
        hide_index=True,
        width="stretch",
        column_order=[
            t("column.state", lang),
            t("calendar.column_kind", lang),
            t("calendar.column_when", lang),
            t("calendar.column_review", lang),
            t("calendar.column_details", lang),
            t("calendar.column_basis", lang),
            t("calendar.column_groups", lang),
            profile,
        ],
        column_config={
            profile: st.column_config.LinkColumn(profile, display_text=t("calendar.profile_link_text", lang)),
            t("calendar.column_details", lang): st.column_config.TextColumn(width="large"),
        },
        key="table_calendar",
    )

with st.expander(t("calendar.how_title", lang)):
    st.markdown(t("calendar.how", lang))
st.caption(" ".join([t("common.as_of_line", lang, date=fmt_date(as_of, lang)), sources]))
