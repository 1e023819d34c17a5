"""Pure builders of the world map: status per state in, `pdk.Deck` out (no Streamlit, no database)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import altair as alt
import pandas as pd
import pydeck as pdk

from app.figures import LAUNCH
from app.palette import HIGHLIGHT, OCEAN, OUTLINE, SIGNATORY_EDGE, STATUS, TOOLTIP_BACKGROUND, TOOLTIP_TEXT, rgb
from core.i18n import colon, fmt_date, name_column, normalise, region, t

OVERLAYS = ("none", "opcat", "art22", "art20", "since_launch")
# Below this area (square degrees, about 10,000 km2 at the equator) a state also gets a marker.
MARKER_AREA = 1.2
# The whole world with the Pacific in one piece (Fiji is a CTI core state; most non-parties are Pacific and
# Caribbean islands): centred on 150° E, the map's edges fall in the Atlantic, where they cut only Greenland.
WORLD_VIEW = {"latitude": 30.0, "longitude": 150.0, "zoom": 0.45}
REGION_ZOOM = 3.5  # the most a selection zooms in: a small state with its neighbours
# A phone's map is about 360 px wide: the whole world (512 px at zoom 0) needs zoom log2(360/512),
# and a selection one step less to keep the region around it.
PHONE_ZOOM_SHIFT = -1.0
PHONE_MAP_HEIGHT = 240  # px: the world from 82° N to 67° S at the phone's zoom (at most the world's height, or deck.gl zooms in)
# px: the world from 78° N to 56° S at the world zoom, so that at 1366x768 the whole map is above the fold (with the
# data's age under the date, in every language).
MAP_HEIGHT = 384
# The tooltip may leave the map's frame (Streamlit clips it there), over the panel beside the map and the
# buttons under it: a state at the map's edge keeps its whole tooltip. Scoped to the map's keyed container.
# Less room above the title than Streamlit's 6rem: with it the map starts above the fold at 1366x768 in every
# language (the page's style goes with the page).
MAP_CSS = """<style>
.st-key-world_map [data-testid="stDeckGlJsonChart"], .st-key-world_map [data-testid="stDeckGlJsonChart"] div {
  overflow: visible !important; }
