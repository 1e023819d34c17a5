"""Secretariat mode of the targets page: sign-in, per-activity detail with states, uploads. Shown only after sign-in."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from app import auth, data, tables
from app.i18n import name_column, t


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


def detail_view(lang: str, years: list[int], year: int) -> None:
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


def section(lang: str, years: list[int], year: int) -> None:
    """Sign-in form, or the detail once signed in, or how to turn the mode on when no password is configured."""
    stored_hash = auth.configured_hash()
    if not stored_hash:
        st.info(t("secretariat.off", lang), icon=":material/lock:")
    elif st.session_state.get("secretariat_signed_in"):
        detail_view(lang, years, year)
    else:
        st.text_input(t("secretariat.password", lang), type="password", key="secretariat_password")
        st.button(t("secretariat.sign_in", lang), key="sign_in", on_click=sign_in, args=(stored_hash,))
        if st.session_state.pop("secretariat_error", False):
            st.error(t("secretariat.wrong_password", lang))
