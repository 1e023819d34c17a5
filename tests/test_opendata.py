"""Open data: `python -m etl` writes the bundle and the Atom feed; the package is valid; nothing confidential leaks."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import uuid
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from frictionless import Package
from lxml import etree

from app import opendata_links
from core.i18n import languages
from etl import opendata
from etl.__main__ import main
from tests.apptest import open_page
from tests.conftest import DATA

ATOM = "{http://www.w3.org/2005/Atom}"
# Every text file in the folder is scanned: a feed plugged in later (the calendar's .ics) is checked too.
TEXT_SUFFIXES = (".csv", ".json", ".atom", ".ics")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """The command itself: build a database from data/ and publish beside it, as `python -m etl` does."""
    folder = tmp_path_factory.mktemp("opendata")
    database, public = folder / "uncat.duckdb", folder / "public"
    assert main(["--data-dir", str(DATA), "--db", str(database), "--public-dir", str(public)]) == 0
    return database, public


def confidential_activities(database: Path) -> list[tuple[str, str]]:
    """(activity_id, title) of every record that must never be published: not public, or sample data."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select activity_id, title from activities where not is_public or is_sample").fetchall()


def test_etl_writes_every_table_as_csv_and_parquet_with_the_descriptor_zip_and_feed(published):
    _, public = published
    names = {path.name for path in public.iterdir()}
    for table in opendata.TABLES:
        assert {f"{table.name}.csv", f"{table.name}.parquet"} <= names
    # The feeds, one per language: the English one under the plain name, the others with their code.
    feeds = {
        opendata_links.in_language(feed, lang) for feed in (opendata_links.ATOM, opendata_links.CALENDAR) for lang in languages()
    }
    assert {"uncat-treaty-events.atom", "uncat-treaty-events.fr.atom", "uncat-engagement-calendar.es.ics"} <= feeds
    assert {opendata_links.PACKAGE, opendata_links.BUNDLE, *feeds} <= names
    assert not [name for name in names if ".tmp-" in name]  # every file swapped in whole
    with zipfile.ZipFile(public / opendata_links.BUNDLE) as archive:
        inside = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    # The bundle holds the tables, the descriptor and the per-state and per-group feeds it lists (feeds/...).
    subscriptions = {str(path.relative_to(public)) for path in (public / "feeds").rglob("*.atom")}
    assert subscriptions and set(inside) == (names - {opendata_links.BUNDLE, "feeds", *feeds}) | subscriptions
    assert all(inside[name] == (public / name).read_bytes() for name in inside)