.st-key-world_map { position: relative; z-index: 10; }
[data-testid="stMainBlockContainer"] { padding-top: 3rem !important; }
</style>"""
# A desktop tooltip follows the pointer, above it (the map is at the top of the page, with room above it and
# the page's end below) and narrow enough to fit beside the map at its right edge. A phone's is pinned under
# the map, full width: a finger covers the point, and a phone has no room beside the map. deck.gl positions
# its tooltip with `transform`; `translate` moves it from there.
TOOLTIP_STYLE = {
    "backgroundColor": TOOLTIP_BACKGROUND,
    "color": TOOLTIP_TEXT,
    "fontSize": "13px",
    "whiteSpace": "pre-line",
    "maxWidth": "14rem",
    "translate": "8px calc(-100% - 8px)",
}
PHONE_TOOLTIP_STYLE = {
    **TOOLTIP_STYLE,
    "maxWidth": "none",
    "translate": "none",
    "transform": "none",
    "top": "100%",
    "left": "0",
    "right": "0",
}
MAX_ZOOM = 6.0  # the shapes are 1:50m: closer shows nothing more, only a lost view
BASE_MAP_STYLE = pdk.map_styles.CARTO_LIGHT
FILL_ALPHA, DIMMED_ALPHA = 235, 55
PLAY_PAUSE = 0.6  # seconds per year when playing through the years
# pydeck turns plain strings into accessors ("@@=pixels"); a quoted string stays a constant.
PIXELS = '"pixels"'


@dataclass(frozen=True)
class MapOptions:
    overlay: str = "none"
    group: str = "none"
    selected: str | None = None
    base_map: bool = False
    phone: bool = False  # a narrow screen: the view zooms out to show the whole world


def overlay_members(status: pd.DataFrame, overlay: str) -> set[str]:
    """States the overlay marks: OPCAT parties, art. 22 declarations, art. 20 reservations, joined since the CTI launch."""
    if overlay == "opcat":
        rows = status.opcat_consent_date.notna()
    elif overlay == "art22":
        rows = status.art22_declaration_date.notna()
    elif overlay == "art20":
        rows = status.art20_reservation.fillna(False).astype(bool)
    elif overlay == "since_launch":
        rows = (status.status == "party") & (status.consent_date >= LAUNCH)
    else:
        return set()
    return set(status[rows].iso3)


def _day(value, lang: str) -> str:
    return fmt_date(value.date(), lang) if isinstance(value, pd.Timestamp) and not pd.isna(value) else "—"


# The tooltip's markup lives only in this fixed template; the fields are plain text, which
# Streamlit escapes when it fills them in, so a name can never inject markup. The fields travel
# with the shapes (served once per language), so they hold what does not change with the map's
# date: the state's name and the dates of its recorded acts. The status on the date is the colour.
# The lines are one field, broken by newlines (the tooltip keeps them: white-space pre-line), so a
# line that does not apply is left out rather than shown empty.
TOOLTIP_FIELDS = ("tip_name", "tip_lines")
TOOLTIP_TEMPLATE = "<b>{tip_name}</b><br/>{tip_lines}"


def tooltip_lines(row, lang: str) -> list[str]:
    """A state's recorded acts as labelled lines; entry into force only for a party (art. 27 binds no one else)."""
    consent = "—"
    if isinstance(row.consent_date, pd.Timestamp) and not pd.isna(row.consent_date):
        consent = f"{_day(row.consent_date, lang)} ({t(f'consent.{row.consent_type}', lang)})"
    lines = [
        f"{t('column.signature_date', lang)}{colon(lang)}{_day(row.signature_date, lang)}",
        f"{t('column.consent_date', lang)}{colon(lang)}{consent}",
    ]
    if row.status == "party":
        lines.append(f"{t('column.entry_into_force', lang)}{colon(lang)}{_day(row.entry_into_force, lang)}")
    lines += [
        f"{t('column.art22', lang)}{colon(lang)}{_day(row.art22_declaration_date, lang)}",
        f"{t('column.opcat', lang)}{colon(lang)}{_day(row.opcat_consent_date, lang)}",
    ]
    return lines


def tooltip_fields(row, lang: str) -> dict[str, str]:
    """The tooltip of one state as plain text, labelled in the UI language."""
    return {"tip_name": str(getattr(row, name_column(lang))), "tip_lines": "\n".join(tooltip_lines(row, lang))}


# A state's acts recorded by the depositary: any of them shows it acting as a state on the date.
ACT_COLUMNS = ("signature_date", "consent_date", "opcat_signature_date", "opcat_consent_date")


def counted_on(status: pd.DataFrame, day: date) -> pd.Series:
    """Which states the map counts on `day` (a boolean per row of `status`, the status as of `day`).

    A UN member state counts from its admission (states.un_member_since), or from its first act recorded by
    the depositary when that came first (Switzerland was a party 16 years before it joined); South Sudan,
    admitted on 14 July 2011, is not "no action" in 2002. A state outside the UN (Holy See, State of Palestine,
    Cook Islands, Niue) has no admission date and counts throughout (data/SOURCES.md).
    """
    admitted = pd.to_datetime(status.un_member_since) <= pd.Timestamp(day)
    acted = status[list(ACT_COLUMNS)].notna().any(axis=1)
    return (status.kind != "member") | admitted | acted


def map_frame(
    status: pd.DataFrame,
    groups: pd.DataFrame,
    group_names: dict[str, str],
    options: MapOptions,
    lang: str,
    day: date | None = None,
) -> pd.DataFrame:
    """One row per state: colour and flags for the chosen overlay and group; `counted` on `day` (all when None)."""
    frame = status.copy()
    marked = overlay_members(status, options.overlay)
    in_group = group_members(status, groups, options.group)
    frame["counted"] = True if day is None else counted_on(status, day)
    frame["in_overlay"] = frame.iso3.isin(marked) & frame.counted
    frame["in_group"] = True if in_group is None else frame.iso3.isin(in_group)
    frame["fill"] = [
        rgb(STATUS[s] if c else STATUS["no_data"], FILL_ALPHA if g else DIMMED_ALPHA)
        for s, c, g in zip(frame.status, frame.counted, frame.in_group, strict=True)
    ]
    frame["name"] = frame[name_column(lang)]
    return frame


