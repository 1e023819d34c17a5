"""Controls and page furniture shared by the pages: language, as-of date, source lines, URL state."""

from __future__ import annotations

import html
import json
import logging
import re
from datetime import date

import pyarrow as pa
import streamlit as st

from app import charts, opendata_links, tables
from core import exports
from core.config import public_url
from core.i18n import DEFAULT_LANGUAGE, as_of_and_source, colon, fmt_age, fmt_date, languages, normalise, t
from core.treaty_rules import OPENED_FOR_SIGNATURE
from core.vocabulary import UNIVERSES

EARLIEST = date(1984, 12, 10)  # adoption of the Convention by the General Assembly
NOTICES = "url_notices"  # session key: the URL values ignored in this run, shown by the router
log = logging.getLogger(__name__)


def escape(text: str) -> str:
    """Text for st.html / unsafe markdown: data never becomes markup."""
    return html.escape(str(text))


_MARKDOWN_SYNTAX = re.compile(r"([!-/:-@\[-`{-~])")
# Bare URLs and e-mail addresses are linked after escapes are resolved: an invisible word joiner
# (U+2060) inside "www.", before ":" and before "@" keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\\\.)|(?=\\[:@])")


# Runs of white space become one space; French's no-break spaces (before ":" and inside « ») stay.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def md_text(text) -> str:
    """Text from data for an element that renders Markdown (markdown, caption, info, labels): shown as typed.

    Every ASCII punctuation character is backslash-escaped (CommonMark renders an escaped one as
    itself) and bare URLs are kept from being linked, so a name or a note can never become a link,
    an image fetched from elsewhere, a heading, math or a Streamlit directive; line breaks become spaces.
    """
    escaped = _MARKDOWN_SYNTAX.sub(r"\\\1", _SPACES.sub(" ", str(text)).strip())
    return _AUTOLINK.sub("\u2060", escaped)


def table(data) -> None:
    """st.table (which renders each cell and column name as Markdown) with every text in it shown as typed."""
    frame = data.to_pandas() if isinstance(data, pa.Table) else data
    shown = frame.rename(columns=md_text).map(lambda value: md_text(value) if isinstance(value, str) else value)
    st.table(shown, hide_index=True)


PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSelectbox"], [data-testid="stDateInput"], [data-testid="stDownloadButton"], [data-testid="stButton"],
  [data-testid="stStatusWidget"], [data-testid="stBaseButton-headerNoPadding"], [data-testid="stPopover"],
  .stApp .st-key-print_hint, .stApp .st-key-embed, .stApp .st-key-opendata_links { display: none !important; }
  @page { size: A4; margin: 10mm; }
  /* Scroll containers and flex boxes do not break across pages: print the app as plain flowing blocks. */
  html, body, #root, #root * { overflow: visible !important; }
  .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    display: block !important; height: auto !important; position: static !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  .stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; zoom: 0.64; }
  /* Normal block flow, so that long tables break across pages instead of moving whole to the next. */
  [data-testid="stVerticalBlock"], [data-testid="stElementContainer"], [data-testid="stTable"], [data-testid="stTable"] > div {
    display: block !important; overflow: visible !important; height: auto !important; }
  [data-testid="stElementContainer"] { margin-bottom: 0.3rem; }
  h1 { font-size: 1.6rem !important; padding: 0 !important; } h2, h3 { padding: 0.3rem 0 0 0 !important; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; } td, th { padding: 0.15rem 0.4rem !important; }
}
</style>"""


# A metric's label is cut with "…" when its column is narrow; a headline's label names its universe: kept whole.
WHOLE_METRIC_LABELS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def whole_metric_labels() -> None:
    """Metric labels wrap onto a second line instead of being cut (a headline names its universe in its label)."""
    st.html(WHOLE_METRIC_LABELS)


def state_links(lang: str) -> dict:
    """Column settings that show a table's profile links as a short link text, not as a URL."""
    return {t("column.profile", lang): st.column_config.LinkColumn(display_text=t("profile.open_short", lang), width="small")}


def print_friendly() -> None:
    """Printing the page from the browser leaves out the sidebar, the menus and the controls."""
    st.html(PRINT_CSS)


