"""Build the DuckDB database from data/: load inputs, validate, process, save atomically."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from app.config import data_dir as default_data_dir
from app.config import database_path as default_database_path
from etl import schemas
from etl.validate import CsvTable, InputError, Problem, problems_from, read_csv

CONTRACT_SQL = Path(__file__).with_name("contract.sql")
INPUT_FILES = {
    "states": "states.csv",
    "state_aliases": "state_aliases.csv",
    "treaty_events": "treaty_events.csv",
    "groups": "groups.csv",
    "group_membership": "group_membership.csv",
    "datasets": "datasets.csv",
}


@dataclass
class Inputs:
    tables: dict[str, CsvTable]
    hashes: dict[str, str]

    def frame(self, name: str) -> pd.DataFrame:
        return self.tables[name].frame


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def load_inputs(folder: Path, today: date | None = None) -> Inputs:
    """Read and validate every input; raise InputError listing every problem found."""
    today = today or date.today()
    tables: dict[str, CsvTable] = {}
    problems = []
    for name, filename in INPUT_FILES.items():
        path = folder / filename
        label = f"data/{filename}" if folder.resolve() == default_data_dir().resolve() else str(path)
        if not path.exists():
            problems.append(Problem(label, 1, 1, "", "", "file is missing"))
            continue
        try:
            tables[name] = read_csv(path, schemas.COLUMNS[name], label=label)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    iso3 = set(tables["states"].frame.iso3)
    groups = set(tables["groups"].frame.group_code)
    rules = {
        "states": schemas.states_schema(today),
        "state_aliases": schemas.aliases_schema(iso3),
        "treaty_events": schemas.treaty_events_schema(iso3, today),
        "groups": schemas.groups_schema(),
        "group_membership": schemas.membership_schema(iso3, groups, today),
        "datasets": schemas.datasets_schema(today),
    }
    for name, schema in rules.items():
        problems.extend(problems_from(tables[name], schema))
    if problems:
        raise InputError(problems)
    hashes = {t.label: hashlib.sha256(t.path.read_bytes()).hexdigest() for t in tables.values()}
    return Inputs(tables, hashes)


def _typed(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Types and order for the database; rows sorted so that two builds hold the same content."""

    def dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d").dt.date
        return frame

    def nulls(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            frame[column] = frame[column].replace("", None)
        return frame

    states = dates(nulls(inputs.frame("states"), "un_regional_group", "iso2"), "un_member_since")
    states["lat"] = states.lat.astype(float)
    states["lon"] = states.lon.astype(float)
    events = dates(nulls(inputs.frame("treaty_events"), "note"), "event_date")
    membership = dates(nulls(inputs.frame("group_membership"), "note"), "valid_from", "valid_to")
    return {
        "states": states.sort_values("iso3"),
        "state_aliases": nulls(inputs.frame("state_aliases"), "iso3", "note").sort_values("alias"),
        "treaty_events": events.sort_values(["iso3", "treaty", "event_date", "event"]),
        "groups": nulls(inputs.frame("groups"), "note").sort_values("group_code"),
        "group_membership": membership.sort_values(["group_code", "iso3", "valid_from"], na_position="first"),
        "datasets": dates(nulls(inputs.frame("datasets"), "note"), "as_of").sort_values("dataset"),
    }


DDL = {
    "states": """
        create table states (
            iso3 varchar primary key, iso2 varchar, m49 varchar not null, name_en varchar not null,
            name_fr varchar not null, kind varchar not null check (kind in ('member', 'observer', 'other')),
            un_member_since date, m49_region varchar, m49_subregion varchar, un_regional_group varchar,
            lat double not null, lon double not null, source varchar not null)""",
    "state_aliases": "create table state_aliases (alias varchar primary key, iso3 varchar references states, note varchar)",
    "treaty_events": """
        create table treaty_events (
            iso3 varchar not null references states, treaty varchar not null, event varchar not null,
            event_date date not null, source varchar not null, note varchar,
            primary key (iso3, treaty, event))""",
    "groups": """
        create table groups (
            group_code varchar primary key, name_en varchar, name_fr varchar, source varchar not null, note varchar)""",
    "group_membership": """
        create table group_membership (
            iso3 varchar not null references states, group_code varchar not null references groups,
            valid_from date, valid_to date, source varchar not null, note varchar)""",
    "datasets": "create table datasets (dataset varchar primary key, as_of date not null, source varchar not null, note varchar)",
    "etl_runs": """
        create table etl_runs (
            run_id integer primary key, started_at timestamptz not null, finished_at timestamptz not null,
            input_hashes json not null, row_counts json not null, data_as_of date not null)""",
}


def _previous_runs(database: Path) -> pd.DataFrame | None:
    if not database.exists():
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as old:
            return old.sql("select * from etl_runs order by run_id").df()
    except duckdb.Error:
        return None


def data_as_of(frames: dict[str, pd.DataFrame]) -> date:
    """The treaty data's as-of date: the date up to which the treaty events are verified complete."""
    datasets = frames["datasets"].set_index("dataset")
    return datasets.at["treaty_events", "as_of"]


def build(
    folder: Path | None = None, database: Path | None = None, quiet: bool = False, today: date | None = None
) -> dict[str, int]:
    """Validate data/ and swap in a new database; on any error the old file is untouched."""
    folder = Path(folder or default_data_dir())
    database = Path(database or default_database_path())
    started = datetime.now(UTC)
    _say(f"[etl] load inputs from {folder}", quiet)
    inputs = load_inputs(folder, today)
    _say(f"[etl] validated {sum(len(t.frame) for t in inputs.tables.values())} rows in {len(inputs.tables)} files", quiet)
    frames = _typed(inputs)
    database.parent.mkdir(parents=True, exist_ok=True)
    temporary = database.with_name(f"{database.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    previous = _previous_runs(database)
    counts = {name: len(frame) for name, frame in frames.items()}
    try:
        _say(f"[etl] write {temporary.name}", quiet)
        with duckdb.connect(str(temporary)) as con:
            for name, frame in frames.items():
                con.execute(DDL[name])
                con.register("incoming", frame)
                con.execute(f"insert into {name} select * from incoming")  # noqa: S608 - fixed table names
                con.unregister("incoming")
            con.execute(CONTRACT_SQL.read_text(encoding="utf-8"))
            con.execute(DDL["etl_runs"])
            if previous is not None and len(previous):
                con.register("previous", previous)
                con.execute("insert into etl_runs select * from previous")
            run_id = 1 if previous is None or not len(previous) else int(previous.run_id.max()) + 1
            con.execute(
                "insert into etl_runs values (?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    started,
                    datetime.now(UTC),
                    json.dumps(inputs.hashes, sort_keys=True),
                    json.dumps(counts, sort_keys=True),
                    data_as_of(frames),
                ],
            )
            _check_contract(con)
            con.execute("checkpoint")
        os.replace(temporary, database)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _say(f"[etl] swapped in {database} ({', '.join(f'{k}={v}' for k, v in counts.items())})", quiet)
    return counts


def _check_contract(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse to swap in a database that breaks the contract the pages rely on."""
    problems = []
    states = con.execute("select count(*) from states").fetchone()[0]
    as_of = con.execute("select as_of from datasets where dataset = 'treaty_events'").fetchone()[0]
    rows = con.execute("select count(*), count(distinct iso3) from cat_status_as_of(?::date)", [as_of]).fetchone()
    if rows != (states, states):
        problems.append(f"cat_status_as_of returned {rows[0]} rows for {states} states")
    members = con.execute("select count(*) from states where kind = 'member'").fetchone()[0]
    if members != 193:
        problems.append(f"states.csv has {members} UN member states, expected 193")
    if problems:
        raise RuntimeError("contract check failed: " + "; ".join(problems))
