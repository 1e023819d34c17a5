"""Every page in French and in Spanish shows no English UI string."""

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import catalogue
from tests.apptest import open_page

DATA_COLUMNS = {catalogue(lang)[f"activity_column.{column}"] for lang in ("fr", "es") for column in ("title", "source")}
# The UPR recommendations' texts are quoted as their source has them (in English): data, not UI text.
DATA_COLUMNS |= {catalogue(lang)["commitments.column_text"] for lang in ("fr", "es")}
# Each language's own name is shown in the language switch, whatever the UI language.
# "language.name"; "profile.rec_card": its longest literal, "(cycle", is French too.
SAME_IN_EVERY_LANGUAGE = {"language.name", "profile.rec_card"}
PAGES = [
    "views/overview.py",
    "views/map.py",
    "views/timeline.py",
    "views/universality.py",
    "views/forum.py",
    "views/targets.py",
    "views/calendar.py",
    "views/commitments.py",
    "views/report.py",
    "views/update.py",
]


# Spec keys whose values are names for the machine (fields, types, formats), not text a reader sees.
SPEC_NAMES = {"field", "type", "$schema", "name", "format", "mark", "orient", "anchor", "shape", "align", "baseline"}
SPEC_NAMES |= {"filter", "calculate", "as", "op", "scheme", "stack", "groupby", "interpolate", "fontWeight", "timeUnit"}
SPEC_NAMES |= {"expr", "labelExpr", "test", "signal", "param", "bind"}  # expressions: code, not text


def _strings(node, parts: list[str]) -> None:
    if isinstance(node, str):
        parts.append(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in SPEC_NAMES:
                _strings(value, parts)
    elif isinstance(node, list):
        for value in node:
            _strings(value, parts)


def chart_text(proto, parts: list[str]) -> None:
    """Every string of a Vega-Lite chart: titles, axis and legend titles, tooltips, labels in its data."""
    _strings(json.loads(proto.spec), parts)
    for dataset in [*proto.datasets, proto]:
        data = dataset.data.data if dataset is not proto else proto.data.data
        if data:
            table = pa.ipc.open_stream(data).read_all()
            for column in table.columns:
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    parts.extend(v for v in column.to_pylist() if isinstance(v, str))


def visible_text(at: AppTest) -> str:
    """All text AppTest can see: values, labels, options, help, HTML bodies, table headers and cells, chart specs."""
    parts = []

    def walk(node):
        if getattr(node, "type", None) == "code":
            return  # code blocks hold markup and URLs (the Embed snippet), not UI text
        for attribute in ("value", "label", "help", "placeholder", "body"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, pd.DataFrame):
                parts.extend(map(str, value.columns))
                # Titles and sources of activity records are the Secretariat's data, not UI text.
                shown = value.drop(columns=[c for c in value.columns if c in DATA_COLUMNS])
                parts.extend(str(v) for v in shown.to_numpy().ravel() if isinstance(v, str))
        options = getattr(node, "options", None)
        if isinstance(options, list):
            parts.extend(map(str, options))
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "body") and isinstance(proto.body, str):
            parts.append(proto.body)
        if proto is not None and hasattr(proto, "spec") and hasattr(proto, "datasets") and proto.spec:
            chart_text(proto, parts)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def english_only(lang: str) -> dict[str, str]:
    """Catalogue strings whose translation differs, reduced to their literal text (placeholders removed)."""
    en, fr = catalogue("en"), catalogue(lang)
    found = {}
    for key, text in en.items():
        if fr.get(key) == text or key in SAME_IN_EVERY_LANGUAGE:
            continue
        chunks = [c.strip() for c in re.split(r"\{[^}]*\}", text)]
        literal = max(chunks, key=len)
        if len(literal) >= 6:  # short words ("Type", "Date") are often the same in both languages
            found[key] = literal
    return found


def english_in(text: str, english: dict[str, str]) -> dict[str, str]:
    """The catalogue strings of `english` that `text` shows as whole words. A plain substring test first: the
    word-boundary search runs only where the literal occurs at all (a thousand regex scans of a long download
    took most of a test's time)."""
    return {
        key: literal
        for key, literal in english.items()
        if literal in text and re.search(rf"(?<!\w){re.escape(literal)}(?!\w)", text)
    }


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_translated_page_shows_no_english_string(built_db, page, lang):
    at = open_page(page, lang=lang)
    text = visible_text(at)
    assert catalogue(lang)["app.language"] in text and len(text) > 200  # the collector did see the page
    if page == "views/targets.py":  # the collector reads chart specs too: the tooltips of the targets charts
        assert catalogue(lang)["targets.chart_value"] in text.split("\n")
    leaks = english_in(text, english_only(lang))
    assert leaks == {}, f"English strings on {page} in {lang}: {leaks}"


# Every file a page hands out, by page: the kinds of file it offers (PNG carries the SVG's text and is slow to render).
DOWNLOADS = {
    "views/overview.py": set(),
    "views/map.py": {"csv", "svg"},
    "views/timeline.py": {"csv", "svg"},
    "views/universality.py": {"csv", "svg"},
    "views/forum.py": {"pptx"},
    "views/targets.py": {"csv", "svg"},
    "views/calendar.py": {"csv", "svg", "ics"},
    "views/commitments.py": {"csv", "svg", "xlsx"},
    "views/country.py": {"docx", "pdf"},
    "views/report.py": {"docx", "pdf"},
    "views/update.py": {"eml", "html", "txt", "pdf"},
}


def _blank_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return buffer.getvalue()


BLANK_PNG = _blank_png()


class _HTMLOfPDF:
    """Stands in for weasyprint.HTML: the PDF's "bytes" are the HTML it would render (app/brief.py to_pdf)."""

    def __init__(self, string: str, **kwargs):
        self.string = string

    def write_pdf(self, **options) -> bytes:
        return self.string.encode()


def quoted_records(db, page: str, lang: str) -> list[str]:
    """Records a file quotes as the data has them: the UPR recommendations in the brief (their text is English)."""
    if page != "views/country.py":
        return []
    from app import brief, profile, queries, snapshot

    latest = queries.data_as_of(db)
    built = profile.build(snapshot.take(db, latest), queries.state_facts(db, "FJI", latest), "FJI", latest, lang)
    return [row[-1] for section in brief.context(built)["sections"] if section["key"] == "upr" for row in section["rows"]]


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("page", list(DOWNLOADS))
def test_translated_downloads_carry_no_english_string(db, downloads, monkeypatch, page, lang):
    import weasyprint

    from app import charts
    from tests.apptest import open_page
    from tests.download_text import file_text

    monkeypatch.setattr(weasyprint, "HTML", _HTMLOfPDF)
    # The slides' chart pictures carry no text to read; their charts' text is on the pages (chart specs, above).
    monkeypatch.setattr(charts, "to_png", lambda chart, scale=1: BLANK_PNG)
    at = open_page(page, lang=lang, **({"state": "FJI"} if page == "views/country.py" else {}))
    files = {name: build for name, build in downloads.items() if not name.endswith(".png")}
    assert {name.rsplit(".", 1)[-1] for name in files} == DOWNLOADS[page]
    english, quoted = english_only(lang), quoted_records(db, page, lang)
    leaks = {}
    for name, build in sorted(files.items()):
        text = "\n".join(file_text(name, build(), DATA_COLUMNS))
        assert len(text) > 20, name  # the extractor did read the file
        for record in quoted:
            text = text.replace(record, "")
        found = english_in(text, english)
        if found:
            leaks[name] = found
    assert not at.exception
    assert leaks == {}, f"English strings in the downloads of {page} in {lang}: {leaks}"