def group_members(status: pd.DataFrame, groups: pd.DataFrame, group: str) -> set[str] | None:
    """Members of a group code (as in force), an M49 region ('region:Africa') or a UN regional group ('unrg:...')."""
    if group in ("", "none", None):
        return None
    if group.startswith("region:"):
        name = group.split(":", 1)[1]
        return set(status[(status.m49_region == name) | (status.m49_subregion == name)].iso3)
    if group.startswith("unrg:"):
        return set(status[status.un_regional_group == group.split(":", 1)[1]].iso3)
    return set(groups[groups.group_code == group].iso3)


def legend_counts(frame: pd.DataFrame) -> dict[str, int]:
    """States counted on the date per status class, in legend order; then those not counted yet, if any."""
    counted = frame[frame.counted] if "counted" in frame else frame
    counts = counted.status.value_counts()
    legend = {status: int(counts.get(status, 0)) for status in ("party", "signatory", "no_action")}
    if len(counted) < len(frame):
        legend["not_counted"] = len(frame) - len(counted)
    return legend


def marker_states(geometry: dict) -> set[str]:
    """States too small to see at world zoom (or without a polygon) get a marker at their label point."""
    areas: dict[str, float] = {}
    for feature in geometry["features"]:
        iso3 = feature["properties"]["iso3"]
        if iso3:
            areas[iso3] = areas.get(iso3, 0.0) + feature["properties"]["area"]
    return {iso3 for iso3, area in areas.items() if area < MARKER_AREA}


class PreparedDeck:
    """A Deck serialised once, compactly: what st.pydeck_chart reads (to_json, the tooltip), nothing more.

    Streamlit calls to_json() on every rerun; pydeck's own JSON is indented.
    """

    layers: tuple = ()  # nothing left for Streamlit's DataFrame conversion to do

    def __init__(self, deck: pdk.Deck):
        self._tooltip = deck._tooltip
        self._json = json.dumps(json.loads(deck.to_json()), separators=(",", ":"), ensure_ascii=False)

    def to_json(self) -> str:
        return self._json


@dataclass(frozen=True)
class ShapeFiles:
    """The map's shapes as the browser fetches them once, and the order their `k` property indexes.

    States first (`keys`), then territories (`territory_keys`, M49 codes); the index after them stands for
    the shapes that are neither (the Siachen Glacier area).
    """

    keys: tuple[str, ...]
    shapes_url: str
    markers_url: str
    zoom: MappingProxyType  # iso3 -> a zoom that shows the state with its region around it
    territory_keys: tuple[str, ...] = ()


def compact(document) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def territory_keys(territories: pd.DataFrame | None) -> tuple[str, ...]:
    """The territories' M49 codes in the order of their `k` (after the states')."""
    return () if territories is None else tuple(sorted(territories.m49))


def _current(applications: pd.DataFrame, m49: str, treaty: str) -> pd.Series | None:
    """The depositary's record in force now (no end date) for a territory and a treaty, or None."""
    rows = applications[(applications.m49 == m49) & (applications.treaty == treaty) & applications.valid_to.isna()]
    return None if rows.empty else rows.iloc[-1]


def territory_lines(row, applications: pd.DataFrame, lang: str) -> list[str]:
    """A territory's tooltip: its UN status, who administers it, and what the depositary records there (latest data)."""
    lines = [t("map.territory_nsgt", lang)] if row.nsgt else []
    administering = getattr(row, f"administering_{normalise(lang)}")
    if isinstance(administering, str) and administering:
        key = "map.territory_administering_power" if row.nsgt else "map.territory_administered"
        lines.append(t(key, lang, state=administering))
    else:
        lines.append(t("map.territory_no_administering_power", lang))
    cat = _current(applications, row.m49, "CAT")
    if cat is not None and cat.effect == "applies":
        key = "map.territory_covered" if cat.with_consent else "map.territory_covered_from"
        day = fmt_date(pd.Timestamp(cat.effective_from).date(), lang)
        lines.append(t(key, lang, party=cat[f"party_{normalise(lang)}"], date=day, note=cat.untc_note))
    else:
        lines.append(t("map.territory_not_recorded", lang))
    opcat = _current(applications, row.m49, "OPCAT")
    if opcat is not None and opcat.effect == "applies":
        day = fmt_date(pd.Timestamp(opcat.effective_from).date(), lang)
        lines.append(t("map.territory_opcat", lang, date=day, note=opcat.untc_note))
    if isinstance(row.un_note, str) and row.un_note:
        lines.append(t(f"map.un_note_{row.un_note}", lang))
    return lines


