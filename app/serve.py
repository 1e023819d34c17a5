"""Start the dashboard hardened and warm: the per-process work is done before the server listens, not by the first visitor.

    python -m app.serve [streamlit options, e.g. --server.port 8501]

It trusts X-Forwarded-For and X-Forwarded-Proto only from the proxies listed in UNCAT_TRUSTED_PROXIES
(addresses or networks, comma-separated; none by default), removes the temporary files a killed
writer left under the served folders, builds the database if needed, imports the libraries, and
runs every page once at its default URL (in each language given by UNCAT_WARM_LANGS, default "en")
so that the shared caches hold the status, the groups, the map's served shapes, the charts and the
forum's slides. Then it starts Streamlit's server for asgi.py (the app with its guards) in the same
process, where those caches are shared by every session.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from core.config import ROOT

ROUTER = ROOT / "streamlit_app.py"
SERVER = ROOT / "asgi.py"
TRUSTED_PROXIES = "UNCAT_TRUSTED_PROXIES"
PAGES = (
    "views/overview.py",
    "views/map.py",
    "views/country.py",
    "views/timeline.py",
    "views/universality.py",
    "views/forum.py",
    "views/targets.py",
    "views/calendar.py",
    "views/commitments.py",
    "views/report.py",
    "views/update.py",
)
log = logging.getLogger("uncat.serve")


def warm(langs: tuple[str, ...] = ("en",)) -> float:
    """Run every page once per language, as a visitor's first run would; returns the seconds it took."""
    from streamlit.testing.v1 import AppTest

    started = time.monotonic()
    for lang in langs:
        for page in PAGES:
            app = AppTest.from_file(str(ROUTER), default_timeout=600)
            app.query_params["lang"] = lang
            app.run()
            app.switch_page(page).run()
            if app.exception:
                # A page that fails here fails for visitors too; the server still starts and shows it.
                log.warning("warm start: %s (%s) raised %s", page, lang, app.exception[0].message)
        warm_play(lang)
        warm_forum(lang)
    return time.monotonic() - started


def warm_play(lang: str) -> None:
    """The frames of "Play the years" with no overlay or group, so the first play keeps its pace."""
    from datetime import date

    from app import data
    from app.maps import MapOptions
    from core.treaty_rules import OPENED_FOR_SIGNATURE

    latest = data.data_as_of()
    for year in range(OPENED_FOR_SIGNATURE.year, latest.year + 1):
        data.map_deck(data.snapshot(min(date(year, 12, 31), latest)), MapOptions(), lang)


def warm_forum(lang: str) -> None:
    """Every slide of the forum's default view (the page builds only the slide it shows), so that moving on keeps its pace."""
    from datetime import date

    from app import data
    from app.deck import default_since
    from app.slides import SECTIONS

    as_of = min(data.data_as_of(), date.today())  # the page's default date (ui.as_of_control)
    for section in SECTIONS:
        data.forum_slide(as_of, default_since(as_of), lang, section)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextmanager
def loopback(command: list[str], env: dict | None = None, output=subprocess.DEVNULL, timeout: float = 60.0) -> Iterator:
    """A Streamlit `command` (e.g. python -m streamlit run app.py) on a free loopback port, for tests and benchmarks.

    Yields (url, process) once /_stcore/health answers; stops the server afterwards. `output` takes the
    server's output (a file: never a pipe nobody reads, which would stop a chatty server once full).
    """
    url = f"http://127.0.0.1:{free_port()}"
    flags = ["--server.port", url.rsplit(":", 1)[1], "--server.address", "127.0.0.1", "--server.headless", "true"]
    flags += ["--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        [*command, *flags], cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                said = ""
                if hasattr(output, "seek"):
                    output.seek(0)
                    said = output.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"streamlit did not start ({' '.join(command)}): {said}")
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except OSError:
        return False


def trust_proxies() -> str:
    """Make the server take the client's address from X-Forwarded-For only when the request comes from a listed proxy.

    Streamlit's server (uvicorn) reads the list from FORWARDED_ALLOW_IPS and trusts loopback when it is
    unset, so any local client could name itself another address (and escape the sign-in lockout).
    """
    listed = ",".join(part.strip() for part in os.environ.get(TRUSTED_PROXIES, "").split(",") if part.strip())
    os.environ["FORWARDED_ALLOW_IPS"] = listed  # empty: no proxy is trusted
    return listed


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    proxies = trust_proxies()
    log.info("forwarded headers trusted from: %s", proxies or "no proxy (set UNCAT_TRUSTED_PROXIES behind a proxy)")
    from core.config import public_dir, remove_temporaries

    removed = remove_temporaries(public_dir()) + remove_temporaries(ROOT / "static" / "map")
    if removed:
        log.info("removed %d temporary files left by an earlier writer", len(removed))
    langs = tuple(code.strip() for code in os.environ.get("UNCAT_WARM_LANGS", "en").split(",") if code.strip())
    seconds = warm(langs)
    log.info("warm start: every page computed once (%s) in %.1f s", ", ".join(langs) or "none", seconds)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(SERVER), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
