"""World map: every state's UNCAT status as of a date, small states included, offline."""

import time
from datetime import date

import streamlit as st

from app import data, maps, profile, ui
from app.maps import OVERLAYS, MapOptions
from app.palette import SIGNATORY_EDGE, STATUS
from core import exports
from core.i18n import colon, fmt_number, t
from core.treaty_rules import OPENED_FOR_SIGNATURE

lang = ui.lang()
latest = data.data_as_of()
st.title(t("map.title", lang))
st.write(t("map.description", lang))


def select_state(iso3: str | None) -> None:
    st.session_state["selected_state"] = iso3
    st.session_state["search"] = iso3  # "Find a state" shows the selection, and clears with it
    if iso3:
        st.query_params["state"] = iso3
    else:
        st.query_params.pop("state", None)


def on_search() -> None:
    select_state(st.session_state.get("search"))


def map_key(selected: str | None) -> str:
    # A new key after each selection starts the chart with no selection of its own, so the map
    # shows the app's outline of the selected state, not Streamlit's greying of all the others.
    return f"map_{selected or 'none'}"


def on_map_select() -> None:
    chart = st.session_state.get(map_key(st.session_state.get("selected_state")))
    objects = chart.selection.get("objects", {}) if chart else {}
    picked = [obj.get("properties", obj).get("iso3") for layer in objects.values() for obj in layer]
    select_state(next((code for code in picked if code), None))


if "selected_state" not in st.session_state:
    wanted = ui.url_value("state")
    st.session_state["selected_state"] = wanted.strip().upper() if wanted else None  # fji opens Fiji

# A phone says so in its User-Agent: its map comes right after the title, its controls under the map.
phone = ui.on_phone()
st.html(maps.MAP_CSS)
controls_area = None if phone else st.container()
legend_slot = st.empty()
note_slot = st.container()
map_column, detail_column = st.columns([4, 1])
if phone:
    controls_area = st.container()  # below the map and the panel: the map is the first thing on a phone

controls = controls_area.columns([1.5, 1, 1])  # the first wide enough for the data's age on one line
as_of = ui.as_of_control(lang, latest, container=controls[0])
overlay = ui.url_choice(t("map.overlay", lang), {o: t(f"overlay.{o}", lang) for o in OVERLAYS}, "overlay", "none", controls[1])
group = ui.url_choice(t("map.group", lang), dict(data.group_choices(lang)), "group", "none", controls[2])
with map_column:
    slot = st.container(key="world_map").empty()  # keyed: the page's style lets the map's tooltip out of its frame
    below = st.container(horizontal=True, gap="medium", vertical_alignment="center")
play = below.button(t("map.play", lang), help=t("map.play_help", lang), icon=":material/play_arrow:", key="play")
base_map = below.toggle(t("map.base_map", lang), key="base_map")

selected = st.session_state["selected_state"]
if selected not in data.shape_files(lang).keys:
    if selected:  # an unknown code in the URL costs nothing: it is dropped before any computing, and said
        ui.ignored("state", ui.url_value("state") or selected, t("url.no_state", lang), lang)
        select_state(None)
    selected = None
if "search" not in st.session_state:
    st.session_state["search"] = selected  # a link with state= opens with "Find a state" showing it
# deck.gl fills the map's height with the world (a square): a phone's map is no taller than wide.
map_height = maps.PHONE_MAP_HEIGHT if phone else maps.MAP_HEIGHT
options = MapOptions(overlay=overlay, group=group, selected=selected, base_map=base_map, phone=phone)
names = data.state_names(lang)

