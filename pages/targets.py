"""Targets: the Secretariat's yearly activity figures against the strategy's targets; Secretariat mode for the detail."""

import time

import pandas as pd
import streamlit as st

from app import auth, data, tables, ui
from app.i18n import fmt_date, fmt_number, name_column, t
from app.targets import METRICS

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
    wanted = st.query_params.get("year", "")
    st.session_state["year"] = int(wanted) if wanted.isdigit() and int(wanted) in years else today.year
year = st.columns([1, 3])[0].selectbox(t("targets.year", lang), years, key="year")
st.query_params["year"] = str(year)

view = data.targets_view(first_year, today.year, today, lang)
this_year = view["progress"][year]
if view["sample_records"]:
    st.warning(t("targets.sample_banner", lang, count=fmt_number(view["sample_records"], lang)), icon=":material/science:")
if (this_year.status == "no_target").all():
    periods = [
        f"{r.strategy} ({r.period_start.year}–{r.period_end.year})"
        for r in all_targets.drop_duplicates("strategy").itertuples(index=False)
    ]
    st.info(t("targets.no_target_banner", lang, year=year, periods="; ".join(periods) or "—"), icon=":material/flag:")
if not this_year.year_complete.all():
    st.caption(t("targets.ytd_note", lang, year=year, date=fmt_date(today, lang)))

for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
    row = this_year.loc[metric]
    with column.container(border=True):
        st.metric(t(f"targets.metric.{metric}", lang), fmt_number(int(row.actual), lang))
        status = t(f"target_status.{row.status}", lang)
        st.markdown(f"**{status}**" if row.status == "no_target" else f"**{status}** · {tables.target_text(row, lang)}")
        if not pd.isna(row.projection):
            st.caption(t("targets.projection", lang, value=fmt_number(int(row.projection), lang)))
        st.vega_lite_chart(view["bullets"][(year, metric)], width="stretch")

with st.expander(t("targets.definitions", lang)):
    st.markdown(t("targets.definitions_text", lang))

st.subheader(t("targets.trend", lang))
st.caption(t("targets.trend_help", lang))
for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
    column.vega_lite_chart(view["trends"][metric], width="stretch")

st.subheader(t("targets.totals", lang))
st.dataframe(view["totals"], hide_index=True, width="stretch")
st.download_button(
    t("targets.download_totals", lang),
    view["totals_csv"],
    file_name=f"cti-targets-{today.isoformat()}.csv",
    mime="text/csv",
    key="download_totals",
)

st.subheader(t("targets.public_activities", lang))
st.caption(t("targets.public_activities_help", lang))
if view["public"].num_rows:
    st.dataframe(view["public"], hide_index=True, width="stretch")
else:
    st.write(t("targets.no_public_activities", lang))

strategies = sorted(set(all_targets.strategy))
st.caption(
    " ".join(
        [t("targets.as_of_line", lang, date=fmt_date(today, lang)), t("targets.source", lang, strategy="; ".join(strategies))]
    )
)


def sign_in(stored: str) -> None:
    password = st.session_state.get("secretariat_password", "")
    st.session_state["secretariat_password"] = ""
    if auth.verify_password(password, stored):
        st.session_state["secretariat_signed_in"] = True
        st.session_state["secretariat_failures"] = 0
        st.session_state.pop("secretariat_error", None)
        return
    failures = st.session_state.get("secretariat_failures", 0) + 1
    st.session_state["secretariat_failures"] = failures
    time.sleep(auth.failure_delay(failures))  # repeated failures slow down
    st.session_state["secretariat_error"] = True


def sign_out() -> None:
    st.session_state["secretariat_signed_in"] = False


def detail_view() -> None:
    st.success(t("secretariat.signed_in", lang), icon=":material/lock_open:")
    st.button(t("secretariat.sign_out", lang), key="sign_out", on_click=sign_out)
    st.subheader(t("secretariat.detail", lang))
    filters = st.columns(3)
    first, last = filters[0].select_slider(
        t("secretariat.filter_years", lang), options=years[::-1], value=(year, year), key="detail_years"
    )
    kinds = filters[1].multiselect(
        t("secretariat.filter_kinds", lang),
        ["country_visit", "study_visit", "remote_advice", "seminar", "workshop", "conference", "forum"],
        format_func=lambda k: t(f"activity_kind.{k}", lang),
        key="detail_kinds",
    )
    states = data.activity_states()
    names = dict(zip(states.iso3, states[name_column(lang)], strict=True))
    chosen = filters[2].multiselect(t("secretariat.filter_states", lang), list(names), format_func=names.get, key="detail_states")
    records = data.activity_detail(first, last, kinds, chosen)
    if records.is_sample.any():
        st.warning(t("app.sample_data", lang), icon=":material/science:")
    if records.empty:
        st.write(t("secretariat.no_records", lang))
    else:
        shown = tables.activity_detail_table(records, lang)
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            t("secretariat.download_detail", lang),
            shown.to_csv(index=False).encode("utf-8"),
            file_name=f"cti-activities-{first}-{last}.csv",
            mime="text/csv",
            key="download_detail",
        )

    st.subheader(t("secretariat.upload", lang))
    st.caption(t("secretariat.upload_help", lang))
    templates = st.columns([1, 1, 4])
    templates[0].download_button(
        t("secretariat.template_csv", lang), data.template_csv(), "activities_template.csv", "text/csv", key="template_csv"
    )
    templates[1].download_button(
        t("secretariat.template_xlsx", lang),
        data.template_xlsx(),
        "activities_template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template_xlsx",
    )
    upload = st.file_uploader(t("secretariat.upload_file", lang), type=["csv", "xlsx"], key="activities_upload")
    if st.button(t("secretariat.upload_submit", lang), key="upload_submit", disabled=upload is None):
        result = data.add_activities(upload.name, upload.getvalue())
        if result.problems:
            st.error(t("secretariat.upload_problems", lang, count=len(result.problems), file=upload.name))
            st.dataframe(
                pd.DataFrame(
                    {
                        t("secretariat.column_file", lang): [p.path for p in result.problems],
                        t("secretariat.column_row", lang): [p.line for p in result.problems],
                        t("secretariat.column_column", lang): [p.column for p in result.problems],
                        t("secretariat.column_value", lang): [p.value for p in result.problems],
                        t("secretariat.column_reason", lang): [p.reason for p in result.problems],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="upload_problems",
            )
        else:
            st.success(t("secretariat.upload_done", lang, rows=result.rows, file=result.stored, total=result.total_activities))


st.divider()
st.header(t("secretariat.title", lang))
stored_hash = auth.configured_hash()
if not stored_hash:
    st.info(t("secretariat.off", lang), icon=":material/lock:")
elif st.session_state.get("secretariat_signed_in"):
    detail_view()
else:
    st.text_input(t("secretariat.password", lang), type="password", key="secretariat_password")
    st.button(t("secretariat.sign_in", lang), key="sign_in", on_click=sign_in, args=(stored_hash,))
    if st.session_state.pop("secretariat_error", False):
        st.error(t("secretariat.wrong_password", lang))