def test_frictionless_validates_the_package(published):
    """The standard validator, as a user runs it (`frictionless validate datapackage.json`), finds no error at all."""
    _, public = published
    command = [sys.executable, "-m", "frictionless", "validate", "--json", str(public / opendata_links.PACKAGE)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["valid"] and report["errors"] == [] and report["warnings"] == [] and report["stats"]["errors"] == 0
    tasks = {task["name"]: task for task in report["tasks"]}
    feeds = list((public / "feeds").rglob("*.atom"))
    assert len(tasks) == 2 * len(opendata.TABLES) + len(feeds)
    assert tasks["feed-state-fji-en"]["valid"] and tasks["feed-state-fji-en"]["type"] == "file"
    for table in opendata.TABLES:
        csv_task, parquet_task = tasks[table.name], tasks[f"{table.name}-parquet"]
        assert csv_task["valid"] and csv_task["type"] == "table" and csv_task["stats"]["rows"] > 0, table.name
        # Parquet is a file resource: checked against its declared hash and size, which the validator recomputes.
        assert parquet_task["valid"] and parquet_task["type"] == "file", table.name
        assert parquet_task["stats"]["bytes"] == (public / f"{table.name}.parquet").stat().st_size


def test_a_damaged_parquet_file_fails_the_validator(published, tmp_path):
    _, public = published
    copy = tmp_path / "public"
    shutil.copytree(public, copy)
    with (copy / "states.parquet").open("ab") as handle:
        handle.write(b"x")
    package = Package(copy / opendata_links.PACKAGE)
    report = package.get_resource("states-parquet").validate()
    assert not report.valid and {row[0] for row in report.flatten(["type"])} & {"hash-count", "byte-count"}
    assert package.get_resource("treaty_events-parquet").validate().valid


def test_parquet_holds_the_same_rows_and_types_as_the_csv(published):
    _, public = published
    package = Package(public / opendata_links.PACKAGE)
    for table in opendata.TABLES:
        from_csv = package.get_resource(table.name).read_rows()
        from_parquet = pq.read_table(public / f"{table.name}.parquet").to_pylist()
        # frictionless reads a number as a Decimal, Parquet holds the double.
        rows = [{k: float(v) if isinstance(v, Decimal) else v for k, v in row.to_dict().items()} for row in from_csv]
        assert rows == from_parquet, table.name
    assert pq.read_table(public / "treaty_events.parquet").schema.field("event_date").type == "date32[day]"


def test_every_field_is_described_and_every_table_names_its_sources(published):
    _, public = published
    descriptor = json.loads((public / opendata_links.PACKAGE).read_text(encoding="utf-8"))
    assert descriptor["name"] == "uncat-open-data" and descriptor["version"].startswith("2026.2.3+")
    for resource in descriptor["resources"]:
        assert resource["sources"] and resource["description"], resource["name"]
        if resource["name"].endswith("-parquet") or resource["name"].startswith("feed-"):  # files, not tables
            assert resource["type"] == "file" and resource["hash"].startswith("sha256:") and resource["bytes"] > 0
            continue
        assert resource["type"] == "table", resource["name"]
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["type"], (resource["name"], field["name"])
    states = next(resource for resource in descriptor["resources"] if resource["name"] == "states")
    assert "ODbL-1.0" in [licence.get("name") for licence in states["licenses"]]  # label points from world-countries
    types = {field["name"]: field["type"] for field in states["schema"]["fields"]}
    assert types["un_member_since"] == "date" and types["lat"] == "number" and types["iso3"] == "string"


def test_only_public_real_activities_and_no_confidential_field_anywhere(published):
    database, public = published
    with duckdb.connect(str(database), read_only=True) as con:
        public_ids = con.execute("select activity_id from activities where is_public and not is_sample").fetchall()
    expected = {row[0] for row in public_ids}
    with open(public / "activities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # activities_cti_public.csv: the 21 rows of the compilation and 8 events found on the CTI's own pages
    assert {row["activity_id"] for row in rows} == expected and len(expected) == 29
    secret = confidential_activities(database)
    assert len(secret) == 111  # the sample file: 90 not public, 21 marked public, all sample data
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in public.iterdir() if path.suffix in TEXT_SUFFIXES]
    values = [
        (path.name, json.dumps(pq.read_table(path).to_pylist(), default=str))
        for path in public.iterdir()
        if path.suffix == ".parquet"
    ]
    for name, text in texts + values:
        for activity_id, title in secret:
            assert activity_id not in text and title not in text, (name, activity_id)
        assert "Sample –" not in text and "not real CTI activities" not in text, name
    for path in public.iterdir():
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0].replace('"', "").split(",")
        elif path.suffix == ".parquet":
            header = pq.read_schema(path).names
        else:
            continue
        assert not set(header) & opendata.CONFIDENTIAL_COLUMNS, path.name
    descriptor = json.loads((public / opendata_links.PACKAGE).read_text(encoding="utf-8"))
    fields = {field["name"] for resource in descriptor["resources"] for field in resource.get("schema", {}).get("fields", [])}
    assert not fields & opendata.CONFIDENTIAL_COLUMNS


