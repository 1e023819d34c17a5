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
