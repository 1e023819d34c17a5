"""The targets page opens on a year with a target, and its charts are readable: sizes, labels, legends, buttons."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert
from streamlit.elements.vega_charts import _prepare_vega_lite_spec

from app.charts import bullet_chart, trend_chart
from app.targets import default_year
from core.i18n import t
from tests.apptest import open_page

TARGETS = pd.DataFrame(
    {
        "metric": ["states_visited"],
        "period_start": ["2020-01-01"],
        "period_end": ["2022-12-31"],
        "comparator": ["at_least"],
        "value": [3],
        "unit": ["states per year"],
        "strategy": ["CTI Strategy 2020-2022"],
        "source": ["test"],
    }
)


def test_default_year_is_the_latest_with_a_target():
    assert default_year(TARGETS, list(range(2026, 2018, -1))) == 2022
    assert default_year(TARGETS, [2021, 2020]) == 2021
    assert default_year(TARGETS.iloc[0:0], [2026, 2025]) == 2026


def test_the_page_opens_on_the_latest_year_with_a_target(built_db):
    at = open_page("views/targets.py")
    assert at.selectbox(key="year").value == 2022
    assert not [i.value for i in at.info if "No target set" in i.value]
    assert not [m.value for m in at.markdown if m.value.startswith("**No target set")]


def _texts(svg: str) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text element of a vl-convert SVG."""
    found = []
    for match in re.finditer(r"<text[^>]*transform=\"translate\(([-\d.]+),([-\d.]+)\)\"[^>]*>([^<]*)</text>", svg):
        found.append((match.group(3), float(match.group(1)), float(match.group(2))))
    return found


def drawn(chart, width: int = 380) -> str:
    """The SVG of a chart as a page at 1366 px draws it: Streamlit's own spec preparation (its default
    autosize), in a column about 380 px wide."""
    spec = _prepare_vega_lite_spec(chart.to_dict(), use_container_width=True)
    spec["width"] = width
    return vl_convert.vegalite_to_svg(spec)


def _progress(lang_row: dict) -> pd.Series:
    base = {"actual": 2, "projection": 5, "target": 3, "status": "not_yet", "metric": "states_visited"}
    return pd.Series({**base, **lang_row})


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_bullet_labels_do_not_overlap(lang):
    svg = drawn(bullet_chart(_progress({}), lang))
    where = {text: y for text, _, y in _texts(svg)}
    figure, projection = t("targets.chart_actual", lang), t("targets.chart_projection", lang)
    assert figure in where and projection in where
    assert abs(where[figure] - where[projection]) >= 30  # a row each, not squeezed into the default fit


def test_bullet_axis_counts_in_whole_numbers():
    svg = drawn(bullet_chart(_progress({"projection": None}), "en"))
    labels = [text for text, _, _ in _texts(svg)]
    assert "0" in labels and not [label for label in labels if re.fullmatch(r"\d+\.\d+", label)]


def _trend_progress() -> pd.DataFrame:
    statuses = ["met", "not_yet", "missed", "over_capacity", "no_target"]
    return pd.DataFrame(
        {
            "year": [2020, 2021, 2022, 2023, 2024],
            "metric": ["states_visited"] * 5,
            "actual": [3, 1, 0, 12, 4],
            "target": [3, 3, 3, None, None],
            "status": statuses,
            "year_complete": [True] * 4 + [False],
        }
    )


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_trend_is_tall_with_whole_legend_and_title(lang):
    chart = trend_chart(_trend_progress(), "states_visited", lang)
    spec = chart.to_dict()
    assert spec["height"] >= 200 and spec["autosize"]["type"] == "fit-x"  # the height is the plot's own
    svg = drawn(chart)
    texts = [text for text, _, _ in _texts(svg)]
    for status in ["met", "not_yet", "missed", "over_capacity", "no_target"]:
        assert t(f"target_status.{status}", lang) in texts  # never cut to "Au-delà de la capa…"
    assert not [text for text in texts if text.endswith("…")]
    assert t("targets.metric.states_visited", lang) in texts
    height = float(re.search(r'<svg[^>]*height="([\d.]+)"', svg).group(1))
    assert height >= 300  # plot, axis, legend and title together


def test_no_empty_layers_that_make_vega_warn():
    """An empty layer (no projection, no target at all) gives "Infinite extent" warnings in the browser."""
    no_projection = bullet_chart(_progress({"projection": None}), "en").to_dict()
    assert len(no_projection["layer"]) == 2  # the figure and the target tick
    frame = _trend_progress().assign(target=None, status="no_target")
    assert len(trend_chart(frame, "states_visited", "en").to_dict()["layer"]) == 1


def test_export_buttons_say_png_and_svg(built_db):
    at = open_page("views/targets.py", year="2021")
    labels = [button.label for button in at.get("download_button")]
    assert labels.count("PNG") >= 6 and labels.count("SVG") >= 6
