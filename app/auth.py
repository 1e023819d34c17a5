"""Secretariat sign-in: salted scrypt hashes, guesses limited per server, expiring sign-ins, `python -m app.auth hash`.

A hash string is "scrypt$<salt hex>$<hash hex>", scrypt with n=2**14, r=8, p=1, a 16-byte random
salt and a 32-byte key. It is read from the environment variable UNCAT_SECRETARIAT_HASH or, if that
is not set, from Streamlit secrets: [secretariat] password_hash = "...". With neither, Secretariat
mode is off: there is no default password.

Every Streamlit session of a server runs in one process, so the guess limiter and the sign-ins
below are kept once per process (`GUESSES`, `SIGN_INS`), not in a session: opening more
sessions gives no more guesses.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import math
import os
import re
import secrets
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

ENV_VAR = "UNCAT_SECRETARIAT_HASH"  # one shared password, signing in as the account "secretariat"
ACCOUNTS_ENV_VAR = "UNCAT_SECRETARIAT_ACCOUNTS"  # named accounts: "name=scrypt$..$..,name2=scrypt$..$.."
SHARED_ACCOUNT = "secretariat"
_ACCOUNT_NAME = re.compile(r"[a-z][a-z0-9._-]{1,39}")
SCHEME = "scrypt"
N, R, P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
GUESSES_PER_MINUTE = 10  # password checks per minute, all sessions and addresses together
FAILURES_PER_ADDRESS = 5  # wrong passwords from one client address ...
ADDRESS_WINDOW_SECONDS = 15 * 60  # ... within this window lock that address out until the oldest leaves it
IDLE_SECONDS = 30 * 60  # a sign-in ends after this long without activity
LONGEST_SECONDS = 8 * 60 * 60  # and at the latest this long after it began


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)
    return f"{SCHEME}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash string; False for a malformed string."""
    try:
        scheme, salt_hex, key_hex = stored.strip().split("$")
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
    except ValueError:
        return False
    if scheme != SCHEME or not salt or len(expected) != KEY_BYTES:
        return False
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)
    return hmac.compare_digest(key, expected)


def configured_accounts() -> dict[str, str]:
    """Account name -> its hash string: the named accounts (UNCAT_SECRETARIAT_ACCOUNTS, or [secretariat.accounts] in
    Streamlit secrets), and the shared hash as the account "secretariat" when one is set. Empty: the mode is off."""
    accounts: dict[str, str] = {}
    value = os.environ.get(ACCOUNTS_ENV_VAR, "").strip()
    if value:
        for item in value.split(","):
            name, _, stored = item.strip().partition("=")
            if _ACCOUNT_NAME.fullmatch(name.strip()) and stored.strip():
                accounts[name.strip()] = stored.strip()
    else:
        try:
            import streamlit as st

            for name, stored in dict(st.secrets["secretariat"]["accounts"]).items():
                if _ACCOUNT_NAME.fullmatch(str(name)) and str(stored).strip():
                    accounts[str(name)] = str(stored).strip()
        except Exception:  # noqa: BLE001, S110 - no secrets file or no accounts table: no named accounts
            accounts = {}
    shared = configured_hash()
    if shared:
        accounts.setdefault(SHARED_ACCOUNT, shared)
    return accounts


# Checked against an unknown account's name, so that a wrong name costs the same time as a wrong password.
_DUMMY_HASH = "scrypt$" + "00" * SALT_BYTES + "$" + "00" * KEY_BYTES


def verify_account(account: str, password: str, accounts: dict[str, str]) -> bool:
    stored = accounts.get(account)
    matched = verify_password(password, stored or _DUMMY_HASH)
    return matched and stored is not None


