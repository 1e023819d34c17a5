"""AppTest of the map page: every control, a past date, a state selected from the URL."""

import pytest
from streamlit.testing.v1 import AppTest

from app import maps
from tests.apptest import open_page, shown, url_value


def open_map(**params) -> AppTest:
    return open_page("views/map.py", **params)


def legend(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "UNCAT status" in m.value or "Situation au regard" in m.value)


def details(at: AppTest) -> str:
    """The selected state's panel as the browser shows it (names from the data are Markdown-escaped)."""
    text = " ".join(m.value for m in at.markdown if m.value.startswith("**") and "  \n" in m.value)
    return shown(text)


def test_default_view_legend_counts(built_db):
    at = open_map()
    assert at.title[0].value == "World map"
    text = legend(at)
    assert "State party (175)" in text and "Signatory (4)" in text and "No action (18)" in text
    assert any("do not imply official endorsement" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 197


def test_past_date_changes_the_counts(built_db):
    at = open_map(as_of="1990-01-01")
    text = legend(at)
    assert "State party (53)" in text or "State party (" in text
    parties = int(text.split("State party (")[1].split(")")[0])
    assert parties < 175
    table = at.dataframe[0].value
    assert (table["Status"] == "State party").sum() == parties


def test_state_selected_from_the_url(built_db):
    at = open_map(state="FJI")
    shown = details(at)
    assert "Fiji" in shown and "14 March 2016 (Ratification)" in shown and "13 April 2016" in shown


def test_search_selects_and_keeps_the_state_in_the_url(built_db):
    at = open_map()
    at.selectbox(key="search").set_value("JAM").run()
    assert not at.exception
    assert "Jamaica" in details(at) and url_value(at, "state") == "JAM"
    at.button(key="clear").click().run()
    assert url_value(at, "state") is None and "Jamaica" not in details(at)


def test_overlay_and_group_controls_go_to_the_url(built_db):
    at = open_map()
    at.selectbox(key="overlay").set_value("art22").run()
    at.selectbox(key="group").set_value("SIDS").run()
    assert not at.exception
    assert url_value(at, "overlay") == "art22" and url_value(at, "group") == "SIDS"
    assert "Dark outline: Art. 22 declarations" in legend(at)


def test_group_without_a_list_says_so(built_db):
    # No DAC list in the data covers a date before 2014 (the 2014 list governed 2014-2017 flows).
    at = open_map(as_of="2012-06-30", group="ODA")
    assert any("No list of this group covers this date" in i.value for i in at.info)


def test_base_map_toggle_and_play(built_db, monkeypatch):
    monkeypatch.setattr(maps, "PLAY_PAUSE", 0)
    at = open_map()
    at.toggle(key="base_map").set_value(True).run()
    assert not at.exception
    at.button(key="play").click().run()
    assert not at.exception


def test_french_map(built_db):
    at = open_map(lang="fr", state="BOL")
    assert at.title[0].value == "Carte du monde"
    assert "État partie (175)" in legend(at)
    assert "Bolivie (État plurinational de)" in details(at)


@pytest.mark.parametrize("bad", ["XXX", "<script>"])
def test_unknown_state_in_the_url_is_ignored(built_db, bad):
    at = open_map(state=bad)
    assert details(at) == ""


def unmarked(text: str) -> str:
    """A value without its note mark (¹ ² ...)."""
    return text.rstrip(" ⁰¹²³⁴⁵⁶⁷⁸⁹")


def report_line(at: AppTest) -> tuple[str, str]:
    """The panel's initial-report line (label, value as shown) and the notes under it."""
    from core.i18n import t

    lang = url_value(at, "lang") or "en"
    label = t("profile.step_initial_report", lang)
    line = next((shown(m.value) for m in at.markdown if shown(m.value).startswith(f"**{label}")), "")
    notes = " ".join(shown(c.value) for c in at.caption)
    return line, notes


@pytest.mark.parametrize(
    ("iso3", "as_of", "expected"),
    [
        ("FJI", "2026-02-03", "overdue since 12 April 2017"),  # nine years late: never "due on"
        ("FJI", "2016-12-01", "due on 12 April 2017"),
        ("BRA", "2026-02-03", "submitted ("),
    ],
)
def test_panel_reports_the_initial_report_as_the_profile_does(db, iso3, as_of, expected):
    from datetime import date

    from tests.test_profile import build, steps

    at = open_map(state=iso3, as_of=as_of)
    line, notes = report_line(at)
    assert expected in line, line
    profile = steps(build(db, iso3, date.fromisoformat(as_of)))["Initial report to the Committee (art. 19)"]
    assert unmarked(line.split("  \n", 1)[1]) == unmarked(profile.value)  # the profile's words, the profile's rule
    if profile.note:
        assert profile.note in notes  # with how it is known


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "en retard depuis le 12 avril 2017"), ("es", "atrasado desde el 12 de abril de 2017")]
)
def test_panel_report_line_in_french_and_spanish(db, lang, words):
    from datetime import date

    from tests.test_profile import build

    at = open_map(state="FJI", lang=lang)
    line, _ = report_line(at)
    assert words in line, line
    ladder = build(db, "FJI", date(2026, 2, 3), lang).section("ladder").steps
    assert any(unmarked(step.value) == unmarked(line.split("  \n", 1)[1]) for step in ladder)


def test_panel_has_no_report_line_for_a_state_not_bound(built_db):
    at = open_map(state="IND")
    line, _ = report_line(at)
    assert line == ""
    assert "1987" not in details(at)  # nor the Convention's own entry into force
