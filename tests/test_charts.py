"""Chart builders: offline specs (embedded data, no URL) and valid PNG and SVG exports."""

import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from PIL import Image

from app import charts, figures, palette, queries, series

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
        "deposits": charts.deposits_chart(series.deposits_per_year(members, "name_fr"), "fr"),
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
