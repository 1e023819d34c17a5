"""Targets set in the app (issue 26 row 6, issue 23's targets page): dated files replayed by the ETL, logged, compared."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from app import activity_files, audit, tables
from app import data as app_data
from app.db import connect_read_only
from app.targets import yearly_progress
from core.i18n import t
from etl.build import build, load_inputs
from tests.targets_fixture import handmade_data
from tests.test_targets_page import PASSWORD, open_targets, private_data, secretariat, sign_in  # noqa: F401 - fixtures

SOURCE = "Test decision of the CTI section 2 (test data)"


def _target(metric="states_visited", first=2026, last=2026, comparator="at_least", value="5", strategy="Test plan"):
    return {
        "metric": metric,
        "period_start": f"{first}-01-01",
        "period_end": f"{last}-12-31",
        "comparator": comparator,
        "value": value,
        "unit": "states per year",
        "strategy": strategy,
        "source": SOURCE,
    }


def _targets(database: Path) -> list[tuple]:
    with connect_read_only(database) as con:
        return con.execute(
            "select metric, year(period_start), year(period_end), comparator, value, strategy from targets order by all"
        ).fetchall()


def test_targets_set_in_the_app_are_dated_files_replayed_by_the_etl(tmp_path):
    folder = handmade_data(tmp_path / "data")
    database = tmp_path / "live.duckdb"
    build(folder, database, quiet=True)
    shipped = _targets(database)
    assert not [row for row in shipped if row[1] == 2026]

    first = activity_files.set_targets([_target()], folder=folder, database=database, now=datetime(2026, 12, 1, 10, 0, 1))
    assert first.ok, first.problems
    assert first.stored.startswith("targets_20261201T100001")
    assert ("states_visited", 2026, 2026, "at_least", 5, "Test plan") in _targets(database)
    assert set(_targets(database)) - {("states_visited", 2026, 2026, "at_least", 5, "Test plan")} == set(shipped)

    # The same metric and period again replaces the value; the first file stays as it was.
    kept = (folder / "activities" / first.stored).read_bytes()
    second = activity_files.set_targets(
        [_target(value="4")], folder=folder, database=database, now=datetime(2026, 12, 1, 10, 0, 2)
    )
    assert second.ok, second.problems
    assert (folder / "activities" / first.stored).read_bytes() == kept
    assert [row[4] for row in _targets(database) if row[1] == 2026] == [4]

    # Refused, nothing stored: a period overlapping the one in force, a value of 0, no source.
    files = sorted(p.name for p in (folder / "activities").iterdir())
    overlap = activity_files.set_targets([_target(first=2025, last=2027)], folder=folder, database=database)
    assert not overlap.ok and "overlap" in overlap.problems[0].reason
    zero = activity_files.set_targets([_target(value="0")], folder=folder, database=database)
    assert not zero.ok and zero.problems[0].column == "value"
    unsourced = activity_files.set_targets([{**_target(), "source": ""}], folder=folder, database=database)
    assert not unsourced.ok and unsourced.problems[0].column == "source"
    assert sorted(p.name for p in (folder / "activities").iterdir()) == files
    assert [row[4] for row in _targets(database) if row[1] == 2026] == [4]

    # python -m etl from the files alone builds the same targets.
    again = tmp_path / "again.duckdb"
    build(folder, again, quiet=True)
    assert _targets(again) == _targets(database)
    # A targets file edited by hand into an overlap is an ETL error naming the file and line.
    (folder / "activities" / "targets_20261201T100003.csv").write_text(
        ",".join(_target()) + "\n" + ",".join(_target(first=2024, last=2026, value="9").values()) + "\n"
    )
    with pytest.raises(Exception, match="overlap") as raised:
        load_inputs(folder)
    assert "targets_20261201T100003.csv" in str(raised.value.problems[0].path)


def test_a_year_without_target_shows_the_last_strategys_for_comparison():
    targets = pd.DataFrame(
        [
            ["states_visited", "2020-01-01", "2022-12-31", "at_least", 3, "states per year", "CTI Strategy 2020-2022", "s"],
        ],
        columns=["metric", "period_start", "period_end", "comparator", "value", "unit", "strategy", "source"],
    )
    totals = pd.DataFrame({"year": [2021, 2026], "metric": "states_visited", "actual": [4, 2], "sample_records": 0})
    progress = yearly_progress(totals, targets, date(2026, 12, 6)).set_index("year")
    assert progress.loc[2026, "status"] == "no_target"  # never a status against an old target
    assert progress.loc[2026, "reference_target"] == 3 and progress.loc[2026, "reference_years"] == (2020, 2022)
    assert pd.isna(progress.loc[2021, "reference_target"])  # a year with its own target
    text = tables.target_text(progress.reset_index().iloc[1], "en")
    assert text == "Last strategy's target (2020–2022), for comparison: at least 3"
    assert tables.target_text(progress.reset_index().iloc[1], "fr").startswith("Objectif de la dernière stratégie (2020–2022)")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_public_page_after_the_strategy_compares_and_ends_with_its_figures(built_db, monkeypatch, lang):
    monkeypatch.delenv("UNCAT_SECRETARIAT_HASH", raising=False)
    at = open_targets(year="2026", lang=lang)
    assert not at.exception
    infos = [i.value for i in at.info]
    after = t("targets.none_after", lang, last=2022, first=2020, strategy="§", year=2026).split("§")[0]
    assert any(i.startswith(after) for i in infos), infos
    reference = t("targets.reference_line", lang, first=2020, last=2022, comparator="§", value=0).split("§")[0]
    cards = [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown if m.value.startswith("**")]
    assert len(cards) == 3 and all(reference in c for c in cards), cards
    assert t("targets.records_explained", lang) in [c.value for c in at.caption]  # the sample counts explained
    # The public page does not end with the operator's set-up instructions.
    everything = " ".join(e.value for e in [*at.markdown, *at.info, *at.caption, *at.header, *at.subheader])
    assert "app.auth" not in everything and "UNCAT_SECRETARIAT_HASH" not in everything
    assert not at.header or at.header[-1].value != t("secretariat.title", lang)


def test_the_secretariat_sets_a_target_logged_and_shown(private_data, secretariat):  # noqa: F811 - fixtures
    folder, _database = private_data
    at = open_targets(year="2026")
    sign_in(at, PASSWORD)
    at.selectbox(key="target_metric").set_value("senior_officials")
    at.number_input(key="target_value").set_value(35)
    at.text_input(key="target_strategy").set_value("Test plan")
    at.text_input(key="target_source").set_value(SOURCE)
    at.text_input(key="target_reason").set_value("test: the target decided for 2026")
    at.button(key="targets_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Target set (targets_" in s.value.replace("\\", "") for s in at.success)
    stored = sorted((folder / "activities").glob("targets_*.csv"))
    assert len(stored) == 1 and "senior_officials,2026-01-01,2026-12-31,at_least,35," in stored[0].read_text()
    line = audit.read(folder)[0]
    assert (line["account"], line["action"], line["file"], line["reason"]) == (
        "secretariat",
        "targets",
        stored[0].name,
        "test: the target decided for 2026",
    )
    cards = [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown if m.value.startswith("**")]
    assert any("Target: at least 35 (Test plan)" in c for c in cards), cards
    history = next(d.value for d in at.dataframe if "strategy" in d.value.columns and "when" in d.value.columns)
    assert list(history.value) == ["35"]
    app_data.database.clear()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_forums_targets_slide_explains_its_sample_marks_in_one_line(db, lang):
    from app import queries, slides

    slide = slides.targets_slide(queries.targets_facts(db, date(2023, 1, 15)), date(2023, 1, 15), date(2026, 2, 3), lang)
    marks = {"sample": t("records.slide_sample", lang), "mixed": t("records.slide_mixed", lang)}
    assert t("forum.records_explained", lang, **marks) in slide.lines
    assert any(marks["sample"] in cell or marks["mixed"] in cell for cell in slide.table.iloc[:, 1:].to_numpy().ravel())


@pytest.fixture(scope="module")
def this_year(tmp_path_factory):
    """The hand-made records and two made-up 2026 visits: one in October, one on 10 November (test data)."""
    from tests.targets_fixture import HANDMADE, write_activities

    folder = handmade_data(tmp_path_factory.mktemp("this_year") / "data")
    extra = [
        ("T1", "2026-10-05", "2026-10-06", "country_visit", "FJI", 0, 0, False),
        ("T2", "2026-11-10", "2026-11-11", "country_visit", "TON", 0, 0, False),
    ]
    write_activities(folder / "activities" / "activities_handmade.csv", [*HANDMADE, *extra])
    database = folder.parent / "this_year.duckdb"
    build(folder, database, quiet=True)
    from app.db import Database

    db = Database(database)
    yield db
    db.close()


def test_the_forums_targets_slide_shows_this_year_to_the_last_complete_month(this_year):
    from app import queries, slides

    def slide_on(day: date, lang: str = "en"):
        return slides.targets_slide(queries.targets_facts(this_year, day), day, day, lang)

    november = slide_on(date(2026, 11, 20))
    assert list(november.table.columns) == ["Measure", "2020", "2021", "2022", "2026 (to 31 October 2026)"]
    visited = november.table.set_index("Measure").loc["States visited"]
    assert visited["2026 (to 31 October 2026)"].startswith("1 — ")  # October's visit; not November's yet
    assert "2026: to 31 October 2026, the end of the last complete month; no target is recorded after 2022." in november.lines
    # Never finer than a month: every day of November shows the same slide.
    shown = {repr((s.lines, s.table.to_dict(), s.notes)) for s in map(slide_on, [date(2026, 11, d) for d in range(1, 30)])}
    assert len(shown) == 1
    december = slide_on(date(2026, 12, 6))
    assert december.table.set_index("Measure").loc["States visited", "2026 (to 30 November 2026)"].startswith("2 — ")
    assert "2026 (au 30 novembre 2026)" in slide_on(date(2026, 12, 6), "fr").table.columns
    assert "2026 (al 30 de noviembre de 2026)" in slide_on(date(2026, 12, 6), "es").table.columns
    # A complete year is named alone; a state is never named.
    assert "2026" in slide_on(date(2027, 1, 10)).table.columns
    assert not any(code in " ".join(december.lines) + december.table.to_string() for code in ("FJI", "TON", "Fiji", "Tonga"))