def test_a_table_query_that_selects_a_confidential_column_is_refused(published, monkeypatch):
    database, _ = published
    leaky = opendata.Table("activities", "t", "d", "select activity_id, is_sample from activities", {}, [], [])
    monkeypatch.setattr(opendata, "TABLES", [leaky])
    with pytest.raises(RuntimeError, match="confidential columns"):
        opendata.read_public(database)


def atom_entries(path: Path) -> tuple[etree._Element, list[etree._Element]]:
    feed = etree.parse(str(path)).getroot()
    assert feed.tag == f"{ATOM}feed"
    return feed, feed.findall(f"{ATOM}entry")


def test_atom_feed_newest_first_with_state_date_source_and_profile_link(published):
    _, public = published
    feed, entries = atom_entries(public / opendata_links.ATOM)
    assert len(entries) == opendata.ATOM_ENTRIES
    with open(DATA / "treaty_events.csv", encoding="utf-8", newline="") as handle:
        events = {
            (row["iso3"], row["treaty"], row["event"]): row
            for row in csv.DictReader(handle)
            if (row["treaty"], row["event"]) in opendata.EVENT_TITLES
        }
    newest = max(row["event_date"] for row in events.values())
    assert feed.findtext(f"{ATOM}updated").startswith(newest)
    days = [entry.findtext(f"{ATOM}updated")[:10] for entry in entries]
    assert days == sorted(days, reverse=True) and days[0] == newest
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    by_id = {opendata.entry_id(*key): row for key, row in events.items()}
    for entry in entries:
        row = by_id[entry.findtext(f"{ATOM}id")]  # each entry is one recorded treaty event
        assert entry.findtext(f"{ATOM}updated")[:10] == row["event_date"]
        assert entry.find(f"{ATOM}link").get("href") == f"/country?state={row['iso3']}"
        assert row["source"] in entry.findtext(f"{ATOM}summary") and row["iso3"] in entry.findtext(f"{ATOM}summary")
        assert row["event_date"] not in entry.findtext(f"{ATOM}summary")  # dates in words in the sentences
    # Colombia's OPCAT accession of 10 November 2025 is the newest event in the data.
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == (
        "Colombia acceded to the Optional Protocol to the Convention against Torture (10 November 2025)"
    )


@pytest.mark.parametrize(
    ("lang", "title", "summary"),
    [
        (
            "fr",
            # A noun phrase after the name: no article to guess ("La Colombie a adhéré"), dates in words.
            "Colombie\u00a0: adhésion au Protocole facultatif se rapportant à la Convention contre la torture (10 novembre 2025)",
            "Colombie (COL)\u00a0: adhésion au Protocole facultatif se rapportant à la Convention contre la torture, le"
            " 10 novembre 2025. Source\u00a0: Collection des traités des Nations Unies, état au 3 février 2026.",
        ),
        (
            "es",
            "Colombia: adhesión al Protocolo Facultativo de la Convención contra la Tortura (10 de noviembre de 2025)",
            "Colombia (COL): adhesión al Protocolo Facultativo de la Convención contra la Tortura, el 10 de noviembre de 2025."
            " Fuente: Colección de Tratados de las Naciones Unidas, situación al 3 de febrero de 2026.",
        ),
    ],
)
def test_the_feeds_in_french_and_spanish(published, lang, title, summary):
    _, public = published
    feed, entries = atom_entries(public / opendata_links.in_language(opendata_links.ATOM, lang))
    _, english = atom_entries(public / opendata_links.ATOM)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    # The same events, with the same ids (the same facts), in the language.
    assert [e.findtext(f"{ATOM}id") for e in entries] == [e.findtext(f"{ATOM}id") for e in english]
    assert entries[0].findtext(f"{ATOM}title") == title
    assert entries[0].findtext(f"{ATOM}summary").startswith(summary)
    assert entries[0].find(f"{ATOM}link").get("href") == f"/country?state=COL&lang={lang}"
    # The engagement calendar in the language too.
    calendar = (public / opendata_links.in_language(opendata_links.CALENDAR, lang)).read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR") and calendar != (public / opendata_links.CALENDAR).read_text(encoding="utf-8")


