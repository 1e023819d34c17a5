"""Annual forum: the progress report as slides from the live data, for a projector, and as PPTX."""

import json

import streamlit as st

from app import data, keys, ui
from app.deck import default_since
from app.palette import ANNOTATION, PROJECTOR_BACKGROUND, PROJECTOR_TEXT
from app.slides import SECTIONS, SLIDE_TABLE_ROWS
from core.i18n import t

lang = ui.lang()
latest = data.data_as_of()
# The switch sits with the slide controls below; its value is known before it is drawn on a rerun.
presenting = bool(st.session_state.get("present"))
# A presenter's clicker sends Page Down / Page Up (or the arrows); Space moves on as in a slide program. The keys act
# only when focus is not on a control, and the settings can switch them off (WCAG 2.1.4). Drawn first, so that it
# keeps its place whatever the slide shows.
keys.clicker(st.session_state.get("slide_keys", True), next=["ArrowRight", "PageDown", " "], previous=["ArrowLeft", "PageUp"])

with st.container(key="forum_settings").expander(t("forum.settings", lang), expanded=False):
    as_of = ui.as_of_control(lang, latest)
    since = ui.date_control(t("forum.since", lang), "since", default_since(as_of), before=as_of)
    st.toggle(t("forum.slide_keys", lang), value=True, key="slide_keys", help=t("forum.slide_keys_help", lang))

total = len(SECTIONS)
if "slide" not in st.session_state:
    st.session_state["slide"] = ui.url_int(
        "slide", list(range(1, total + 1)), 1, lang, shown=lambda n: t("url.slide", lang, number=n)
    )


def move(step: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + step, 1), total)


number = st.session_state["slide"]
st.query_params["slide"] = str(number)
slide, spec_json = data.forum_slide(as_of, since, lang, SECTIONS[number - 1])

# The chart takes the height the slide's text leaves free (an estimate per line at projector sizes).
small = slide.chart is not None or slide.table is not None
reserved = (
    (90 if presenting else 200)
    + 80
    + len(slide.lines) * (52 if small else 70)
    + len(slide.footer) * 30
    + (0 if presenting else 90)  # the row of controls, out of the way when presenting
)
hidden = (
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header, [data-testid='stToolbar'],"
    " .st-key-forum_settings, .st-key-embed, .st-key-opendata_links {display: none !important;}"
    " [data-testid='stMainBlockContainer'] {padding-top: 1.5rem !important; padding-bottom: 0.5rem !important;}"
    # The slide fills the screen, its as-of and source lines at the bottom.
    " .st-key-forum_slide {min-height: calc(100vh - 5rem);}"
    " .st-key-forum_slide > :last-child {margin-top: auto;}"
    # The controls leave the projected slide: in the bottom right corner, shown only under the mouse or the keyboard's
    # focus (the clicker keys press them all the same).
    " .st-key-forum_controls {position: fixed; right: 1rem; bottom: 0.5rem; z-index: 1000; width: auto !important;"
    f" background: {PROJECTOR_BACKGROUND}; padding: 0.25rem 0.5rem; opacity: 0; transition: opacity 0.2s;}}"
    # (:focus-visible, not :focus-within: the switch a mouse has just pressed keeps the focus, not the controls in view)
    " .st-key-forum_controls:hover, .st-key-forum_controls:has(:focus-visible) {opacity: 1;}"
    if presenting
    else ""
)
# Projector theme: large type, black on white (contrast 17:1), menus and settings hidden in presentation view.
st.html(
    f"""<style>
    .forum-title {{font-size: 3rem; font-weight: 700; color: {PROJECTOR_TEXT}; line-height: 1.15; margin: 0 0 0.4rem 0;
      padding: 0;}}
    .forum-figure {{font-size: 10rem; font-weight: 700; color: {PROJECTOR_TEXT}; line-height: 1; margin: 3rem 0 0.5rem 0;
      font-variant-numeric: lining-nums;}}
    .forum-caption {{font-size: 3rem; color: {PROJECTOR_TEXT}; line-height: 1.2; margin: 0 0 3rem 0;}}
    .forum-line {{font-size: 2.25rem; color: {PROJECTOR_TEXT}; line-height: 1.3; margin: 0.4rem 0;}}
    .forum-small {{font-size: 1.75rem; color: {PROJECTOR_TEXT}; line-height: 1.3;}}
    .forum-table {{width: 100%; border-collapse: collapse; font-size: 1.75rem; color: {PROJECTOR_TEXT}; margin-top: 1rem;}}
    .forum-table th {{text-align: left; font-weight: 700; border-bottom: 3px solid {PROJECTOR_TEXT};
      padding: 0.5rem 1rem 0.5rem 0;}}
    .forum-table td {{border-bottom: 1px solid #999999; padding: 0.6rem 1rem 0.6rem 0; vertical-align: top;}}
    .forum-names {{color: {PROJECTOR_TEXT}; line-height: 1.3;}}  /* 24 px at 1080 px high, less on a laptop */
    .forum-names p {{font-size: clamp(1.125rem, 2.25vh, 1.5rem); margin: 0 0 0.9rem 0;}}
    .forum-names strong {{display: block;}}
    .stApp {{background-color: {PROJECTOR_BACKGROUND};}}
    .forum-footer {{font-size: 1.125rem; color: {ANNOTATION}; margin-top: 0.4rem;}}
    .st-key-forum_chart {{flex: none !important; height: max(320px, calc(100vh - {reserved}px)) !important;}}
    .st-key-forum_chart .stElementContainer, .st-key-forum_chart [data-testid='stFullScreenFrame'],
    .st-key-forum_chart [data-testid='stFullScreenFrame'] > div, .st-key-forum_chart .vega-embed {{height: 100% !important;}}
    {hidden}
    </style>"""
)


