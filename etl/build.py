"""Build the DuckDB database from data/: load inputs, validate, process, save atomically."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from core import vocabulary
from core.config import data_dir as default_data_dir
from core.config import database_path as default_database_path
from core.config import process_running
from core.duckdb_files import connect_read_only
from etl import engagement, invariants, ledger, schemas
from etl.validate import CsvTable, InputError, Problem, problems_from, read_csv

CONTRACT_SQL = Path(__file__).with_name("contract.sql")
INPUT_FILES = {
    "states": "states.csv",
    "state_aliases": "state_aliases.csv",
    "treaty_events": "treaty_events.csv",
    "groups": "groups.csv",
    "group_membership": "group_membership.csv",
    "datasets": "datasets.csv",
    "targets": "targets.csv",
    "territories": "territories.csv",
    "territorial_application": "territorial_application.csv",
    **engagement.FILES,
}
# Activity records: every activities*.csv in this folder (the shipped sample, then dated uploads), and the dated
# corrections and withdrawals that supersede them (etl/ledger.py).
ACTIVITIES_DIR = "activities"
ACTIVITIES_GLOB = "activities*.csv"
AUDIT_FILE, AUDIT_COLUMNS = vocabulary.AUDIT_FILE, vocabulary.AUDIT_COLUMNS  # app/audit.py


@dataclass
class Inputs:
    tables: dict[str, CsvTable]
    hashes: dict[str, str]
    activities: list[CsvTable]  # every record file, in ledger order (new records, corrections, withdrawals)
    standing: dict[str, tuple[int, object]] | None = None  # activity_id -> (table, row) of its standing version

    def frame(self, name: str) -> pd.DataFrame:
        return self.tables[name].frame


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def activity_files(folder: Path) -> list[Path]:
    """The record files the build loads, in ledger order (the shipped files first, then dated uploads,
    corrections and withdrawals by their stamps)."""
    return ledger.files(folder / ACTIVITIES_DIR)


def target_files(folder: Path) -> list[Path]:
    """The targets files set in the app, in ledger order (replayed over data/targets.csv)."""
    return ledger.target_files(folder / ACTIVITIES_DIR)


def _label(folder: Path, path: Path) -> str:
    if folder.resolve() == default_data_dir().resolve():
        return f"data/{path.relative_to(folder).as_posix()}"
    return str(path)


CODE_FILES = ("build.py", "ledger.py", "schemas.py", "engagement.py", "invariants.py", "validate.py", "contract.sql")


def code_version() -> str:
    """A fingerprint of the code that shapes the database: a database built by other code is rebuilt."""
    digest = hashlib.sha256()
    for name in CODE_FILES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def input_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every input file, by its path inside the data folder (as recorded in etl_runs)."""
    paths = [folder / filename for filename in INPUT_FILES.values()] + list(activity_files(folder)) + target_files(folder)
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths if path.exists()}


def is_current(database: Path, folder: Path | None = None) -> bool:
    """True when the database exists and was built by this code from the inputs as they are now."""
    if not database.exists():
        return False
    try:
        with connect_read_only(database) as con:
            row = con.execute("select code_version, input_hashes from etl_runs order by run_id desc limit 1").fetchone()
    except duckdb.Error:
        return False
    if row is None:
        return False
    return row[0] == code_version() and json.loads(row[1]) == input_hashes(Path(folder or default_data_dir()))


def ensure_current(database: Path, folder: Path | None = None) -> None:
    """Build the database when it is missing, was built by other code, or data/ changed since."""
    if not is_current(database, folder):
        build(folder, database, quiet=True)


# What reading and checking one input gave, by its content: a build after an upload's check, and every build of an
# unchanged data/ in one process (the app after each upload, the tests), reads and checks only the files that
# changed. Keyed on the file's bytes and label, and on what its checks depend on (the fixed inputs' bytes, today);
# an error (InputError) is never kept. Bounded: the oldest entry leaves first.
_CHECKED: dict[tuple, object] = {}
_CHECKED_LOCK = threading.Lock()
_CHECKED_SIZE = 256