def test_atom_ids_are_stable_across_builds_and_links_absolute_with_a_public_url(published, tmp_path):
    database, public = published
    # The same fact always gets this id: a feed reader never sees an old event as new.
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "uncat-dashboard:treaty-event:CAT:FJI:ratification")
    assert opendata.entry_id("FJI", "CAT", "ratification") == expected.urn
    again = opendata.publish(database, tmp_path / "again")
    assert (tmp_path / "again" / opendata_links.ATOM) in again
    assert (tmp_path / "again" / opendata_links.ATOM).read_bytes() == (public / opendata_links.ATOM).read_bytes()
    opendata.publish(database, tmp_path / "absolute", base_url="https://uncat.example.org")
    _, entries = atom_entries(tmp_path / "absolute" / opendata_links.ATOM)
    assert entries[0].find(f"{ATOM}link").get("href") == "https://uncat.example.org/country?state=COL"


def test_feed_writers_hook_receives_public_tables_only(published, tmp_path, monkeypatch):
    database, _ = published
    seen = {}

    def calendar_writer(data: opendata.PublicData, folder: Path) -> list[Path]:
        seen["tables"] = set(data.tables)
        seen["as_of"] = data.data_as_of
        path = folder / "calendar.ics"
        path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
        return [path]

    monkeypatch.setattr(opendata, "FEED_WRITERS", [calendar_writer])
    written = opendata.publish(database, tmp_path / "hook")
    assert tmp_path / "hook" / "calendar.ics" in written
    assert seen == {"tables": {table.name for table in opendata.TABLES}, "as_of": date(2026, 2, 3)}


def test_calendar_feed_parses_back_with_stable_uids(published, tmp_path):
    from icalendar import Calendar

    database, public = published
    first = Calendar.from_ical((public / opendata_links.CALENDAR).read_bytes())
    events = first.walk("VEVENT")
    assert events and all(str(e["UID"]).endswith("@uncat-dashboard") for e in events)
    assert all(e.get("SUMMARY") and e.get("DESCRIPTION") and e.get("DTSTART") for e in events)
    opendata.publish(database, tmp_path / "again")
    second = Calendar.from_ical((tmp_path / "again" / opendata_links.CALENDAR).read_bytes())
    assert sorted(str(e["UID"]) for e in second.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_embed_snippet_carries_the_view_and_embed_mode():
    snippet = opendata_links.iframe_snippet(
        "http://127.0.0.1:8501/map", {"as_of": "2020-03-01", "lang": "fr", "embed": "false"}, 'Tableau "CCT"'
    )
    assert snippet.startswith('<iframe src="http://127.0.0.1:8501/map?as_of=2020-03-01&amp;lang=fr&amp;embed=true"')
    assert 'title="Tableau &quot;CCT&quot;"' in snippet and snippet.endswith("</iframe>")
    assert opendata_links.embed_url("/x", {"state": "<b>"}) == "/x?state=%3Cb%3E&embed=true"


def test_every_page_footer_links_the_open_data_and_offers_the_embed(published, monkeypatch):
    _, public = published
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(public))
    for page in ("views/overview.py", "views/country.py", "views/targets.py"):
        at = open_page(page, lang="en", state="FJI")
        footer = " ".join(block.value for block in at.markdown)
        assert f"(app/static/data/{opendata_links.BUNDLE})" in footer, page
        assert f"(app/static/data/{opendata_links.ATOM})" in footer, page
        assert f"(app/static/data/{opendata_links.CALENDAR})" in footer, page
        snippets = [code.value for code in at.code if code.value.startswith("<iframe")]
        assert len(snippets) == 1 and "embed=true" in snippets[0] and "lang=en" in snippets[0], page


