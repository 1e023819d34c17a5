"""Chart builders: offline specs (embedded data, no URL) and valid PNG and SVG exports."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from PIL import Image

from app import charts, figures, palette, queries, series
from core.i18n import t

AS_OF = date(2026, 2, 3)


@pytest.fixture(scope="module")
def members(db):
    return figures.in_universe(queries.status_as_of(db, AS_OF), "members")


@pytest.fixture(scope="module")
def all_charts(members):
    cumulative = series.cumulative(members, AS_OF)
    history = cumulative[cumulative.status == "party"]
    remaining = members[members.status != "party"].assign(category=lambda f: f.m49_region)
    return {
        "cumulative": charts.cumulative_chart(cumulative, len(members), "fr"),
        "deposits": charts.deposits_chart(series.deposits_per_year(members, "name_fr", AS_OF), "fr"),
        "breakdown": charts.breakdown_chart(
            series.breakdown(members, series.categories(members, "regional_group", "en"), AS_OF), "en"
        ),
        "projection": charts.projection_chart(history, series.projection(members.consent_date, AS_OF, 10, 193), 193, AS_OF, "en"),
        "remaining": charts.remaining_chart(remaining, "en"),
    }


def _datasets(spec: dict) -> list:
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "data" and isinstance(value, dict):
                found.append(value)
            found.extend(_datasets(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_datasets(item))
    return found


@pytest.mark.parametrize("name", ["cumulative", "deposits", "breakdown", "projection", "remaining"])
def test_charts_embed_their_data(all_charts, name):
    spec = all_charts[name].to_dict()
    assert spec.get("datasets"), "data must be embedded in the spec"
    assert all("url" not in data for data in _datasets(spec))


def test_status_and_consent_colours_come_from_the_palette(all_charts):
    text = json.dumps(all_charts["cumulative"].to_dict(), ensure_ascii=False)
    assert palette.PARTY in text and palette.SIGNATORY in text
    assert "État partie" in text and "Ouverture à la signature" in text
    deposits = json.dumps(all_charts["deposits"].to_dict())
    assert all(colour in deposits for colour in palette.CONSENT.values())
    assert "#ff0000" not in deposits.lower() and "red" not in deposits


@pytest.mark.parametrize("name", ["cumulative", "breakdown"])
def test_png_export_is_a_valid_image_with_its_title(all_charts, name):
    chart = charts.titled(all_charts[name], "A title", ["Status as of 3 February 2026.", "Source: UNTC."])
    png = charts.to_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.size[0] >= 2 * 400  # scale 2: exported width is fixed, not "container"


@pytest.mark.parametrize("name", ["deposits", "projection", "remaining"])
def test_svg_export_is_valid_xml_with_the_lines(all_charts, name):
    svg = charts.to_svg(charts.titled(all_charts[name], "A title", ["Status as of 3 February 2026.", "Source: UNTC."]))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Status as of 3 February 2026." in svg and "A title" in svg


def _layers(spec: dict) -> list[dict]:
    return [layer for layer in spec.get("layer", [])]


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_deposits_per_year_show_the_years_without_a_deposit(all_charts):
    spec = all_charts["deposits"].to_dict()
    years = spec["encoding"]["x"]["scale"]["domain"]
    assert years == list(range(1986, 2027))  # from the first deposit to the as-of year, none skipped
    assert {2009, 2022, 2023, 2025} <= set(years)
    drawn = {row["year"] for row in spec["datasets"][spec["data"]["name"]]}
    assert not {2022, 2023, 2025} & drawn  # no bar there: an empty place on the axis


def test_the_goal_sits_on_its_year_above_the_universe_line(all_charts, members):
    from core.treaty_rules import UNIVERSALITY_GOAL_YEAR

    spec = all_charts["cumulative"].to_dict()
    layers = _layers(spec)
    goal = [layer for layer in layers if layer["mark"].get("shape") == "diamond"]
    (row,) = _rows(spec, goal[0])
    assert row["date"].startswith(f"{UNIVERSALITY_GOAL_YEAR}-01-01")  # on the 2024 tick, not at the end of the year
    # The universe line's label and the goal's are drawn above the line (baseline at the bottom, moved up), where
    # the scale leaves room and no line of the data runs.
    texts = {_rows(spec, layer)[0]["label"]: layer["mark"] for layer in layers if layer["mark"]["type"] == "text"}
    for label in (t("timeline.universe_line", "fr", total=len(members)), t("timeline.note_goal", "fr")):
        assert texts[label]["baseline"] == "bottom" and texts[label]["dy"] < 0, label
    line = next(layer for layer in layers if layer["mark"]["type"] == "line")
    assert line["encoding"]["y"]["scale"]["domain"][1] > len(members)
    assert max(line["encoding"]["y"]["axis"]["values"]) <= len(members)  # no count above the universe on the axis
    assert not re.search(r"\bunivers\b", " ".join(texts))  # plain words, not "Les 193 États de l'univers"


@pytest.mark.parametrize("name", ["cumulative", "breakdown"])
def test_tooltip_dates_are_in_words_in_the_language(all_charts, name):
    spec = all_charts[name].to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert '"format": "%Y-%m-%d"' not in text
    tooltips = [tip for tip in re.findall(r'"tooltip": (\[[^\]]*\])', text)]
    assert not any('"date"' in tip for tip in tooltips), tooltips  # never the raw timestamp
    dataset = next(iter(spec["datasets"].values()))
    expected = "31 décembre 1984" if name == "cumulative" else "31 December 1984"
    assert any(row.get("when") == expected for rows in spec["datasets"].values() for row in rows), dataset[:2]


def test_chart_tables_show_days_as_dates(members):
    from app import tables

    table = tables.chart_data_table(series.cumulative(members, AS_OF), "en")
    assert str(table.iloc[0]["Date"]) == "1984-12-31"
    assert "00:00:00" not in exports_text(table)


def exports_text(table) -> str:
    from core import exports

    return exports.csv_bytes(table).decode("utf-8")