def _checked(key: tuple, compute):
    with _CHECKED_LOCK:
        if key in _CHECKED:
            return _CHECKED[key]
    value = compute()
    with _CHECKED_LOCK:
        _CHECKED[key] = value
        while len(_CHECKED) > _CHECKED_SIZE:
            _CHECKED.pop(next(iter(_CHECKED)))
    return value


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _copy(table: CsvTable, **changes) -> CsvTable:
    """A kept table handed out as a copy: no caller can change what the next build reads."""
    return dataclasses.replace(table, frame=table.frame.copy(), lines=list(table.lines), columns=list(table.columns), **changes)


@dataclass(frozen=True)
class _Fixed:
    """The fixed inputs (INPUT_FILES) of `folder` read and checked: their tables, read problems, then rule problems
    and rules."""

    folder: Path
    tables: dict[str, CsvTable]
    read_problems: list[Problem]
    rules: dict | None = None
    rule_problems: tuple[Problem, ...] = ()


def _read_fixed(folder: Path, today: date) -> _Fixed:
    tables: dict[str, CsvTable] = {}
    problems = []
    for name, filename in INPUT_FILES.items():
        path = folder / filename
        label = _label(folder, path)
        if not path.exists():
            problems.append(Problem(label, 1, 1, "", "", "file is missing"))
            continue
        try:
            tables[name] = read_csv(path, {**schemas.COLUMNS, **engagement.COLUMNS}[name], label=label)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        return _Fixed(folder, tables, problems)
    iso3 = set(tables["states"].frame.iso3)
    groups = set(tables["groups"].frame.group_code)
    rules = {
        "states": schemas.states_schema(today),
        "state_aliases": schemas.aliases_schema(iso3),
        "treaty_events": schemas.treaty_events_schema(iso3, today),
        "groups": schemas.groups_schema(),
        "group_membership": schemas.membership_schema(iso3, groups, today),
        "datasets": schemas.datasets_schema(today),
        "targets": schemas.targets_schema(),
        "territories": schemas.territories_schema(iso3, set(tables["states"].frame.m49)),
        "territorial_application": schemas.territorial_application_schema(iso3, set(tables["territories"].frame.m49), today),
        **engagement.schemas(iso3, set(tables["upr_sessions"].frame.session), today),
        "activities": schemas.activities_schema(iso3, today),
        "withdrawals": schemas.withdrawals_schema(),
    }
    rule_problems = [problem for name in INPUT_FILES for problem in problems_from(tables[name], rules[name])]
    return _Fixed(folder, tables, [], rules, tuple(rule_problems))


def _read_record_file(path: Path, label: str) -> CsvTable:
    if ledger.kind_of(path) == ledger.WITHDRAWAL:
        return read_csv(path, ledger.WITHDRAWAL_COLUMNS, label=label)
    return read_csv(path, schemas.COLUMNS["activities"], label=label, optional=schemas.ACTIVITY_OPTIONAL_COLUMNS)