def shape_documents(
    geometry: dict,
    status: pd.DataFrame,
    lang: str,
    territories: pd.DataFrame | None = None,
    applications: pd.DataFrame | None = None,
) -> tuple[tuple[str, ...], dict, list[dict], dict]:
    """The served files' contents: (keys, shapes as GeoJSON, small-state markers, zoom per state).

    `status` is the status as of the latest data: the tooltips list each state's recorded acts; a territory's
    tooltip names it as M49 does, with its administering state and what the depositary records there.
    """
    keys = tuple(sorted(status.iso3))
    index = {iso3: k for k, iso3 in enumerate(keys)}
    territory_index = {m49: len(keys) + j for j, m49 in enumerate(territory_keys(territories))}
    other = len(keys) + len(territory_index)
    rows = status.set_index("iso3")
    tips = {row.Index: tooltip_fields(row, lang) for row in rows.itertuples()}
    territory_tips = {}
    if territories is not None:
        for row in territories.itertuples():
            name = getattr(row, f"name_{normalise(lang)}")
            territory_tips[row.m49] = {"tip_name": name, "tip_lines": "\n".join(territory_lines(row, applications, lang))}
    features = []
    areas: dict[str, float] = {}
    for feature in geometry["features"]:
        iso3, territory = feature["properties"]["iso3"], feature["properties"].get("territory")
        if iso3 in index:
            properties = {"iso3": iso3, "k": index[iso3], **tips[iso3]}
            areas[iso3] = areas.get(iso3, 0.0) + feature["properties"]["area"]
        elif territory in territory_index:
            properties = {"iso3": "", "territory": territory, "k": territory_index[territory], **territory_tips[territory]}
        elif feature["properties"].get("area_name"):
            area = feature["properties"]["area_name"]
            tip = {"tip_name": t(f"map.area_{area}", lang), "tip_lines": t(f"map.un_note_{area}", lang)}
            properties = {"iso3": "", "k": other, **tip}
        else:
            properties = {"iso3": "", "k": other, "tip_name": feature["properties"]["ne_name"], "tip_lines": ""}
        features.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    small = marker_states(geometry) | (set(keys) - {f["properties"]["iso3"] for f in geometry["features"]})
    markers = [
        {"iso3": iso3, "k": index[iso3], "position": [float(rows.at[iso3, "lon"]), float(rows.at[iso3, "lat"])], **tips[iso3]}
        for iso3 in sorted(small)
        if iso3 in index
    ]
    zoom = {iso3: state_zoom(areas.get(iso3, 0.0)) for iso3 in keys}
    return keys, {"type": "FeatureCollection", "features": features}, markers, zoom


def territory_frame(
    territories: pd.DataFrame, applications: pd.DataFrame, status: pd.DataFrame, day: date, options: MapOptions
) -> pd.DataFrame:
    """One row per territory on `day` (indexed by M49 code): covered when a party's ratification of the Convention
    applies there on that day, as the depositary records it, and then drawn in the party colour; grey otherwise."""
    on_day = pd.Timestamp(day)
    start, end = pd.to_datetime(applications.effective_from), pd.to_datetime(applications.valid_to)
    in_force = applications[(applications.effect == "applies") & (start <= on_day) & (end.isna() | (end >= on_day))]
    party_status = dict(zip(status.iso3, status.status, strict=True))
    cat = in_force[in_force.treaty == "CAT"].drop_duplicates("m49", keep="last").set_index("m49")
    opcat = set(in_force[in_force.treaty == "OPCAT"].m49)
    frame = pd.DataFrame({"m49": sorted(territories.m49)}).set_index("m49", drop=False)
    frame["party"] = frame.m49.map(cat.party_iso3)
    frame["covered"] = frame.party.map(party_status) == "party"
    frame["in_overlay"] = frame.m49.isin(opcat) if options.overlay == "opcat" else False
    dimmed = options.group not in ("", "none", None)  # a highlighted group is of states
    alpha = DIMMED_ALPHA if dimmed else FILL_ALPHA
    frame["fill"] = [rgb(STATUS["party"] if covered else STATUS["no_data"], alpha) for covered in frame.covered]
    return frame


