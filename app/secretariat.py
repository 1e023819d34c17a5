"""Secretariat mode of the targets page: sign-in, per-activity detail with states, uploads. Shown only after sign-in."""

from __future__ import annotations

import hashlib
import math
from datetime import date

import pandas as pd
import streamlit as st

from app import activity_files, auth, data, guard, tables, ui
from app.activity_files import SHOWN_PROBLEMS
from app.targets import public_cutoff, target_for
from app.upload_messages import earlier_upload, friendly_reason
from core.config import upload_limits
from core.i18n import colon, fmt_date, fmt_list, fmt_number, name_column, semicolon, t, t_count

NOTICE = "secretariat_notice"  # what to tell after a sign-in attempt or when a sign-in ended
RESULT = "secretariat_result"  # the last change's message, shown until dismissed (kept across the rerun that follows)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DUPLICATES = "secretariat_duplicates"  # (the file's digest, its likely duplicates): what "Add anyway" would add


def client_address() -> str:
    """The connection's address (all local connections share one; so do all clients behind one proxy)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def browser() -> str | None:
    """This browser's key: from the cookie app/http_guard.py sets for each browser (None without it).

    A sign-in belongs to the browser that signed in (auth.SIGN_INS), checked on every run: a session id
    alone, named by another client, is not signed in.
    """
    return auth.browser_key(st.context.cookies.get(auth.BROWSER_COOKIE))


def sign_in(accounts: dict[str, str]) -> None:
    password = st.session_state.get("secretariat_password", "")
    st.session_state["secretariat_password"] = ""
    account = str(st.session_state.get("secretariat_account") or auth.SHARED_ACCOUNT).strip().lower()
    holder = browser()
    if holder is None:  # no cookie: nothing to bind a sign-in to (a server started without app/http_guard.py)
        st.session_state[NOTICE] = ("no_cookie", 0)
        return
    address = client_address()
    named = account if account != auth.SHARED_ACCOUNT else None  # the shared password keeps its address and server limits
    refusal = auth.GUESSES.reserve(address, named)  # before any work: a refused guess costs nothing
    if refusal is not None:
        st.session_state[NOTICE] = (f"locked_{refusal.reason}", refusal.seconds)
        return
    if auth.verify_account(account, password, accounts):
        auth.GUESSES.succeeded(address, named)
        auth.SIGN_INS.start(holder, guard.current_session_id() or "", account)
        st.session_state.pop(NOTICE, None)
    else:
        st.session_state[NOTICE] = ("wrong_password", 0)


def sign_out() -> None:
    """End the browser's sign-in on the server and delete what its sessions held (confidential files, uploaded bytes)."""
    current = guard.current_session_id()
    for session_id in auth.SIGN_INS.end(browser()) | {current}:
        # A reconnection naming this session gets a new, signed-out one.
        guard.forget(session_id, resumable=session_id != current)