# The panel is written before the map: the browser shows it (the profile link first) while the map redraws.
with detail_column:
    st.header(t("map.selected_title", lang))
    st.selectbox(
        t("map.search", lang),
        list(names),
        format_func=names.get,
        index=None,
        placeholder=t("map.search_placeholder", lang),
        key="search",
        on_change=on_search,
    )
    if selected:
        st.page_link(
            "views/country.py",
            label=t("profile.open_profile", lang),
            icon=":material/id_card:",
            query_params={"state": selected, "lang": lang, "as_of": as_of.isoformat()},
        )
        with st.spinner(t("map.loading", lang, name=ui.md_text(names[selected]))):
            view = data.map_view(data.snapshot(as_of), options, lang)
            report = data.report_step(selected, as_of, lang)
        for label, value in view.details.items():
            st.markdown(f"**{ui.md_text(label)}**  \n{ui.md_text(value)}")  # names come from the data: shown as text
        # The initial report as the profile says it (one rule, one wording), with how it is known.
        if report.done is not None:
            (marked,), notes = profile.with_notes([report])
            st.markdown(f"**{ui.md_text(marked.label)}**  \n{ui.md_text(marked.value)}")
            for note in notes:
                st.caption(ui.md_text(note))
        st.button(t("map.clear", lang), key="clear", on_click=select_state, args=(None,))
    else:
        view = data.map_view(data.snapshot(as_of), options, lang)
        st.caption(t("map.select_hint", lang))


def legend_markdown(counts) -> str:
    """The status classes with their counts on the map's date; swatch and label kept together."""
    swatch = (
        "<span style='white-space:nowrap'><span style='display:inline-block;width:0.9em;height:0.9em;"
        "background:{};border:{} solid {};vertical-align:middle'></span> {}</span>"
    )
    items = [
        swatch.format(
            STATUS.get(status, STATUS["no_data"]),
            *(("2px", SIGNATORY_EDGE) if status == "signatory" else ("1px", "#555")),  # the edge drawn on the map
            f"{t(f'status.{status}', lang)} ({fmt_number(count, lang)})",
        )
        for status, count in counts.items()
    ]
    items.append(swatch.format(STATUS["no_data"], "1px", "#555", t("map.territory_not_covered", lang)))
    text = " ".join(items)
    if overlay != "none":
        text += " · " + t("map.legend_overlay", lang, overlay=t(f"overlay.{overlay}", lang))
    return f"**{t('map.legend_title', lang)}**{colon(lang)}{text}"


legend_slot.markdown(legend_markdown(view.legend), unsafe_allow_html=True)
if view.group_note:
    note_slot.info(view.group_note, icon=":material/info:")
ui.group_feed_link(group, dict(data.group_choices(lang)).get(group, group), lang)

with map_column:
    if play:
        # Each frame is a few kilobytes (the shapes stay in the browser); the legend and the year follow it.
        frame_options = MapOptions(overlay=overlay, group=group, base_map=base_map, phone=phone)
        for year in range(OPENED_FOR_SIGNATURE.year, latest.year + 1):
            day = min(date(year, 12, 31), latest)
            deck, counts = data.map_deck(data.snapshot(day), frame_options, lang)
            legend_slot.markdown(f"**{t('map.playing', lang, year=year)}** · {legend_markdown(counts)}", unsafe_allow_html=True)
            slot.pydeck_chart(deck, height=map_height)
            time.sleep(maps.PLAY_PAUSE)
        legend_slot.markdown(legend_markdown(view.legend), unsafe_allow_html=True)
    counts = ", ".join(f"{t(f'status.{s}', lang)} {fmt_number(n, lang)}" for s, n in view.legend.items())
    slot.pydeck_chart(
        view.deck,
        height=map_height,
        on_select=on_map_select,
        selection_mode="single-object",
        key=map_key(options.selected),
        alt=f"{t('map.title', lang)}{colon(lang)}{counts}. {t('map.table_title', lang)}{colon(lang)}{t('map.alt_table', lang)}",
    )

# Under both columns: on a phone the panel (find a state, the selection) comes right after the map.
st.caption(f"{t('map.disclaimer', lang)} {t('map.geometry_source', lang)}")
ui.export_buttons(
    view.static,
    lang,
    f"uncat-map-{as_of.isoformat()}",
    "map",
    t("map.title", lang),
    [*ui.source_lines(lang, as_of, latest), t("map.disclaimer", lang)],
)

st.header(t("map.table_title", lang))
st.dataframe(view.table, hide_index=True, width="stretch")
st.download_button(
    t("map.download_csv", lang),
    data=lambda: exports.csv_bytes(view.table),
    file_name=f"uncat-status-{as_of.isoformat()}.csv",
    mime="text/csv",
    key="download_csv",
    on_click="ignore",
)
ui.source_footer(lang, as_of, latest)
