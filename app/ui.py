"""Controls and page furniture shared by the pages: language, as-of date, source lines, URL state."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.i18n import DEFAULT_LANGUAGE, fmt_date, languages, normalise, t
from app.treaty_rules import OPENED_FOR_SIGNATURE

EARLIEST = date(1984, 12, 10)  # adoption of the Convention by the General Assembly


def ensure_router() -> None:
    """Run every page through the router, deep links included.

    On a fresh server, the first session that opens a deep link (/map?state=FJI) is run in
    Streamlit's legacy pages/ mode, which executes the page without streamlit_app.py (no page
    config, no language switch, no navigation). Switch that mode off and rerun through the router.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _keep(widget_key: str, kept_key: str, initial) -> None:
    """Give a widget its value from a session key that survives page switches (widget keys do not,
    and Streamlit clears the URL's parameters when the page changes)."""
    if kept_key not in st.session_state:
        st.session_state[kept_key] = initial()
    if widget_key not in st.session_state:
        st.session_state[widget_key] = st.session_state[kept_key]


def _remember(widget_key: str, kept_key: str) -> None:
    st.session_state[kept_key] = st.session_state[widget_key]


def language_selector() -> str:
    """Sidebar language switch, kept in the URL as `lang` and across pages."""
    options = languages()
    _keep("lang", "kept_lang", lambda: normalise(st.query_params.get("lang", DEFAULT_LANGUAGE)))
    lang = st.sidebar.selectbox(
        t("app.language", st.session_state["kept_lang"]),
        options=list(options),
        format_func=options.get,
        key="lang",
        on_change=_remember,
        args=("lang", "kept_lang"),
    )
    st.query_params["lang"] = lang
    return lang


def lang() -> str:
    return normalise(st.session_state.get("kept_lang") or st.query_params.get("lang"))


def as_of_control(lang: str, latest: date) -> date:
    """The as-of date (URL `as_of`, default: `latest`, the data's as-of date), clamped to what makes sense."""
    _keep("as_of", "kept_as_of", lambda: min(max(parse_iso(st.query_params.get("as_of")) or latest, EARLIEST), date.today()))
    chosen = st.columns([1, 3])[0].date_input(
        t("common.as_of", lang),
        key="as_of",
        min_value=EARLIEST,
        max_value=date.today(),
        format="YYYY-MM-DD",
        on_change=_remember,
        args=("as_of", "kept_as_of"),
    )
    st.query_params["as_of"] = chosen.isoformat()
    if chosen > latest:
        st.info(t("common.future_date", lang, date=fmt_date(latest, lang)), icon=":material/info:")
    elif chosen < OPENED_FOR_SIGNATURE:
        st.info(t("common.before_opening", lang, date=fmt_date(OPENED_FOR_SIGNATURE, lang)), icon=":material/info:")
    return chosen


def source_footer(lang: str, as_of: date, latest: date) -> None:
    """The as-of line and the source line that every view carries."""
    st.caption(
        " ".join(
            [
                t("common.as_of_line", lang, date=fmt_date(as_of, lang)),
                t("common.source_line", lang, source=t("common.treaty_source", lang, date=fmt_date(latest, lang))),
            ]
        )
    )


def url_choice(label: str, choices: list[tuple[str, str]], param: str, key: str, default: str, container=st) -> str:
    """A selectbox whose value lives in the URL as `param` (short codes, labels in the UI language)."""
    codes = [code for code, _ in choices]
    labels = dict(choices)
    if key not in st.session_state:
        wanted = st.query_params.get(param, default)
        st.session_state[key] = wanted if wanted in labels else default
    elif st.session_state[key] not in labels:
        st.session_state[key] = default
    value = container.selectbox(label, codes, format_func=labels.get, key=key)
    if value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value
    return value