def load_inputs(
    folder: Path,
    today: date | None = None,
    extra_activities: list[tuple[Path, str]] = (),
    extra_targets: list[tuple[Path, str]] = (),
) -> Inputs:
    """Read and validate every input; raise InputError listing every problem found.

    `extra_activities` are (path, label) pairs validated as if they were the newest files of the activities
    folder (their kind from their name, etl/ledger.py): an upload is checked against the states and the
    activity ids already recorded. `extra_targets`, likewise, are checked as the newest targets files.
    Files already read and checked with the same bytes, label and fixed inputs are taken as they were (_checked).
    """
    today = today or date.today()
    # Keyed on the bytes, not the folder: each copy of data/ (an upload's staging, the tests' copies) reads the same
    # files. The tables are handed out under this folder's paths and labels; problems name the folder they were
    # found in, so a result with problems kept from another folder is read again here.
    fixed_key = ("fixed", today, tuple((filename, _digest(folder / filename)) for filename in INPUT_FILES.values()))
    fixed = _checked(fixed_key, lambda: _read_fixed(folder, today))
    if (fixed.read_problems or fixed.rule_problems) and fixed.folder != folder:
        fixed = _read_fixed(folder, today)
    tables = {
        name: _copy(table, path=folder / INPUT_FILES[name], label=_label(folder, folder / INPUT_FILES[name]))
        for name, table in fixed.tables.items()
    }
    problems = list(fixed.read_problems)
    read: list[tuple[CsvTable, tuple]] = []  # each record file and the key of its bytes
    sources = [(path, _label(folder, path)) for path in activity_files(folder)] + list(extra_activities)
    for path, label in sources:
        try:
            # Keyed on the kind and the bytes, as the fixed inputs: the same file in another copy of data/ (an
            # upload's staging, the tests' copies) is not read again; it is handed out under its own path and label.
            key = (ledger.kind_of(path), _digest(path))
            kept = _checked(("records", *key), lambda path=path, label=label: _read_record_file(path, label))
            read.append((_copy(kept, path=path, label=label), key))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    rules = fixed.rules
    problems.extend(fixed.rule_problems)
    for table, key in read:
        schema = "withdrawals" if key[0] == ledger.WITHDRAWAL else "activities"
        found = _checked(
            ("record problems", *key, fixed_key),
            lambda table=table, schema=schema: (table.label, tuple(problems_from(table, rules[schema]))),
        )
        if found[1] and found[0] != table.label:  # problems name their file: found in another copy, found again here
            found = (table.label, tuple(problems_from(table, rules[schema])))
        problems.extend(found[1])
    activities = [table for table, _ in read]  # copies already (_copy above)
    target_changes = []
    target_sources = [(path, _label(folder, path)) for path in target_files(folder)] + list(extra_targets)
    for path, label in target_sources:  # targets set in the app, each checked as data/targets.csv is
        try:
            target_changes.append(read_csv(path, schemas.COLUMNS["targets"], label=label))
            problems.extend(problems_from(target_changes[-1], rules["targets"]))
        except InputError as exc:
            problems.extend(exc.problems)
    if not problems and target_changes:
        merged, overlaps = ledger.merge_targets(tables["targets"], target_changes)
        problems.extend(overlaps)
        tables["targets"] = dataclasses.replace(tables["targets"], frame=merged)
    audit_log = folder / ACTIVITIES_DIR / AUDIT_FILE
    if audit_log.exists():  # who changed what: checked on every build, kept out of the database and the open data
        try:
            log = read_csv(audit_log, AUDIT_COLUMNS, label=_label(folder, audit_log))
            problems.extend(problems_from(log, schemas.audit_schema()))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    resolved = ledger.resolve(activities)
    if resolved.problems:
        raise InputError(resolved.problems)
    return Inputs(tables, input_hashes(folder), activities, resolved.standing)


def validate_activities(folder: Path, path: Path, label: str, today: date | None = None) -> list[Problem]:
    """Problems of one new activity file checked with everything in `folder` (empty: it can be added)."""
    try:
        load_inputs(folder, today, extra_activities=[(path, label)])
    except InputError as exc:
        return exc.problems
    return []


def validate_targets(folder: Path, path: Path, label: str, today: date | None = None) -> list[Problem]:
    """Problems of one new targets file checked with the targets in force (empty: it can be added)."""
    try:
        load_inputs(folder, today, extra_targets=[(path, label)])
    except InputError as exc:
        return exc.problems
    return []


