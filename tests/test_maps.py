"""Pure map builders: every state on the map, colours by status, legend counts, escaped tooltips, size."""

import json
import re
from datetime import date

import pytest

from app import maps, queries
from app.palette import HIGHLIGHT, OCEAN, SIGNATORY_EDGE, STATUS, rgb
from core.config import geometry_path
from core.i18n import colon, fmt_date


@pytest.fixture(scope="module")
def geometry():
    return json.loads(geometry_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def inputs(db):
    day = date(2026, 2, 3)
    names = queries.group_names(db)
    return queries.status_as_of(db, day), queries.groups_as_of(db, day), dict(zip(names.group_code, names.name_en, strict=True))


def files(inputs, geometry, lang="en"):
    status = inputs[0]
    keys, shapes, markers, zoom = maps.shape_documents(geometry, status, lang)
    return maps.ShapeFiles(keys, "app/static/map/s.json", "app/static/map/m.json", zoom), shapes, markers


def build(inputs, geometry, lang="en", **options):
    status, groups, names = inputs
    chosen = maps.MapOptions(**options)
    frame = maps.map_frame(status, groups, names, chosen, lang)
    served, _, _ = files(inputs, geometry, lang)
    return frame, json.loads(maps.build_deck(frame, chosen, served).to_json())


def layer(spec, layer_id):
    return next(layer for layer in spec["layers"] if layer["id"].split("-")[0] == layer_id)


def lookup(expression: str, k: int):
    """Evaluate the deck.gl expression `([palette])[([indices])[field]]` for one state's index k."""
    assert expression.startswith("@@=(")
    palette, rest = expression[4:].split(")[(", 1)
    indices = rest.split(")[", 1)[0]
    return json.loads(palette)[json.loads(indices)[k]]


def test_every_state_has_a_polygon_or_a_marker(inputs, geometry):
    _, shapes, markers = files(inputs, geometry)
    polygons = {f["properties"]["iso3"] for f in shapes["features"]}
    marked = {m["iso3"] for m in markers}
    assert set(inputs[0].iso3) <= polygons | marked
    assert {"TUV", "NRU", "MCO", "VAT", "KNA", "MHL", "FSM", "NIU", "COK"} <= marked  # small states are findable


def test_marker_states_are_exactly_the_small_ones(geometry):
    small = maps.marker_states(geometry)
    assert "NRU" in small and "JAM" in small  # Jamaica: under 1.2 square degrees
    assert "FRA" not in small and "BRA" not in small


def test_colours_follow_status(inputs, geometry):
    frame, spec = build(inputs, geometry)
    _, shapes, markers = files(inputs, geometry)
    expected = {row.iso3: rgb(STATUS[row.status], maps.FILL_ALPHA) for row in frame.itertuples()}
    fill = layer(spec, "states")["getFillColor"]
    for feature in shapes["features"]:
        iso3 = feature["properties"]["iso3"]
        assert lookup(fill, feature["properties"]["k"]) == (expected[iso3] if iso3 else rgb(STATUS["no_data"])), iso3
    marker_fill = layer(spec, "markers")["getFillColor"]
    for marker in markers:
        assert lookup(marker_fill, marker["k"]) == expected[marker["iso3"]]
    assert layer(spec, "markers")["radiusUnits"] == "pixels"  # a constant, not an accessor


def test_a_view_carries_colours_not_shapes(inputs, geometry, db):
    """The shapes are fetched once from their URL; a view (or a frame of "Play the years") is a few kilobytes."""
    _, spec = build(inputs, geometry, overlay="opcat", group="SIDS", selected="FJI")
    text = json.dumps(spec)
    assert layer(spec, "states")["data"].startswith("app/static/map/") and "coordinates" not in text
    assert len(text.encode("utf-8")) < 20_000
    status, groups, names = inputs
    older = maps.map_frame(queries.status_as_of(db, date(1995, 1, 1)), groups, names, maps.MapOptions(), "en")
    served, _, _ = files(inputs, geometry)
    then, now = (json.loads(maps.build_deck(f, maps.MapOptions(), served).to_json()) for f in (older, build(inputs, geometry)[0]))
    assert layer(then, "states")["getFillColor"] != layer(now, "states")["getFillColor"]
    assert layer(then, "states")["updateTriggers"] != layer(now, "states")["updateTriggers"]  # deck.gl recolours


def test_no_base_map_means_no_map_style(inputs, geometry):
    _, spec = build(inputs, geometry)
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__") and "cartocdn" not in json.dumps(spec)
    _, spec = build(inputs, geometry, base_map=True)
    assert "cartocdn" in spec["mapStyle"]


def test_legend_counts_equal_the_status_counts(inputs, geometry, db):
    frame, _ = build(inputs, geometry)
    counts = db.query("select status, count(*) as n from cat_status_as_of(date '2026-02-03') group by status")
    assert maps.legend_counts(frame) == dict(zip(counts.status, counts.n, strict=True))
    assert maps.legend_counts(frame) == {"party": 175, "signatory": 4, "no_action": 18}


def test_overlay_outlines_and_group_dims(inputs, geometry):
    frame, spec = build(inputs, geometry, overlay="art20", group="SIDS")
    _, shapes, _ = files(inputs, geometry)
    line = layer(spec, "outlines")["getLineColor"]
    outlined = {f["properties"]["iso3"] for f in shapes["features"] if lookup(line, f["properties"]["k"]) == rgb(HIGHLIGHT)}
    assert {"CHN", "PAK", "ISR"} <= outlined and "AFG" not in outlined  # Afghanistan withdrew in 2018
    dimmed = set(frame[~frame.in_group].iso3)
    assert "FRA" in dimmed and "JAM" not in dimmed
    _, plain = build(inputs, geometry, group="SIDS")
    assert layer(plain, "outlines")["id"] != layer(spec, "outlines")["id"]  # new outlines, a new layer
    assert layer(spec, "states")["pickable"] and not layer(spec, "outlines")["pickable"]  # a click picks only fills


def test_signatories_drawn_with_a_dark_edge(inputs, geometry):
    # The signatories' sky blue is 2.1:1 against the ocean: their shapes get an edge that is 3:1 or more (WCAG 1.4.11).
    from tests.test_accessibility import contrast

    frame, spec = build(inputs, geometry)
    _, shapes, _ = files(inputs, geometry)
    line = layer(spec, "outlines")["getLineColor"]
    edged = {f["properties"]["iso3"] for f in shapes["features"] if lookup(line, f["properties"]["k"]) == rgb(SIGNATORY_EDGE)}
    signatories = set(frame[frame.status == "signatory"].iso3) & {f["properties"]["iso3"] for f in shapes["features"]}
    assert signatories and edged == signatories
    assert contrast(SIGNATORY_EDGE, OCEAN) >= 3


def test_group_members_regions_and_un_groups(inputs):
    status, groups, _ = inputs
    assert "GHA" in maps.group_members(status, groups, "region:Africa")
    assert "CHL" in maps.group_members(status, groups, "region:South America")
    assert "FRA" in maps.group_members(status, groups, "unrg:Western European and other States")
    assert maps.group_members(status, groups, "CTI_CORE") == {"CHL", "DNK", "FJI", "GHA", "IDN", "MAR"}
    assert maps.group_members(status, groups, "none") is None


def test_tooltip_markup_is_only_the_fixed_template(inputs, geometry):
    status = inputs[0].copy()
    status.loc[status.iso3 == "FRA", "name_en"] = "<img src=x onerror=alert(1)>"
    _, shapes, _, _ = maps.shape_documents(geometry, status, "en")
    # Data go into plain-text fields, which Streamlit escapes when it fills the template in.
    template = maps.TOOLTIP_TEMPLATE
    assert "<img" not in template and set(re.findall(r"\{(\w+)\}", template)) == set(maps.TOOLTIP_FIELDS)
    france = next(f for f in shapes["features"] if f["properties"]["iso3"] == "FRA")
    assert france["properties"]["tip_name"] == "<img src=x onerror=alert(1)>"
    assert "tooltip" not in france["properties"]


def tooltip(shapes, iso3: str) -> tuple[str, list[str]]:
    properties = next(f["properties"] for f in shapes["features"] if f["properties"]["iso3"] == iso3)
    return properties["tip_name"], properties["tip_lines"].split("\n")


def test_tooltip_in_french(inputs, geometry):
    _, shapes, _ = files(inputs, geometry, lang="fr")
    name, lines = tooltip(shapes, "BOL")
    assert name == "Bolivie (État plurinational de)"
    # French typography: a no-break space before the colon of every labelled line (core.i18n.colon).
    assert lines[0].startswith("Signature\u00a0: ")
    assert lines[1].startswith("Consentement à être lié\u00a0: 12 avril 1999")
    assert all("\u00a0: " in line and " :" not in line for line in lines)


def test_tooltip_in_english_has_no_space_before_the_colon(inputs, geometry):
    _, shapes, _ = files(inputs, geometry, lang="en")
    _, lines = tooltip(shapes, "BOL")
    assert lines[0].startswith("Signature: ")
    assert all("\u00a0" not in line for line in lines)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_tooltip_gives_entry_into_force_only_to_parties(inputs, geometry, lang):
    """India signed, Tonga, Palau and Micronesia are not bound: no date of entry into force, least of all the
    Convention's own (26 June 1987); a party keeps its own."""
    from core.i18n import t

    _, shapes, markers = files(inputs, geometry, lang=lang)
    label = t("column.entry_into_force", lang)
    by_iso3 = {m["iso3"]: m["tip_lines"].split("\n") for m in markers}
    for iso3 in ("IND", "TON", "PLW", "FSM"):
        lines = by_iso3[iso3] if iso3 in by_iso3 else tooltip(shapes, iso3)[1]
        assert not any(line.startswith(label) for line in lines), (iso3, lines)
        assert not any("1987" in line for line in lines), (iso3, lines)
    _, lines = tooltip(shapes, "BRA")
    assert [line for line in lines if line.startswith(label)] == [f"{label}{colon(lang)}{fmt_date(date(1989, 10, 28), lang)}"]


def test_selected_state_shows_with_its_region(inputs, geometry):
    _, spec = build(inputs, geometry, selected="FJI")
    view = spec["initialViewState"]
    assert view["zoom"] == maps.REGION_ZOOM and view["longitude"] > 170  # Fiji with its Pacific neighbours
    _, spec = build(inputs, geometry, selected="TUV")
    assert spec["initialViewState"]["zoom"] <= maps.REGION_ZOOM  # never a close-up of open ocean
    _, spec = build(inputs, geometry, selected="BRA")
    assert spec["initialViewState"]["zoom"] < maps.REGION_ZOOM  # a large state fits in the view


def test_no_polygon_crosses_the_antimeridian(geometry):
    for feature in geometry["features"]:
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            xs = [x for x, _ in polygon[0]]
            assert max(xs) - min(xs) <= 180, feature["properties"]


def test_label_points_fall_inside_their_state(geometry, db):
    from shapely.geometry import Point, shape

    states = db.query("select iso3, lat, lon from states")
    shapes = {}
    for feature in geometry["features"]:
        iso3 = feature["properties"]["iso3"]
        if iso3:
            shapes.setdefault(iso3, []).append(shape(feature["geometry"]))
    outside = [
        row.iso3
        for row in states.itertuples()
        if row.iso3 in shapes and not any(s.buffer(0.3).contains(Point(row.lon, row.lat)) for s in shapes[row.iso3])
    ]
    assert outside == []


def test_static_map_exports_as_png_and_svg(inputs, geometry):
    import xml.etree.ElementTree as ET

    from app import charts

    frame, _ = build(inputs, geometry)
    chart = charts.titled(maps.static_map_chart(geometry, frame, "en", width=500), "World map", ["Status as of 3 February 2026."])
    png = charts.to_png(chart, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    svg = charts.to_svg(chart)
    assert ET.fromstring(svg).tag.endswith("svg") and "World map" in svg
    # The signatories' shapes carry their dark edge in the image too (India, a signatory on the date).
    edged = re.findall(rf'fill="{STATUS["signatory"]}"[^>]*stroke="{SIGNATORY_EDGE}"', svg, flags=re.IGNORECASE)
    assert edged, "no signatory drawn with its edge"


def test_a_vega_lite_dict_exports_too():
    from app import charts

    spec = {"data": {"values": [{"x": 1, "y": 2}]}, "mark": "bar", "encoding": {"x": {"field": "x"}, "y": {"field": "y"}}}
    assert charts.to_png(charts.titled(spec, "T", ["line"]), scale=1)[:4] == b"\x89PNG"


def test_a_phone_opens_on_the_whole_world_and_a_selection_keeps_its_region(inputs, geometry):
    _, spec = build(inputs, geometry, phone=True)
    view = spec["initialViewState"]
    assert 512 * 2 ** view["zoom"] <= 370  # the whole world fits a phone's 360-370 px wide map
    assert view["minZoom"] <= view["zoom"] and view["maxZoom"] == maps.MAX_ZOOM
    _, spec = build(inputs, geometry, phone=True, selected="TUV")
    assert spec["initialViewState"]["zoom"] == maps.REGION_ZOOM + maps.PHONE_ZOOM_SHIFT


def test_a_state_counts_from_its_admission_or_its_first_act(db):
    """Play the years: South Sudan (admitted 14 July 2011) is not "no action" in 2002; Switzerland, a party in
    1986 and a member in 2002, counts from its act; the Holy See, outside the UN, counts throughout."""
    in_2002 = queries.status_as_of(db, date(2002, 12, 31)).set_index("iso3")
    counted = maps.counted_on(in_2002.reset_index(), date(2002, 12, 31)).set_axis(in_2002.index)
    assert not counted["SSD"] and not counted["MNE"]  # Montenegro: admitted 28 June 2006
    assert counted["TLS"] and counted["CHE"] and counted["VAT"] and counted["FRA"]
    in_1990 = queries.status_as_of(db, date(1990, 12, 31))
    counted_1990 = dict(zip(in_1990.iso3, maps.counted_on(in_1990, date(1990, 12, 31)), strict=True))
    assert counted_1990["CHE"] and counted_1990["NAM"] and not counted_1990["HRV"]  # Namibia: April 1990; Croatia: 1992
    on_admission = queries.status_as_of(db, date(2011, 7, 14))
    assert dict(zip(on_admission.iso3, maps.counted_on(on_admission, date(2011, 7, 14)), strict=True))["SSD"]


def test_states_not_yet_counted_are_grey_and_out_of_the_legend(db, inputs, geometry):
    day = date(2002, 12, 31)
    status, groups = queries.status_as_of(db, day), queries.groups_as_of(db, day)
    frame = maps.map_frame(status, groups, {}, maps.MapOptions(), "en", day=day)
    legend = maps.legend_counts(frame)
    not_counted = set(frame[~frame.counted].iso3)
    assert "SSD" in not_counted and legend["not_counted"] == len(not_counted)
    assert legend["party"] + legend["signatory"] + legend["no_action"] == len(frame) - len(not_counted)
    assert legend["no_action"] == int(((frame.status == "no_action") & frame.counted).sum())
    served, _, _ = files(inputs, geometry)
    spec = json.loads(maps.build_deck(frame, maps.MapOptions(), served).to_json())
    fill = layer(spec, "states")["getFillColor"]
    assert lookup(fill, served.keys.index("SSD")) == rgb(STATUS["no_data"], maps.FILL_ALPHA)
    # On the data's date every state counts: the legend is as before.
    latest = maps.map_frame(*inputs[:2], {}, maps.MapOptions(), "en", day=date(2026, 2, 3))
    assert "not_counted" not in maps.legend_counts(latest)


def test_the_frames_of_play_the_years_count_from_admission(built_db):
    """The frames "Play the years" shows (app.data.map_deck): cached by the last change on or before the day,
    which an admission is, so a frame never reuses the count of the day before an admission."""
    from app import data

    _, in_2002 = data.map_deck(data.snapshot(date(2002, 12, 31)), maps.MapOptions(), "en")
    _, in_2011 = data.map_deck(data.snapshot(date(2011, 12, 31)), maps.MapOptions(), "en")
    assert in_2002["not_counted"] >= 2  # South Sudan and Montenegro at least
    assert in_2011.get("not_counted", 0) == 0
    assert data.canonical_date(date(2011, 7, 14)) == date(2011, 7, 14)  # South Sudan's admission is a change day


# United Nations practice on the map (data/SOURCES.md, "geo/states.geojson").
def containing(geometry: dict, lat: float, lon: float) -> list[dict]:
    from shapely.geometry import Point, shape

    point = Point(lon, lat)
    return [f["properties"] for f in geometry["features"] if shape(f["geometry"]).contains(point)]


@pytest.mark.parametrize(
    ("place", "lat", "lon", "iso3"),
    [
        ("Kyrenia, northern Cyprus", 35.33, 33.32, "CYP"),
        ("Hargeisa", 9.56, 44.06, "SOM"),
        ("Pristina", 42.66, 21.17, "SRB"),
        ("Taichung, Taiwan", 24.15, 120.67, "CHN"),
    ],
)
def test_no_polygon_for_an_entity_the_un_does_not_treat_as_a_state(geometry, place, lat, lon, iso3):
    assert [p["iso3"] for p in containing(geometry, lat, lon)] == [iso3], place


def test_every_shape_is_a_state_a_territory_or_a_named_area(geometry, db):
    territories = set(queries.territories(db).m49)
    names = {f["properties"]["ne_name"] for f in geometry["features"]}
    assert not names & {"N. Cyprus", "Somaliland", "Kosovo", "Taiwan"}  # merged into Cyprus, Somalia, Serbia, China
    for feature in geometry["features"]:
        p = feature["properties"]
        assert bool(p["iso3"]) + bool(p["territory"]) + bool(p["area_name"]) == 1, p
        assert not p["territory"] or p["territory"] in territories, p
    found = {f["properties"]["territory"] for f in geometry["features"]}
    assert {"162", "166", "304", "344", "446", "732", "238"} <= found  # Christmas Island and Cocos apart, as M49 lists them


@pytest.fixture(scope="module")
def territory_inputs(db):
    return queries.territories(db), queries.territorial_application(db)


def territory_tip(inputs, geometry, territory_inputs, m49: str, lang: str) -> tuple[str, list[str]]:
    _, shapes, _, _ = maps.shape_documents(geometry, inputs[0], lang, *territory_inputs)
    properties = next(f["properties"] for f in shapes["features"] if f["properties"].get("territory") == m49)
    return properties["tip_name"], properties["tip_lines"].split("\n")


@pytest.mark.parametrize(
    ("m49", "lang", "name", "lines"),
    [
        ("304", "en", "Greenland", ["Administered by Denmark", "no territorial application recorded"]),
        ("304", "fr", "Groenland", ["État administrant\u00a0: Danemark", "aucune application territoriale"]),
        ("304", "es", "Groenlandia", ["Administrado por Dinamarca", "ninguna aplicación territorial"]),
        ("238", "es", "Islas Malvinas (Falkland)", ["Potencia administradora: Reino Unido", "ratificación: Reino Unido"]),
        ("238", "en", "Falkland Islands (Malvinas)", ["Administering Power: United Kingdom", "A dispute exists between"]),
        ("732", "en", "Western Sahara", ["No administering Power on the United Nations list", "question of decolonization"]),
        ("732", "fr", "Sahara occidental", ["Territoire non autonome", "Aucune puissance administrante"]),
        ("344", "fr", "Chine, région administrative spéciale de Hong Kong", ["depuis le 1er juillet 1997", "Chine"]),
        ("344", "en", "China, Hong Kong Special Administrative Region", ["from 1 July 1997 (ratification: China"]),
        ("833", "en", "Isle of Man", ["from 9 December 1992", "Optional Protocol applies from 24 February 2014"]),
    ],
)
def test_territories_are_named_as_m49_names_them_with_their_administering_state(
    inputs, geometry, territory_inputs, m49, lang, name, lines
):
    tip_name, tip_lines = territory_tip(inputs, geometry, territory_inputs, m49, lang)
    assert tip_name == name
    text = " | ".join(tip_lines)
    assert all(line in text for line in lines), text
    assert "Not a state in the data" not in text


@pytest.mark.parametrize(
    ("day", "covered", "not_covered"),
    [
        (date(2026, 2, 3), {"344", "446", "533", "531", "534", "060", "238", "833"}, {"304", "732", "630", "258"}),
        (date(1995, 1, 1), {"344", "060"}, {"446"}),  # Hong Kong by the United Kingdom's notification of 1992
        (date(1990, 1, 1), {"238", "533"}, {"344", "060", "833"}),  # before 9 December 1992
        (date(1999, 7, 1), {"446"}, set()),  # Macao by Portugal's notification of 15 June 1999
    ],
)
def test_a_territory_is_covered_where_the_depositary_records_it(
    inputs, geometry, territory_inputs, db, day, covered, not_covered
):
    status = queries.status_as_of(db, day)
    frame = maps.territory_frame(*territory_inputs, status, day, maps.MapOptions())
    assert set(frame[frame.covered].m49) >= covered
    assert not set(frame[frame.covered].m49) & not_covered
    # ... drawn in the party colour on the map, the others grey
    keys, _, _, zoom = maps.shape_documents(geometry, inputs[0], "en", *territory_inputs)
    served = maps.ShapeFiles(keys, "s.json", "m.json", zoom, maps.territory_keys(territory_inputs[0]))
    states = maps.map_frame(status, inputs[1], {}, maps.MapOptions(), "en", day=day)
    fill = layer(json.loads(maps.build_deck(states, maps.MapOptions(), served, frame).to_json()), "states")["getFillColor"]
    for m49 in covered | not_covered:
        k = len(keys) + served.territory_keys.index(m49)
        expected = STATUS["party"] if m49 in covered else STATUS["no_data"]
        assert lookup(fill, k) == rgb(expected, maps.FILL_ALPHA), (m49, day)


def test_opcat_overlay_outlines_the_territories_it_applies_to(inputs, territory_inputs, db):
    day = date(2026, 2, 3)
    frame = maps.territory_frame(*territory_inputs, inputs[0], day, maps.MapOptions(overlay="opcat"))
    assert set(frame[frame.in_overlay].m49) == {"234", "833"}  # Faroe Islands (2005), Isle of Man (2014)
    before = maps.territory_frame(
        *territory_inputs, queries.status_as_of(db, date(2005, 1, 1)), date(2005, 1, 1), maps.MapOptions(overlay="opcat")
    )
    assert not before.in_overlay.any()  # Denmark's exclusion of the Faroe Islands was withdrawn on 29 August 2005