def state_zoom(area: float) -> float:
    """Large states fill the view; small ones show with their neighbours, never a patch of open ocean."""
    if area <= 0:
        return REGION_ZOOM
    return round(min(REGION_ZOOM, max(1.5, 5.5 - 0.5 * math.log2(area))), 2)


def _lookup(values: list, index: str) -> str:
    """A deck.gl expression picking each state's value: a small palette and one palette index per state."""
    palette: list = []
    for value in values:
        if value not in palette:
            palette.append(value)
    # Parentheses: deck.gl's expression parser reads a member access after a group, not after a bare array.
    return f"({compact(palette)})[({compact([palette.index(v) for v in values])})[{index}]]"


def _trigger(expression: str) -> list[str]:
    # deck.gl does not compare accessor functions: a changed digest tells it to recompute.
    return [hashlib.blake2s(expression.encode(), digest_size=6).hexdigest()]


def build_deck(
    frame: pd.DataFrame, options: MapOptions, files: ShapeFiles, territories: pd.DataFrame | None = None
) -> PreparedDeck:
    """The map as a pydeck Deck: the served shapes, restyled by this view's colours, outlines and selection.

    What travels per view is a few kilobytes: one palette index per state and territory, not the shapes.
    `territories` is territory_frame's on the view's date.
    """
    rows = frame.set_index("iso3")
    fills, lines, widths, radii, marker_widths = [], [], [], [], []
    for iso3 in files.keys:
        if iso3 in rows.index:
            marked, selected = bool(rows.at[iso3, "in_overlay"]), iso3 == options.selected
            edged = rows.at[iso3, "status"] == "signatory" and bool(rows.at[iso3, "counted"])
            fills.append(list(rows.at[iso3, "fill"]))
            if marked or selected:
                lines.append(rgb(HIGHLIGHT))
            else:  # the signatories' light fill gets a dark edge (palette.SIGNATORY_EDGE)
                lines.append(rgb(SIGNATORY_EDGE) if edged else rgb(OUTLINE))
            widths.append(3 if selected else (1.6 if marked else (1 if edged else 0.4)))
            marker_widths.append(2.5 if (marked or selected) else 1)
            radii.append(7 if selected else 5)
        else:
            fills.append(rgb(STATUS["no_data"]))
            lines.append(rgb(OUTLINE))
            widths.append(0.4)
            marker_widths.append(1)
            radii.append(5)
    states = len(fills)
    for m49 in files.territory_keys:
        known = territories is not None and m49 in territories.index
        marked = known and bool(territories.at[m49, "in_overlay"])
        fills.append(list(territories.at[m49, "fill"]) if known else rgb(STATUS["no_data"]))
        lines.append(rgb(HIGHLIGHT) if marked else rgb(OUTLINE))
        widths.append(1.6 if marked else 0.4)
    fills.append(rgb(STATUS["no_data"]))
    lines.append(rgb(OUTLINE))
    widths.append(0.4)
    # Streamlit keeps only getFillColor's update trigger (it adds its own for selections), so the
    # outlines and marker sizes are part of their layer's id instead: new outlines, a new layer.
    shape_accessors = {
        "getFillColor": _lookup(fills, "properties.k"),
        "getLineColor": _lookup(lines, "properties.k"),
        "getLineWidth": _lookup(widths, "properties.k"),
    }
    marker_accessors = {
        "getFillColor": _lookup(fills[:states], "k"),
        "getLineWidth": _lookup(marker_widths, "k"),
        "getRadius": _lookup(radii, "k"),
    }
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            id="ocean",
            data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
            get_polygon="polygon",
            get_fill_color=rgb(OCEAN),
            visible=not options.base_map,
        ),
        # Fills and outlines are two layers over the same served file: only the fills are pickable,
        # because picking the outlines' many vertices on every press made a click too slow to
        # register as one on a machine without a graphics card.
        pdk.Layer(
            "GeoJsonLayer",
            id="states",
            data=files.shapes_url,
            get_fill_color=shape_accessors["getFillColor"],
            update_triggers={"getFillColor": _trigger(shape_accessors["getFillColor"])},
            stroked=False,
            filled=True,
            pickable=True,
            auto_highlight=True,
            highlight_color=[255, 255, 255, 90],
        ),
        pdk.Layer(
            "GeoJsonLayer",
            id=f"outlines-{_trigger(shape_accessors['getLineColor'] + shape_accessors['getLineWidth'])[0]}",
            data=files.shapes_url,
            get_line_color=shape_accessors["getLineColor"],
            get_line_width=shape_accessors["getLineWidth"],
            line_width_units=PIXELS,
            stroked=True,
            filled=False,
            pickable=False,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id=f"markers-{_trigger(marker_accessors['getLineWidth'] + marker_accessors['getRadius'])[0]}",
            data=files.markers_url,
            get_position="position",
            get_fill_color=marker_accessors["getFillColor"],
            get_line_color=rgb(HIGHLIGHT),
            get_line_width=marker_accessors["getLineWidth"],
            get_radius=marker_accessors["getRadius"],
            update_triggers={"getFillColor": _trigger(marker_accessors["getFillColor"])},
            radius_units=PIXELS,
            line_width_units=PIXELS,
            stroked=True,
            pickable=True,
            auto_highlight=True,
        ),
    ]
    view = dict(WORLD_VIEW)
    if options.selected in rows.index:
        view = {
            "latitude": float(rows.at[options.selected, "lat"]),
            "longitude": float(rows.at[options.selected, "lon"]),
            "zoom": files.zoom.get(options.selected, REGION_ZOOM),
        }
    if options.phone:
        view["zoom"] = round(view["zoom"] + PHONE_ZOOM_SHIFT, 2)
    view.update(max_zoom=MAX_ZOOM, min_zoom=min(0.0, view["zoom"]))
    base_map = {"map_style": BASE_MAP_STYLE, "map_provider": "carto"} if options.base_map else {"map_provider": None}
    return PreparedDeck(
        pdk.Deck(
            layers=layers,
            initial_view_state=pdk.ViewState(**view),
            tooltip={"html": TOOLTIP_TEMPLATE, "style": PHONE_TOOLTIP_STYLE if options.phone else TOOLTIP_STYLE},
            views=[pdk.View(type="MapView", controller=True, repeat=True)],
            # Without a base map no style is named at all, so the browser asks no tile server for one.
            **base_map,
        )
    )


