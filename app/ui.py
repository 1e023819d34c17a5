"""Controls and page furniture shared by the pages: language, as-of date, source lines, URL state."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.i18n import DEFAULT_LANGUAGE, fmt_date, languages, normalise, t
from app.treaty_rules import OPENED_FOR_SIGNATURE

EARLIEST = date(1984, 12, 10)  # adoption of the Convention by the General Assembly


def parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def language_selector() -> str:
    """Sidebar language switch, kept in the URL as `lang`."""
    options = languages()
    if "lang" not in st.session_state:
        st.session_state["lang"] = normalise(st.query_params.get("lang", DEFAULT_LANGUAGE))
    lang = st.sidebar.selectbox(
        t("app.language", st.session_state["lang"]),
        options=list(options),
        format_func=options.get,
        key="lang",
    )
    st.query_params["lang"] = lang
    return lang


def lang() -> str:
    return normalise(st.session_state.get("lang") or st.query_params.get("lang"))


def as_of_control(lang: str, latest: date) -> date:
    """The as-of date (URL `as_of`, default: `latest`, the data's as-of date), clamped to what makes sense."""
    if "as_of" not in st.session_state:
        wanted = parse_iso(st.query_params.get("as_of")) or latest
        st.session_state["as_of"] = min(max(wanted, EARLIEST), date.today())
    chosen = st.columns([1, 3])[0].date_input(
        t("common.as_of", lang),
        key="as_of",
        min_value=EARLIEST,
        max_value=date.today(),
        format="YYYY-MM-DD",
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
