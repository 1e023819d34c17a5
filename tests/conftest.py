"""Shared fixtures: a database built once from data/ into a temporary folder, and copies of data/."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
APP = str(ROOT / "streamlit_app.py")
# The input material kept beside the clone; UNCAT_SHARED_DIR points elsewhere (a worktree in another folder).
SHARED = Path(os.environ.get("UNCAT_SHARED_DIR") or ROOT.parent / "shared")
UNTC = SHARED / "untc"


_DB_FOLDER = Path(tempfile.mkdtemp(prefix="uncat-test-db-"))


def pytest_configure(config):
    # Every test, AppTest included, reads a database built for the test run, never data/uncat.duckdb.
    os.environ["UNCAT_DB"] = str(_DB_FOLDER / "uncat.duckdb")
    # ... and `python -m etl` run by a test publishes its open data there too, never into static/.
    os.environ["UNCAT_PUBLIC_DIR"] = str(_DB_FOLDER / "public")
    os.environ.pop("UNCAT_DATA_DIR", None)
    # The shipped config redacts errors for browsers (client.showErrorDetails = "none"); pages run in-process
    # by AppTest report theirs in full, so a failing test says why. Servers started by the tests keep the shipped config.
    from streamlit import config as streamlit_config

    streamlit_config.get_option("client.showErrorDetails")  # read the config files first, then override
    streamlit_config.set_option("client.showErrorDetails", "full")

    _share_the_component_registry()
    _wait_for_script_runs_without_polling()


def _wait_for_script_runs_without_polling() -> None:
    """AppTest waits for a script run by waking every millisecond to look at its events; each wake takes the GIL
    from the script's own thread. The run's thread ends once the run is over (after its SHUTDOWN event): AppTest
    waits for that thread instead, with the same timeout and the same error when it passes."""
    from streamlit.testing.v1 import local_script_runner

    polling = local_script_runner.require_widgets_deltas

    def wait(runner, timeout: float = 3) -> None:
        thread = getattr(runner, "_script_thread", None)
        if thread is None:  # not started as this Streamlit starts it: its own wait
            polling(runner, timeout)
            return
        started = time.monotonic()
        thread.join(timeout)
        if runner.script_stopped():
            return
        if thread.is_alive():  # as AppTest's own wait ends: the run stopped, then the error
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")
        polling(runner, max(0.0, timeout - (time.monotonic() - started)))  # ended without its event: AppTest's wait

    local_script_runner.require_widgets_deltas = wait


def _share_the_component_registry() -> None:
    """Every AppTest scans the installed packages for Streamlit components (about 0.1 s each time, the same
    result every time): the test run scans once and gives each AppTest the same registry."""
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    original = AppTest.__init__
    shared: list[BidiComponentManager] = []

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not shared:
            manager = BidiComponentManager()
            manager.discover_and_register_components(start_file_watching=False)
            shared.append(manager)
        self._bidi_component_manager = shared[0]

    AppTest.__init__ = init


def pytest_unconfigure(config):
    shutil.rmtree(_DB_FOLDER, ignore_errors=True)


@pytest.fixture(scope="session")
def built_db() -> Path:
    from etl.build import build

    path = Path(os.environ["UNCAT_DB"])
    if not path.exists():
        build(DATA, path, quiet=True)
    return path


@pytest.fixture(scope="session")
def db(built_db):
    from app.db import Database

    database = Database(built_db)
    yield database
    database.close()


def copy_inputs(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for csv in DATA.glob("*.csv"):
        shutil.copy2(csv, target / csv.name)
    shutil.copytree(DATA / "activities", target / "activities", dirs_exist_ok=True)
    return target


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the CSV inputs, safe to damage."""
    return copy_inputs(tmp_path / "data")


# Browser tests: the dashboard as shipped on one server, and one Chromium, for the whole run (one of each per xdist
# worker); each test opens its pages in contexts of its own. A module whose server needs another environment (a
# password, a data folder) starts its own with tests.browser.streamlit_server.
@pytest.fixture(scope="session")
def server(built_db):
    from tests.browser import streamlit_server

    with streamlit_server(built_db) as url:
        yield url


@pytest.fixture(scope="session")
def session_browser():
    from tests.browser import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def tab_pool(session_browser):
    from tests.browser import TabPool

    pool = TabPool(session_browser)
    yield pool
    pool.close()


@pytest.fixture
def browser(tab_pool):
    """The run's Chromium for one test (tests.browser.Lender): `browser.new_page(...)` lends a tab of the pool, clean;
    the tabs lent and the contexts the test opened are given back or closed after it."""
    from tests.browser import Lender

    lender = Lender(tab_pool)
    yield lender
    lender.finish()


# A test that drives Chromium or a real server is slow: it says so (@pytest.mark.browser), so that `-m "not browser"`
# leaves it out. Checked twice: at collection for the fixtures, and when tests/browser.py starts a server or a browser.
BROWSER_FIXTURES = {"server", "session_browser", "tab_pool", "browser"}
RUNNING = {"marked": False}  # whether the test being set up or run carries the browser marker


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())) and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError(f"browser tests without @pytest.mark.browser: {unmarked}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    RUNNING["marked"] = item.get_closest_marker("browser") is not None


def require_browser_marker(what: str) -> None:
    if not RUNNING["marked"]:
        raise RuntimeError(f"{what} started by a test without @pytest.mark.browser")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # CI installs every tool the tests use (.ci/run sets CI): there a skip is a missing install, so it fails.
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may skip: {reason}"
    return report


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """The download buttons a page draws, by file name: a function returning each file's bytes.

    Deferred buttons (`data=` a function) register that function with `MediaFileManager.add_deferred`;
    buttons given bytes store them with `MediaFileManager.add(..., is_for_static_download=True)`.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def capture_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    def capture(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if is_for_static_download:
            found[file_name] = lambda: path_or_data
        return add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture_deferred)
    monkeypatch.setattr(MediaFileManager, "add", capture)
    return found