def slide_table(frame) -> str:
    """A slide's table as HTML at projector size (a data grid draws 14 px type): headings, then one row per item."""
    head = "".join(f"<th scope='col'>{ui.escape(str(name))}</th>" for name in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{ui.escape('' if value is None else str(value))}</td>" for value in row) + "</tr>"
        for row in frame.head(SLIDE_TABLE_ROWS).itertuples(index=False)
    )
    return f"<table class='forum-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def chart_block() -> None:
    spec = json.loads(spec_json)
    # On screen the chart fills the box above (the PPTX keeps the fixed size it was built with).
    spec.update(width="container", height="container", autosize={"type": "fit", "contains": "padding"})
    with st.container(key="forum_chart"):
        st.vega_lite_chart(spec, width="stretch", key=f"forum_chart_{slide.key}", alt=" ".join([slide.title, *slide.lines]))


with st.container(key="forum_slide"):
    st.html(f"<h1 class='forum-title'>{ui.escape(slide.title)}</h1>")  # the slide's title is the page's heading
    if slide.figure:
        st.html(
            f"<div class='forum-figure'>{ui.escape(slide.figure)}</div>"
            f"<div class='forum-caption'>{ui.escape(slide.figure_caption)}</div>"
        )
    for line in slide.lines:
        st.html(f"<div class='{'forum-small' if small else 'forum-line'}'>{ui.escape(line)}</div>")
    if spec_json is not None and slide.names:
        # The chart counts by region; beside it, the states by name (they fit: about twenty).
        left, right = st.columns([3, 2], gap="large")
        with left:
            chart_block()
        right.html(
            "<div class='forum-names'>"
            + "".join(f"<p><strong>{ui.escape(where)}</strong>{ui.escape(names)}</p>" for where, names in slide.names)
            + "</div>"
        )
    elif spec_json is not None:
        chart_block()
    elif slide.table is not None and not slide.table.empty:
        st.html(slide_table(slide.table))
        if slide.more:
            st.html(f"<div class='forum-small'>{ui.escape(slide.more)}</div>")
    st.html(f"<div class='forum-footer'>{'<br>'.join(ui.escape(line) for line in slide.footer)}</div>")

# One row of controls, each as wide as its label, wrapping on a narrow screen rather than cutting a label
# ("Vue présentation (masque les menu", "Télécharger les diapositives (P…" in fixed columns at 1366 px).
previous = position = following = present = export = st.container(
    horizontal=True, vertical_alignment="center", gap="medium", key="forum_controls"
)
previous.button(
    t("forum.previous", lang), key="previous", on_click=move, args=(-1,), disabled=number == 1, icon=":material/arrow_back:"
)
position.markdown(t("forum.position", lang, number=number, total=total), width="content")
following.button(
    t("forum.next", lang), key="next", on_click=move, args=(1,), disabled=number == total, icon=":material/arrow_forward:"
)
present.toggle(t("forum.full_screen", lang), key="present", width="content")
export.download_button(
    t("forum.download_pptx", lang),
    data=lambda: data.forum_pptx(as_of, since, lang),
    file_name=f"uncat-forum-{lang}-{as_of.isoformat()}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="pptx",
    on_click="ignore",
    icon=":material/slideshow:",
)
