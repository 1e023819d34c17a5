"""AppTest of the UPR commitments page: the three questions in one view each, at two dates, URL state, downloads."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import commitments, queries
from tests.apptest import open_page, shown, shown_table, url_value
from tests.conftest import APP

PAGE = "views/commitments.py"
EARLY, LATE = "2016-01-01", "2026-02-03"


def table(at: AppTest) -> pd.DataFrame:
    """The list of recommendations (the page's last data frame)."""
    return at.dataframe[-1].value


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [shown_table(t.value) for t in at.table]


def test_defaults_show_every_recommendation_counted_by_the_date_with_its_fate(built_db, db):
    at = open_page(PAGE, as_of=LATE)
    assert at.title[0].value == "UPR commitments"
    assert metrics(at) == {"Recommendations": "1,675", "Accepted commitments": "635", "Kept": "339", "Still open": "296"}
    shown = texts(at)
    assert "Universe: 1,675 recommendations on CAT or OPCAT, made in UPR sessions that had ended by 3 February 2026" in shown
    assert "**337 of 629** kept (54%)." in shown
    frame = table(at)
    # The same rows as the open-data table (those whose session had ended by the date), each with its fate.
    counted = queries.commitment_inputs(db)["recommendations"]
    counted = counted[pd.to_datetime(counted.counts_from) <= pd.Timestamp(LATE)]
    assert sorted(frame.ID) == sorted(counted.rec_id)
    assert set(frame.Fate) == {"Kept", "Open", "Already done", "Not applicable"}
    links = frame["Country profile"]
    assert (links == "/country?state=" + frame.ISO3 + "&lang=en&as_of=2026-02-03").all()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["PNG", "SVG", "Data (CSV)", "List (CSV)", "List (XLSX)"]


@pytest.mark.parametrize(
    ("as_of", "kept", "open_states"),
    [
        (EARLY, 9, ["AGO", "AUS", "CAN", "DMA", "FSM", "IDN", "KEN", "LSO", "SVK", "TZA"]),
        (LATE, 12, ["AGO", "CAN", "FSM", "IDN", "KEN", "LSO", "TZA"]),
    ],
)
def test_denmarks_recommendations_and_their_fate(built_db, as_of, kept, open_states):
    at = open_page(PAGE, as_of=as_of, by="DNK")
    frame = table(at)
    assert set(frame["Recommending state"]) == {"Denmark"}
    accepted = frame[(frame.Response == "Supported") & frame.Fate.isin(["Kept", "Open"])]
    assert (accepted.Fate == "Kept").sum() == kept
    assert sorted(accepted[accepted.Fate == "Open"].ISO3.unique()) == open_states
    day = date.fromisoformat(as_of).strftime("%-d %B %Y")
    assert (
        f"Denmark: {len(frame)} recommendations shown, 19 accepted commitments: {kept} kept, {19 - kept} still open on {day}."
        in shown(texts(at))
    )
    australia = frame[(frame.ISO3 == "AUS") & (frame["Asks to"] == "Ratify or accede")]
    # Australia ratified the Optional Protocol on 21 December 2017: open in 2016, kept since.
    assert australia[["Fate", "Done on"]].values.tolist() == ([["Open", ""]] if as_of == EARLY else [["Kept", "2017-12-21"]])


@pytest.mark.parametrize(
    ("as_of", "states"),
    [
        (EARLY, ["FJI", "FSM", "MHL", "PNG", "SLB", "TON", "TUV", "VUT", "WSM"]),
        (LATE, ["FJI", "FSM", "MHL", "PNG", "SLB", "TON", "VUT", "WSM"]),  # Tuvalu acceded on 25 March 2024
    ],
)
def test_pacific_sids_with_an_accepted_open_commitment_to_ratify(built_db, as_of, states):
    at = open_page(PAGE, as_of=as_of, region="region:Oceania", group="SIDS", response="supported", action="ratify", fate="open")
    assert sorted(table(at).ISO3.unique()) == states
    most_open = at.dataframe[0].value  # the states with the most open accepted commitments, among those shown
    assert set(most_open["State under review"]) <= set(table(at)["State under review"])


def test_share_kept_in_cycle_1_and_cycle_2_at_two_dates(built_db):
    early, late = (tables(open_page(PAGE, as_of=day))[0].set_index("Cycle") for day in (EARLY, LATE))
    assert early.loc["Cycle 1", ["Kept", "Accepted, to ratify", "Share kept"]].tolist() == [151, 406, "37%"]
    assert early.loc["Cycle 2", ["Kept", "Accepted, to ratify", "Share kept"]].tolist() == [33, 220, "15%"]
    assert late.loc["Cycle 1", ["Kept", "Accepted, to ratify", "Share kept"]].tolist() == [216, 406, "53%"]
    assert late.loc["Cycle 2", ["Kept", "Accepted, to ratify", "Share kept"]].tolist() == [121, 220, "55%"]


def test_the_core_states_in_one_click_as_on_the_date(built_db):
    at = open_page(PAGE, as_of=LATE)
    at.button(key="commitments_core").click().run()
    assert not at.exception
    assert url_value(at, "by") == "CHL,DNK,FJI,GHA,IDN,MAR"  # Fiji joined the core group on 25 February 2019
    assert set(table(at)["Recommending state"]) <= {"Chile", "Denmark", "Fiji", "Ghana", "Indonesia", "Morocco"}
    before = open_page(PAGE, as_of="2018-01-01")
    before.button(key="commitments_core").click().run()
    assert url_value(before, "by") == "CHL,DNK,GHA,IDN,MAR"


def test_filters_live_in_the_url_and_the_link_reopens_the_view_in_french(built_db):
    at = open_page(PAGE, lang="fr", as_of=LATE, reviewed="FJI", cycle="1", treaty="CAT", q="Consider ratifying")
    frame = table(at)
    assert set(frame["État examiné"]) == {"Fidji"} and set(frame.Cycle) == {1} and set(frame["Traité"]) == {"CAT"}
    assert len(frame) == 3 and frame.Recommandation.str.contains("consider ratifying", case=False).all()
    assert at.multiselect(key="commitments_reviewed").value == ["FJI"]
    at.button_group(key="commitments_fate").set_value(["kept"]).run()
    assert not at.exception
    assert url_value(at, "fate") == "kept" and url_value(at, "reviewed") == "FJI" and url_value(at, "q") == "Consider ratifying"
    assert set(table(at).Suite) == {"Tenue"}


@pytest.mark.parametrize(
    ("params", "name"),
    [({"cycle": "9"}, "cycle"), ({"fate": "maybe"}, "fate"), ({"by": "XXX"}, "by"), ({"region": "region:Atlantis"}, "region")],
)
def test_an_unusable_url_value_gets_a_sentence_not_a_traceback(built_db, params, name):
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in {"as_of": LATE, **params}.items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    notices = [i.value for i in at.info if "from the link" in i.value]
    assert len(notices) == 1 and f"`{name}=" in notices[0]
    assert len(table(at)) == 1675  # the value is left out: every recommendation


def test_a_filter_that_keeps_nothing_says_so(built_db):
    at = open_page(PAGE, as_of=LATE, q="no such words anywhere")
    assert any("No recommendation matches these filters" in i.value for i in at.info)
    assert not at.metric


def test_the_list_downloads_as_formula_safe_csv_and_xlsx_with_the_rows_shown(built_db, downloads):
    from openpyxl import load_workbook

    at = open_page(PAGE, as_of=LATE, by="DNK")
    shown = table(at)
    content = downloads["uncat-commitments-2026-02-03.csv"]().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert [r["ID"] for r in rows] == shown.ID.tolist()
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    book = load_workbook(io.BytesIO(downloads["uncat-commitments-2026-02-03.xlsx"]()))
    sheet = book.active
    assert sheet.title == "Recommendations"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(shown.columns) and len(values) == len(shown) + 1
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_a_formula_in_a_text_is_neutralised_in_the_exports():
    frame = pd.DataFrame({"Recommendation": ['=HYPERLINK("http://example.invalid","x")'], "Cycle": [1]})
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(commitments.xlsx(frame, "en")))
    assert book.active["A2"].value == '\'=HYPERLINK("http://example.invalid","x")'


