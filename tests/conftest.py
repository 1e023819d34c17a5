"""Shared fixtures: a database built once from data/ into a temporary folder, and copies of data/."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
APP = str(ROOT / "streamlit_app.py")
UNTC = ROOT.parent / "shared" / "untc"


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


# Browser tests: a real server and a headless Chromium, one of each per test module.
@pytest.fixture(scope="module")
def server(built_db):
    from tests.browser import streamlit_server

    with streamlit_server(built_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from tests.browser import chromium

    with chromium() as instance:
        yield instance
