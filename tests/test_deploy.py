"""Deploying without Docker: the image's entrypoint and health check, the Dockerfile's rules, the Caddy config."""

from __future__ import annotations

import http.server
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import free_port, served
from tests.conftest import ROOT
from tests.streamlit_ws import http as fetch

# Caddy's own certificate for 127.0.0.1 in the HTTPS test: not one a client knows.
UNVERIFIED = ssl._create_unverified_context()  # noqa: S323 - loopback test of headers, not of certificates
DOCKERFILE = ROOT / "Dockerfile"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
ENTRYPOINT = ROOT / "scripts" / "docker-entrypoint.sh"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    rows = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(row.split(None, 1)[0].upper(), row.split(None, 1)[1]) for row in rows]


def healthcheck_command() -> str:
    arguments = dict(instructions())["HEALTHCHECK"]
    return arguments.split(" CMD ", 1)[1]


def test_dockerfile_slim_base_non_root_database_built_health_check_on_stcore_health():
    steps = instructions()
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    user = kinds.index("USER")
    assert steps[user][1] not in ("root", "0")
    assert any(kind == "RUN" and "useradd" in args and args.endswith(f" {steps[user][1]}") for kind, args in steps[:user])
    build = [i for i, (kind, args) in enumerate(steps) if kind == "RUN" and args == "python -m etl"]
    assert build and build[0] > user  # built as the user who runs it: the app may rebuild after an upload
    assert kinds.index("USER") < kinds.index("ENTRYPOINT")
    assert "/_stcore/health" in healthcheck_command()
    assert '"scripts/docker-entrypoint.sh"' in dict(steps)["ENTRYPOINT"] and ENTRYPOINT.exists()
    for kind, args in steps:
        if kind == "COPY":
            sources = [part for part in args.split() if not part.startswith("--")][:-1]
            assert all((ROOT / source).exists() for source in sources), args
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "static/data", "data/*.duckdb"} <= set(ignored)  # built inside, never copied in


