"""Hardening, second round (issue 22): the real server on loopback, driven over its websocket as an attacker would.

Developer-only messages ignored; oversized widget values refused and not held; a session id is no key to
a sign-in, nor a download id to another session's file; no server path reaches a browser; forwarded
headers trusted only from listed proxies; dot-files under static/ never served.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.exceptions import ConnectionClosed

from app import auth
from core.i18n import t
from etl.build import build
from tests.browser import served
from tests.conftest import ROOT, copy_inputs
from tests.streamlit_ws import Session, browser_cookies, click, http, text_state
from tests.test_server_security import put
from tests.test_targets_page import PASSWORD

SIGNED_IN = "Signed in as the Secretariat"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = copy_inputs(tmp_path_factory.mktemp("hardening") / "data")
    database = folder.parent / "server.duckdb"
    build(folder, database, quiet=True)
    env = {"UNCAT_DATA_DIR": str(folder), "UNCAT_SECRETARIAT_HASH": auth.hash_password(PASSWORD)}
    with served(database, **env) as (url, process):
        yield url, process


def sign_in(session: Session, run, password: str = PASSWORD):
    return session.run(widgets=[text_state(run.widget_id("secretariat_password"), password), click(run.widget_id("sign_in"))])


def signed_in_session(url: str) -> tuple[Session, object, dict]:
    """A browser (its cookies) signed in on the targets page."""
    cookies = browser_cookies(url)
    session = Session(url, cookies=cookies)
    run = sign_in(session, session.run("year=2026", "targets"))
    assert SIGNED_IN in run.text()
    return session, run, cookies


def public_view(run) -> bool:
    text = run.text()
    return SIGNED_IN not in text and "download_detail" not in text and "secretariat_password" in text


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.browser
def test_developer_messages_are_ignored(server):
    # clear_cache drops every shared cache for all users (and the sender's session state); set_run_on_save and
    # load_git_info answer with the server's settings and its git repository. None has any effect.
    url, _ = server
    with Session(url) as session:
        run = session.run("lang=fr", "overview")
        assert t("nav.map", "fr") in run.text()  # the navigation in French
        for kind in ("clear_cache", "set_run_on_save", "load_git_info", "debug_disconnect_websocket", "debug_shutdown_runtime"):
            back = BackMsg()
            setattr(back, kind, True)
            session.send(back)
        run = session.run("lang=en")  # the URL's language is read once per session: French is kept unless the state went
        kinds = [message.WhichOneof("type") for message in run.messages]
        assert "git_info_changed" not in kinds
        assert not any(m.session_status_changed.run_on_save for m in run.messages if m.HasField("session_status_changed"))
        assert t("nav.map", "fr") in run.text() and t("nav.map", "en") not in run.text()


@pytest.mark.browser
def test_an_oversized_widget_value_is_refused_and_not_held(server):
    url, process = server
    value = "x" * (20 << 20)  # 20 MB in a text field, from each of 4 sessions (bounded: 80 MB sent in all)
    sessions = [Session(url) for _ in range(4)]
    try:
        runs = [session.run("year=2026", "targets") for session in sessions]
        before = rss_mib(process.pid)
        refused = 0
        for session, run in zip(sessions, runs, strict=True):
            try:
                session.run(widgets=[text_state(run.widget_id("secretariat_password"), value)])
            except (ConnectionClosed, OSError):  # closed by the server ("message too big"), maybe while still sending
                refused += 1
        assert http("GET", url + "/_stcore/health")[0] == 200  # the server has handled the closed connections
        grown = rss_mib(process.pid) - before
    finally:
        for session in sessions:
            session.close()
    assert refused == 4
    assert grown < 20, f"the server kept {grown:.0f} MiB after 4 oversized values"


@pytest.mark.browser
def test_a_session_id_is_no_key_to_the_sign_in(server):
    url, _ = server
    owner, run, _ = signed_in_session(url)
    upload = owner.upload_urls(["records.csv"])[0]
    with owner:
        # Another browser naming the signed-in session's id while its owner is connected ...
        with Session(url, cookies=browser_cookies(url), resume=owner.session_id) as other:
            seen = other.run("year=2026", "targets")
            assert public_view(seen) and other.session_id != owner.session_id
            assert other.upload_urls(["records.csv"]) == []
        # ... or with no cookie at all
        with Session(url, resume=owner.session_id) as other:
            assert public_view(other.run("year=2026", "targets"))
        # The upload URL (its path names the session: it is in proxy logs) is no key either.
        with Session(url, cookies=browser_cookies(url)) as other:
            assert put(url, upload, other) == (403, "Sign in first.")
        assert put(url, upload, owner)[0] == 204
        # The owner is still signed in, on the same session.
        assert SIGNED_IN in owner.run().text()
        session_id = owner.session_id
    # After the owner's tab dropped (closed above, handshake done): resuming its session from elsewhere shows the
    # public view.
    with Session(url, cookies=browser_cookies(url), resume=session_id) as other:
        assert public_view(other.run("year=2026", "targets"))


@pytest.mark.browser
def test_the_owner_reconnecting_keeps_the_sign_in(server):
    url, _ = server
    owner, _, cookies = signed_in_session(url)
    session_id = owner.session_id
    owner.close()
    with Session(url, cookies=cookies, resume=session_id) as again:
        run = again.run("year=2026", "targets")
        assert again.session_id == session_id and SIGNED_IN in run.text()


@pytest.mark.browser
def test_download_ids_work_only_in_the_session_that_owns_them(server):
    url, _ = server
    owner, run, _ = signed_in_session(url)
    with owner, Session(url, cookies=browser_cookies(url)) as public:
        public.run("year=2026", "targets")
        file_id = run.element("download_detail").deferred_file_id
        address, error = public.deferred_file(file_id)
        assert address == "" and error
        address, error = owner.deferred_file(file_id)  # the owner's still works
        assert address and not error


@pytest.mark.browser
def test_no_server_path_reaches_the_browser(server):
    url, _ = server
    root = str(ROOT)
    with Session(url) as session:
        for page in ("overview", "map", "country", "timeline", "universality", "forum", "targets", "calendar"):
            run = session.run("", page)
            assert root not in run.text(), page
            for message in run.messages:
                if message.WhichOneof("type") == "new_session":
                    assert "/" not in message.new_session.main_script_path
    for path in ("/_stcore/host-config", "/_stcore/health", "/"):
        assert root not in http("GET", url + path)[1], path


@pytest.mark.browser
def test_dot_files_under_static_are_never_served(server):
    url, _ = server
    folder = ROOT / "static" / "map"
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".probe-{secrets.token_hex(4)}.json.tmp-1"
    probe.write_text("{}", encoding="utf-8")
    try:
        assert http("GET", f"{url}/app/static/map/{probe.name}")[0] == 404
        assert http("GET", f"{url}/app/static/icon.png")[0] == 200
    finally:
        probe.unlink()


@pytest.mark.browser
def test_temporary_files_of_a_killed_writer_are_removed_at_start(built_db, tmp_path):
    public = tmp_path / "public"
    public.mkdir()
    left = public / ".activities.csv.tmp-999999999-1"  # no such process (the largest pid is 4,194,304)
    writing = public / f".atom.xml.tmp-{os.getpid()}-1"  # a writer still running
    published = public / "activities.csv"
    for path in (left, writing, published):
        path.write_text("x", encoding="utf-8")
    with served(built_db, UNCAT_PUBLIC_DIR=str(public)):
        assert not left.exists() and writing.exists() and published.exists()


def guesses_from(url: str, addresses: list[str], password: str) -> str:
    """Wrong guesses from each of `addresses` (as X-Forwarded-For), then `password` from another; what it showed."""
    for address in addresses:
        with Session(url, cookies=browser_cookies(url), headers={"X-Forwarded-For": address}) as session:
            sign_in(session, session.run("year=2026", "targets"), "not the password")
    with Session(url, cookies=browser_cookies(url), headers={"X-Forwarded-For": "198.51.100.7"}) as session:
        return sign_in(session, session.run("year=2026", "targets"), password).text()


@pytest.mark.browser
def test_forwarded_headers_count_only_from_listed_proxies(built_db):
    hashed = auth.hash_password(PASSWORD)
    # None listed (the default): a loopback client's X-Forwarded-For is ignored, so changing it gains nothing.
    with served(built_db, UNCAT_SECRETARIAT_HASH=hashed) as (url, _):
        shown = guesses_from(url, [f"203.0.113.{n}" for n in range(auth.FAILURES_PER_ADDRESS)], PASSWORD)
        assert SIGNED_IN not in shown and "sign-in is locked" in shown
    # A listed proxy's header names the client: five failures from one address do not lock another out.
    with served(built_db, UNCAT_SECRETARIAT_HASH=hashed, UNCAT_TRUSTED_PROXIES="127.0.0.1") as (url, _):
        shown = guesses_from(url, ["203.0.113.1"] * auth.FAILURES_PER_ADDRESS, PASSWORD)
        assert SIGNED_IN in shown


@pytest.mark.browser
def test_the_browser_cookie_is_http_only_and_same_site_strict(server, browser):
    url, _ = server
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{url}/targets?lang=en")
        page.get_by_label("Secretariat password", exact=True).wait_for(timeout=90_000)
        cookie = next(c for c in context.cookies() if c["name"] == auth.BROWSER_COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert auth.BROWSER_COOKIE not in page.evaluate("document.cookie")  # no script on the page can read it
        page.get_by_label("Secretariat password", exact=True).fill(PASSWORD)
        page.get_by_label("Secretariat password", exact=True).press("Enter")
        page.get_by_role("button", name="Sign out").wait_for(timeout=60_000)
    finally:
        context.close()


def test_the_browser_token_is_read_beside_any_other_cookie():
    from app.http_guard import browser_token

    token = auth.new_browser_token()
    assert browser_token([(b"cookie", f'a=1; json="{{x,y}}"; {auth.BROWSER_COOKIE}={token}'.encode())]) == token
    assert browser_token([(b"cookie", f"{auth.BROWSER_COOKIE}=not-one-we-set".encode())]) is None
    assert browser_token([]) is None
