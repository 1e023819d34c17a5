"""Annual forum: the progress report as slides from the live data, for a projector, and as PPTX."""

import json

import streamlit as st

from app import data, ui
from app.deck import default_since
from app.i18n import t
from app.palette import ANNOTATION, PROJECTOR_BACKGROUND, PROJECTOR_TEXT

lang = ui.lang()
latest = data.data_as_of()

with st.expander(t("forum.settings", lang), expanded=False):
    as_of = ui.as_of_control(lang, latest)
    since = ui.date_control(t("forum.since", lang), "since", default_since(as_of))
    presenting = st.toggle(t("forum.full_screen", lang), key="present")

view = data.forum(as_of, since, lang)
total = len(view.slides)
if "slide" not in st.session_state:
    st.session_state["slide"] = ui.url_int(
        "slide", list(range(1, total + 1)), 1, lang, shown=lambda n: t("url.slide", lang, number=n)
    )


def move(step: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + step, 1), total)


number = st.session_state["slide"]
st.query_params["slide"] = str(number)
slide = view.slides[number - 1]

# Projector theme: large type, black on white (contrast 17:1), menus hidden in presentation view.
hidden = "[data-testid='stSidebar'], header, [data-testid='stToolbar'] {display: none !important;}" if presenting else ""
st.html(
    f"""<style>
    .forum-title {{font-size: 3rem; font-weight: 700; color: {PROJECTOR_TEXT}; line-height: 1.15; margin: 0 0 0.6rem 0;}}
    .forum-line {{font-size: 2rem; color: {PROJECTOR_TEXT}; line-height: 1.3; margin: 0.2rem 0;}}
    .forum-small {{font-size: 1.35rem; color: {PROJECTOR_TEXT};}}
    .stApp {{background-color: {PROJECTOR_BACKGROUND};}}
    .forum-footer {{font-size: 1rem; color: {ANNOTATION}; margin-top: 0.8rem;}}
    {hidden}
    </style>"""
)
st.html(f"<div class='forum-title'>{ui.escape(slide.title)}</div>")
size = "forum-small" if (slide.chart is not None or slide.table is not None) else "forum-line"
for line in slide.lines:
    st.html(f"<div class='{size}'>{ui.escape(line)}</div>")
if slide.key in view.specs:
    st.vega_lite_chart(
        json.loads(view.specs[slide.key]),
        width="stretch",
        key=f"forum_chart_{slide.key}",
        alt=" ".join([slide.title, *slide.lines]),
    )
elif slide.table is not None and not slide.table.empty:
    st.dataframe(slide.table, hide_index=True, width="stretch")
st.html(f"<div class='forum-footer'>{'<br>'.join(ui.escape(line) for line in slide.footer)}</div>")

previous, position, following, export = st.columns([1, 2, 1, 2])
previous.button(
    t("forum.previous", lang), key="previous", on_click=move, args=(-1,), disabled=number == 1, icon=":material/arrow_back:"
)
position.markdown(t("forum.position", lang, number=number, total=total))
following.button(
    t("forum.next", lang), key="next", on_click=move, args=(1,), disabled=number == total, icon=":material/arrow_forward:"
)
export.download_button(
    t("forum.download_pptx", lang),
    data=lambda: data.forum_pptx(as_of, since, lang),
    file_name=f"uncat-forum-{lang}-{as_of.isoformat()}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="pptx",
    on_click="ignore",
    icon=":material/slideshow:",
)