def parse_iso(text: str | None) -> date | None:
    """A YYYY-MM-DD date, or None for anything else (`date.fromisoformat` alone also takes "20200301")."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_int(text: str | None) -> int | None:
    """A whole number written in ASCII digits ("²".isdigit() is True, int("²") raises), or None."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,9}", text.strip()):
        return None
    return int(text.strip())


def url_value(key: str) -> str | None:
    """The URL parameter `key` as text, or None when absent."""
    value = st.query_params.get(key)
    return value if isinstance(value, str) else None


def ignored(key: str, value: object, shown: str, lang: str) -> None:
    """Record that the URL's `key=value` cannot be used and what is shown instead (the router displays it)."""
    text = re.sub(r"[\x00-\x1f\x7f`]", "", str(value))
    text = text if len(text) <= 40 else text[:39] + "…"
    message = t("url.ignored", lang, param=f"`{key}={text}`", shown=shown)
    log.info("ignored URL value %s=%r; showing %s", key, value, shown)
    st.session_state.setdefault(NOTICES, []).append(message)


def show_url_notices(container) -> None:
    """One short line per URL value ignored in this run, at the top of the page."""
    for message in st.session_state.pop(NOTICES, []):
        container.info(message, icon=":material/link_off:")


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
    _keep("lang", "kept_lang", lambda: _url_language(options))
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