def test_no_links_to_files_that_were_not_published(tmp_path, monkeypatch):
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(tmp_path / "nothing"))
    at = open_page(lang="en")
    assert "app/static/data" not in " ".join(block.value for block in at.markdown)


def test_by_default_the_files_go_where_streamlit_serves_them(monkeypatch):
    from core.config import ROOT, public_dir

    monkeypatch.delenv("UNCAT_PUBLIC_DIR", raising=False)
    assert public_dir() == ROOT / "static" / "data"  # served at /app/static/data/ (server.enableStaticServing)


def test_an_upload_publishes_its_public_record_and_never_a_confidential_one(tmp_path, monkeypatch):
    from app.activity_files import add_activities, template_csv
    from etl.build import build
    from tests.conftest import copy_inputs

    folder, database, public = copy_inputs(tmp_path / "data"), tmp_path / "uncat.duckdb", tmp_path / "public"
    monkeypatch.setenv("UNCAT_PUBLIC_DIR", str(public))
    build(folder, database, quiet=True)
    header = template_csv().decode().splitlines()[0]
    rows = (
        "U-1,2026-11-02,2026-11-03,country_visit,FJI,2,10,Visit made public,true,false,https://example.org/news\n"
        "U-2,2026-11-05,2026-11-05,remote_advice,TUV,0,0,Confidential advice,false,false,letter of 5 November 2026\n"
    )
    result = add_activities("upload.csv", f"{header}\n{rows}".encode(), folder, database)
    assert not result.problems
    text = (public / "activities.csv").read_text(encoding="utf-8")
    published_ids = {row["activity_id"] for row in csv.DictReader(io.StringIO(text))}
    assert "U-1" in published_ids and "U-2" not in published_ids
    assert "Confidential advice" not in text


def test_the_check_wants_every_feed_in_every_language(published, tmp_path):
    database, _ = published
    folder = tmp_path / "public"
    opendata.publish(database, folder)
    assert opendata.is_published(database, folder)
    (folder / "uncat-treaty-events.es.atom").unlink()  # e.g. written before Spanish had a feed
    assert not opendata.is_published(database, folder)  # then `scripts/run.sh` runs the ETL again


def test_feeds_are_reused_only_when_what_they_are_made_of_is_the_same(built_db):
    import dataclasses

    import pyarrow as pa

    data = opendata.read_public(built_db, base_url="")
    first = opendata.subscription_files(data)
    # Read again, as the next upload's publish does: equal tables, the same key (Arrow's own bytes were not).
    again_read = opendata.read_public(built_db, base_url="")
    assert opendata._feeds_key(again_read, date(2026, 2, 3)) == opendata._feeds_key(data, date(2026, 2, 3))
    # New activity records (what an upload changes) leave the feeds' inputs alone: the same feeds, not rebuilt.
    more = dataclasses.replace(data, tables={**data.tables, "activities": data.tables["activities"].slice(0, 1)})
    assert opendata._feeds_key(more, date(2026, 2, 3)) == opendata._feeds_key(data, date(2026, 2, 3))
    assert opendata.subscription_files(more) == first
    # A state renamed in the public tables: its feed is built again and says so.
    states = data.tables["states"].to_pandas()
    states.loc[states.iso3 == "FJI", "name_en"] = "Fiji (renamed)"
    renamed = dataclasses.replace(data, tables={**data.tables, "states": pa.Table.from_pandas(states, preserve_index=False)})
    again = opendata.subscription_files(renamed)
    assert b"Fiji (renamed)" in again["feeds/state/FJI.atom"] and b"Fiji (renamed)" not in first["feeds/state/FJI.atom"]
    # Another address: every link changes.
    moved = opendata.subscription_files(dataclasses.replace(data, base_url="https://example.invalid"))
    assert b"https://example.invalid/" in moved["feeds/state/FJI.atom"]
