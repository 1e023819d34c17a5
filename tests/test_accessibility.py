"""Colour-vision deficiencies and text contrast (WCAG AA) for the palette and both themes."""

import itertools
import tomllib

import numpy as np
import pytest

from app import palette
from tests.conftest import ROOT

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
}
MIN_DELTA_E = 12  # CIE76: well above "just noticeable" (about 2.3), distinct at a glance on a map


def linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb_linear, 0, 1)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def luminance(hex_colour: str) -> float:
    return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(hex_colour))


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("vision", SIMULATIONS)
@pytest.mark.parametrize("colours", [palette.STATUS, palette.TARGET], ids=["status", "targets"])
def test_classes_stay_distinct_under_colour_vision_deficiencies(vision, colours):
    seen = {name: lab(SIMULATIONS[vision] @ linear(hex_colour)) for name, hex_colour in colours.items()}
    for (a, lab_a), (b, lab_b) in itertools.combinations(seen.items(), 2):
        assert np.linalg.norm(lab_a - lab_b) >= MIN_DELTA_E, f"{a} and {b} under {vision}"


def test_the_non_parties_differ_in_lightness_on_the_map():
    # Signatory and no-action were 1.02:1 (same lightness, only the hue apart): a reader with low vision
    # must tell them apart, and the darker class must stand out from the ocean (WCAG 1.4.11: 3:1).
    assert contrast(palette.STATUS["signatory"], palette.STATUS["no_action"]) >= 3
    assert contrast(palette.STATUS["no_action"], palette.OCEAN) >= 3
    assert contrast(palette.SIGNATORY_EDGE, palette.OCEAN) >= 3


def test_no_red_for_non_parties():
    for status in ("signatory", "no_action"):
        r, g, b = (int(palette.STATUS[status].lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        assert not (r > 180 and g < 100 and b < 100), status


def test_contrast_formula_on_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_dashboard_theme_text_meets_wcag_aa():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    for text in (theme["textColor"], theme["primaryColor"], palette.ANNOTATION):
        for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
            assert contrast(text, background) >= 4.5, (text, background)


def test_projector_theme_and_tooltips_meet_wcag_aa():
    assert contrast(palette.PROJECTOR_TEXT, palette.PROJECTOR_BACKGROUND) >= 7  # AAA, for a room
    assert contrast(palette.ANNOTATION, palette.PROJECTOR_BACKGROUND) >= 4.5
    assert contrast(palette.TOOLTIP_TEXT, palette.TOOLTIP_BACKGROUND) >= 4.5


def test_every_chart_has_alt_text_and_its_data_table_on_request(built_db):
    from tests.apptest import open_page

    at = open_page("views/timeline.py")
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert charts and all(chart.proto.alt for chart in charts)
    tables_before = len(at.dataframe)
    at.toggle(key="table_cumulative").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == tables_before + 1
    table = at.dataframe[0].value  # shown right under the first chart
    # Headings and statuses in the UI language, as in the CSV download (app/tables.py chart_data_table).
    assert list(table.columns) == ["Date", "Status", "Number"]
    assert table[table["Status"] == "State party"]["Number"].max() == 173  # UN member parties on 3 February 2026
