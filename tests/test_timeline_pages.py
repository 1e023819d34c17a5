"""AppTest of the Timeline and Road to universality pages: controls, URL state, tables, downloads."""

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.apptest import open_page, shown, url_value

TIMELINE = "views/timeline.py"
UNIVERSALITY = "views/universality.py"


def texts(at: AppTest) -> str:
    return shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]))


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def table(at: AppTest, first_column: str, *columns: str):
    """The one table whose columns start with `first_column` and include `columns` (tables have no key)."""
    found = [d.value for d in at.dataframe if d.value.columns[0] == first_column and set(columns) <= set(d.value.columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def download_labels(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_timeline_defaults(built_db):
    at = open_page(TIMELINE)
    assert at.title[0].value == "Timeline"
    assert at.selectbox(key="universe").value == "members"
    assert at.selectbox(key="group").value == "region"
    assert len(charts(at)) == 5  # cumulative, deposits per year, breakdown (three columns and one), projection
    assert download_labels(at) == ["PNG", "SVG", "Data (CSV)"] * 4
    shown = texts(at)
    assert shown.count("Status as of 3 February 2026.") >= 4 and "UN Treaty Collection" in shown
    deposits = table(at, "Date", "Type")
    assert len(deposits) == 21
    assert list(deposits.columns) == ["Date", "State", "Type", "ODA", "SIDS", "LDC", "Profile"]
    assert deposits.Profile.str.fullmatch(r"country\?state=[A-Z]{3}&lang=en").all()  # a link to each profile
    sao_tome = deposits[deposits.State == "Sao Tome and Principe"].iloc[0]
    assert sao_tome["ODA"] == "Yes"  # 2017: the 2014 DAC list governed 2017 flows
    assert not any("ODA flag shows as unknown" in w.value for w in at.warning)
    assert "10 years (1.7 UN member states a year)" in shown and "would all be parties in 2037" in shown
    assert "not a forecast" in shown
    assert url_value(at, "universe") == "members" and url_value(at, "group") == "region"


def test_timeline_controls_update_the_view_and_url(built_db):
    at = open_page(TIMELINE)
    at.selectbox(key="universe").set_value("all").run()
    assert not at.exception
    assert url_value(at, "universe") == "all"
    assert "The 197 states" in texts(at)
    at.selectbox(key="group").set_value("SIDS").run()
    assert not at.exception
    assert url_value(at, "group") == "SIDS"
    assert "States parties over time: Small island developing States or not" in texts(at)
    at.slider(key="pace_years").set_value(5).run()
    assert not at.exception
    assert "last 5 years" in texts(at)
    at.date_input(key="as_of").set_value(date(2012, 6, 30)).run()
    assert not at.exception
    at.selectbox(key="group").set_value("ODA").run()
    assert any("2012" in w.value for w in at.warning)  # no DAC list before 2014: the flag is unknown


def test_timeline_from_the_url_in_french(built_db):
    at = open_page(TIMELINE, lang="fr", as_of="2020-03-01", universe="members_observers", group="regional_group")
    assert at.title[0].value == "Chronologie"
    assert at.selectbox(key="universe").value == "members_observers"
    assert at.selectbox(key="group").value == "regional_group"
    deposits = table(at, "Date", "Type")
    assert len(deposits) == 15
    assert list(deposits.columns) == ["Date", "État", "Type", "APD", "PEID", "PMA", "Fiche"]
    assert "Adhésion" in set(deposits["Type"])
    assert "Situation au 1er mars 2020." in texts(at)
    assert "par groupe régional de l'ONU" in texts(at)


def test_timeline_before_the_cti_launch(built_db):
    at = open_page(TIMELINE, as_of="2010-01-01")
    assert not [d for d in at.dataframe if "Type" in d.value.columns]
    assert any("before the CTI launch" in i.value for i in at.info)


def test_universality_defaults(built_db):
    at = open_page(UNIVERSALITY)
    assert at.title[0].value == "Road to universality"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Not yet party (193 UN member states)"] == "20"
    # Each label names its universe: the Overview's "No action" counts all states (18), this one the members.
    assert metrics["Signatory (193 UN member states)"] == "4" and metrics["No action (193 UN member states)"] == "16"
    signatories = at.dataframe[0].value
    assert set(signatories.State) == {"Brunei Darussalam", "Haiti", "India", "Palau"}
    assert {"ODA", "SIDS", "LDC", "OIC", "Commonwealth", "Signature"} <= set(signatories.columns)
    assert signatories.set_index("State").loc["India", "Signature"] == "1997-10-14"
    assert len(at.dataframe[1].value) == 16
    assert metrics["Non-parties that are ODA recipients"] == "80%"
    assert len(charts(at)) == 1 and download_labels(at) == ["PNG", "SVG", "Data (CSV)"]
    assert at.date_input(key="since").value == date(2025, 2, 3)
    changes = table(at, "Date", "Treaty")
    assert list(changes["State"]) == ["Bangladesh", "Colombia"]
    assert "Definitions" in texts(at)


def test_universality_as_of_the_strategy_and_since_the_url(built_db):
    at = open_page(UNIVERSALITY, as_of="2020-03-01", since="2019-03-01")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Not yet party (193 UN member states)"] == "26"
    assert metrics["Non-parties that are ODA recipients"] == "77%"
    changes = table(at, "Date", "Treaty")
    assert changes["Date"].is_monotonic_increasing
    assert {"Samoa", "Kiribati", "Grenada", "Angola"} <= set(changes["State"])
    assert "Oman" not in set(changes["State"])  # 9 June 2020, after the as-of date
    assert url_value(at, "since") == "2019-03-01"


def test_universality_controls_and_french(built_db):
    at = open_page(UNIVERSALITY, lang="fr")
    at.selectbox(key="universe").set_value("all").run()
    assert not at.exception
    assert url_value(at, "universe") == "all"
    assert {m.label: m.value for m in at.metric}["Pas encore parties (Tous les États des données)"] == "22"
    at.selectbox(key="group").set_value("regional_group").run()
    assert not at.exception and url_value(at, "group") == "regional_group"
    assert "États pas encore parties, par groupe régional de l'ONU" in texts(at)
    at.date_input(key="since").set_value(date(2026, 3, 1)).run()
    assert not at.exception
    assert any("antérieure" in i.value for i in at.info)


def test_universality_before_any_dac_list_says_the_oda_flag_is_unknown(built_db):
    at = open_page(UNIVERSALITY, as_of="2012-06-30")
    assert any("2012" in w.value for w in at.warning)
    table = at.dataframe[1].value
    assert set(table["ODA"]) == {"unknown"}
