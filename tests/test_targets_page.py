"""AppTest of the targets page: public view without confidential states, Secretariat sign-in and uploads."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app import auth
from app import data as app_data
from app import secretariat as secretariat_mode
from app.activity_files import template_csv
from core.i18n import catalogue, languages
from etl.build import build
from tests.apptest import open_page, shown
from tests.conftest import copy_inputs

PASSWORD = "correct horse battery staple"
# AppTest has no browser: the key its cookie would give (app/http_guard.py sets one for each browser).
BROWSER = auth.browser_key("b" * 43)


@pytest.fixture
def payloads(monkeypatch):
    """Every file the page hands to the browser (download buttons), captured as it is registered."""
    captured: list[bytes] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        captured.append(path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes())
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return captured


def open_targets(**params) -> AppTest:
    return open_page("views/targets.py", **params)


def _bytes_text(value: bytes) -> str:
    try:
        return pa.ipc.open_stream(value).read_all().to_pandas().to_csv()
    except (pa.ArrowInvalid, OSError):
        return value.decode("utf-8", errors="replace")


def _proto_text(message, out: list[str]) -> None:
    for field, value in message.ListFields():
        items = value if getattr(field, "is_repeated", False) else [value]
        for item in items:
            if field.type == field.TYPE_MESSAGE:
                _proto_text(item, out)
            elif field.type == field.TYPE_BYTES:
                out.append(_bytes_text(item))
            else:
                out.append(str(item))


def exposed(at: AppTest, payloads: list[bytes]) -> str:
    """Everything AppTest exposes of the page: every element's proto (text, tables, chart specs and data), downloads."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            _proto_text(proto, out)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    out.extend(_bytes_text(payload) for payload in payloads)
    return "\n".join(out)


def confidential_states(db) -> list[str]:
    """Codes and names of the states whose every activity is confidential."""
    rows = db.query(
        """
        select iso3, name_en, name_fr, name_es
        from activities
        join states using (iso3)
        group by all
        having not bool_or(is_public)
        """
    )
    return sorted({v for row in rows.itertuples(index=False) for v in row})


# UI labels that happen to equal a state's ISO code (the "PNG" download button, PNG = Papua New
# Guinea): the state's names are still checked.
UI_WORDS = {value for lang in languages() for value in catalogue(lang).values()}


def leaks(text: str, words: list[str]) -> list[str]:
    return [w for w in words if w not in UI_WORDS and re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]


def test_public_view_shows_totals_and_no_confidential_state(built_db, db, payloads, monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    words = confidential_states(db)
    assert len(words) >= 30  # the sample names many states, none made public
    at = open_targets(year="2021")
    assert at.title[0].value == "Yearly targets"
    assert any("Sample data" in w.value for w in at.warning)
    labels = {m.label: m.value for m in at.metric}
    assert set(labels) == {"States visited", "States advised (remote desk)", "Senior officials"}
    assert not any("Secretariat" in i.value for i in at.info)  # no set-up instructions on the public page (README)
    assert at.get("vega_lite_chart"), "charts are drawn"
    assert payloads, "the totals download was registered"
    text = exposed(at, payloads)
    assert "States visited" in text  # the scan does read the page
    assert leaks(text, words) == []


def test_public_view_in_french_and_every_year(built_db, db, payloads, monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    words = confidential_states(db)
    at = open_targets(lang="fr")
    assert at.title[0].value == "Objectifs annuels"
    for year in at.selectbox(key="year").options:
        at.selectbox(key="year").set_value(int(year)).run()
        assert not at.exception
        assert leaks(exposed(at, payloads), words) == []


def test_year_without_target_says_so(built_db, monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    at = open_targets(year="2024")
    assert any(i.value.startswith("No target is recorded after 2022.") for i in at.info)
    assert all("No target set" in m.value for m in at.markdown if m.value.startswith("**"))


@pytest.fixture
def secretariat(monkeypatch):
    """A configured password, this test's own guess limiter and sign-ins (they are per process), and a browser."""
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD))
    monkeypatch.setattr(auth, "GUESSES", auth.GuessLimiter())
    monkeypatch.setattr(auth, "SIGN_INS", auth.SignIns())
    monkeypatch.setattr(secretariat_mode, "browser", lambda: BROWSER)


def signed_in(at: AppTest) -> bool:
    return auth.SIGN_INS.session_signed_in("test session id", BROWSER)


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="secretariat_password").input(password)
    at.button(key="sign_in").click().run()
    assert not at.exception
    return at


def test_wrong_password_refused_right_one_accepted(built_db, db, secretariat, payloads):
    at = open_targets(year="2021")
    sign_in(at, "not the password")
    assert any("Wrong password" in e.value for e in at.error)
    assert not signed_in(at)
    assert not any("ID" in d.value.columns for d in at.dataframe)
    assert leaks(exposed(at, payloads), confidential_states(db)) == []
    sign_in(at, PASSWORD)
    assert signed_in(at)
    assert any("Signed in" in s.value for s in at.success)
    detail = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert "State" in detail.columns and len(detail) > 0
    # The scan is a real test: signed in, the detail does name confidential states.
    assert leaks(exposed(at, payloads), confidential_states(db))
    at.multiselect(key="detail_kinds").set_value(["remote_advice"]).run()
    assert set(next(d.value for d in at.dataframe if "ID" in d.value.columns)["Kind"]) == {"Remote advice"}


@pytest.fixture
def private_data(tmp_path, monkeypatch):
    """A private data/ folder and database for uploads; the app's cached database points at them."""
    folder = copy_inputs(tmp_path / "data")
    database = tmp_path / "upload.duckdb"
    build(folder, database, quiet=True)
    monkeypatch.setenv("UNCAT_DATA_DIR", str(folder))
    monkeypatch.setenv("UNCAT_DB", str(database))
    app_data.database.clear()
    yield folder, database
    app_data.database.clear()


