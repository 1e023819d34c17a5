"""Real public CTI records and sample records are told apart on the targets page and the forum slide."""

from __future__ import annotations

from datetime import date

import pytest

from app import data as app_data
from app import queries, slides
from app.db import Database
from etl.build import build
from tests.apptest import open_page
from tests.targets_fixture import handmade_data, write_activities
from tests.test_targets_page import PASSWORD, secretariat, sign_in  # noqa: F401 - fixture

# Sample records beside the hand-made real ones: two visits in 2021 (one of them public), one seminar in 2022.
SAMPLE = [
    ("X1", "2021-08-01", "2021-08-02", "country_visit", "FJI", 0, 0, False),
    ("X2", "2021-11-01", "2021-11-02", "seminar", "", 7, 30, True),
    ("X3", "2022-06-01", "2022-06-01", "workshop", "", 5, 20, True),
]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = handmade_data(tmp_path_factory.mktemp("mixed") / "data")
    write_activities(folder / "activities" / "activities_sample.csv", SAMPLE, sample=True)
    database = folder.parent / "mixed.duckdb"
    build(folder, database, quiet=True)
    return folder, database


@pytest.fixture
def mixed_app(mixed, monkeypatch):
    folder, database = mixed
    monkeypatch.setenv("UNCAT_DATA_DIR", str(folder))
    monkeypatch.setenv("UNCAT_DB", str(database))
    app_data.database.clear()
    yield
    app_data.database.clear()


def test_totals_count_real_and_sample_records_apart(mixed):
    db = Database(mixed[1])
    try:
        totals = queries.yearly_totals(db, 2021, 2022, date(2023, 6, 30)).set_index(["year", "metric"])
    finally:
        db.close()
    visited = totals.loc[(2021, "states_visited")]
    assert (visited.actual, visited.real_records, visited.sample_records) == (4, 4, 1)  # BRB (twice), TON, KIR real; FJI sample
    officials = totals.loc[(2021, "senior_officials")]
    assert (officials.real_records, officials.sample_records) == (3, 1)
    assert (totals.loc[(2022, "senior_officials")].real_records, totals.loc[(2022, "senior_officials")].sample_records) == (1, 1)
    assert totals.loc[(2022, "states_advised")].real_records == 0


def test_targets_page_labels_each_figure_and_row(mixed_app):
    at = open_page("views/targets.py", year="2021")
    banner = [w.value for w in at.warning if "real CTI records" in w.value]
    assert banner and "sample records" in banner[0]
    captions = [c.value for c in at.caption]
    assert "From 4 real CTI records and 1 sample record." in captions  # states visited: one sample record, singular
    assert "From 12 real CTI records." in captions  # states advised: no sample record that year
    totals = at.dataframe[0].value
    assert {"Sample records included", "Real records included"} <= set(totals.columns)
    public = at.dataframe[1].value
    by_record = dict(zip(public["Title"], public["Record"], strict=True))
    assert by_record["Test seminar S1"] == "Real, made public"
    assert by_record["Sample – Seminar"] == "Sample"
    assert "Sample – Test seminar X2" not in by_record  # a sample's own English title is not shown
    assert set(public["Record"]) == {"Real, made public", "Sample"}


def test_a_year_of_real_records_only_says_so_on_its_cards(mixed_app):
    at = open_page("views/targets.py", year="2020")  # 2020: hand-made remote advice only
    captions = [c.value for c in at.caption]
    assert "From 10 real CTI records." in captions
    assert not [c for c in captions if "sample records" in c]


def test_forum_slide_marks_figures_with_sample_records(mixed):
    db = Database(mixed[1])
    try:
        slide = slides.targets_slide(queries.targets_facts(db, date(2023, 6, 30)), date(2023, 6, 30), date(2023, 6, 30), "en")
    finally:
        db.close()
    table = slide.table.set_index("Measure")
    assert table.loc["States visited", "2021"].endswith("(incl. sample)")
    assert table.loc["States advised (remote desk)", "2021"].endswith("Over capacity")  # real records only
    assert any("real CTI records" in line for line in slide.lines)


def test_french_labels(mixed_app):
    at = open_page("views/targets.py", year="2021", lang="fr")
    public = at.dataframe[1].value
    assert set(public["Enregistrement"]) == {"Réel, rendu public", "Exemple"}
    assert "Exemple – Séminaire" in set(public["Titre"])


def test_the_years_summary_keeps_real_and_sample_records_apart(mixed_app, secretariat, downloads, monkeypatch):  # noqa: F811
    """Issue 26 row 10: one XLSX for the annual report: totals against targets, distinct states per kind, each state."""
    import io
    from datetime import date

    from openpyxl import load_workbook

    monkeypatch.setattr(app_data, "today", lambda: date(2023, 6, 30))
    sign_in(open_page("views/targets.py", year="2021"), PASSWORD)
    book = load_workbook(io.BytesIO(downloads["cti-year-summary-2021.xlsx"]()))
    assert book.sheetnames == ["Totals", "States per kind", "States"]
    totals = [[c.value for c in row] for row in book["Totals"].iter_rows()]
    assert totals[0][:4] == ["Year", "Measure", "Records", "Figure (to 31 December 2021)"]
    by_row = {(row[1], row[2]): row[3:6] for row in totals[1:]}
    real, sample = "Real CTI records", "Sample records (not real activities)"
    assert by_row[("States visited", real)] == [3, "at least 3", "Met"]  # BRB, TON, KIR; FJI is a sample
    assert by_row[("States visited", sample)] == [1, "at least 3", "Missed"]
    assert by_row[("Senior officials", real)][0] == 30  # S1-S3; the forum is not counted
    assert by_row[("Senior officials", sample)][0] == 7
    kinds = {(row[1], row[2]): row[3:] for row in book["States per kind"].iter_rows(min_row=2, values_only=True)}
    assert kinds[("Country visit", real)] == (3, 3) and kinds[("Study visit", real)] == (1, 1)
    assert kinds[("Country visit", sample)] == (1, 1) and kinds[("Remote advice", real)] == (11, 12)  # BHS advised twice
    states = list(book["States"].iter_rows(min_row=2, values_only=True))
    assert (2021, "Country visit", sample, "FJI", "Fiji", 1) in states
    assert not any(row[3] == "FJI" and row[2] == real for row in states)
    open_page("views/targets.py", year="2021", lang="fr")  # the same browser: still signed in
    sheet = load_workbook(io.BytesIO(downloads["cti-year-summary-2021.xlsx"]()))["Totaux"]
    assert [c.value for c in sheet[1]][:3] == ["Année", "Mesure", "Enregistrements"]
