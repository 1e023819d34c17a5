"""Secretariat sign-in: salted scrypt hashes, constant-time checks, and `python -m app.auth hash`.

A hash string is "scrypt$<salt hex>$<hash hex>", scrypt with n=2**14, r=8, p=1, a 16-byte random
salt and a 32-byte key. It is read from the environment variable UNCAT_SECRETARIAT_HASH or, if that
is not set, from Streamlit secrets: [secretariat] password_hash = "...". With neither, Secretariat
mode is off: there is no default password.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import os
import secrets
import sys

ENV_VAR = "UNCAT_SECRETARIAT_HASH"
SCHEME = "scrypt"
N, R, P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
MAX_DELAY_SECONDS = 8.0


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


def configured_hash() -> str | None:
    """The configured hash string, or None when Secretariat mode is off."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return value
    try:
        import streamlit as st

        value = str(st.secrets["secretariat"]["password_hash"]).strip()
    except Exception:  # noqa: BLE001 - no secrets file or no such key: the mode is off
        return None
    return value or None


def failure_delay(failures: int) -> float:
    """Seconds to wait after the n-th consecutive failure: 0.5, 1, 2, 4, then 8 at most."""
    return 0.0 if failures <= 0 else min(0.5 * 2 ** (failures - 1), MAX_DELAY_SECONDS)


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
