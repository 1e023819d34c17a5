"""The real server on loopback, driven over its websocket as a browser (or an attacker) would.

Uploads refused to sessions that are not signed in; a confidential download gone at sign-out;
parallel sessions sharing one guess budget; no traceback in what the browser receives; Markdown
in the data shown as text, with no request leaving the server.
"""

from __future__ import annotations

import csv
import shutil
import threading

import pytest
from playwright.sync_api import expect

from app import auth
from etl.build import build
from tests.browser import quiet_network, streamlit_server
from tests.conftest import DATA, copy_inputs
from tests.streamlit_ws import Session, browser_cookies, click, http, text_state, xsrf_headers
from tests.test_targets_page import PASSWORD

MULTIPART = {"Content-Type": "multipart/form-data; boundary=b"}
UPLOAD_BODY = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nx\r\n--b--\r\n'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = copy_inputs(tmp_path_factory.mktemp("server") / "data")
    database = folder.parent / "server.duckdb"
    build(folder, database, quiet=True)
    with streamlit_server(database, UNCAT_DATA_DIR=str(folder), UNCAT_SECRETARIAT_HASH=auth.hash_password(PASSWORD)) as url:
        yield url


def targets(url: str) -> tuple[Session, object]:
    """A new browser (with the cookies the server sets for it) on the targets page."""
    session = Session(url, cookies=browser_cookies(url))
    return session, session.run("year=2026", "targets")


def signed_in_session(url: str):
    session, run = targets(url)
    run = session.run(widgets=[text_state(run.widget_id("secretariat_password"), PASSWORD), click(run.widget_id("sign_in"))])
    assert "Signed in as the Secretariat" in run.text()
    return session, run


def put(server: str, path: str, session: Session | None = None) -> tuple[int, str]:
    """An upload PUT the way the browser sends it (with the XSRF cookie and header, and the session's browser cookie)."""
    headers = xsrf_headers(server)
    if session is not None and auth.BROWSER_COOKIE in session.cookies:
        headers["Cookie"] += f"; {auth.BROWSER_COOKIE}={session.cookies[auth.BROWSER_COOKIE]}"
    return http("PUT", server + path, UPLOAD_BODY, {**MULTIPART, **headers})


@pytest.mark.browser
def test_a_session_not_signed_in_cannot_park_bytes_on_the_server(server):
    session, _ = targets(server)
    with session:
        assert session.upload_urls(["records.csv"]) == []  # no URL handed out
        forged = f"/_stcore/upload_file/{session.session_id}/made-up-id"
        assert put(server, forged, session) == (403, "Sign in first.")  # and bytes PUT anyway are refused, not stored


@pytest.mark.browser
def test_a_signed_in_session_may_upload_until_it_signs_out(server):
    session, run = signed_in_session(server)
    with session:
        urls = session.upload_urls(["records.csv"])
        assert len(urls) == 1
        assert put(server, urls[0], session)[0] == 204
        session.run(widgets=[click(run.widget_id("sign_out"))])
        assert session.upload_urls(["records.csv"]) == []
        assert put(server, urls[0], session) == (403, "Sign in first.")


@pytest.mark.browser
def test_the_confidential_download_is_built_on_request_and_gone_at_sign_out(server):
    session, run = signed_in_session(server)
    with session:
        button = run.element("download_detail")
        assert button.deferred_file_id and not button.url  # nothing built before the button is pressed
        url, error = session.deferred_file(button.deferred_file_id)
        assert error == "" and url
        assert http("GET", server + url)[0] == 200  # the browser fetches it (no cookie needed)...
        session.run(widgets=[click(run.widget_id("sign_out"))])
        assert http("GET", server + url)[0] == 404  # ... and at sign-out it is gone
        url, error = session.deferred_file(button.deferred_file_id)
        assert url == "" and error  # the old button cannot build it again