def deck_bytes(deck: PreparedDeck) -> int:
    """Size of what the browser receives for this map view (the shapes are fetched once, apart)."""
    return len(deck.to_json().encode("utf-8"))


def group_choices(group_names: pd.DataFrame, status: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """Highlight options: none, each group (as in force), each M49 region, each UN regional group."""
    choices = [("none", t("groupopt.none", lang))]
    choices += [(row.group_code, getattr(row, f"name_{lang}", row.name_en)) for row in group_names.itertuples()]
    for name in sorted(status.m49_region.dropna().unique()):
        choices.append((f"region:{name}", t("groupopt.region", lang, name=region(name, lang))))
    for name in sorted(status.un_regional_group.dropna().unique()):
        choices.append((f"unrg:{name}", t("groupopt.unrg", lang, name=region(name, lang))))
    return choices


def group_note(groups: pd.DataFrame, group: str, lang: str) -> str | None:
    """Say so when no list of the group covers the date, or when the latest list stands in for a missing one."""
    if group in ("none", "") or ":" in group:
        return None
    rows = groups[groups.group_code == group]
    if rows.empty:
        return t("map.group_no_list", lang)
    if rows.extrapolated.fillna(False).any():
        return t("map.group_extrapolated", lang)
    return None


def state_details(frame: pd.DataFrame, iso3: str, lang: str) -> dict[str, str]:
    """The selected state's summary beside the map, as label -> value (plain text)."""
    rows = frame[frame.iso3 == iso3]
    if rows.empty:
        return {}
    row = rows.iloc[0]
    details = {
        t("column.state", lang): row["name"],
        t("column.status", lang): t(f"status.{row.status}", lang),
        t("column.signature_date", lang): _day(row.signature_date, lang),
    }
    if row.status == "party":
        details[t("column.consent_date", lang)] = f"{_day(row.consent_date, lang)} ({t(f'consent.{row.consent_type}', lang)})"
        details[t("column.entry_into_force", lang)] = _day(row.entry_into_force, lang)
    details[t("column.art22", lang)] = _day(row.art22_declaration_date, lang)
    details[t("column.art20", lang)] = t("column.yes", lang) if row.art20_reservation else t("column.no", lang)
    details[t("column.opcat", lang)] = _day(row.opcat_consent_date, lang)
    details[t("column.region", lang)] = region(row.m49_subregion, lang)
    details[t("column.regional_group", lang)] = region(row.un_regional_group, lang)
    return details


def static_map_chart(
    geometry: dict, frame: pd.DataFrame, lang: str, width: int = 900, territories: pd.DataFrame | None = None
) -> alt.LayerChart:
    """The same map as a Vega-Lite chart, for images and slides: rendered offline by vl-convert.

    pydeck has no image export, so slides and downloads use this: the same status colours (a territory
    covered by a party's ratification in the party colour), the same markers for small states, an Equal
    Earth projection.
    """
    counted = frame.counted if "counted" in frame else pd.Series(True, index=frame.index)
    status_of = {iso3: s if c else "no_data" for iso3, s, c in zip(frame.iso3, frame.status, counted, strict=True)}
    covered = set() if territories is None else set(territories[territories.covered].m49)
    labels = {s: t(f"status.{s}", lang) for s in ("party", "signatory", "no_action", "no_data")}

    def status(properties: dict) -> str:
        if properties.get("territory"):
            return "party" if properties["territory"] in covered else "no_data"
        return status_of.get(properties["iso3"], "no_data")

    # The features as a DataFrame: Altair turns it into a dataset once, where inline values were
    # deep-copied by every layer and property call (seconds per map, for the same spec).
    features = pd.DataFrame(
        {
            "type": ["Feature"] * len(geometry["features"]),
            "geometry": [f["geometry"] for f in geometry["features"]],
            "properties": [
                {"status": labels[status(f["properties"])], "edge": status(f["properties"]) == "signatory"}
                for f in geometry["features"]
            ],
        }
    )
    scale = alt.Scale(domain=list(labels.values()), range=[STATUS[s] for s in labels])
    shapes = (
        alt.Chart(features)
        .mark_geoshape()
        .encode(
            color=alt.Color("properties.status:N", scale=scale, title=None, legend=alt.Legend(orient="bottom")),
            # The signatories' edge, as on the interactive map (palette.SIGNATORY_EDGE).
            stroke=alt.condition("datum.properties.edge", alt.value(SIGNATORY_EDGE), alt.value(OUTLINE)),
            strokeWidth=alt.condition("datum.properties.edge", alt.value(0.8), alt.value(0.3)),
        )
    )
    small = marker_states(geometry) | (set(frame.iso3) - {f["properties"]["iso3"] for f in geometry["features"]})
    markers = frame[frame.iso3.isin(small)].assign(label=lambda d: d.iso3.map(status_of).map(labels))[["lon", "lat", "label"]]
    dots = (
        alt.Chart(markers)
        .mark_circle(size=28, stroke=HIGHLIGHT, strokeWidth=0.8, opacity=1)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color("label:N", scale=scale, title=None, legend=alt.Legend(orient="bottom")),
        )
    )
    ocean = alt.Chart(alt.sphere()).mark_geoshape(fill=OCEAN, stroke=None)
    return (
        alt.layer(ocean, shapes, dots)
        .project(type="equalEarth")
        .properties(width=width, height=round(width * 0.49))
        .configure_view(stroke=None)
    )
