"""Derive data/geo/states.geojson from Natural Earth (world-atlas TopoJSON), light enough for the map.

Usage (the input is not kept in the repository):
    npm install --prefix /some/dir world-atlas@2.0.2
    python -m etl.geometry /some/dir/node_modules/world-atlas/countries-50m.json

Natural Earth 1:50m admin-0 countries (public domain), as packaged by world-atlas 2.0.2
(TopoJSON keyed by ISO 3166 numeric code). Each state in data/states.csv is matched on its M49
code; features that match no state are kept as "not a state in the data". Shapes are simplified
and coordinates rounded so that the map the browser receives stays small.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

from core.config import DEFAULT_DATA_DIR

OUTPUT = DEFAULT_DATA_DIR / "geo" / "states.geojson"
TOLERANCE = 0.04  # degrees: invisible at world and regional zoom
DIGITS = 2  # about 1 km
ANTARCTICA = "010"  # left out: no state, and at world zoom it takes a fifth of the map
MIN_PART_AREA = 0.005  # square degrees: smaller islands of a larger state are dropped (markers cover small states)


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


def derive(topojson_path: Path, states_path: Path) -> dict:
    topology = json.loads(topojson_path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    states = pd.read_csv(states_path, dtype=str, keep_default_na=False)
    iso3_by_m49 = dict(zip(states.m49, states.iso3, strict=True))
    features = []
    for obj in topology["objects"]["countries"]["geometries"]:
        geometry = geometry_of(obj, arcs)
        if geometry is None or geometry.is_empty:
            continue
        code = str(obj.get("id", "")).zfill(3) if obj.get("id") else ""
        if code == ANTARCTICA:
            continue
        iso3 = iso3_by_m49.get(code)
        light = lighten(split_antimeridian(geometry))
        if light.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso3,
                    "ne_name": obj.get("properties", {}).get("name", ""),
                    "area": round(light.area, 4),  # square degrees, for the map's marker rule
                },
                "geometry": mapping(light),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso3"] or "~", f["properties"]["ne_name"]))
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2; derived by etl/geometry.py",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    collection = derive(args.topojson, DEFAULT_DATA_DIR / "states.csv")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    matched = sum(1 for f in collection["features"] if f["properties"]["iso3"])
    print(f"{args.out}: {len(collection['features'])} features ({matched} states), {len(text.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
