"""Derive data/geo/states.geojson from Natural Earth (world-atlas TopoJSON), light enough for the map.

Usage (the input is not kept in the repository):
    npm install --prefix /some/dir world-atlas@2.0.2
    python -m etl.geometry /some/dir/node_modules/world-atlas/countries-50m.json

Natural Earth 1:50m admin-0 countries (public domain), as packaged by world-atlas 2.0.2
(TopoJSON keyed by ISO 3166 numeric code). The map follows United Nations practice (data/SOURCES.md):
each state in data/states.csv is matched on its M49 code; a feature the M49 list does not have as a
state or area (N. Cyprus, Somaliland, Kosovo, Taiwan) is merged into the state the UN counts it in,
so no polygon stands for an entity the UN does not treat as a state; each territory in
data/territories.csv keeps its polygon under its M49 code ("Indian Ocean Ter." is split into
Christmas Island and the Cocos (Keeling) Islands, as M49 lists them); the Siachen Glacier area in
Jammu and Kashmir is kept unattributed, with the UN's map note. Any other feature stops the build.
Shapes are simplified and coordinates rounded so that the map the browser receives stays small.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.ops import unary_union

from core.config import DEFAULT_DATA_DIR

OUTPUT = DEFAULT_DATA_DIR / "geo" / "states.geojson"
TOLERANCE = 0.04  # degrees: invisible at world and regional zoom
DIGITS = 2  # about 1 km
ANTARCTICA = "010"  # left out: no state, and at world zoom it takes a fifth of the map
MIN_PART_AREA = 0.005  # square degrees: smaller islands of a larger state are dropped (markers cover small states)
# Natural Earth features that M49 does not list, merged into the state the UN counts them in (M49 code).
MERGED_INTO = {"N. Cyprus": "196", "Somaliland": "706", "Kosovo": "688", "Taiwan": "156"}
# One Natural Earth feature for two M49 territories: Christmas Island lies east of 100° E, the Cocos (Keeling) Islands west.
SPLIT = {"Indian Ocean Ter.": lambda lon: "162" if lon > 100 else "166"}
# Areas kept without a state or a territory: the app names them and shows the UN's own note.
AREAS = {"Siachen Glacier": "siachen"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs, delta-decoded and de-quantized."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry_of(obj: dict, arcs: list):
    if obj["type"] == "Polygon":
        outer, *holes = [ring(r, arcs) for r in obj["arcs"]]
        return Polygon(outer, holes)
    if obj["type"] == "MultiPolygon":
        polygons = []
        for rings in obj["arcs"]:
            outer, *holes = [ring(r, arcs) for r in rings]
            polygons.append(Polygon(outer, holes))
        return MultiPolygon(polygons)
    return None


def split_antimeridian(geometry):
    """Natural Earth rings that cross 180° (Fiji, Russia, Kiribati) jump from +180 to -180: cut them there."""
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    pieces = []
    for part in parts:
        xs = [x for x, _ in part.exterior.coords]
        if max(xs) - min(xs) <= 180:
            pieces.append(part)
            continue
        shifted = Polygon(
            [(x + 360 if x < 0 else x, y) for x, y in part.exterior.coords],
            [[(x + 360 if x < 0 else x, y) for x, y in hole.coords] for hole in part.interiors],
        ).buffer(0)
        east = shifted.intersection(box(-180, -90, 180, 90))
        west = translate(shifted.intersection(box(180, -90, 540, 90)), xoff=-360)
        for piece in (east, west):
            pieces.extend(getattr(piece, "geoms", [piece]))
    polygons = [p for p in pieces if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]


def lighten(geometry):
    """Simplify, drop specks, round coordinates."""
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    largest = max(p.area for p in parts)
    kept = [p for p in parts if p.area >= MIN_PART_AREA or p.area == largest]
    simplified = [p.simplify(TOLERANCE, preserve_topology=True) for p in kept]
    simplified = [p for p in simplified if not p.is_empty and p.area > 0]
    geometry = MultiPolygon(simplified) if len(simplified) > 1 else simplified[0]
    rounded = json.loads(json.dumps(mapping(geometry)), parse_float=lambda v: round(float(v), DIGITS))
    return shape(rounded).buffer(0) if not shape(rounded).is_valid else shape(rounded)


def target(obj: dict, state_m49: set[str], territory_m49: set[str]) -> tuple[str, str] | None:
    """Where a Natural Earth feature goes: ("state" | "territory" | "area" | "split", key), or None (left out)."""
    code = str(obj.get("id", "")).zfill(3) if obj.get("id") else ""
    name = obj.get("properties", {}).get("name", "")
    if code == ANTARCTICA:
        return None
    if name in MERGED_INTO:
        return "state", MERGED_INTO[name]
    if name in SPLIT:
        return "split", name
    if name in AREAS:
        return "area", AREAS[name]
    if code in state_m49:
        return "state", code
    if code in territory_m49:
        return "territory", code
    raise ValueError(f"Natural Earth feature {name!r} ({code or 'no code'}) is neither a state, a territory nor a known area")


def parts(geometry) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def derive(topojson_path: Path, states_path: Path, territories_path: Path) -> dict:
    topology = json.loads(topojson_path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    states = pd.read_csv(states_path, dtype=str, keep_default_na=False)
    territories = pd.read_csv(territories_path, dtype=str, keep_default_na=False)
    iso3_by_m49 = dict(zip(states.m49, states.iso3, strict=True))
    gathered: dict[tuple[str, str], list] = {}
    names: dict[tuple[str, str], str] = {}
    for obj in topology["objects"]["countries"]["geometries"]:
        geometry = geometry_of(obj, arcs)
        if geometry is None or geometry.is_empty:
            continue
        where = target(obj, set(states.m49), set(territories.m49))
        if where is None:
            continue
        if where[0] == "split":
            for part in parts(geometry):
                key = ("territory", SPLIT[where[1]](part.centroid.x))
                gathered.setdefault(key, []).append(part)
            continue
        gathered.setdefault(where, []).append(geometry)
        if where[0] == "area" or where[1] == str(obj.get("id", "")).zfill(3):
            names[where] = obj.get("properties", {}).get("name", "")
    features = []
    for (kind, key), pieces in gathered.items():
        # Shared TopoJSON arcs make the union of a state and a feature merged into it seamless.
        geometry = pieces[0] if len(pieces) == 1 else unary_union(pieces)
        light = lighten(split_antimeridian(geometry))
        if light.is_empty:
            continue
        properties = {
            "iso3": iso3_by_m49[key] if kind == "state" else None,
            "territory": key if kind == "territory" else None,
            "area_name": key if kind == "area" else None,
            "ne_name": names.get((kind, key), ""),
            "area": round(light.area, 4),  # square degrees, for the map's marker rule
        }
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(light)})
    features.sort(
        key=lambda f: (f["properties"]["iso3"] or "~", f["properties"]["territory"] or "~", f["properties"]["area_name"] or "")
    )
    return {
        "type": "FeatureCollection",
        "source": (
            "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2; following UN practice "
            "(data/SOURCES.md); derived by etl/geometry.py"
        ),
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    collection = derive(args.topojson, DEFAULT_DATA_DIR / "states.csv", DEFAULT_DATA_DIR / "territories.csv")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    states = sum(1 for f in collection["features"] if f["properties"]["iso3"])
    territories = sum(1 for f in collection["features"] if f["properties"]["territory"])
    print(
        f"{args.out}: {len(collection['features'])} features ({states} states, {territories} territories), "
        f"{len(text.encode()) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