def _notice(lang: str) -> None:
    kind, seconds = st.session_state.pop(NOTICE, (None, 0))
    if kind == "wrong_password":
        st.error(t("secretariat.wrong_password", lang))
    elif kind == "locked_address":
        st.error(t("secretariat.locked_address", lang, minutes=math.ceil(seconds / 60)), icon=":material/lock_clock:")
    elif kind == "locked_account":
        st.error(t("record_changes.locked_account", lang, minutes=math.ceil(seconds / 60)), icon=":material/lock_clock:")
    elif kind == "locked_server":
        st.error(t("secretariat.locked_server", lang, seconds=seconds), icon=":material/lock_clock:")
    elif kind == "no_cookie":
        st.error(t("secretariat.no_cookie", lang), icon=":material/cookie:")
    elif kind in ("idle", "longest"):
        hours = auth.LONGEST_SECONDS // 3600
        st.info(t(f"secretariat.ended_{kind}", lang, minutes=auth.IDLE_SECONDS // 60, hours=hours), icon=":material/lock:")


def detail_view(lang: str, years: list[int], year: int, holder: str) -> None:
    account = auth.SIGN_INS.account(holder) or auth.SHARED_ACCOUNT
    st.success(
        t("secretariat.signed_in", lang) + " " + t("record_changes.signed_in_as", lang, account=ui.md_text(account)),
        icon=":material/lock_open:",
    )
    _result(lang)
    st.caption(t("secretariat.expiry", lang, minutes=auth.IDLE_SECONDS // 60, hours=auth.LONGEST_SECONDS // 3600))
    st.button(t("secretariat.sign_out", lang), key="sign_out", on_click=sign_out)
    figures_view(lang, years, year, holder)
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
        placeholder=t("secretariat.all_kinds", lang),  # none chosen: every kind (Streamlit's own is English only)
    )
    states = data.activity_states()
    names = dict(zip(states.iso3, states[name_column(lang)], strict=True))
    chosen = filters[2].multiselect(
        t("secretariat.filter_states", lang),
        list(names),
        format_func=names.get,
        key="detail_states",
        placeholder=t("secretariat.all_states", lang),
    )
    records = data.activity_detail(first, last, kinds, chosen)
    if records.is_sample.any():
        st.warning(t("app.sample_data", lang), icon=":material/science:")
    if records.empty:
        st.write(t("secretariat.no_records", lang))
    else:
        st.dataframe(tables.activity_detail_table(records, lang), hide_index=True, width="stretch")
        # Built only when pressed and only while signed in; deleted from the server at sign-out. In the template's
        # columns, so that a download corrected can be uploaded back as corrections.
        downloads = st.columns([1, 1, 3])
        for column, suffix, build, mime, key in (
            (downloads[0], "csv", activity_files.records_csv, "text/csv", "download_detail"),
            (downloads[1], "xlsx", activity_files.records_xlsx, XLSX_MIME, "download_detail_xlsx"),
        ):
            file_name = f"cti-activities-{first}-{last}.{suffix}"
            column.download_button(
                t(f"secretariat.download_detail{'' if suffix == 'csv' else '_xlsx'}", lang),
                guard.private_download(holder, lambda build=build: build(records), mime, file_name),
                file_name=file_name,
                mime=mime,
                key=key,
                on_click="ignore",
            )

    st.subheader(t("secretariat.upload", lang))
    max_bytes, max_rows = upload_limits()
    st.caption(
        t("secretariat.upload_help", lang)
        + " "
        + t(
            "secretariat.upload_limits",
            lang,
            megabytes=fmt_number(max_bytes / 1024 / 1024, lang),
            rows=fmt_number(max_rows, lang),
        )
    )
    templates = st.columns([1, 1, 4])
    templates[0].download_button(
        t("secretariat.template_csv", lang), data.template_csv(), "activities_template.csv", "text/csv", key="template_csv"
    )
    templates[1].download_button(  # the workbook made when pressed, not on every rerun of the page
        t("secretariat.template_xlsx", lang),
        lambda: data.template_xlsx(lang),
        "activities_template.xlsx",
        XLSX_MIME,
        key="template_xlsx",
        on_click="ignore",
    )
    mode = st.radio(
        t("record_changes.mode", lang),
        ["activities", "corrections"],
        format_func=lambda m: t("record_changes.mode_new" if m == "activities" else "record_changes.mode_correction", lang),
        key="upload_mode",
        horizontal=True,
    )
    upload = st.file_uploader(t("secretariat.upload_file", lang), type=["csv", "xlsx"], key="activities_upload")
    submitted = st.button(t("secretariat.upload_submit", lang), key="upload_submit", disabled=upload is None)
    pending = st.session_state.get(DUPLICATES)
    digest = None if upload is None else hashlib.sha256(upload.getvalue()).hexdigest()
    if pending is not None and (submitted or pending[0] != digest):
        st.session_state.pop(DUPLICATES, None)  # another file, or the same checked again
        pending = None
    anyway = pending is not None and _duplicates(pending[1], lang)
    if submitted or anyway:
        result, before, after = data.add_activities(upload.name, upload.getvalue(), mode, account, add_anyway=anyway)
        st.session_state.pop(DUPLICATES, None)
        if result.duplicates:  # nothing stored: shown, and kept for the "Add anyway" of the next run
            st.session_state[DUPLICATES] = (digest, result.duplicates)
            st.rerun()
        if result.problems:
            count = t_count("secretariat.upload_problems", lang, result.problem_count, file=ui.md_text(upload.name))
            if result.problem_count > len(result.problems):
                count += " " + t("secretariat.upload_problems_first", lang, shown=SHOWN_PROBLEMS)
            st.error(count)
            names = {code: data.state_names(code) for code in ("en", "fr", "es")}  # for "did you mean HTI (Haiti)?"
            uploads = _uploads()  # for "already added today at 10:01 (25 records)"
            st.dataframe(
                pd.DataFrame(
                    {
                        t("secretariat.column_file", lang): [p.path for p in result.problems],
                        t("secretariat.column_row", lang): [p.line for p in result.problems],
                        t("secretariat.column_column", lang): [p.column for p in result.problems],
                        t("secretariat.column_value", lang): [p.value for p in result.problems],
                        t("secretariat.column_reason", lang): [
                            friendly_reason(p.column, p.value, p.reason, names, lang, uploads, data.today())
                            for p in result.problems
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="upload_problems",
            )
        else:
            if mode == "corrections":
                done = t("record_changes.correction_done", lang, count=fmt_number(result.rows, lang), file=result.stored)
            else:
                done = t(
                    "secretariat.upload_done",
                    lang,
                    added=t_count("secretariat.records_added", lang, result.rows),
                    file=result.stored,
                    held=t_count("secretariat.activity_records", lang, result.total_activities),
                )
            _finish(done, before, after, lang)
    changes_view(lang, records, account)
    targets_form(lang, account)


def targets_form(lang: str, account: str) -> None:
    """Set a year's (or a strategy's) targets: a new dated targets file, its history, each logged."""
    from app.targets import METRICS

    st.subheader(t("record_changes.targets", lang))
    st.caption(t("record_changes.targets_help", lang))
    known = data.targets()
    units = dict(zip(known.metric, known.unit, strict=True))  # the unit each measure is counted in, from the data
    this_year = data.today().year
    with st.form("targets_form", border=False):
        row = st.columns(3)
        metric = row[0].selectbox(
            t("record_changes.target_metric", lang),
            METRICS,
            format_func=lambda m: t(f"targets.metric.{m}", lang),
            key="target_metric",
        )
        comparator = row[1].selectbox(
            t("record_changes.target_comparator", lang),
            ["at_least", "up_to"],
            format_func=lambda c: t(f"targets.comparator.{c}", lang),
            key="target_comparator",
        )
        value = row[2].number_input(t("record_changes.target_value", lang), min_value=1, step=1, value=None, key="target_value")
        period = st.columns(2)
        first = period[0].number_input(
            t("record_changes.target_first", lang), min_value=2000, max_value=2100, value=this_year, key="target_first"
        )
        last = period[1].number_input(
            t("record_changes.target_last", lang), min_value=2000, max_value=2100, value=this_year, key="target_last"
        )
        strategy = st.text_input(t("record_changes.target_strategy", lang), key="target_strategy", max_chars=200)
        source = st.text_input(t("record_changes.target_source", lang), key="target_source", max_chars=500)
        reason = st.text_input(t("record_changes.reason", lang), key="target_reason", max_chars=500)
        submitted = st.form_submit_button(t("record_changes.targets_submit", lang), key="targets_submit")
    if submitted:
        if not reason.strip():
            st.error(t("record_changes.need_reason", lang))
        else:
            target = {
                "metric": metric,
                "period_start": f"{int(first):04d}-01-01",
                "period_end": f"{int(last):04d}-12-31",
                "comparator": comparator,
                "value": "" if value is None else str(int(value)),
                "unit": units.get(metric, ""),
                "strategy": strategy,
                "source": source,
            }
            result = data.set_targets([target], reason.strip(), account)
            if result.ok:
                st.session_state[RESULT] = t("record_changes.targets_done", lang, file=result.stored)
                st.rerun()
            st.error("; ".join(ui.md_text(f"{p.column}: {p.reason}" if p.column else p.reason) for p in result.problems))
    st.caption(t("record_changes.targets_history", lang))
    history = data.targets_history()
    if history.empty:
        st.write(t("record_changes.targets_none", lang))
    else:
        st.dataframe(history, hide_index=True, width="stretch", key="targets_history")


def _uploads() -> dict:
    """File name -> (when it was stored, its records), from the history of the record files."""
    history = data.record_history()
    return {
        file: (None if pd.isna(when) else when.to_pydatetime(), int(records))
        for file, when, records in zip(history.file, pd.to_datetime(history["when"]), history.records, strict=True)
    }


def _duplicates(duplicates: list, lang: str) -> bool:
    """Likely duplicates of stored records, listed before anything is stored; True when "Add anyway" is pressed."""
    st.warning(t_count("duplicates.found", lang, len(duplicates)), icon=":material/content_copy:")
    uploads, today = _uploads(), data.today()
    st.dataframe(
        pd.DataFrame(
            {
                t("secretariat.column_row", lang): [d.line for d in duplicates],
                t("duplicates.column_id", lang): [d.activity_id for d in duplicates],
                t("duplicates.column_recorded", lang): [d.recorded_id for d in duplicates],
                t("duplicates.column_where", lang): [
                    t("duplicates.same_file", lang, row=d.earlier_line)
                    if d.earlier_line
                    else earlier_upload(d.recorded_file, uploads, today, lang)
                    for d in duplicates
                ],
                t("duplicates.column_why", lang): [t(f"duplicates.why_{d.why}", lang) for d in duplicates],
            }
        ),
        hide_index=True,
        width="stretch",
        key="upload_duplicates",
    )
    return st.button(t("duplicates.add_anyway", lang), key="upload_anyway")


def _finish(done: str, before: data.RecordsState, after: data.RecordsState, lang: str) -> None:
    """Keep the message for the rerun that follows, so that every figure on the page is read from the new database."""
    st.session_state[RESULT] = f"{done} {moved_text(before, after, lang)}"
    st.rerun()


def moved_text(before: data.RecordsState, after: data.RecordsState, lang: str) -> str:
    """What a change moved: the records held, the years, kinds and states of the records changed, each yearly
    figure before → after ("2026: Senior officials 91 → 105"), counted to today as the Secretariat sees them."""
    parts = [t("record_changes.moved", lang, before=fmt_number(before.count, lang), after=fmt_number(after.count, lang))]
    changed = before.rows ^ after.rows  # the versions added and those no longer standing
    if changed:
        kinds = sorted({row[2] for row in changed})
        parts.append(
            t(
                "record_changes.moved_what",
                lang,
                years=fmt_list([str(y) for y in sorted({row[1] for row in changed})], lang),
                # Mid-sentence: the kinds' labels (common nouns, no acronym) in lower case, "seminar and workshop".
                kinds=fmt_list(sorted(t(f"activity_kind.{k}", lang).lower() for k in kinds), lang),
                states=fmt_number(len({row[3] for row in changed if row[3]}), lang),
            )
        )
    by_year: dict[int, list[str]] = {}
    for key in sorted(set(before.figures) | set(after.figures)):
        old, new = before.figures.get(key, 0), after.figures.get(key, 0)
        if old != new:
            year, metric = key
            label = t(f"targets.metric.{metric}", lang)
            by_year.setdefault(year, []).append(f"{label} {fmt_number(old, lang)} → {fmt_number(new, lang)}")
    if by_year:
        # French puts a no-break space before the colon and the semicolon (core.i18n.colon, semicolon).
        figures = semicolon(lang).join(f"{year}{colon(lang)}{', '.join(moves)}" for year, moves in by_year.items())
        parts.append(t("record_changes.moved_figures", lang, figures=figures))
    else:
        parts.append(t("record_changes.moved_no_figure", lang))
    return " ".join(parts)


def figures_view(lang: str, years: list[int], year: int, holder: str) -> None:
    """Signed in only: the year's figures to today beside the public ones, the states served each year, the year's
    summary for the annual report (XLSX, built when pressed)."""
    today = data.today()
    public_to = public_cutoff(today)
    st.subheader(t("year_summary.title", lang, year=year))
    st.caption(t("year_summary.help", lang, public=fmt_date(public_to, lang), today=fmt_date(today, lang)))
    figures = data.figures_to_date(year, today)
    targets = data.targets()
    year_end = date(year, 12, 31)  # a past year counts to its end, both ways
    to_date, public_date = fmt_date(min(today, year_end), lang), fmt_date(min(public_to, year_end), lang)
    # Cards, one a measure (stacked on a phone): the count to today, labelled so, then the public figure and the target.
    for column, row in zip(st.columns(len(figures)), figures.itertuples(index=False), strict=True):
        target = target_for(targets, row.metric, year)
        if target is None:
            words = t("targets.no_target", lang) + "."
        else:
            comparator = t(f"targets.comparator.{target.comparator}", lang)
            words = t("year_summary.card_target", lang, target=f"{comparator} {int(target.value)}")
        with column.container(border=True):
            # The measure alone in the label (a metric's label is cut at its width); the day it counts to just below.
            st.metric(t(f"targets.metric.{row.metric}", lang), fmt_number(int(row.to_date), lang))
            st.caption(
                t("year_summary.card_label", lang, date=to_date)
                + " "
                + t("year_summary.card_public", lang, value=fmt_number(int(row.public), lang), date=public_date)
                + " "
                + words
            )
    st.markdown(f"**{t('year_summary.states_title', lang, date=fmt_date(today, lang))}**")
    served = data.states_served(min(years), max(years), today)
    names = name_column(lang)
    rows = []
    for shown_year in sorted(set(served.year), reverse=True):
        mine = served[served.year == shown_year]
        visited = mine[mine.kind.isin(["country_visit", "study_visit"])].drop_duplicates("iso3")
        advised = mine[mine.kind == "remote_advice"].drop_duplicates("iso3")
        rows.append(
            {
                t("targets.column_year", lang): str(shown_year),
                # The counts first: on a phone they are in view, the names a scroll away.
                t("targets.metric.states_visited", lang): len(visited),
                t("targets.metric.states_advised", lang): len(advised),
                t("year_summary.column_visited", lang): ", ".join(sorted(visited[names])),
                t("year_summary.column_advised", lang): ", ".join(sorted(advised[names])),
            }
        )
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="states_served")
    else:
        st.write(t("year_summary.no_states", lang))
    file_name = f"cti-year-summary-{year}.xlsx"
    st.download_button(
        t("year_summary.download", lang, year=year),
        guard.private_download(holder, lambda: data.year_summary_xlsx(year, today, lang), XLSX_MIME, file_name),
        file_name=file_name,
        mime=XLSX_MIME,
        key="download_year_summary",
        on_click="ignore",
    )
    st.caption(t("year_summary.download_help", lang))


def _result(lang: str) -> None:
    message = st.session_state.get(RESULT)
    if message:
        st.success(ui.md_text(message), icon=":material/check_circle:")
        if st.button(t("record_changes.dismiss", lang), key="dismiss_result"):
            st.session_state.pop(RESULT, None)
            st.rerun()


def changes_view(lang: str, records: pd.DataFrame, account: str) -> None:
    """Withdraw records, undo the last upload, the history of the record files and the audit log."""
    st.subheader(t("record_changes.withdraw", lang))
    st.caption(t("record_changes.withdraw_help", lang))
    with st.form("withdraw_form", border=False):
        chosen = st.multiselect(
            t("record_changes.withdraw_ids", lang), sorted(records.activity_id) if len(records) else [], key="withdraw_ids"
        )
        reason = st.text_input(t("record_changes.reason", lang), key="withdraw_reason", max_chars=500)
        submitted = st.form_submit_button(t("record_changes.withdraw_submit", lang), key="withdraw_submit")
    if submitted:
        if not reason.strip():
            st.error(t("record_changes.need_reason", lang))
        else:
            result, before, after = data.withdraw([(i, "") for i in chosen], reason, account)
            if result.ok:
                _finish(
                    t("record_changes.withdraw_done", lang, count=fmt_number(result.rows, lang), file=result.stored),
                    before,
                    after,
                    lang,
                )
            st.error("; ".join(ui.md_text(p.reason) for p in result.problems))

    st.subheader(t("record_changes.undo", lang))
    last = data.last_upload()
    if last is None:
        st.write(t("record_changes.undo_none", lang))
    else:
        name, ids = last
        st.write(t("record_changes.undo_what", lang, file=ui.md_text(name), count=fmt_number(len(ids), lang)))
        with st.form("undo_form", border=False):
            undo_reason = st.text_input(t("record_changes.reason", lang), key="undo_reason", max_chars=500)
            undo = st.form_submit_button(t("record_changes.undo_submit", lang), key="undo_submit")
        if undo:
            if not undo_reason.strip():
                st.error(t("record_changes.need_reason", lang))
            else:
                result, before, after = data.withdraw([(i, name) for i in ids], undo_reason, account, action="undo")
                if result.ok:
                    done = t(
                        "record_changes.undo_done",
                        lang,
                        file=name,
                        count=fmt_number(result.rows, lang),
                        withdrawal=result.stored,
                    )
                    _finish(done, before, after, lang)
                st.error("; ".join(ui.md_text(p.reason) for p in result.problems))

    st.subheader(t("record_changes.history", lang))
    history = data.record_history()
    kinds = {k: t(f"record_changes.kind_{k}", lang) for k in ("activities", "corrections", "withdrawals")}
    st.dataframe(
        pd.DataFrame(
            {
                t("record_changes.history_when", lang): history["when"],
                t("record_changes.history_kind", lang): [
                    t("record_changes.kind_shipped", lang) if pd.isna(w) else kinds[k]
                    for k, w in zip(history.kind, history["when"], strict=True)
                ],
                t("record_changes.history_file", lang): history.file,
                t("record_changes.history_records", lang): history.records,
                t("record_changes.history_account", lang): history.account,
                t("record_changes.history_reason", lang): history.reason,
            }
        ),
        hide_index=True,
        width="stretch",
        key="record_history",
    )
    with st.expander(t("record_changes.audit", lang)):
        log = data.audit_log()
        if log.empty:
            st.write(t("record_changes.audit_empty", lang))
        else:
            st.dataframe(log, hide_index=True, width="stretch", key="audit_log")


def section(lang: str, years: list[int], year: int) -> None:
    """Sign-in form, or the detail once signed in; nothing when no password is configured.

    With the mode off the public page ends with its figures: how to turn it on is the operator's business (README,
    "Secretariat mode"), not the public's.
    """
    accounts = auth.configured_accounts()
    if not accounts:
        return
    st.divider()
    st.header(t("secretariat.title", lang))
    holder, session_id = browser(), guard.current_session_id() or ""
    state = auth.SIGN_INS.check(holder, session_id)
    if state == "active":
        detail_view(lang, years, year, holder)
        return
    if state in ("idle", "longest"):  # ended on the server (inactivity, its longest duration): say why, forget its files
        guard.forget(session_id)
        st.session_state[NOTICE] = (state, 0)
    # A form: Enter in the password field signs in, as the button does.
    with st.form("secretariat_sign_in", border=False, enter_to_submit=True):
        if set(accounts) != {auth.SHARED_ACCOUNT}:  # named accounts: say who signs in (the audit log names them)
            st.text_input(t("record_changes.account", lang), key="secretariat_account", autocomplete="username")
        st.text_input(t("secretariat.password", lang), type="password", key="secretariat_password")
        st.form_submit_button(t("secretariat.sign_in", lang), key="sign_in", on_click=sign_in, args=(accounts,))
    _notice(lang)