def configured_hash() -> str | None:
    """The configured shared hash string (the account "secretariat"), or None."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return value
    try:
        import streamlit as st

        value = str(st.secrets["secretariat"]["password_hash"]).strip()
    except Exception:  # noqa: BLE001 - no secrets file or no such key: the mode is off
        return None
    return value or None


@dataclass(frozen=True)
class Refusal:
    """Why a guess is refused ("address": too many failures from it; "server": too many guesses overall) and for how long."""

    reason: str
    seconds: int


class GuessLimiter:
    """Password guesses counted per server: at most `per_minute` checks a minute from everyone together,
    and at most `per_address` failures from one client address within `address_window` seconds.

    Memory stays bounded: a failure is a granted guess, so at most per_minute * address_window / 60
    failures (150 by default) are ever remembered.
    """

    def __init__(
        self,
        per_minute: int = GUESSES_PER_MINUTE,
        per_address: int = FAILURES_PER_ADDRESS,
        address_window: float = ADDRESS_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.per_minute, self.per_address, self.address_window, self._clock = per_minute, per_address, address_window, clock
        self._lock = threading.Lock()
        self._guesses: deque[float] = deque()
        self._failures: dict[str, deque[float]] = {}

    def _forget_old(self, now: float) -> None:
        while self._guesses and self._guesses[0] <= now - 60:
            self._guesses.popleft()
        for address in list(self._failures):
            times = self._failures[address]
            while times and times[0] <= now - self.address_window:
                times.popleft()
            if not times:
                del self._failures[address]

    def reserve(self, address: str, account: str | None = None) -> Refusal | None:
        """Take one guess for `address` (None: check the password now), or say why not and for how long.

        A guess counts as a failure of its address from the moment it is taken (so that parallel
        sessions cannot all pass the check before any failure is recorded) until `succeeded`.
        With `account`, the account's failures (from any address) are limited the same way, under the key
        "account:<name>": guessing one account's password from many addresses stops too.
        """
        keys = [address] + ([f"account:{account}"] if account else [])
        with self._lock:
            now = self._clock()
            self._forget_old(now)
            for key in keys:
                failures = self._failures.get(key)
                if failures is not None and len(failures) >= self.per_address:
                    reason = "account" if key.startswith("account:") else "address"
                    return Refusal(reason, max(1, math.ceil(failures[0] + self.address_window - now)))
            if len(self._guesses) >= self.per_minute:
                return Refusal("server", max(1, math.ceil(self._guesses[0] + 60 - now)))
            self._guesses.append(now)
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
            return None

    def succeeded(self, address: str, account: str | None = None) -> None:
        """The reserved guess was right: the address's (and the account's) failures are forgotten."""
        with self._lock:
            self._failures.pop(address, None)
            if account:
                self._failures.pop(f"account:{account}", None)


# The cookie naming a browser (a random token set by app/http_guard.py, HttpOnly and SameSite=Strict): a sign-in
# belongs to the browser that holds it, not to a session id, which travels in URLs and can be named by anyone.
BROWSER_COOKIE = "uncat_browser"
_BROWSER_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def new_browser_token() -> str:
    return secrets.token_urlsafe(32)


def browser_key(token: str | None) -> str | None:
    """What the server keeps of a browser's cookie: its SHA-256 in hex (None for a missing or malformed cookie)."""
    if not isinstance(token, str) or not _BROWSER_TOKEN.fullmatch(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass
class SignIn:
    sessions: set[str]  # the sessions of this browser while its sign-in lasts (a reload's new session joins)
    started: float
    last_seen: float
    account: str = SHARED_ACCOUNT


class SignIns:
    """Sign-ins kept on the server, keyed by the browser that signed in (`browser_key` of its cookie).

    A run is signed in only when its browser holds a sign-in that includes its session: another
    browser naming the session, or the same browser in a session that never signed in, is not.
    A sign-in ends at sign-out (for every session of the browser), after `idle` seconds without
    activity, and `longest` seconds after it began at the latest; each session it belonged to is told
    why once (`check`). At most one sign-in per browser, made only with the right password.
    """

    def __init__(self, idle: float = IDLE_SECONDS, longest: float = LONGEST_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.idle, self.longest, self._clock = idle, longest, clock
        self._lock = threading.Lock()
        self._active: dict[str, SignIn] = {}
        self._reasons: dict[str, str] = {}  # session -> why its sign-in ended ("idle", "longest"), until it is told

    def start(self, browser: str, session_id: str, account: str = SHARED_ACCOUNT) -> None:
        """A new sign-in for the browser, in this session and in those where its sign-in still lasts."""
        with self._lock:
            now = self._clock()
            earlier = self._active.get(browser)
            sessions = earlier.sessions if earlier is not None and not self._ended(earlier, now) else set()
            self._active[browser] = SignIn(sessions | {session_id}, now, now, account)
            self._reasons.pop(session_id, None)

    def _ended(self, sign_in: SignIn, now: float) -> str | None:
        if now - sign_in.started >= self.longest:
            return "longest"
        if now - sign_in.last_seen >= self.idle:
            return "idle"
        return None

    def _end(self, browser: str, reason: str | None) -> set[str]:
        sign_in = self._active.pop(browser)
        if reason:
            self._reasons.update(dict.fromkeys(sign_in.sessions, reason))
        return sign_in.sessions

    def check(self, browser: str | None, session_id: str) -> str:
        """ "active" (and counts as activity); "idle" or "longest": the session's sign-in ended, said once; or "none"."""
        with self._lock:
            reason = self._reasons.pop(session_id, None)
            if reason:
                return reason
            sign_in = self._active.get(browser or "")
            if sign_in is None:
                return "none"
            now = self._clock()
            ended = self._ended(sign_in, now)
            if ended:
                was_in = session_id in sign_in.sessions
                self._end(browser, ended)
                return self._reasons.pop(session_id) if was_in else "none"
            # The browser holds a lasting sign-in (its cookie, which no other client has): a reload or a new tab
            # within the idle limit joins it; another client naming this session's id has another browser key.
            sign_in.sessions.add(session_id)
            sign_in.last_seen = now
            return "active"

    def account(self, browser: str | None) -> str | None:
        """The account the browser signed in with (None: not signed in)."""
        with self._lock:
            sign_in = self._active.get(browser or "")
            return None if sign_in is None else sign_in.account

    def session_signed_in(self, session_id: str, browser: str | None) -> bool:
        """Whether this browser's sign-in lasts and includes the session (not counted as activity)."""
        with self._lock:
            sign_in = self._active.get(browser or "")
            return sign_in is not None and session_id in sign_in.sessions and not self._ended(sign_in, self._clock())

    def signed_in_sessions(self) -> set[str]:
        """Every session in a sign-in that lasts."""
        with self._lock:
            now = self._clock()
            return {s for sign_in in self._active.values() if not self._ended(sign_in, now) for s in sign_in.sessions}

    def end(self, browser: str | None) -> set[str]:
        """Sign the browser out; returns the sessions its sign-in belonged to."""
        with self._lock:
            return self._end(browser, None) if (browser or "") in self._active else set()

    def end_where(self, gone: Callable[[str], bool]) -> set[str]:
        """End the sign-ins that expired; drop sessions that are `gone`. Returns the sessions that are no longer
        signed in (whose confidential files and uploads must go)."""
        with self._lock:
            now = self._clock()
            left: set[str] = set()
            for browser, sign_in in list(self._active.items()):
                went = {s for s in sign_in.sessions if gone(s)}
                sign_in.sessions -= went
                left |= went
                ended = self._ended(sign_in, now)
                if ended or not sign_in.sessions:
                    left |= self._end(browser, ended)
            for session_id in [s for s in self._reasons if gone(s)]:
                del self._reasons[session_id]
        return left


GUESSES = GuessLimiter()
SIGN_INS = SignIns()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.auth", description="Print the hash string for a Secretariat password.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("hash", help="prompt for a password and print its hash string")
    make.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
    args = parser.parse_args(argv)
    if args.command == "hash":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Secretariat password: ")
            if getpass.getpass("Again: ") != password:
                print("error: the two passwords differ", file=sys.stderr)
                return 1
        if len(password) < 12:
            print("error: use at least 12 characters", file=sys.stderr)
            return 1
        print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
