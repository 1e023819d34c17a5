"""Secretariat sign-in: guesses limited per server (per address and overall), lockout messages, expiry, sign-out."""

from __future__ import annotations

import pytest

from app import auth, secretariat
from tests.test_targets_page import BROWSER, PASSWORD, open_targets, sign_in, signed_in


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_at_most_ten_guesses_a_minute_from_all_addresses_together():
    clock = Clock()
    limiter = auth.GuessLimiter(clock=clock)
    granted = []
    for n in range(16):  # 16 sessions from 16 addresses, one guess each, within the same second
        granted.append(limiter.reserve(f"10.0.0.{n}") is None)
    assert granted.count(True) == auth.GUESSES_PER_MINUTE == 10
    refusal = limiter.reserve("10.0.1.1")
    assert refusal.reason == "server" and 59 <= refusal.seconds <= 60
    clock.now += 59
    assert limiter.reserve("10.0.1.1").reason == "server"
    clock.now += 1.5
    assert limiter.reserve("10.0.1.1") is None  # a minute on, guesses are possible again


def test_one_address_is_locked_out_after_five_failures_in_fifteen_minutes():
    clock = Clock()
    limiter = auth.GuessLimiter(clock=clock)
    for _ in range(auth.FAILURES_PER_ADDRESS):
        assert limiter.reserve("192.0.2.7") is None  # a wrong password
        clock.now += 61  # slow enough for the per-minute limit
    refusal = limiter.reserve("192.0.2.7")
    assert refusal.reason == "address"
    assert refusal.seconds <= auth.ADDRESS_WINDOW_SECONDS
    assert limiter.reserve("192.0.2.8") is None  # another address is not locked
    clock.now += refusal.seconds
    assert limiter.reserve("192.0.2.7") is None  # the oldest failure has left the window


def test_a_success_clears_the_address_failures():
    limiter = auth.GuessLimiter(clock=Clock())
    for _ in range(auth.FAILURES_PER_ADDRESS - 1):
        limiter.reserve("a")  # wrong passwords
    limiter.reserve("a")
    limiter.succeeded("a")  # the right one
    for _ in range(auth.FAILURES_PER_ADDRESS - 1):
        limiter.reserve("a")
    assert limiter.reserve("a") is None


def test_sign_in_ends_after_thirty_idle_minutes_and_eight_hours_at_most():
    clock = Clock()
    sign_ins = auth.SignIns(clock=clock)
    sign_ins.start("browser-1", "session-1")
    assert sign_ins.check("browser-1", "session-1") == "active" and sign_ins.session_signed_in("session-1", "browser-1")
    clock.now += 29 * 60
    assert sign_ins.check("browser-1", "session-1") == "active"  # activity: the idle clock restarts
    clock.now += 30 * 60
    assert sign_ins.check("browser-1", "session-1") == "idle"
    assert sign_ins.check("browser-1", "session-1") == "none" and not sign_ins.session_signed_in("session-1", "browser-1")

    sign_ins.start("browser-1", "session-1")
    for _ in range(8 * 3):  # active every 20 minutes for 8 hours
        clock.now += 20 * 60
        state = sign_ins.check("browser-1", "session-1")
    assert state == "longest"
    assert not sign_ins.session_signed_in("session-1", "browser-1")


def test_a_sign_in_belongs_to_its_browser_and_a_reload_keeps_it():
    clock = Clock()
    sign_ins = auth.SignIns(clock=clock)
    sign_ins.start("browser-1", "session-1", "amina")
    assert sign_ins.check("browser-2", "session-1") == "none"  # another browser naming the session
    assert sign_ins.check(None, "session-1") == "none"  # no cookie at all
    assert not sign_ins.session_signed_in("session-1", "browser-2")
    assert sign_ins.check("browser-1", "session-1") == "active"
    # A reload (a new session of the same browser) within the idle limit keeps the sign-in (issue 26, row 7).
    clock.now += auth.IDLE_SECONDS - 60
    assert sign_ins.check("browser-1", "session-2") == "active"
    assert sign_ins.account("browser-1") == "amina"
    assert sign_ins.check("browser-1", "session-1") == sign_ins.check("browser-1", "session-2") == "active"
    assert sign_ins.signed_in_sessions() == {"session-1", "session-2"}
    clock.now += auth.IDLE_SECONDS  # past the idle limit: a reload is not signed in
    assert sign_ins.check("browser-1", "session-3") == "none"
    assert sign_ins.check("browser-1", "session-1") == "idle"


def test_named_accounts_each_their_hash_and_a_lockout_per_account(monkeypatch):
    monkeypatch.setenv(
        auth.ACCOUNTS_ENV_VAR, f"amina={auth.hash_password('amina password 1')},jo={auth.hash_password('jo password 22')}"
    )
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    accounts = auth.configured_accounts()
    assert set(accounts) == {"amina", "jo"} and accounts["amina"] != accounts["jo"]
    assert auth.verify_account("amina", "amina password 1", accounts)
    assert not auth.verify_account("amina", "jo password 22", accounts)  # another account's password
    assert not auth.verify_account("nobody", "amina password 1", accounts)
    limiter = auth.GuessLimiter(per_minute=100, clock=Clock())
    for n in range(auth.FAILURES_PER_ADDRESS):  # wrong guesses at one account from five addresses
        assert limiter.reserve(f"10.0.0.{n}", "amina") is None
    refusal = limiter.reserve("10.0.0.99", "amina")
    assert refusal is not None and refusal.reason == "account"
    assert limiter.reserve("10.0.0.99", "jo") is None  # the other account and that address are not locked