def docker_ignores(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (Docker's rules: the last matching pattern wins,
    `!` re-includes, a pattern matching a folder covers what is in it, `*` stays within one folder)."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.split("/")
    ignored = False
    for pattern in patterns:
        negated, pattern = pattern.startswith("!"), pattern.lstrip("!")
        regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        regex = re.sub(r"\\\[(.*?)\\\]", lambda m: "[" + m.group(1).replace("\\", "") + "]", regex)
        if any(re.fullmatch(regex, "/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            ignored = not negated
    return ignored


def git_ignores(path: str) -> bool:
    return subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path]).returncode == 0


def test_secrets_and_uploaded_records_stay_out_of_the_image_and_the_repository():
    uploads = ["data/activities/activities_20260301T101500.csv", "data/activities/activities_20260301T101500_2.xlsx"]
    secret_files = [".streamlit/secrets.toml"]
    for path in uploads + secret_files:
        assert docker_ignores(path), f"{path} would be copied into the image"
        assert git_ignores(path), f"{path} could be committed"
    for shipped in ("data/activities/activities_sample.csv", "data/activities/activities_cti_public.csv", "data/states.csv"):
        assert not docker_ignores(shipped) and not git_ignores(shipped), shipped
    # The uploads live in a volume declared after the database is built into the image: nothing written there
    # at run time enters an image layer.
    steps = instructions()
    build = next(i for i, (kind, args) in enumerate(steps) if kind == "RUN" and args == "python -m etl")
    volumes = [i for i, (kind, args) in enumerate(steps) if kind == "VOLUME" and "/app/data/activities" in args]
    assert volumes and volumes[0] > build


def wait_for_health(url: str, process: subprocess.Popen, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise AssertionError(f"the entrypoint did not start the server: {output[-3000:]}") from None
            time.sleep(0.2)  # polling /_stcore/health until the deadline


@contextmanager
def entrypoint(env: dict):
    process = subprocess.Popen(["sh", str(ENTRYPOINT)], env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.browser  # starts the server, twice
def test_entrypoint_builds_once_serves_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "UNCAT_HOME": str(ROOT),
        "PYTHON": sys.executable,
        "PORT": str(port),
        "UNCAT_ADDRESS": "127.0.0.1",
        "UNCAT_DB": str(tmp_path / "uncat.duckdb"),
        "UNCAT_PUBLIC_DIR": str(tmp_path / "public"),
        "UNCAT_WARM_LANGS": "",  # the warm start is tested with the load benchmark; here the server's start and stop
    }
    url = f"http://127.0.0.1:{port}"
    with entrypoint(env) as process:
        wait_for_health(url, process)
        assert (tmp_path / "uncat.duckdb").exists() and (tmp_path / "public" / "datapackage.json").exists()
        # The image's HEALTHCHECK command, as Docker runs it, passes while the server is up.
        assert subprocess.run(["sh", "-c", healthcheck_command()], env=env, timeout=30).returncode == 0
        process.send_signal(signal.SIGTERM)  # `docker stop`: the server is the process (exec), it stops
        assert process.wait(timeout=30) is not None
    assert subprocess.run(["sh", "-c", healthcheck_command()], env=env, timeout=30).returncode != 0
    built = (tmp_path / "uncat.duckdb").stat().st_mtime_ns
    with entrypoint(env) as process:  # a restart with the same data: no rebuild
        wait_for_health(url, process)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert (tmp_path / "uncat.duckdb").stat().st_mtime_ns == built


def caddy_path() -> str:
    found = os.environ.get("UNCAT_CADDY") or shutil.which("caddy")
    if not found:  # on a laptop without it; CI installs it, and there a skip fails (tests/conftest.py)
        pytest.skip("Caddy checks deploy/Caddyfile: apt-get install caddy (Debian), or set UNCAT_CADDY")
    return found


def test_caddyfile_is_valid():
    result = subprocess.run(
        [caddy_path(), "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "Valid configuration" in result.stdout + result.stderr, result.stderr[-2000:]


@contextmanager
def caddy(replicas: list[str], config: Path = CADDYFILE, scheme: str = "http"):
    port = free_port()
    env = {
        **os.environ,
        "UNCAT_SITE": f"{scheme}://127.0.0.1:{port}",
        "UNCAT_REPLICAS": " ".join(replicas),
        "UNCAT_CADDY_ADMIN": "off",
    }
    process = subprocess.Popen(
        [caddy_path(), "run", "--config", str(config), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"{scheme}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=UNVERIFIED).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"caddy did not start: {process.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.1)  # polling /_stcore/health until the deadline
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def named_replica(name: str):
    """A stand-in replica that answers every request with its name."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_caddy_keeps_each_browser_on_one_replica():
    with named_replica("one") as first, named_replica("two") as second, caddy([first, second]) as url:
        seen_by_browser = []
        for _ in range(6):  # six browsers, each with its own cookie jar
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            answers = {opener.open(f"{url}/", timeout=5).read().decode() for _ in range(8)}
            assert len(answers) == 1, answers  # every request of one browser reaches the same replica
            seen_by_browser.append(answers.pop())
        with urllib.request.urlopen(f"{url}/", timeout=5) as response:
            assert "uncat_replica=" in response.headers.get("Set-Cookie", "")
    assert set(seen_by_browser) <= {"one", "two"}


@pytest.mark.browser
def test_the_dashboard_works_through_caddy_websocket_included(server, browser):
    with caddy([server.removeprefix("http://")]) as url:  # the run's server is the one replica
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/?lang=en&as_of=2020-03-01")
        # The page is drawn from the websocket's messages: a heading means the websocket went through.
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("167 of 193")).to_be_visible(timeout=30_000)
        page.close()


def test_entrypoint_is_posix_sh():
    assert subprocess.run(["sh", "-n", str(ENTRYPOINT)]).returncode == 0
    assert shlex.split(ENTRYPOINT.read_text(encoding="utf-8").splitlines()[0]) == ["#!/bin/sh"]


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30, context=UNVERIFIED) as response:
        return {name.lower(): value for name, value in response.headers.items()}


@pytest.fixture(scope="module")
def guarded_replica(built_db):
    """A replica as deployed behind Caddy: a Secretariat password, and Caddy (on loopback) as its one trusted proxy."""
    from app import auth
    from tests.test_targets_page import PASSWORD

    with served(built_db, UNCAT_SECRETARIAT_HASH=auth.hash_password(PASSWORD), UNCAT_TRUSTED_PROXIES="127.0.0.1") as (url, _):
        yield url


@pytest.mark.browser
def test_caddy_hides_the_metrics_and_sets_security_headers(guarded_replica):
    assert fetch("GET", guarded_replica + "/_stcore/metrics")[0] == 200  # the app serves them (for the operator) ...
    with caddy([guarded_replica.removeprefix("http://")]) as url:
        assert fetch("GET", url + "/_stcore/metrics")[0] == 404  # ... the public address does not
        page = headers_of(url + "/map")
        assert page["x-content-type-options"] == "nosniff"
        assert "content-security-policy" not in page and "x-frame-options" not in page  # public views stay embeddable
        assert "strict-transport-security" not in page  # plain HTTP: HSTS means nothing there
        sign_in_page = headers_of(url + "/targets")
        assert sign_in_page["content-security-policy"] == "frame-ancestors 'self'"
        assert sign_in_page["x-frame-options"] == "SAMEORIGIN"
        assert headers_of(url + "/_stcore/health")["x-content-type-options"] == "nosniff"


@pytest.mark.browser
def test_caddy_over_https_sets_hsts(guarded_replica, tmp_path):
    # The shipped site block; the global options gain skip_install_trust (the test's CA stays out of the system).
    config = tmp_path / "Caddyfile"
    text = CADDYFILE.read_text(encoding="utf-8")
    config.write_text(text.replace("{\n\tadmin", "{\n\tskip_install_trust\n\tadmin", 1), encoding="utf-8")
    with caddy([guarded_replica.removeprefix("http://")], config, scheme="https") as url:
        assert headers_of(url + "/map")["strict-transport-security"] == "max-age=31536000"


@pytest.mark.browser
def test_behind_caddy_a_forged_forwarded_address_does_not_escape_the_lockout(guarded_replica):
    from app import auth
    from tests.test_server_hardening import SIGNED_IN, guesses_from
    from tests.test_targets_page import PASSWORD

    with caddy([guarded_replica.removeprefix("http://")]) as url:
        forged = [f"203.0.113.{n}" for n in range(auth.FAILURES_PER_ADDRESS)]
        shown = guesses_from(url, forged, PASSWORD)  # each guess names another address; Caddy passes the real one
    assert SIGNED_IN not in shown and "sign-in is locked" in shown
