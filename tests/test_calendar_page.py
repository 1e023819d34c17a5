"""AppTest of the engagement calendar page (each filter, URL state, bad URL values) and its ICS and chart builders."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from app import engagement_calendar, opportunities, queries
from tests.apptest import open_page, url_value
from tests.conftest import APP

CALENDAR = "views/calendar.py"
AS_OF = date(2026, 2, 3)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def table(at: AppTest) -> pd.DataFrame:
    assert len(at.dataframe) == 1
    return at.dataframe[0].value


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def rows_from_db(db, as_of: date, months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    status = queries.status_as_of(db, as_of)
    rows = opportunities.opportunities(
        as_of,
        months,
        status,
        queries.groups_as_of(db, as_of),
        queries.upr_reviews_dated(db),
        queries.cat_recommendations(db),
        queries.initial_reports(db),
    )
    return rows, status


def test_calendar_defaults(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    assert at.title[0].value == "Engagement calendar"
    assert metrics(at) == {
        "UPR window": "9",
        "Open recommendation": "66",
        "Initial report (art. 19)": "31",
        "Signatory for 10 years or more": "4",
    }
    assert at.metric[1].proto.help == "Open supported recommendation"  # a label short enough to show whole, its full name as help
    assert len(at.get("vega_lite_chart")) == 1
    assert [b.proto.label for b in at.get("download_button")] == ["PNG", "SVG", "Data (CSV)", "Calendar (ICS)"]
    shown = texts(at)
    assert "From 3 February 2026 to 3 February 2027: 110 opportunities for 79 states." in shown
    assert "Status as of 3 February 2026." in shown
    assert "UPR Info" in shown and "UN Treaty Collection as at 3 February 2026" in shown
    assert "session dates known up to session 53, November 2026" in shown
    frame = table(at)
    assert len(frame) == 110
    assert url_value(at, "months") == "12" and url_value(at, "group") == "none"
    assert url_value(at, "kinds") == "upr_window,recommendation,report,signatory"


def test_rows_say_published_or_expected_and_dates_keep_their_precision(built_db):
    frame = table(open_page(CALENDAR, as_of=AS_OF.isoformat()))
    assert set(frame["Date basis"]) == {"published", "published, review held", "expected (inferred from the cycle pattern)"}
    palau = frame[(frame.ISO3 == "PLW") & (frame.Opportunity == "UPR window")].iloc[0]
    # Palau's 4th review in session 52 (4-15 May 2026, A/HRC/63/6): 6 months either side, to the day.
    assert palau["When"] == "4 November 2025 to 15 November 2026"
    assert "session 52" in palau["Why"] and palau["Date known to the"] == "day"
    assert palau["Date basis"] == "published"
    # Papua New Guinea's is inferred from its group (session 39 of cycle 3): session 53, known to the month.
    png = frame[(frame.ISO3 == "PNG") & (frame.Opportunity == "UPR window")].iloc[0]
    assert png["When"] == "May 2026 to May 2027" and png["Date known to the"] == "month"
    assert png["Date basis"].startswith("expected")
    jamaica = frame[frame.ISO3 == "JAM"].iloc[0]
    assert jamaica["When"] == "3 May 2025 to 14 May 2026" and jamaica["Date basis"] == "published, review held"
    antigua = frame[(frame.ISO3 == "ATG") & (frame.Opportunity == "Initial report (art. 19)")].iloc[0]
    assert "overdue since 17 August 1994: 31 years" in antigua["Why"]
    # LDCs and SIDS first among the reports.
    reports = frame[frame.Opportunity == "Initial report (art. 19)"]
    flagged = reports.Groups.str.contains("LDC|SIDS")
    assert flagged.iloc[: int(flagged.sum())].all()


def test_each_state_links_to_its_profile_with_language_and_date(built_db):
    frame = table(open_page(CALENDAR, lang="fr", as_of=AS_OF.isoformat()))
    links = frame["Fiche pays"]
    assert (links == "/country?state=" + frame.ISO3 + "&lang=fr&as_of=2026-02-03").all()


def test_months_filter(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    at.selectbox(key="calendar_months").set_value(3).run()
    assert not at.exception
    assert url_value(at, "months") == "3"
    assert "From 3 February 2026 to 3 May 2026" in texts(at)


def test_group_filter(built_db, db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    at.selectbox(key="group").set_value("LDC").run()
    assert not at.exception
    assert url_value(at, "group") == "LDC"
    ldc = set(queries.groups_as_of(db, AS_OF).query("group_code == 'LDC'").iso3)
    shown = set(table(at).ISO3)
    assert shown and shown <= ldc
    at.selectbox(key="group").set_value("region:Oceania").run()
    assert not at.exception
    oceania = set(queries.status_as_of(db, AS_OF).query("m49_region == 'Oceania'").iso3)
    assert set(table(at).ISO3) <= oceania and "PLW" in set(table(at).ISO3)


def test_kinds_filter(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    at.button_group(key="calendar_kinds").set_value(["report"]).run()
    assert not at.exception
    assert url_value(at, "kinds") == "report"
    assert set(table(at).Opportunity) == {"Initial report (art. 19)"}
    assert list(metrics(at)) == ["Initial report (art. 19)"]
    # Reports are all overdue on this date: no deadline in the span, so no chart, and the CSV stays.
    assert not at.get("vega_lite_chart")
    assert any("No UPR window and no report deadline" in i.value for i in at.info)
    assert [b.proto.label for b in at.get("download_button")] == ["Data (CSV)"]  # no event for an empty calendar
    at.button_group(key="calendar_kinds").set_value([]).run()
    assert not at.exception
    assert any("Choose at least one kind" in i.value for i in at.info)
    assert not at.dataframe


def test_as_of_filter_shows_a_past_window(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    at.date_input(key="as_of").set_value(date(2019, 3, 1)).run()
    assert not at.exception
    frame = table(at)
    windows = frame[frame.Opportunity == "UPR window"]
    assert {"MYS", "AGO", "KIR"} <= set(windows.ISO3)
    assert "TUV" not in set(windows.ISO3)  # reviewed in May 2018 (session 30): its window closed in November 2018
    assert url_value(at, "as_of") == "2019-03-01"


def test_the_url_reopens_the_view_in_spanish(built_db):
    at = open_page(CALENDAR, lang="es", as_of="2019-03-01", months="6", group="SIDS", kinds="upr_window,report")
    assert at.title[0].value == "Calendario de contactos"
    assert at.selectbox(key="calendar_months").value == 6
    assert at.selectbox(key="group").value == "SIDS"
    assert set(table(at)["Oportunidad"]) <= {"Periodo del EPU", "Informe inicial (art. 19)"}
    assert not at.warning


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"months": "lots"}, "months"),
        ({"months": "-3"}, "months"),
        ({"months": "²"}, "months"),
        ({"kinds": "visits"}, "kinds"),
        ({"group": "[x](http://example.org)"}, "group"),
        ({"as_of": "2026-13-45"}, "as_of"),
    ],
)
def test_an_unusable_url_value_gets_a_sentence_not_a_traceback(built_db, params, name):
    # A deep link runs the calendar first (through the router), as a browser opening /calendar does.
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in {"as_of": AS_OF.isoformat(), **params}.items():
        at.query_params[key] = value
    at.switch_page(CALENDAR).run()
    assert not at.exception
    # The one line every page gives an unusable URL value (app/ui.py), once, the value in a code span.
    notices = [i.value for i in at.info if "from the link" in i.value]
    assert len(notices) == 1 and f"`{name}=" in notices[0] and "cannot be used" in notices[0]
    assert notices[0].count("`") == 2  # a value is never read as markdown: all of it inside the code span
    assert not at.warning
    assert len(table(at)) > 0


def test_ics_one_event_per_review_and_report_linked_to_the_profile_and_stable(db):
    rows, status = rows_from_db(db, date(2019, 3, 1))
    first = engagement_calendar.ics(rows, status, date(2019, 3, 1), 12, "en", datetime(2026, 12, 1, tzinfo=UTC))
    again = engagement_calendar.ics(rows, status, date(2019, 3, 1), 12, "en", datetime(2026, 12, 2, tzinfo=UTC))
    events = Calendar.from_ical(first).walk("VEVENT")
    reports = rows[rows.kind == "report"]  # due in the span, or overdue (a reminder on the file's first day)
    windows = rows[rows.kind == "upr_window"]
    assert len(events) == len(windows) + len(reports) > 0 and (reports.report_status == "overdue").any()
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(again).walk("VEVENT")]
    by_uid = {str(e["UID"]): e for e in events}
    # Malaysia's 3rd review: session 31 (5-16 November 2018) as an event, not its 12-month window.
    malaysia = by_uid["upr-MYS-cycle3@uncat-dashboard"]
    assert malaysia.decoded("DTSTART") == date(2018, 11, 5)
    assert malaysia.decoded("DTEND") == date(2018, 11, 17)  # all-day: the day after the session's last day
    assert str(malaysia["SUMMARY"]) == "Malaysia: UPR review"
    assert "UPR review, cycle 3, session 31" in str(malaysia["DESCRIPTION"])
    assert str(malaysia["URL"]) == "/country?state=MYS&lang=en&as_of=2019-03-01"
    assert "Country profile: /country?state=MYS" in str(malaysia["DESCRIPTION"])
    later, _ = rows_from_db(db, AS_OF)
    inferred = Calendar.from_ical(engagement_calendar.ics(later, status, AS_OF, 12, "en", datetime(2026, 12, 1, tzinfo=UTC)))
    png = {str(e["UID"]): e for e in inferred.walk("VEVENT")}["upr-PNG-cycle4@uncat-dashboard"]
    assert "expected" in str(png["SUMMARY"])  # inferred from the cycle pattern
    bahamas = by_uid["report-BHS-initial@uncat-dashboard"]
    assert bahamas.decoded("DTSTART") == date(2019, 6, 29)
    assert "Initial report under art. 19 due on 29 June 2019" in str(bahamas["DESCRIPTION"])
    # An overdue report is a reminder on the file's first day (Antigua and Barbuda's, due in 1994).
    antigua = by_uid["report-ATG-initial@uncat-dashboard"]
    assert antigua.decoded("DTSTART") == date(2019, 3, 1) and "overdue" in str(antigua["SUMMARY"])


def test_ics_windows_as_a_second_event_on_request_with_an_absolute_link(db):
    rows, status = rows_from_db(db, date(2019, 3, 1))
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    plain = Calendar.from_ical(engagement_calendar.ics(rows, status, date(2019, 3, 1), 12, "fr", stamp)).walk("VEVENT")
    both = engagement_calendar.ics(rows, status, date(2019, 3, 1), 12, "fr", stamp, True, "https://uncat.example.org")
    events = {str(e["UID"]): e for e in Calendar.from_ical(both).walk("VEVENT")}
    assert len(events) == len(plain) + (rows.kind == "upr_window").sum()
    window = events["upr-MYS-cycle3-window@uncat-dashboard"]
    assert window.decoded("DTSTART") == date(2018, 5, 5) and window.decoded("DTEND") == date(2019, 5, 17)
    assert str(window["URL"]).startswith("https://uncat.example.org/country?state=MYS&lang=fr")


def test_opens_on_today_with_the_data_age_and_held_reviews_marked_held(built_db):
    from app import data

    at = open_page(CALENDAR)
    assert url_value(at, "as_of") == data.today().isoformat()  # whom to engage from now on, not from the data's date
    assert "Data verified to 3 February 2026 (" in texts(at)
    # At the data's date, Jamaica's review (11 November 2025) is past: its window is the follow-up half.
    frame = table(open_page(CALENDAR, as_of=AS_OF.isoformat()))
    jamaica = frame[(frame.ISO3 == "JAM") & (frame.Opportunity == "UPR window")].iloc[0]
    assert jamaica["UPR review"] == "held (11 November 2025)" and jamaica["Date basis"] == "published, review held"
    palau = frame[(frame.ISO3 == "PLW") & (frame.Opportunity == "UPR window")].iloc[0]
    assert palau["UPR review"] == "4 May 2026 to 15 May 2026" and palau["Date basis"] == "published"


def test_reviews_in_the_period_answer_which_non_parties_are_reviewed_soon(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat(), months="6", reviews="upcoming")
    assert not at.exception and at.toggle(key="reviews").value
    frame = table(at)
    assert set(frame.Opportunity) == {"UPR window"}
    # Reviewed from 3 February to 3 August 2026: Palau (session 52, May 2026), not Jamaica (November 2025).
    assert "PLW" in set(frame.ISO3) and "JAM" not in set(frame.ISO3)
    at.toggle(key="reviews").set_value(False).run()
    assert "JAM" in set(table(at).ISO3) and url_value(at, "reviews") is None


def test_ics_uid_is_the_same_when_a_review_date_becomes_published(db):
    """The UID names the fact (state and cycle), not the date or its basis."""
    rows, status = rows_from_db(db, AS_OF)
    palau = rows[rows.uid == "upr-PLW-cycle4"].copy()
    assert len(palau) == 1
    published = palau.assign(basis="published", start=date(2025, 11, 4), end=date(2026, 11, 14), precision="day")
    for frame in (palau, published):
        events = Calendar.from_ical(engagement_calendar.ics(frame, status, AS_OF, 12, "fr", datetime.now(UTC))).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == ["upr-PLW-cycle4@uncat-dashboard"]


def test_chart_has_bars_for_windows_points_for_deadlines_and_the_date_marked(db):
    rows, status = rows_from_db(db, date(2019, 3, 1))
    frame = engagement_calendar.chart_frame(rows, status, date(2019, 3, 1), 12, "fr")
    assert set(frame.mark) == {"window", "deadline", "earlier"}
    # Only states with a window or a deadline in the span are drawn.
    assert set(frame.state) == set(frame.loc[frame.mark != "earlier", "state"])
    spec = engagement_calendar.timeline_chart(frame, date(2019, 3, 1), 12, date(2026, 12, 2), "fr").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    # the invisible tick anchors the span; the second tick marks each review
    assert marks == ["tick", "bar", "tick", "point", "point", "rule", "text"]
    reviews = spec["layer"][2]
    assert reviews["encoding"]["opacity"]["legend"]["title"] == "Examen EPU"
    datasets = list(spec["datasets"].values())
    assert any(any(v.get("label") == "au 1er mars 2019" for v in values) for values in datasets)
    # Today (2 December 2026) is outside the span: not drawn.
    assert not any(any("aujourd'hui" in str(v.get("label", "")) for v in values) for values in datasets)


def test_chart_exports_as_png_and_svg_with_its_title_and_lines(db):
    from app import charts

    rows, status = rows_from_db(db, date(2019, 3, 1))
    frame = engagement_calendar.chart_frame(rows, status, date(2019, 3, 1), 12, "en")
    chart = charts.titled(
        engagement_calendar.timeline_chart(frame, date(2019, 3, 1), 12, date(2026, 12, 2), "en"),
        "Engagement timeline",
        ["Status as of 1 March 2019."],
    )
    svg = charts.to_svg(chart)
    assert "Engagement timeline" in svg and "Status as of 1 March 2019." in svg and "Kiribati" in svg
    assert charts.to_png(chart).startswith(b"\x89PNG")


def test_choices_survive_a_visit_to_another_page(built_db):
    at = open_page(CALENDAR, as_of=AS_OF.isoformat())
    at.selectbox(key="calendar_months").set_value(6).run()
    at.button_group(key="calendar_kinds").set_value(["upr_window"]).run()
    at.switch_page("views/overview.py").run()
    at.switch_page(CALENDAR).run()
    assert not at.exception
    assert at.selectbox(key="calendar_months").value == 6
    assert set(table(at).Opportunity) == {"UPR window"}
    assert url_value(at, "months") == "6" and url_value(at, "kinds") == "upr_window"


def test_a_date_before_the_convention_is_reported_with_the_date_shown(built_db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["as_of"] = "1900-01-01"
    at.switch_page(CALENDAR).run()
    assert not at.exception
    assert [i.value for i in at.info if "from the link" in i.value] == [
        "Ignored `as_of=1900-01-01` from the link (it cannot be used). Shown instead: 10 December 1984."
    ]


def test_oda_on_a_date_no_dac_list_covers_says_so(built_db):
    at = open_page(CALENDAR, as_of="2012-06-01", group="ODA")
    assert any("No OECD DAC list of ODA recipients covers 1 June 2012" in w.value for w in at.warning)
    assert any("No opportunity" in i.value for i in at.info)


def test_a_link_with_no_kind_chosen_reopens_with_none(built_db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["kinds"] = ""
    at.switch_page(CALENDAR).run()
    assert not at.exception and not at.warning
    assert any("Choose at least one kind" in i.value for i in at.info)
