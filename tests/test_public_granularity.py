"""Public activity figures are never finer than a month: stepping the date by a day inside a month changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import data as app_data
from app import queries, slides
from app.targets import public_cutoff
from tests.apptest import open_page
from tests.targets_fixture import CONFIDENTIAL
from tests.test_targets import handmade  # noqa: F401 - fixture: the hand-made activities, built
from tests.test_targets_page import PASSWORD, exposed, leaks, payloads, secretariat, sign_in  # noqa: F401 - fixtures

# The hand-made set advises 11 states on 1 April 2021 (confidential remote advice).
ADVICE_DAY = date(2021, 4, 1)


@pytest.mark.parametrize(
    ("as_of", "cutoff"),
    [
        (date(2020, 2, 24), date(2020, 1, 31)),
        (date(2020, 2, 25), date(2020, 1, 31)),
        (date(2020, 2, 29), date(2020, 2, 29)),  # a month's last day: that month is complete
        (date(2020, 3, 1), date(2020, 2, 29)),
        (date(2021, 1, 15), date(2020, 12, 31)),
        (date(2021, 12, 31), date(2021, 12, 31)),
    ],
)
def test_public_cutoff_is_the_end_of_the_last_complete_month(as_of, cutoff):
    assert public_cutoff(as_of) == cutoff


def advised_2021(db, as_of: date) -> int:
    totals = queries.yearly_totals(db, 2021, 2021, as_of)
    return int(totals[totals.metric == "states_advised"].actual.iloc[0])


def test_yearly_totals_change_only_when_a_month_is_complete(handmade):  # noqa: F811
    _, db = handmade
    april = [ADVICE_DAY + timedelta(days=n) for n in range(29)]  # 1 to 29 April
    assert {advised_2021(db, day) for day in [date(2021, 3, 31), *april]} == {0}
    assert advised_2021(db, date(2021, 4, 30)) == 11


def test_forum_targets_slide_is_the_same_for_every_day_of_a_month(handmade):  # noqa: F811
    _, db = handmade
    latest = queries.data_as_of(db)

    def shown(as_of):
        slide = slides.targets_slide(queries.targets_facts(db, as_of), as_of, latest, "en")
        return slide.lines, slide.table.to_dict(), slide.notes

    assert shown(ADVICE_DAY - timedelta(days=1)) == shown(ADVICE_DAY) == shown(ADVICE_DAY + timedelta(days=10))


@pytest.fixture
def handmade_app(handmade, monkeypatch):  # noqa: F811
    folder, _ = handmade
    # Both: with data/ as its source, the app would find the hand-made database out of date and rebuild it from data/.
    monkeypatch.setenv("UNCAT_DATA_DIR", str(folder))
    monkeypatch.setenv("UNCAT_DB", str(folder.parent / "handmade.duckdb"))
    app_data.database.clear()
    yield
    app_data.database.clear()


def test_targets_page_figures_and_export_are_the_same_for_every_day_of_a_month(handmade_app, monkeypatch):
    def page_on(day: date):
        monkeypatch.setattr(app_data, "today", lambda: day)
        at = open_page("views/targets.py", year="2021")
        figures = {m.label: m.value for m in at.metric}
        totals = app_data.targets_view(2020, day.year, day, "en")["totals_csv"]
        return figures, totals, [c.value for c in at.caption if "figures are year to date" in c.value]

    before, on_the_day, later = (
        page_on(ADVICE_DAY - timedelta(days=1)),
        page_on(ADVICE_DAY),
        page_on(ADVICE_DAY + timedelta(days=20)),
    )
    assert before[:2] == on_the_day[:2] == later[:2]
    assert before[0]["States advised (remote desk)"] == "0"
    assert "up to the end of the last complete month (31 March 2021)" in on_the_day[2][0]
    assert page_on(date(2021, 4, 30))[0]["States advised (remote desk)"] == "11"


def test_the_signed_in_figures_to_date_and_the_years_summary_never_reach_a_public_session(
    handmade_app,
    secretariat,  # noqa: F811
    downloads,
    payloads,  # noqa: F811
    monkeypatch,
):
    """Issue 26 row 10: signed in, the count to today beside the public one, the states served each year and the
    year's summary (XLSX); a session that is not signed in gets none of them, and the file is refused after sign-out."""
    monkeypatch.setattr(app_data, "today", lambda: ADVICE_DAY + timedelta(days=14))
    at = open_page("views/targets.py", year="2021")
    public_figures = {m.label: m.value for m in at.metric}
    assert public_figures["States advised (remote desk)"] == "0"  # to 31 March 2021: the advice of 1 April is not counted
    assert "cti-year-summary-2021.xlsx" not in downloads
    assert len(at.metric) == 3 and not [c.value for c in at.caption if "(signed in)" in c.value]
    assert leaks(exposed(at, payloads), CONFIDENTIAL) == []

    sign_in(at, PASSWORD)
    cards = [(m.label, m.value) for m in at.metric]
    assert cards[:3] == list(public_figures.items())  # the public cards stay as they were
    assert cards[3:] == [("States visited", "1"), ("States advised (remote desk)", "11"), ("Senior officials", "12")]
    # Each labelled with the day it counts to, beside the public figure.
    caption = "To 15 April 2021 (signed in). Public figure: 0 (to 31 March 2021). Target: up to 10."
    assert caption in [c.value for c in at.caption]
    served = next(d.value for d in at.dataframe if "Advised" in d.value.columns).set_index("Year")
    assert served.loc["2021", "States advised (remote desk)"] == 11
    assert served.loc["2021", "Visited"] == "Barbados"  # only BRB's visit began by 15 April 2021
    summary = downloads["cti-year-summary-2021.xlsx"]
    assert summary().startswith(b"PK")  # built on request while signed in

    at.button(key="sign_out").click().run()
    assert not at.exception
    with pytest.raises(PermissionError):
        summary()  # a file built after sign-out is refused
    assert {m.label: m.value for m in at.metric} == public_figures and len(at.metric) == 3  # the cards to today are gone