def test_sign_out_and_ended_sessions_end_the_sign_in():
    sign_ins = auth.SignIns(clock=Clock())
    sign_ins.start("browser-1", "s1")
    sign_ins.start("browser-1", "s3")
    sign_ins.start("browser-2", "s2")
    assert sign_ins.end("browser-1") == {"s1", "s3"}  # sign-out: every tab of the browser
    assert sign_ins.check("browser-1", "s1") == "none"
    assert sign_ins.end_where(lambda session_id: session_id == "s2") == {"s2"}
    assert sign_ins.check("browser-2", "s2") == "none"


def test_a_sign_in_the_sweeper_ended_still_says_why():
    # The sweeper (every 30 s) ends expired sign-ins; the page's next run must still say why.
    clock = Clock()
    sign_ins = auth.SignIns(clock=clock)
    sign_ins.start("browser-1", "s1")
    clock.now += 31 * 60
    assert sign_ins.end_where(lambda session_id: False) == {"s1"}
    assert sign_ins.check("browser-1", "s1") == "idle"
    assert sign_ins.check("browser-1", "s1") == "none"  # said once


@pytest.fixture
def secretariat_clock(monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD))
    clock = Clock()
    monkeypatch.setattr(auth, "GUESSES", auth.GuessLimiter(clock=clock))
    monkeypatch.setattr(auth, "SIGN_INS", auth.SignIns(clock=clock))
    monkeypatch.setattr(secretariat, "browser", lambda: BROWSER)
    return clock


def test_sessions_share_the_guesses_of_their_address(built_db, secretariat_clock):
    # Before: the back-off was per session, so each new session had fresh guesses.
    sessions = [open_targets() for _ in range(auth.FAILURES_PER_ADDRESS + 1)]
    for at in sessions[:-1]:
        sign_in(at, "not the password")
        assert any("Wrong password" in e.value for e in at.error)
    last = sign_in(sessions[-1], PASSWORD)  # even the right password: the address is locked out
    assert not signed_in(last)
    assert any("sign-in is locked for 15 min" in e.value for e in last.error), [e.value for e in last.error]


def test_sessions_from_many_addresses_share_ten_guesses_a_minute(built_db, secretariat_clock, monkeypatch):
    addresses = iter(f"198.51.100.{n}" for n in range(100))
    monkeypatch.setattr(secretariat, "client_address", lambda: next(addresses))
    refused = 0
    for _ in range(12):
        at = sign_in(open_targets(), "not the password")
        refused += any("paused for everyone" in e.value for e in at.error)
    assert refused == 12 - auth.GUESSES_PER_MINUTE
    secretariat_clock.now += 61
    assert signed_in(sign_in(open_targets(), PASSWORD))


def test_page_signs_out_after_inactivity(built_db, secretariat_clock):
    at = sign_in(open_targets(), PASSWORD)
    assert signed_in(at)
    secretariat_clock.now += 31 * 60
    at.run()
    assert not at.exception
    assert not signed_in(at)
    assert any("signed out after 30 minutes without activity" in i.value for i in at.info)
    assert not any("ID" in d.value.columns for d in at.dataframe)  # no detail left on the page
    assert auth.SIGN_INS.check(BROWSER, "test session id") == "none"


def test_page_says_why_after_the_sweeper_ended_the_sign_in(built_db, secretariat_clock):
    from unittest.mock import MagicMock

    from app import guard

    runtime = MagicMock()  # the server, whose sweeper sees the session still open
    runtime.is_active_session.return_value = True
    at = sign_in(open_targets(), PASSWORD)
    secretariat_clock.now += 31 * 60
    guard.sweep(runtime)  # before the fix, the sweep ended the sign-in silently
    at.run()
    assert not signed_in(at)
    assert any("signed out after 30 minutes without activity" in i.value for i in at.info)


def test_page_signs_out_after_eight_hours_even_when_active(built_db, secretariat_clock):
    at = sign_in(open_targets(), PASSWORD)
    for _ in range(8 * 3):
        secretariat_clock.now += 20 * 60
        at.run()
    assert not signed_in(at)
    assert any("a sign-in lasts 8 hours at most" in i.value for i in at.info)


def test_sign_out_ends_the_sign_in_on_the_server(built_db, secretariat_clock):
    at = sign_in(open_targets(), PASSWORD)
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert auth.SIGN_INS.check(BROWSER, "test session id") == "none"
    at.run()
    assert not any("ID" in d.value.columns for d in at.dataframe)
    assert at.text_input(key="secretariat_password")


def test_no_sign_in_without_the_browser_cookie(built_db, secretariat_clock, monkeypatch):
    monkeypatch.setattr(secretariat, "browser", lambda: None)
    at = sign_in(open_targets(), PASSWORD)
    assert not signed_in(at)
    assert any("allow cookies for this site" in e.value for e in at.error)