def test_the_chart_exports_as_png_and_svg_with_its_title_and_lines(built_db, downloads):
    open_page(PAGE, as_of=LATE)
    svg = downloads["uncat-commitments-chart-2026-02-03.svg"]()
    svg = svg.decode() if isinstance(svg, bytes) else svg
    assert "Accepted commitments kept and still open, by UPR cycle" in svg
    assert "Status as of 3 February 2026." in svg and "Cycle 1" in svg and "Kept" in svg
    assert downloads["uncat-commitments-chart-2026-02-03.png"]().startswith(b"\x89PNG")
    chart_csv = downloads["uncat-commitments-chart-2026-02-03.csv"]().decode()
    assert chart_csv.splitlines()[0] == "Cycle,Fate,Accepted commitments"


def test_the_strategys_claim_is_stated_with_its_method(built_db):
    text = shown(texts(open_page(PAGE, as_of=LATE)))
    assert "**Cycle 1** (sessions 1–12, 21,356 recommendations): ratifying the Convention against Torture ranks **5** of" in text
    assert "among the first five." in text and "not among the first five." in text
    assert "**Cycle 2** (sessions 13–20, 19,710 recommendations): ratifying the Convention against Torture ranks **7** of" in text
    assert "41,066 recommendations of the exports" in text


def test_the_profile_and_the_brief_carry_the_same_commitments(built_db, db):
    from app import brief, profile, snapshot

    day = date(2026, 2, 3)
    built = profile.build(snapshot.take(db, day), queries.state_facts(db, "FJI", day), "FJI", day, "en")
    section = built.section("commitments")
    assert section.paragraphs == (
        "Received up to 3 February 2026: 21 accepted commitments on CAT or OPCAT; 18 kept, 3 still open.",
    )
    assert [(s.label, s.done) for s in section.steps] == [("CAT: ratify or accede", True), ("OPCAT: ratify or accede", False)]
    assert section.steps[0].value == "kept on 14 March 2016: 19 recommendations since session 7 (February 2010)"
    assert section.steps[1].value == "open: 3 recommendations since session 7 (February 2010)"
    rows = brief.context(built)["sections"]
    assert [s["key"] for s in rows].index("commitments") == [s["key"] for s in rows].index("upr") + 1
    denmark = profile.build(snapshot.take(db, day), queries.state_facts(db, "DNK", day), "DNK", day, "en")
    assert (
        "As a recommending state: 55 recommendations on CAT or OPCAT to 47 states; of its 19 accepted commitments, 12 kept "
        "and 7 still open." in denmark.section("commitments").paragraphs
    )