def digest_folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "activities").iterdir())}


def count_activities(database: Path) -> int:
    # Through the app's own Database: DuckDB shares one instance per path within a process, so a
    # second connection would be served the instance the app still holds.
    db = app_data.database()
    assert db.path == database
    return int(db.query("select count(*) as n from activities").n[0])


def upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="activities_upload").set_value((name, content, mime)).run()
    at.button(key="upload_submit").click().run()
    assert not at.exception
    return at


def test_bad_upload_shows_row_errors_and_changes_nothing(private_data, secretariat):
    folder, database = private_data
    before_files, before_db = digest_folder(folder), hashlib.sha256(database.read_bytes()).hexdigest()
    header = template_csv().decode().splitlines()[0]
    bad = "\n".join(
        [
            header,
            "U-1,2026-03-01,2026-03-02,country_visit,XXK,0,0,Test visit,false,false,test",
            "U-2,2026-03-05,2026-03-04,seminar,,5,20,Test seminar,false,false,test",
            "U-3,2026-03-05,2026-03-05,remote_advice,BRB,0,0,Test advice,true,false,",
        ]
    ).encode()
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "bad.csv", bad)
    assert any("4 problems in bad.csv" in shown(e.value) for e in at.error)  # the file name is escaped: shown as typed
    problems = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    assert list(problems["Row"]) == [2, 3, 4, 4]
    assert set(problems["File"]) == {"bad.csv"}
    assert problems["Reason"].iloc[0].startswith("XXK is not a state code") and problems["Column"].iloc[0] == "iso3"
    assert "end_date is before start_date" in problems["Reason"].iloc[1]
    assert "needs the source where the state made it public" in problems["Reason"].iloc[2]
    assert "a real activity (is_sample false) needs its source" in problems["Reason"].iloc[3]
    assert digest_folder(folder) == before_files
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before_db


def test_good_upload_adds_a_dated_file_and_rebuilds(private_data, secretariat):
    folder, database = private_data
    before_files = digest_folder(folder)
    before_count = count_activities(database)
    header = template_csv().decode().splitlines()[0]
    good = f"{header}\nU-10,2026-03-01,2026-03-02,seminar,,7,30,Test seminar,false,false,test record\n".encode()
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "good.csv", good)
    assert any("1 record added" in s.value for s in at.success), [s.value for s in at.success]
    after = digest_folder(folder)
    new = sorted(set(after) - set(before_files) - {"audit_log.csv"})  # the audit log begins with the first change
    assert len(new) == 1 and re.fullmatch(r"activities_\d{8}T\d{6}(_\d+)?\.csv", new[0])
    assert {k: after[k] for k in before_files} == before_files  # earlier files untouched
    assert count_activities(database) == before_count + 1
    # The page serves the new data: the record shows in the Secretariat detail for 2026.
    at.select_slider(key="detail_years").set_value((2026, 2026)).run()
    detail = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert "U-10" in set(detail["ID"])


def test_an_accepted_upload_rewrites_the_open_data(private_data, secretariat, tmp_path, monkeypatch):
    public = tmp_path / "public"
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(public))
    header = template_csv().decode().splitlines()[0]
    at = sign_in(open_targets(), PASSWORD)  # the app holds the database open, as a server does
    from etl.opendata import publish

    publish(app_data.database().path)
    assert "U-30" not in (public / "activities.csv").read_text(encoding="utf-8")
    made_public = "U-30,2026-03-01,2026-03-02,country_visit,FJI,0,0,Test visit,true,false,https://example.invalid/visit"
    upload(at, "public.csv", f"{header}\n{made_public}\n".encode())
    assert any("1 record added" in s.value for s in at.success)
    assert "U-30" in (public / "activities.csv").read_text(encoding="utf-8")  # the open data, rewritten at once


def test_xlsx_upload_is_stored_as_csv_and_kept(private_data, secretariat):
    import io

    from openpyxl import Workbook

    folder, database = private_data
    before_count = count_activities(database)
    book = Workbook()
    sheet = book.active
    sheet.append(template_csv().decode().splitlines()[0].split(","))
    sheet.append(["U-20", "2026-04-01", "2026-04-01", "workshop", "", 4, 9, "Test workshop", "false", "false", "test record"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "records.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert any("1 record added" in s.value for s in at.success)
    stored = sorted((folder / "activities").glob("activities_2*"))
    assert {p.suffix for p in stored} == {".csv", ".xlsx"}
    assert count_activities(database) == before_count + 1


def test_hash_command(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "app.auth", "hash", "--password-stdin"],
        input=PASSWORD + "\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    stored = done.stdout.strip()
    assert stored.startswith("scrypt$")
    assert auth.verify_password(PASSWORD, stored)
    assert not auth.verify_password(PASSWORD + "x", stored)
    assert not auth.verify_password(PASSWORD, "scrypt$zz$00")


def test_templates_are_valid_uploads(tmp_path):
    from app.activity_files import template_xlsx, xlsx_to_csv
    from etl.build import validate_activities

    folder = copy_inputs(tmp_path / "data")
    assert list(csv.reader(io.StringIO(xlsx_to_csv(template_xlsx()).decode()))) == list(
        csv.reader(io.StringIO(template_csv().decode()))
    )
    path = tmp_path / "template.csv"
    path.write_bytes(template_csv())
    assert validate_activities(folder, path, "template.csv") == []
    lines = template_csv().decode().splitlines()
    assert len(lines) == 2 and "Example" in lines[1] and lines[1].split(",")[9] == "true"  # flagged as sample