@pytest.mark.browser
def test_parallel_sessions_share_one_guess_budget(server):
    # The attack: 16 parallel sessions guessing. Bounded: 16 sessions, 3 guesses each.
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess():
        session, run = targets(server)
        with session:
            for n in range(3):
                field, button = run.widget_id("secretariat_password"), run.widget_id("sign_in")
                run = session.run(widgets=[text_state(field, f"wrong guess {n}"), click(button)])
                text = run.text()
                with lock:
                    outcomes.append("checked" if "Wrong password" in text else "refused" if "sign-in is" in text else "?")

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert len(outcomes) == 48 and "?" not in outcomes
    assert outcomes.count("checked") <= auth.GUESSES_PER_MINUTE
    # All from one address (loopback): locked out after its failures, for everyone on it.
    assert outcomes.count("checked") == auth.FAILURES_PER_ADDRESS


@pytest.mark.browser
def test_no_traceback_reaches_the_browser(server):
    # A forged widget value (an option index that does not exist) makes the script raise.
    session, run = targets(server)
    with session:
        forged = run.widget_id("year")
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=forged)
        state.int_value = 999
        run = session.run(widgets=[state])
        exceptions = [e.exception for e in run.elements() if e.WhichOneof("type") == "exception"]
        assert exceptions, "the forged value no longer raises: find another way to make the script fail"
        for exception in exceptions:
            assert not exception.stack_trace and not exception.type
            assert "redacted" in exception.message
        text = run.text()
        assert "Traceback" not in text and 'File "' not in text and "Error:" not in text


@pytest.fixture(scope="module")
def markdown_server(tmp_path_factory):
    """Data whose names hold Markdown: a link, a remote image, a heading."""
    folder = copy_inputs(tmp_path_factory.mktemp("markdown") / "data")
    shutil.copytree(DATA / "geo", folder / "geo")
    states = list(csv.DictReader((folder / "states.csv").open(encoding="utf-8", newline="")))
    for row in states:
        if row["iso3"] == "FJI":
            row["name_en"] = "Fiji ![pixel](http://tracker.invalid/p.png) [click](http://tracker.invalid/) www.tracker.invalid"
    with (folder / "states.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(states[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(states)
    database = folder.parent / "markdown.duckdb"
    build(folder, database, quiet=True)
    with streamlit_server(database, UNCAT_DATA_DIR=str(folder)) as url:
        yield url


@pytest.mark.browser
def test_markdown_in_the_data_is_shown_as_text(markdown_server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{markdown_server}/map?state=FJI")
    panel = page.get_by_test_id("stMarkdown").filter(has_text="![pixel](http")
    expect(panel.first).to_be_visible(timeout=60_000)
    expect(panel.first).to_contain_text("[click](http")  # as typed (an invisible joiner keeps URLs unlinked)
    expect(panel.first.locator("a, img")).to_have_count(0)
    quiet_network(page, requests)  # an image the page would load has been asked for by then
    page.close()
    assert not [url for url in requests if "tracker.invalid" in url]


def test_sessions_that_ended_lose_their_sign_in_files_and_uploads(monkeypatch):
    """What the sweeper does every half minute: a tab closed while signed in leaves nothing readable behind."""
    from collections import defaultdict

    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    from app import guard

    storage = MemoryMediaFileStorage("/media")
    uploads = MemoryUploadedFileManager("/upload")

    class Runtime:
        media_file_mgr = MediaFileManager(storage)
        uploaded_file_mgr = uploads

        def is_active_session(self, session_id):
            return session_id == "open tab"

    sign_ins = auth.SignIns()
    monkeypatch.setattr(auth, "SIGN_INS", sign_ins)
    monkeypatch.setattr(guard, "_private_files", defaultdict(set))
    sign_ins.start("browser 1", "closed tab")
    sign_ins.start("browser 2", "open tab")
    files = {}
    for session_id in ("closed tab", "open tab"):
        files[session_id] = storage.load_and_get_id(session_id.encode(), "text/csv", MediaFileKind.DOWNLOADABLE, "records.csv")
        guard._private_files[session_id].add(files[session_id])
        uploads.add_file(session_id, UploadedFileRec(file_id="u1", name="records.csv", type="text/csv", data=b"x" * 1000))
    guard.sweep(Runtime())
    assert sign_ins.check("browser 1", "closed tab") == "none" and sign_ins.check("browser 2", "open tab") == "active"
    assert uploads.get_files("closed tab", ["u1"]) == [] and len(uploads.get_files("open tab", ["u1"])) == 1
    assert storage.get_file(files["open tab"]).content == b"open tab"
    with pytest.raises(MediaFileStorageError):
        storage.get_file(files["closed tab"])
