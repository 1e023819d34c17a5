"""Checks of an upload in the user's words (issue 26 rows 3 and 11): likely duplicates before storing, plainer reasons."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from app import activity_files, audit
from app import data as app_data
from app.db import connect_read_only
from tests.test_targets_page import PASSWORD, digest_folder, open_targets, private_data, secretariat, sign_in  # noqa: F401 - fixtures


def _stored_record(database: Path, state: bool) -> dict:
    with connect_read_only(database) as con:
        frame = con.execute("select * from activities where (iso3 is not null) = ? order by activity_id limit 1", [state]).df()
    return frame.iloc[0].to_dict()


def _upload_row(record: dict, activity_id: str, **changes) -> bytes:
    from app.activity_files import TEMPLATE_COLUMNS

    values = {
        "activity_id": activity_id,
        "start_date": record["start_date"].strftime("%Y-%m-%d"),
        "end_date": record["end_date"].strftime("%Y-%m-%d"),
        "kind": record["kind"],
        "iso3": record["iso3"] or "",
        "senior_officials": str(record["senior_officials"]),
        "participants": str(record["participants"]),
        "title": record["title"],
        "is_public": "false",
        "is_sample": "true",
        "source": "test upload",
        **changes,
    }
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([TEMPLATE_COLUMNS, [values[c] for c in TEMPLATE_COLUMNS]])
    return buffer.getvalue().encode()


def test_likely_duplicates_are_found_by_state_kind_and_date_or_by_title_and_date(private_data):  # noqa: F811
    _, database = private_data
    visit, seminar = _stored_record(database, True), _stored_record(database, False)
    same_visit = activity_files.likely_duplicates(_upload_row(visit, "NEW-1", title="Another title"), database)
    assert [(d.line, d.activity_id, d.recorded_id, d.why) for d in same_visit] == [
        (2, "NEW-1", visit["activity_id"], "state_kind_date")
    ]
    shouted = _upload_row(seminar, "NEW-2", title=f"  {seminar['title'].upper()} ")
    same_seminar = activity_files.likely_duplicates(shouted, database)
    assert [(d.recorded_id, d.why) for d in same_seminar] == [(seminar["activity_id"], "title_date")]
    other_day = (visit["start_date"] + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert activity_files.likely_duplicates(_upload_row(visit, "NEW-3", title="Other", start_date=other_day), database) == []


def test_a_likely_duplicate_is_shown_before_anything_is_stored_and_added_only_anyway(private_data, secretariat):  # noqa: F811
    from tests.test_targets_page import digest_folder, upload

    folder, database = private_data
    seminar = _stored_record(database, False)
    content = _upload_row(seminar, "NEW-SEMINAR")
    before = digest_folder(folder)
    at = open_targets(year=str(seminar["start_date"].year))
    sign_in(at, PASSWORD)
    upload(at, "again.csv", content)
    assert any("Nothing added yet: 1 record looks like one already stored" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Stored record like it" in d.value.columns)
    assert list(table["Stored record like it"]) == [seminar["activity_id"]]
    assert list(table["Alike in"]) == ["title and start date"]
    assert digest_folder(folder) == before  # nothing stored
    at.button(key="upload_anyway").click().run()
    assert not at.exception
    added = set(digest_folder(folder)) - set(before)
    assert any(name.startswith("activities_") for name in added)
    assert any("1 record added" in s.value.replace("\\", "") for s in at.success)
    assert "added anyway" in audit.read(folder)[0]["changed"]
    assert not at.get("warning") or not any("Nothing added yet" in w.value for w in at.warning)
    app_data.database.clear()


@pytest.mark.parametrize(
    ("lang", "day", "code", "name"),
    [
        ("en", "30 February 2026 does not exist", "HIT is not a state code: did you mean HTI (Haiti)?", "MYS (Malaysia)"),
        (
            "fr",
            "Le 30 février 2026 n'existe pas",
            "HIT n'est pas un code d'État\u00a0: vouliez-vous dire HTI (Haïti)\u00a0?",
            "MYS (Malaisie)",
        ),
        ("es", "El 30 de febrero de 2026 no existe", "HIT no es un código de Estado: ¿quiso decir HTI (Haití)?", "MYS (Malasia)"),
    ],
)
def test_upload_problems_in_the_users_words(lang, day, code, name):
    from app import data
    from app.upload_messages import friendly_reason

    names = {language: data.state_names(language) for language in ("en", "fr", "es")}
    date_reason = "not a date in the form YYYY-MM-DD"
    assert friendly_reason("start_date", "2026-02-30", date_reason, names, lang) == day
    assert friendly_reason("end_date", "2026-13-01", date_reason, names, lang) == date_reason  # no plainer words
    code_reason = "unknown ISO code (not in states.csv)"
    assert friendly_reason("iso3", "HIT", code_reason, names, lang) == code
    assert name in friendly_reason("iso3", "Malaysia", code_reason, names, lang)
    assert "MYS" in friendly_reason("iso3", "mys", code_reason, names, lang)
    assert friendly_reason("iso3", "XXK", code_reason, names, lang).startswith("XXK ")  # no guess when none stands out


def test_the_upload_lists_the_friendlier_messages(private_data, secretariat):  # noqa: F811
    from app.activity_files import TEMPLATE_COLUMNS
    from tests.test_targets_page import upload

    bad = "\n".join(
        [
            ",".join(TEMPLATE_COLUMNS),
            "U-1,2026-02-30,2026-03-02,seminar,,5,20,Test seminar,false,true,test",
            "U-2,2026-03-01,2026-03-02,country_visit,HIT,0,0,Test visit,false,true,test",
        ]
    ).encode()
    at = open_targets()
    sign_in(at, PASSWORD)
    upload(at, "bad.csv", bad)
    problems = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    reasons = dict(zip(problems["Column"], problems["Reason"], strict=False))
    assert reasons["start_date"] == "30 February 2026 does not exist"
    assert reasons["iso3"] == "HIT is not a state code: did you mean HTI (Haiti)?"


def test_the_detail_download_corrected_and_uploaded_back_replaces_the_records(private_data, secretariat, downloads):  # noqa: F811
    """Issue 26 row 9: CSV with a BOM and XLSX, in the template's columns; download, correct, upload back."""
    from openpyxl import load_workbook

    from tests.test_targets_page import upload

    folder, database = private_data
    at = open_targets(year="2021")
    sign_in(at, PASSWORD)
    at.select_slider(key="detail_years").set_value((2021, 2021)).run()
    raw = downloads["cti-activities-2021-2021.csv"]()
    assert raw.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == activity_files.EXPORT_COLUMNS
    assert list(rows[0])[: len(activity_files.TEMPLATE_COLUMNS)] == activity_files.TEMPLATE_COLUMNS
    sheet = load_workbook(io.BytesIO(downloads["cti-activities-2021-2021.xlsx"]())).active
    from_xlsx = [[cell.value or "" for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert from_xlsx == [[row[c] for c in activity_files.EXPORT_COLUMNS] for row in rows]
    with connect_read_only(database) as con:
        before = con.execute("select * exclude (record_file) from activities order by activity_id").df()

    # Correct one figure and upload the download back as corrections.
    rows[0]["participants"] = str(int(rows[0]["participants"]) + 1)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, activity_files.EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    at.radio(key="upload_mode").set_value("corrections").run()
    upload(at, "corrected.csv", "\ufeff".encode() + buffer.getvalue().encode())
    assert not at.error, [e.value for e in at.error]
    with connect_read_only(database) as con:
        after = con.execute("select * exclude (record_file) from activities order by activity_id").df()
    changed = after.participants != before.participants
    assert list(after.activity_id[changed]) == [rows[0]["activity_id"]]
    pd.testing.assert_frame_equal(after.drop(columns="participants"), before.drop(columns="participants"))
    app_data.database.clear()


def test_the_templates_example_row_is_never_stored(private_data):  # noqa: F811
    """Issue 26 row 8: the template uploaded unchanged adds nothing."""
    from app.activity_files import add_activities, template_csv, template_xlsx

    folder, database = private_data
    before = sorted(p.name for p in (folder / "activities").iterdir())
    for name, content in (("activities_template.csv", template_csv()), ("activities_template.xlsx", template_xlsx())):
        result = add_activities(name, content, folder=folder, database=database, add_anyway=True)
        assert not result.ok
        assert [(p.line, p.column, p.reason) for p in result.problems] == [
            (2, "title", "the template's example row: replace it with a real activity or delete it")
        ]
    assert sorted(p.name for p in (folder / "activities").iterdir()) == before


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_xlsx_template_has_instructions_drop_downs_and_frozen_headers(built_db, lang):
    """Issue 26 row 8: an instructions sheet, drop-downs (kinds, true/false, ISO3 with names), frozen headers."""
    from openpyxl import load_workbook

    from app.activity_files import TEMPLATE_COLUMNS, template_csv, xlsx_to_csv
    from core.i18n import t

    content = app_data.template_xlsx(lang)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["activities", "instructions", "lists"]  # the sheet to fill stays the first
    sheet = book["activities"]
    assert sheet.freeze_panes == "A2"
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    column = {c: chr(ord("A") + TEMPLATE_COLUMNS.index(c)) for c in ("kind", "is_public", "is_sample", "iso3")}
    assert set(rules) == {f"{letter}2" for letter in column.values()}
    lists = book["lists"]
    values = {lists.cell(1, n).value: [lists.cell(r, n).value for r in range(2, lists.max_row + 1)] for n in (1, 3, 5, 7)}
    assert [v for v in values["kind"] if v] == sorted(
        ["country_visit", "study_visit", "remote_advice", "seminar", "workshop", "conference", "forum"]
    )
    assert [v for v in values["is_public"] if v] == ["true", "false"]
    codes = [v for v in values["iso3"] if v]
    haiti = codes.index("HTI") + 2
    assert lists.cell(haiti, 8).value == app_data.state_names(lang)["HTI"]
    assert rules[f"{column['iso3']}2"] == f"lists!$G$2:$G${len(codes) + 1}"
    assert book["instructions"]["A1"].value == t("template.title", lang)
    assert list(csv.reader(io.StringIO(xlsx_to_csv(content).decode()))) == list(csv.reader(io.StringIO(template_csv().decode())))


def test_a_records_note_is_shown_in_the_detail_and_exported(built_db, secretariat, downloads):  # noqa: F811
    """Issue 26 row 8: the `note` an upload may carry is shown again, signed in, and is in both detail downloads."""
    from openpyxl import load_workbook

    with connect_read_only(built_db) as con:
        activity_id, year, note = con.execute(
            "select activity_id, year(start_date), note from activities where note <> '' order by start_date limit 1"
        ).fetchone()
    at = open_targets(year=str(year))
    sign_in(at, PASSWORD)
    at.select_slider(key="detail_years").set_value((year, year)).run()
    detail = next(d.value for d in at.dataframe if "ID" in d.value.columns).set_index("ID")
    assert detail.loc[activity_id, "Note"] == note
    exported = csv.DictReader(io.StringIO(downloads[f"cti-activities-{year}-{year}.csv"]().decode("utf-8-sig")))
    assert {row["activity_id"]: row["note"] for row in exported}[activity_id] == note
    sheet = load_workbook(io.BytesIO(downloads[f"cti-activities-{year}-{year}.xlsx"]())).active
    header = [c.value for c in sheet[1]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[activity_id][header.index("note")] == note
    app_data.database.clear()


@pytest.mark.parametrize(
    ("lang", "today", "earlier", "shipped"),
    [
        ("en", "already added today at 10:01 (25 records)", "already added on 3 December 2026 at 10:01 (1 record)", "shipped"),
        ("fr", "déjà ajouté aujourd'hui à 10:01 (25 enregistrements)", "déjà ajouté le 3 décembre 2026 à 10:01", "fourni avec"),
        ("es", "ya añadido hoy a las 10:01 (25 registros)", "ya añadido el 3 de diciembre de 2026 a las 10:01", "incluido con"),
    ],
)
def test_an_id_added_before_is_named_by_its_upload_not_a_server_path(lang, today, earlier, shipped):
    """Issue 26 row 11: a file uploaded again names the earlier upload in the user's words."""
    from datetime import date, datetime

    from app.upload_messages import friendly_reason

    uploads = {
        "activities_20261206T100112.csv": (datetime(2026, 12, 6, 10, 1, 12), 25),
        "activities_20261203T100100.csv": (datetime(2026, 12, 3, 10, 1), 1),
        "activities_sample.csv": (None, 111),
    }

    def reason(path: str) -> str:
        etl_reason = f"duplicate activity_id (already recorded in {path})"
        return friendly_reason("activity_id", "U-1", etl_reason, {}, lang, uploads, date(2026, 12, 6))

    assert reason("/srv/uncat/data/activities/activities_20261206T100112.csv") == today
    assert reason("data/activities/activities_20261203T100100.csv").startswith(earlier)
    on_file = reason("/srv/uncat/data/activities/activities_sample.csv")
    assert "activities_sample.csv" in on_file and shipped in on_file and "/srv" not in on_file


def test_likely_duplicates_are_found_between_rows_of_one_file(tmp_path):
    """Issue 26 rows 3 and 5: two rows of one upload alike (state, kind and date, or title and date), with no stored
    record to compare with, are shown as such."""
    from app.activity_files import TEMPLATE_COLUMNS

    rows = [
        "N-1,2026-03-02,2026-03-03,country_visit,HTI,0,0,Visit,false,true,test",
        "N-2,2026-03-02,2026-03-02,country_visit,HTI,0,0,Another title,false,true,test",  # state, kind, date as row 2
        "N-3,2026-04-01,2026-04-01,seminar,,5,20,Regional seminar,false,true,test",
        "N-4,2026-04-01,2026-04-02,workshop,,5,20,  REGIONAL SEMINAR ,false,true,test",  # title and date as row 4
        "N-5,2026-04-02,2026-04-02,seminar,,5,20,Regional seminar,false,true,test",  # another day: not alike
    ]
    text = "\n".join([",".join(TEMPLATE_COLUMNS), *rows]).encode()
    found = activity_files.likely_duplicates(text, tmp_path / "none.duckdb")
    assert [(d.line, d.activity_id, d.recorded_id, d.earlier_line, d.why) for d in found] == [
        (3, "N-2", "N-1", 2, "state_kind_date"),
        (5, "N-4", "N-3", 4, "title_date"),
    ]


def test_a_file_with_rows_alike_is_held_then_added_anyway_says_what_moved_and_is_refused_again_by_its_upload(
    private_data,  # noqa: F811
    secretariat,  # noqa: F811
):
    """Issue 26 rows 5, 7 and 11 in one upload: rows alike within the file are shown before storing ("Add anyway");
    the message says what moved and stays until dismissed; the same file again is refused naming the upload."""
    import re
    from datetime import date

    from app import queries
    from app.activity_files import TEMPLATE_COLUMNS
    from tests.apptest import shown
    from tests.test_targets_page import upload

    folder, database = private_data
    rows = [
        "W-1,2026-03-02,2026-03-02,seminar,,4,20,Regional seminar W,false,true,test",
        "W-2,2026-03-02,2026-03-03,workshop,,3,20,Regional seminar W,false,true,test",
    ]
    content = "\n".join([",".join(TEMPLATE_COLUMNS), *rows]).encode()
    officials = queries.totals_to_date(app_data.database(), 2026, 2026, date.today()).set_index("metric").actual
    before = int(officials["senior_officials"])
    at = open_targets(year="2026")
    sign_in(at, PASSWORD)
    upload(at, "twice.csv", content)
    assert any("1 record looks like one already stored or an earlier row of this file" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Where it is" in d.value.columns)
    assert list(table["Where it is"]) == ["this file, row 2"] and list(table["Stored record like it"]) == ["W-1"]
    files = digest_folder(folder)
    at.button(key="upload_anyway").click().run()
    assert not at.exception
    message = next(shown(s.value) for s in at.success if "2 records added" in shown(s.value))
    assert "Records changed: years 2026; kinds: seminar and workshop; states: 0." in message
    assert f"Figures to today: 2026: Senior officials {before} → {before + 7}." in message
    at.run()  # the message stays until dismissed
    assert any("Figures to today" in s.value for s in at.success)
    at.button(key="dismiss_result").click().run()
    assert not any("Figures to today" in s.value for s in at.success)

    stored = digest_folder(folder)
    added = sorted(set(stored) - set(files) - {"audit_log.csv"})
    stamp = re.search(r"T(\d\d)(\d\d)", added[0])
    upload(at, "twice again.csv", content)
    reasons = next(d.value for d in at.dataframe if "Reason" in d.value.columns)["Reason"]
    assert list(reasons) == [f"already added today at {stamp[1]}:{stamp[2]} (2 records)"] * 2
    assert digest_folder(folder) == stored  # nothing stored again
    app_data.database.clear()