def _url_language(options: dict[str, str]) -> str:
    wanted = url_value("lang")
    if wanted is None:
        return DEFAULT_LANGUAGE
    if wanted.strip().lower() in options:
        return wanted.strip().lower()
    ignored("lang", wanted, options[DEFAULT_LANGUAGE], DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def url_date(key: str, default: date, lang: str, before: date | None = None) -> date:
    """The date in the URL under `key`, within the Convention's lifetime; anything else gives `default`, said so.

    `before`: a date the value may not pass (the as-of date for a "since" date): a later value gives `default`,
    said so, rather than a date after it.
    """
    wanted = url_value(key)
    if wanted is None:
        return default
    chosen = parse_iso(wanted)
    if chosen is None or (before is not None and chosen > before):
        ignored(key, wanted, fmt_date(default, lang), lang)
        return default
    clamped = min(max(chosen, EARLIEST), date.today())
    if clamped != chosen:
        ignored(key, wanted, fmt_date(clamped, lang), lang)
    return clamped


def url_int(key: str, allowed: list[int], default: int, lang: str, shown=str) -> int:
    """A whole number from the URL under `key` that is one of `allowed`; anything else gives `default`, said so."""
    wanted = url_value(key)
    if wanted is None:
        return default
    chosen = parse_int(wanted)
    if chosen not in allowed:
        ignored(key, wanted, shown(default), lang)
        return default
    return chosen


def lang() -> str:
    return normalise(st.session_state.get("kept_lang") or st.query_params.get("lang"))


def as_of_control(lang: str, latest: date, default: date | None = None, container=None) -> date:
    """The as-of date (URL `as_of`; default: `default`, or `latest`, the data's as-of date), clamped to what makes
    sense, with the data's age under it: a reader always knows how current the facts are.

    In its own row, the age beside the field; or in `container` (a column of the page's row of controls), under it.
    """
    _keep("as_of", "kept_as_of", lambda: url_date("as_of", min(default or latest, date.today()), lang))
    field, age = (container, container) if container is not None else st.columns([1, 3], vertical_alignment="bottom")
    chosen = field.date_input(
        t("common.as_of", lang),
        key="as_of",
        min_value=EARLIEST,
        max_value=date.today(),
        format="YYYY-MM-DD",
        on_change=_remember,
        args=("as_of", "kept_as_of"),
    )
    st.query_params["as_of"] = chosen.isoformat()
    later = " " + t("common.future_date", lang, date=fmt_date(latest, lang)) if chosen > latest else ""
    age.caption(t("common.data_age", lang, date=fmt_date(latest, lang), ago=fmt_age(latest, date.today(), lang)) + later)
    if chosen < OPENED_FOR_SIGNATURE:
        st.info(t("common.before_opening", lang, date=fmt_date(OPENED_FOR_SIGNATURE, lang)), icon=":material/info:")
    return chosen


def source_footer(lang: str, as_of: date, latest: date) -> None:
    """The as-of line and the source line that every view carries."""
    st.caption(" ".join(as_of_and_source(lang, as_of, latest)))


def source_lines(lang: str, as_of: date, latest: date) -> list[str]:
    """The as-of line and the source line, as separate strings (chart subtitles, captions)."""
    return as_of_and_source(lang, as_of, latest)


def url_choice(label: str, options: dict[str, str], key: str, default: str, container=None) -> str:
    """A select box whose value lives in the URL under `key` (an unknown URL value falls back to `default`).

    `options` maps the short codes kept in the URL to labels in the UI language.
    """
    if key not in st.session_state:
        wanted = url_value(key)
        if wanted is not None and wanted not in options:
            ignored(key, wanted, options[default], lang())
        st.session_state[key] = wanted if wanted in options else default
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    chosen = (container or st).selectbox(label, options=list(options), format_func=options.get, key=key)
    st.query_params[key] = chosen
    return chosen


def universe_control(lang: str) -> str:
    """The universe (URL `universe`): the 193 UN members, with the two observer states, or all states."""
    options = {universe: t(f"universe.{universe}", lang) for universe in UNIVERSES}
    return url_choice(t("universe.label", lang), options, "universe", "members")


def date_control(label: str, key: str, default: date, container=None, before: date | None = None) -> date:
    """A date picker kept in the URL under `key`, clamped to the Convention's lifetime; a URL value after `before`
    (the as-of date, for a "since" date) gives `default` (url_date)."""
    if key not in st.session_state:
        st.session_state[key] = url_date(key, min(max(default, EARLIEST), date.today()), lang(), before)
    chosen = (container or st).date_input(label, key=key, min_value=EARLIEST, max_value=date.today(), format="YYYY-MM-DD")
    st.query_params[key] = chosen.isoformat()
    return chosen


def chart_block(chart, data, lang: str, as_of: date, latest: date, name: str, title: str) -> None:
    """A chart with its title, as-of and source lines, a data table, and PNG, SVG and CSV downloads.

    `chart` is an alt.Chart or, cheaper on reruns, a charts.Prepared cached in app/data.py. The
    exports carry the title and both lines inside the image; they are rendered offline by
    vl-convert only when a button is pressed (deferred download data), so reruns stay cheap.
    """
    prepared = chart if isinstance(chart, charts.Prepared) else charts.prepare(chart)
    lines = source_lines(lang, as_of, latest)
    st.markdown(f"**{md_text(title)}**")  # a title may name a group from the data
    # A fresh dict each run: Streamlit moves the datasets out of the spec it is given.
    alt_text = f"{title}. {lines[0]}"
    if prepared.narrow_spec_json is None:
        st.vega_lite_chart(json.loads(prepared.spec_json), key=f"chart_{name}", width="stretch", alt=alt_text)
    else:
        # Both layouts are sent; the box's width picks the one shown (app/a11y.py: a CSS container query).
        with st.container(key=f"reflow_{name}"):
            st.html(
                f"<style>@container reflow (max-width: {prepared.wide_px - 1}px) {{ .st-key-wide_{name} {{ display: none; }} }}"
                f" @container reflow (min-width: {prepared.wide_px}px) {{ .st-key-narrow_{name} {{ display: none; }} }}</style>"
            )
            with st.container(key=f"wide_{name}"):
                st.vega_lite_chart(json.loads(prepared.spec_json), key=f"chart_{name}", width="stretch", alt=alt_text)
            with st.container(key=f"narrow_{name}"):
                st.vega_lite_chart(
                    json.loads(prepared.narrow_spec_json), key=f"chart_{name}_narrow", width="stretch", alt=alt_text
                )
    st.caption(" ".join(lines))
    # The table behind the chart, on request (a collapsed expander would still send it on every rerun).
    if st.toggle(t("common.data_table", lang), key=f"table_{name}"):
        st.dataframe(tables.chart_data_table(data, lang), hide_index=True, width="stretch")
    stem = f"uncat-{name}-{as_of.isoformat()}"
    export_buttons(prepared.chart, lang, stem, name, title, lines, data=lambda: tables.chart_data_table(data, lang))


def export_buttons(chart, lang: str, stem: str, name: str, title: str, lines: list[str], data=None) -> None:
    """PNG and SVG of a chart (an Altair chart or a Vega-Lite dict), and CSV of its data when given (a table, or
    a function returning it, built only when the button is pressed).

    Rendered offline by vl-convert only when a button is pressed, with the title and lines inside.
    `chart` may also be a function returning the chart, for a chart that is costly to build.
    """
    built = chart if callable(chart) else (lambda: chart)
    # A horizontal row sized to its buttons: in narrow columns the labels stay, not icons alone.
    png = svg = csv = st.container(horizontal=True, gap="small")
    png.download_button(
        t("common.download_png", lang),
        data=lambda: charts.to_png(charts.titled(built(), title, lines)),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png_{name}",
        on_click="ignore",
        icon=":material/image:",
    )
    svg.download_button(
        t("common.download_svg", lang),
        data=lambda: charts.to_svg(charts.titled(built(), title, lines)),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"svg_{name}",
        on_click="ignore",
        icon=":material/draw:",
    )
    if data is not None:
        csv.download_button(
            t("common.download_csv", lang),
            data=lambda: exports.csv_bytes(data() if callable(data) else data),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"csv_{name}",
            on_click="ignore",
            icon=":material/table:",
        )


# In another site's <iframe> (`embed=true`): the view only, without the sidebar (language, navigation).
EMBED_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
</style>"""


def url_toggle(label: str, key: str, on_value: str = "upcoming", help: str | None = None) -> bool:  # noqa: A002
    """A switch whose state lives in the URL as `key=on_value` (absent: off); an unusable value is said and ignored."""
    if key not in st.session_state:
        wanted = url_value(key)
        if wanted is not None and wanted != on_value:
            ignored(key, wanted, t("url.switch_off", lang()), lang())
        st.session_state[key] = wanted == on_value
    chosen = st.toggle(label, key=key, help=help)
    if chosen:
        st.query_params[key] = on_value
    else:
        st.query_params.pop(key, None)
    return chosen


def site_address() -> str:
    """The dashboard's address as the browser reached it (scheme and host), for links that leave the page
    (an iCalendar event); the configured public address when the browser's is not known."""
    url = st.context.url or ""
    found = re.match(r"https?://[^/?#]+", url)
    return found.group() if found else public_url()


def on_phone() -> bool:
    """True when the browser says it is a phone (its User-Agent): pages then lay out for a narrow screen."""
    return "Mobile" in (st.context.headers.get("User-Agent") or "")


def embedded() -> bool:
    """True in Streamlit's embed mode (`embed=true` in the URL): the view is shown inside another site."""
    if st.context.is_embedded:
        st.html(EMBED_CSS)
        return True
    return False


def group_feed_link(group: str, name: str, lang: str) -> None:
    """Under a group's choice: the link to follow the group (its Atom feed), when the group has one (a group of the
    data, not a region or a UN regional group) and the ETL has published it."""
    if not group or ":" in group or group == "none" or not opendata_links.subscription_published("group", group, lang):
        return
    feed = opendata_links.link(opendata_links.subscription("group", group, lang))
    st.markdown(f":small[:material/rss_feed: [{md_text(t('subscriptions.follow_group', lang, group=name))}]({feed})]")


def page_footer(lang: str, url_path: str) -> None:
    """Under every page: the links to the open data and feeds, and the Embed button with this view's <iframe>."""
    if opendata_links.published():
        links = [
            f"[{t('opendata.bundle', lang)}]({opendata_links.link(opendata_links.BUNDLE)})",
            f"[{t('opendata.package', lang)}]({opendata_links.link(opendata_links.PACKAGE)})",
            f"[{t('opendata.atom', lang)}]({opendata_links.link(opendata_links.in_language(opendata_links.ATOM, lang))})",
            f"[{t('opendata.calendar', lang)}]({opendata_links.link(opendata_links.in_language(opendata_links.CALENDAR, lang))})",
        ]
        # Markdown, not a caption: a page's last caption stays its as-of and source line. Keyed: a slide hides it.
        st.container(key="opendata_links").markdown(f":small[{t('opendata.intro', lang)}{colon(lang)}" + " · ".join(links) + "]")
    if st.context.is_embedded:
        return
    page_url = st.context.url or f"{public_url()}/{url_path}"
    with st.popover(t("opendata.embed", lang), icon=":material/code:", key="embed"):
        st.markdown(t("opendata.embed_help", lang))
        st.code(opendata_links.iframe_snippet(page_url, st.query_params.to_dict(), t("app.title", lang)), language="html")