def _typed(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Types and order for the database; rows sorted so that two builds hold the same content."""
    dates, nulls = engagement.typed_dates, engagement.empty_to_null

    states = dates(nulls(inputs.frame("states"), "un_regional_group", "iso2"), "un_member_since")
    states["lat"] = states.lat.astype(float)
    states["lon"] = states.lon.astype(float)
    events = dates(nulls(inputs.frame("treaty_events"), "note"), "event_date")
    membership = dates(nulls(inputs.frame("group_membership"), "note"), "valid_from", "valid_to")
    targets = dates(inputs.frame("targets"), "period_start", "period_end")
    targets["value"] = targets.value.astype(int)
    return {
        "states": states.sort_values("iso3"),
        "state_aliases": nulls(inputs.frame("state_aliases"), "iso3", "note").sort_values("alias"),
        "treaty_events": events.sort_values(["iso3", "treaty", "event_date", "event"]),
        "groups": nulls(inputs.frame("groups"), "note").sort_values("group_code"),
        "group_membership": membership.sort_values(["group_code", "iso3", "valid_from"], na_position="first"),
        "datasets": dates(nulls(inputs.frame("datasets"), "note"), "as_of").sort_values("dataset"),
        "targets": targets.sort_values(["metric", "period_start"]),
        "territories": _typed_territories(inputs.frame("territories")),
        "territorial_application": dates(
            nulls(inputs.frame("territorial_application"), "valid_from", "valid_to"), "valid_from", "valid_to"
        ).sort_values(["m49", "treaty", "party_iso3", "valid_from"], na_position="first"),
        "activities": _typed_activities(inputs.activities, inputs.standing or {}),
        **engagement.typed({name: inputs.frame(name) for name in engagement.COLUMNS}, events),
    }


def _typed_territories(frame: pd.DataFrame) -> pd.DataFrame:
    frame = engagement.empty_to_null(frame, "administering_iso3", "un_note", "untc_names")
    return frame.assign(nsgt=frame.nsgt == "true").sort_values("m49")


def _typed_activities(tables: list[CsvTable], standing: dict[str, tuple[int, object]]) -> pd.DataFrame:
    """The standing version of each activity (etl/ledger.py), with the file it comes from."""
    columns = [*schemas.COLUMNS["activities"], *schemas.ACTIVITY_OPTIONAL_COLUMNS]
    rows: dict[int, list] = {}
    for number, index in standing.values():
        rows.setdefault(number, []).append(index)
    frames = [tables[n].frame.loc[sorted(rows[n])].assign(record_file=tables[n].label) for n in sorted(rows)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*columns, "record_file"], dtype=object)
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.date
    for column in ("senior_officials", "participants"):
        frame[column] = frame[column].astype("int64")
    for column in ("is_public", "is_sample", "counts_toward_targets"):
        frame[column] = frame[column] == "true"
    for column in ("iso3", "source", "note"):
        frame[column] = frame[column].replace("", None)
    frame["level"] = frame.level.where(frame.level != "", None)
    frame.loc[frame.level.isna() & ~frame.is_sample, "level"] = "primary"
    return frame[[*columns, "record_file"]].sort_values(["start_date", "activity_id"])


DDL = {
    "states": """
        create table states (
            iso3 varchar primary key, iso2 varchar, m49 varchar not null, name_en varchar not null,
            name_fr varchar not null, name_es varchar not null,
            kind varchar not null check (kind in ('member', 'observer', 'other')),
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
            group_code varchar primary key, name_en varchar, name_fr varchar, name_es varchar,
            source varchar not null, note varchar)""",
    "group_membership": """
        create table group_membership (
            iso3 varchar not null references states, group_code varchar not null references groups,
            valid_from date, valid_to date, source varchar not null, note varchar)""",
    "targets": """
        create table targets (
            metric varchar not null, period_start date not null, period_end date not null,
            comparator varchar not null check (comparator in ('at_least', 'up_to')), value integer not null,
            unit varchar not null, strategy varchar not null, source varchar not null,
            primary key (metric, period_start))""",
    "activities": """
        create table activities (
            activity_id varchar primary key, start_date date not null, end_date date not null,
            kind varchar not null check (kind in ('country_visit', 'study_visit', 'remote_advice', 'seminar',
                                                  'workshop', 'conference', 'forum')),
            iso3 varchar references states, senior_officials integer not null check (senior_officials >= 0),
            participants integer not null check (participants >= 0), title varchar not null,
            is_public boolean not null, is_sample boolean not null, source varchar,
            date_precision varchar not null check (date_precision in ('day', 'month', 'year')),
            counts_toward_targets boolean not null, note varchar,
            level varchar check (level in ('primary', 'secondary')), record_file varchar not null,
            check (end_date >= start_date))""",
    "territories": """
        create table territories (
            m49 varchar primary key, iso3 varchar not null, name_en varchar not null, name_fr varchar not null,
            name_es varchar not null, administering_iso3 varchar references states, administering_source varchar not null,
            nsgt boolean not null, un_note varchar, untc_names varchar)""",
    "territorial_application": """
        create table territorial_application (
            m49 varchar not null references territories, treaty varchar not null,
            party_iso3 varchar not null references states,
            effect varchar not null check (effect in ('applies', 'excluded')), valid_from date, valid_to date,
            untc_note varchar not null, source varchar not null, note varchar not null)""",
    **engagement.DDL,
    "datasets": "create table datasets (dataset varchar primary key, as_of date not null, source varchar not null, note varchar)",
    "etl_runs": """
        create table etl_runs (
            run_id integer primary key, started_at timestamptz not null, finished_at timestamptz not null,
            input_hashes json not null, row_counts json not null, data_as_of date not null, code_version varchar)""",
}


def _previous_runs(database: Path) -> pd.DataFrame | None:
    if not database.exists():
        return None
    try:
        with connect_read_only(database) as old:
            return old.sql("select * from etl_runs order by run_id").df()
    except duckdb.Error:
        return None


def data_as_of(frames: dict[str, pd.DataFrame]) -> date:
    """The treaty data's as-of date: the date up to which the treaty events are verified complete."""
    datasets = frames["datasets"].set_index("dataset")
    return datasets.at["treaty_events", "as_of"]


def remove_stale_temporaries(database: Path) -> list[Path]:
    """Delete the temporary files (`<name>.tmp-<pid>` and its `.wal`) of builds whose process is gone.

    Called under the build lock, so this process's own leftovers are stale too.
    """
    removed = []
    for path in database.parent.glob(f"{database.name}.tmp-*"):
        match = re.fullmatch(rf"{re.escape(database.name)}\.tmp-(\d+)(\.wal)?", path.name)
        if match and (int(match.group(1)) == os.getpid() or not process_running(int(match.group(1)))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# One build at a time in a process (an upload, a repair of a damaged file): they share the temporary file's name.
_build_lock = threading.RLock()


def build(
    folder: Path | None = None, database: Path | None = None, quiet: bool = False, today: date | None = None
) -> dict[str, int]:
    """Validate data/ and swap in a new database; on any error the old file is untouched and the temporary one removed."""
    with _build_lock:
        return _build(Path(folder or default_data_dir()), Path(database or default_database_path()), quiet, today)


def _build(folder: Path, database: Path, quiet: bool, today: date | None) -> dict[str, int]:
    started = datetime.now(UTC)
    _say(f"[etl] load inputs from {folder}", quiet)
    inputs = load_inputs(folder, today)
    tables = [*inputs.tables.values(), *inputs.activities]
    _say(f"[etl] validated {sum(len(t.frame) for t in tables)} rows in {len(tables)} files", quiet)
    frames = _typed(inputs)
    broken = invariants.violations(inputs.tables, frames, today or date.today())
    if broken:
        raise InputError(broken)
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_temporaries(database):
        _say(f"[etl] removed {stale.name}, left by a build that did not finish", quiet)
    temporary = database.with_name(f"{database.name}.tmp-{os.getpid()}")
    previous = _previous_runs(database)
    counts = {name: len(frame) for name, frame in frames.items()}
    try:
        _say(f"[etl] write {temporary.name}", quiet)
        with duckdb.connect(str(temporary)) as con:
            con.execute("begin")  # one commit for the whole file, not one per statement (a tenth of the write)
            for name, frame in frames.items():
                con.execute(DDL[name])
                con.register("incoming", frame)
                con.execute(f"insert into {name} select * from incoming")  # noqa: S608 - fixed table names
                con.unregister("incoming")
            con.execute(CONTRACT_SQL.read_text(encoding="utf-8"))
            con.execute(DDL["etl_runs"])
            if previous is not None and len(previous):
                con.register("previous", previous)
                con.execute("insert into etl_runs by name select * from previous")
            run_id = 1 if previous is None or not len(previous) else int(previous.run_id.max()) + 1
            con.execute(
                "insert into etl_runs values (?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    started,
                    datetime.now(UTC),
                    json.dumps(inputs.hashes, sort_keys=True),
                    json.dumps(counts, sort_keys=True),
                    data_as_of(frames),
                    code_version(),
                ],
            )
            con.execute("commit")
            _check_contract(con)
            con.execute("checkpoint")
        os.replace(temporary, database)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        temporary.with_name(f"{temporary.name}.wal").unlink(missing_ok=True)
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
