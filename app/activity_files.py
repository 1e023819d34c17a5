"""Secretariat uploads of activity records: limits, templates, XLSX to CSV, the ETL's checks, dated storage, rebuild."""

from __future__ import annotations

import csv
import io
import logging
import posixpath
import re
import tempfile
import threading
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# ElementTree resolves no external entity, and the expat it uses (2.4.1 and later) refuses entity expansion
# attacks; the members it reads are bounded by XLSX_INFLATION before any is parsed.
from xml.etree.ElementTree import ParseError, iterparse  # noqa: S405

import numpy as np
import pandas as pd

from core import exports
from core.config import data_dir, database_path, upload_limits
from core.duckdb_files import connect_read_only
from etl import ledger
from etl.build import ACTIVITIES_DIR, activity_files, build, target_files, validate_activities, validate_targets
from etl.schemas import COLUMNS
from etl.validate import SHOWN_PROBLEMS, Problem

TEMPLATE_COLUMNS = COLUMNS["activities"]
# A clearly fictitious row: flagged as sample so that a template uploaded unchanged is never taken as real.
TEMPLATE_EXAMPLE = {
    "activity_id": "2026-001",
    "start_date": "2026-03-02",
    "end_date": "2026-03-04",
    "kind": "seminar",
    "iso3": "",
    "senior_officials": "12",
    "participants": "40",
    "title": "Example – replace this row with a real activity",
    "is_public": "false",
    "is_sample": "true",
    "source": "example row of the upload template",
}
_rebuild_lock = threading.Lock()
# A workbook unpacks to at most this many times the upload limit: a real sheet of the limit's rows fits easily.
XLSX_INFLATION = 5
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


@dataclass(frozen=True)
class Duplicate:
    """A row of an upload that looks like a record already stored (the same activity under a new id, perhaps)."""

    line: int
    activity_id: str
    recorded_id: str
    recorded_file: str  # "" when like an earlier row of the same file
    why: str  # "state_kind_date" or "title_date"
    earlier_line: int | None = None  # the row of the same file it is like (None: like a stored record)


@dataclass
class UploadResult:
    problems: list[Problem] = field(default_factory=list)  # the first SHOWN_PROBLEMS of them
    stored: str | None = None
    rows: int = 0
    total_activities: int = 0
    problem_count: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)  # nothing stored until added anyway

    def __post_init__(self):
        self.problem_count = max(self.problem_count, len(self.problems))
        self.problems = self.problems[:SHOWN_PROBLEMS]

    @property
    def ok(self) -> bool:
        return not self.problems and self.stored is not None


# The detail download: the template's columns, then the optional ones a record may carry, so that a download
# corrected and uploaded back as corrections replaces each record with everything it had.
EXPORT_COLUMNS = [*TEMPLATE_COLUMNS, "date_precision", "counts_toward_targets", "note", "level"]


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(int(value)) if isinstance(value, int | np.integer) else str(value)


def records_rows(records: pd.DataFrame) -> list[list[str]]:
    """Records (queries.activity_detail) as rows in EXPORT_COLUMNS, each value as an upload would type it."""
    return [[_cell(record[column]) for column in EXPORT_COLUMNS] for _, record in records.iterrows()]


def records_csv(records: pd.DataFrame) -> bytes:
    """The records in the template's columns as CSV with a byte-order mark (Excel then reads UTF-8: «Côte d'Ivoire»)."""
    return "\ufeff".encode() + exports.csv_rows(EXPORT_COLUMNS, records_rows(records))


def records_xlsx(records: pd.DataFrame) -> bytes:
    return exports.xlsx_bytes("activities", EXPORT_COLUMNS, records_rows(records))


def template_csv() -> bytes:
    return exports.csv_rows(TEMPLATE_COLUMNS, [[TEMPLATE_EXAMPLE[c] for c in TEMPLATE_COLUMNS]])


def template_xlsx(states: dict[str, str] | None = None, instructions: list[str] | None = None) -> bytes:
    """The XLSX template: headers frozen, drop-downs (kinds, true/false, ISO3 codes with their names beside them
    in the `lists` sheet), the instructions on their own sheet; the sheet to fill stays the first."""
    from core.vocabulary import ACTIVITY_KINDS

    states = states or {}
    booleans = ["true", "false"]
    return exports.xlsx_template(
        "activities",
        TEMPLATE_COLUMNS,
        [[TEMPLATE_EXAMPLE[c] for c in TEMPLATE_COLUMNS]],
        {"kind": sorted(ACTIVITY_KINDS), "is_public": booleans, "is_sample": booleans, "iso3": sorted(states)},
        instructions or [],
        {"iso3": [states[code] for code in sorted(states)]},
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def csv_too_large(content: bytes, max_bytes: int, max_rows: int) -> str | None:
    """Why a CSV is over the limits, from its size and its line count alone (before any parsing), or None."""
    if len(content) > max_bytes:
        return f"the file is {_megabytes(len(content))}; the limit is {_megabytes(max_bytes)}"
    lines = max(content.count(b"\n"), content.count(b"\r"))
    if lines > max_rows + 1:
        return f"the file has {lines:,} lines; the limit is {max_rows:,} rows and the header"
    return None


def _tags_in(member, pattern: re.Pattern, limit: int) -> int:
    """Count the XML tags matching `pattern` in an archive member, reading 1 MB at a time, stopping past `limit`."""
    found, pending = 0, b""
    while chunk := member.read(1 << 20):
        pending += chunk
        cut = pending.rfind(b"<")
        if cut < len(pending) - 64:  # no tag begins near the end: nothing to carry to the next chunk
            cut = len(pending)
        found += len(pattern.findall(pending, 0, cut))
        pending = pending[cut:]
        if found > limit:
            return found
    return found + len(pattern.findall(pending))


def xlsx_too_large(content: bytes, max_bytes: int, max_rows: int) -> str | None:
    """Why a workbook is over the limits, read from the archive before the workbook is parsed, or None.

    The sizes are those the archive declares for its members; Python's zipfile never inflates a member
    beyond its declared size, so a zip bomb is caught here. Rows and cells are counted in the
    worksheets' XML as it streams, so a sheet of a million empty rows is caught as well; then the
    text the cells expand to (a short shared string may be referenced by every cell) is summed as the
    sheets stream, and may not exceed the limit a CSV file has.
    """
    if len(content) > max_bytes:
        return f"the file is {_megabytes(len(content))}; the limit is {_megabytes(max_bytes)}"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > XLSX_INFLATION * max_bytes:
                return f"the workbook unpacks to {_megabytes(unpacked)}; the limit is {_megabytes(XLSX_INFLATION * max_bytes)}"
            sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
            rows = cells = 0
            max_cells = (max_rows + 1) * 2 * len(TEMPLATE_COLUMNS)
            for sheet in sheets:
                with archive.open(sheet) as member:
                    rows += _tags_in(member, _ROW_TAG, max_rows + 1)
                if rows > max_rows + 1:
                    return f"the workbook has more than {max_rows:,} rows; the limit is {max_rows:,} rows and the header"
                with archive.open(sheet) as member:
                    cells += _tags_in(member, _CELL_TAG, max_cells)
                if cells > max_cells:
                    return f"the workbook has more than {max_cells:,} cells; the limit is {max_cells:,}"
            return _expands_too_far(archive, sheets, max_bytes, max_cells)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError, ParseError) as exc:
        return f"not a readable XLSX workbook ({type(exc).__name__})"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _shared_string_lengths(archive: zipfile.ZipFile, max_cells: int) -> array | None:
    """The length of each shared string, read as the table streams (None: the workbook has none)."""
    names = set(archive.namelist())
    target = "xl/sharedStrings.xml"
    if "xl/_rels/workbook.xml.rels" in names:  # where the workbook says its shared strings are
        for _, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):  # noqa: S314 - see the import
            if _local(element.tag) == "Relationship" and element.get("Type", "").endswith("/sharedStrings"):
                target = posixpath.normpath(posixpath.join("xl", element.get("Target", ""))).lstrip("/")
    if target not in names:
        return None
    lengths, length = array("Q"), 0
    for event, element in iterparse(archive.open(target), events=("start", "end")):  # noqa: S314 - see the import
        kind = _local(element.tag)
        if event == "start" and kind == "si":
            length = 0
        elif event == "end" and kind == "t":
            length += len(element.text or "")
        elif event == "end" and kind == "si":
            lengths.append(length)
            element.clear()
            if len(lengths) > max_cells:
                raise ValueError("more shared strings than cells")
    return lengths


def _expands_too_far(archive: zipfile.ZipFile, sheets: list, max_bytes: int, max_cells: int) -> str | None:
    """Why the sheets' cells expand to more text than a CSV upload may hold, or None, streaming every sheet."""
    shared = _shared_string_lengths(archive, max_cells)
    expanded = 0
    for sheet in sheets:
        kind, value = None, 0
        for event, element in iterparse(archive.open(sheet), events=("start", "end")):  # noqa: S314 - see the import
            tag = _local(element.tag)
            if event == "start":
                if tag == "c":
                    kind, value = element.get("t"), 0
                continue
            if tag in ("v", "t") and kind is not None:
                text = element.text or ""
                if kind == "s" and tag == "v":
                    index = int(text) if text.strip().isdigit() else -1
                    value += shared[index] if shared is not None and 0 <= index < len(shared) else len(text)
                else:
                    value += len(text)
            elif tag == "c":
                expanded += value + 1  # its text and a separator
                kind = None
                if expanded > max_bytes:
                    return f"the workbook's cells expand to more than {_megabytes(max_bytes)} of text, the limit of an upload"
            if tag in ("c", "row"):
                element.clear()
    return None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_to_csv(content: bytes, max_bytes: int | None = None) -> bytes:
    """The first sheet as UTF-8 CSV; spreadsheet row n becomes line n, so messages name the same row.

    With `max_bytes`, stops (ValueError) as soon as the text passes it, whatever the checks before let through.
    """
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        writer.writerow(cells)
        if max_bytes is not None and buffer.tell() > max_bytes:
            book.close()
            raise ValueError("the sheet's text is over the limit")
    book.close()
    return buffer.getvalue().encode("utf-8")


def _stored_name(folder: Path, now: datetime, suffix: str, kind: str = ledger.NEW) -> Path:
    """A new file name with the time's stamp, unique across the kinds of record file (the ledger's order)."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    tail, n = "", 1
    while any(folder.glob(f"*_{stamp}{tail}.*")):
        n += 1
        tail = f"_{n}"
    return folder / f"{kind}_{stamp}{tail}{suffix}"


def publish_open_data(database: Path) -> None:
    """Rewrite the open data from the database just built: a record the state made public belongs there at once."""
    try:
        from etl.opendata import publish  # frictionless is slow to import: only when needed

        publish(database)
    except Exception:  # the upload is stored and the database rebuilt; `python -m etl` publishes again
        logging.getLogger(__name__).exception("open data not published again after the upload")


def add_activities(
    filename: str,
    content: bytes,
    folder: Path | None = None,
    database: Path | None = None,
    today: date | None = None,
    now: datetime | None = None,
    limits: tuple[int, int] | None = None,
    reopen: Callable[[], object] | None = None,
    kind: str = ledger.NEW,
    add_anyway: bool = False,
) -> UploadResult:
    """Validate an uploaded CSV or XLSX; if valid, store it as a new dated CSV, rebuild the database and the open data.

    New records that look like stored ones (likely_duplicates) are returned, and nothing stored, unless `add_anyway`.

    `kind`: ledger.NEW (new records) or ledger.CORRECTION (each row replaces the recorded version of its id).
    The size and row limits (bytes, rows; default `upload_limits()`) are checked first, before any
    parsing. Nothing in `folder` is overwritten or deleted; on any problem nothing is stored and the
    database is kept. At most SHOWN_PROBLEMS problems are returned, with their total count.
    `reopen`: in the app, reopens its connection on the new file before the open data are read from it
    (DuckDB hands a new connection to a path the instance already open in the process: the replaced file).
    """
    folder = Path(folder or data_dir())
    database = Path(database or database_path())
    max_bytes, max_rows = limits or upload_limits()
    label = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        too_large = xlsx_too_large(content, max_bytes, max_rows)
        if too_large:
            return UploadResult([Problem(label, 1, 1, "", "", too_large)])
        try:
            text = xlsx_to_csv(content, max_bytes)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
            return UploadResult([Problem(label, 1, 1, "", "", f"not a readable XLSX workbook ({type(exc).__name__})")])
    elif suffix == ".csv":
        too_large = csv_too_large(content, max_bytes, max_rows)
        if too_large:
            return UploadResult([Problem(label, 1, 1, "", "", too_large)])
        text = content
    else:
        return UploadResult([Problem(label, 1, 1, "", "", "not a CSV or XLSX file")])
    with _rebuild_lock, tempfile.TemporaryDirectory(prefix="uncat-upload-") as staging:
        staged = Path(staging) / f"{kind}_upload.csv"
        staged.write_bytes(text)
        problems = validate_activities(folder, staged, label, today)
        if problems:
            return UploadResult(problems)
        records = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))[1:]
        rows = sum(1 for record in records if any(cell.strip() for cell in record))
        if not rows:  # nothing to add: a new dated file would only say that an upload happened
            return UploadResult([Problem(label, 2, 1, "", "", "no activity record: the file holds only its header")])
        examples = example_rows(text, label)
        if examples:  # the template's example row, left in: never stored, whatever else the file holds
            return UploadResult(examples)
        if kind == ledger.NEW and not add_anyway:
            duplicates = likely_duplicates(text, database)
            if duplicates:
                return UploadResult(duplicates=duplicates)
        target_folder = folder / ACTIVITIES_DIR
        target_folder.mkdir(parents=True, exist_ok=True)
        stored = _stored_name(target_folder, now or datetime.now(), ".csv", kind)
        kept = []
        with stored.open("xb") as handle:  # "x": never overwrite
            handle.write(text)
        kept.append(stored)
        if suffix == ".xlsx":
            original = stored.with_suffix(".xlsx")
            with original.open("xb") as handle:
                handle.write(content)
            kept.append(original)
        try:
            counts = build(folder, database, quiet=True, today=today)
        except Exception:
            for path in kept:
                path.unlink(missing_ok=True)
            raise
        if reopen is not None:
            reopen()
        publish_open_data(database)
    return UploadResult([], stored.name, rows, counts["activities"])


def example_rows(text: bytes, label: str) -> list[Problem]:
    """A problem for each row that is still the template's example (its title), so that it is never stored."""
    reader = csv.DictReader(io.StringIO(text.decode("utf-8-sig")))
    column = (reader.fieldnames or []).index("title") + 1 if "title" in (reader.fieldnames or []) else 1
    found, previous = [], 1
    for row in reader:
        line, previous = previous + 1, reader.line_num
        if (row.get("title") or "").strip() == TEMPLATE_EXAMPLE["title"]:
            reason = "the template's example row: replace it with a real activity or delete it"
            found.append(Problem(label, line, column, "title", row["title"], reason))
    return found


def likely_duplicates(text: bytes, database: Path) -> list[Duplicate]:
    """Rows of a valid upload like a stored record or an earlier row of the same file: the same state, kind and
    start date, or the same title and start date.

    Titles are compared without case or surrounding spaces; a multi-state event (no state) is compared by its title.
    A row like a stored record is reported as such; otherwise as like the first earlier row of the file it matches.
    """
    stored = []
    if database.exists():  # nothing built yet (a first build from the command line): no stored record to compare with
        with connect_read_only(database) as con:
            stored = con.execute(
                "select activity_id, coalesce(iso3, ''), kind, strftime(start_date, '%Y-%m-%d'), title, record_file "
                "from activities order by start_date, activity_id"
            ).fetchall()
    by_state, by_title = {}, {}
    for activity_id, iso3, kind, start, title, record_file in stored:
        if iso3:
            by_state.setdefault((iso3, kind, start), (activity_id, Path(record_file).name, None))
        by_title.setdefault((title.strip().casefold(), start), (activity_id, Path(record_file).name, None))
    in_file_state, in_file_title = {}, {}
    found = []
    reader = csv.DictReader(io.StringIO(text.decode("utf-8-sig")))
    previous = 1  # the header's last line: a row starts on the line after the one before ended
    for row in reader:
        line, previous = previous + 1, reader.line_num
        iso3, kind, start = ((row.get(c) or "").strip() for c in ("iso3", "kind", "start_date"))
        title = (row.get("title") or "").strip().casefold()
        activity_id = (row.get("activity_id") or "").strip()
        match, why = None, ""
        for state_index, title_index in ((by_state, by_title), (in_file_state, in_file_title)):
            match = state_index.get((iso3, kind, start)) if iso3 else None
            why = "state_kind_date"
            if match is None:
                match, why = title_index.get((title, start)), "title_date"
            if match is not None:
                break
        if match is not None:
            found.append(Duplicate(line, row.get("activity_id", ""), match[0], match[1], why, match[2]))
        if iso3:
            in_file_state.setdefault((iso3, kind, start), (activity_id, "", line))
        in_file_title.setdefault((title, start), (activity_id, "", line))
    return found


def _rebuild_and_publish(folder: Path, database: Path, today: date | None, reopen: Callable[[], object] | None) -> int:
    counts = build(folder, database, quiet=True, today=today)
    if reopen is not None:
        reopen()
    publish_open_data(database)
    return counts["activities"]


def _as_typed_csv(rows: list[list]) -> bytes:
    """Rows as the CSV kept in data/: stored as typed, like an upload (the apostrophe rule of core.exports applies
    to files handed out, not to the records themselves)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _store_and_rebuild(
    text: bytes, kind: str, folder: Path, database: Path, today: date | None, now: datetime | None, reopen
) -> tuple[Path, int]:
    """Store `text` as a new dated file of `kind` (never over another), then rebuild and publish; a failed rebuild
    removes the file it just stored, so the data/ folder is as it was. Returns the file and the records built."""
    target_folder = folder / ACTIVITIES_DIR
    target_folder.mkdir(parents=True, exist_ok=True)
    stored = _stored_name(target_folder, now or datetime.now(), ".csv", kind)
    with stored.open("xb") as handle:
        handle.write(text)
    try:
        return stored, _rebuild_and_publish(folder, database, today, reopen)
    except Exception:
        stored.unlink(missing_ok=True)
        raise


def withdraw(
    entries: list[tuple[str, str]],
    reason: str,
    folder: Path | None = None,
    database: Path | None = None,
    today: date | None = None,
    now: datetime | None = None,
    reopen: Callable[[], object] | None = None,
) -> UploadResult:
    """Withdraw records: (activity_id, record_file) pairs, record_file "" for the activity as it stands.

    Stored as a new withdrawals file (etl/ledger.py); the records withdrawn stay on disk in their files.
    """
    folder = Path(folder or data_dir())
    database = Path(database or database_path())
    label = "withdrawal"
    if not reason.strip():
        return UploadResult([Problem(label, 1, 3, "reason", "", "say why the records are withdrawn")])
    if not entries:
        return UploadResult([Problem(label, 1, 1, "activity_id", "", "choose at least one record")])
    text = _as_typed_csv([ledger.WITHDRAWAL_COLUMNS, *[[i, f, reason.strip()] for i, f in entries]])
    with _rebuild_lock, tempfile.TemporaryDirectory(prefix="uncat-withdraw-") as staging:
        staged = Path(staging) / f"{ledger.WITHDRAWAL}_upload.csv"
        staged.write_bytes(text)
        problems = validate_activities(folder, staged, label, today)
        if problems:
            return UploadResult(problems)
        stored, total = _store_and_rebuild(text, ledger.WITHDRAWAL, folder, database, today, now, reopen)
    return UploadResult([], stored.name, len(entries), total)


def set_targets(
    rows: list[dict[str, str]],
    folder: Path | None = None,
    database: Path | None = None,
    today: date | None = None,
    now: datetime | None = None,
    reopen: Callable[[], object] | None = None,
) -> UploadResult:
    """Set targets: rows in the columns of data/targets.csv, stored as a new `targets_<stamp>.csv` (etl/ledger.py).

    Checked as the ETL checks data/targets.csv, with the targets in force: a row replaces the target of the same
    metric and period (the earlier one stays in its file), a period overlapping another of its metric is refused.
    """
    folder = Path(folder or data_dir())
    database = Path(database or database_path())
    label = "targets"
    if not rows:
        return UploadResult([Problem(label, 1, 1, "metric", "", "set at least one target")])
    columns = COLUMNS["targets"]
    text = _as_typed_csv([columns, *[[str(row.get(c, "")).strip() for c in columns] for row in rows]])
    with _rebuild_lock, tempfile.TemporaryDirectory(prefix="uncat-targets-") as staging:
        staged = Path(staging) / "targets_set.csv"
        staged.write_bytes(text)
        problems = validate_targets(folder, staged, label, today)
        if problems:
            return UploadResult(problems[:SHOWN_PROBLEMS], problem_count=len(problems))
        stored, total = _store_and_rebuild(text, "targets", folder, database, today, now, reopen)
    return UploadResult([], stored.name, len(rows), total)


def targets_history(folder: Path | None = None) -> list[dict[str, str]]:
    """Every target set in the app, newest file first: the file, then the row as stored."""
    found = []
    for path in reversed(target_files(Path(folder or data_dir()))):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            found.append({"file": path.name, "when": ledger.stamp_of(path) or "", **row})
    return found


def standing_by_file(database_records) -> dict[str, list[str]]:
    """File name -> the activity ids whose standing version it holds (from the database's record_file)."""
    by_file: dict[str, list[str]] = {}
    for activity_id, record_file in zip(database_records.activity_id, database_records.record_file, strict=True):
        by_file.setdefault(Path(record_file).name, []).append(activity_id)
    return by_file


def last_upload(folder: Path, standing: dict[str, list[str]]) -> tuple[str, list[str]] | None:
    """The newest dated upload or correction that still holds standing versions, and their ids (None: nothing to undo)."""
    for path in reversed(activity_files(folder)):
        if ledger.stamp_of(path) and ledger.kind_of(path) != ledger.WITHDRAWAL and standing.get(path.name):
            return path.name, sorted(standing[path.name])
    return None


def undo_upload(name: str, ids: list[str], reason: str, **kwargs) -> UploadResult:
    """Undo an upload: withdraw the versions it added (its corrections fall back to the version before)."""
    return withdraw([(activity_id, name) for activity_id in ids], reason, **kwargs)


@dataclass(frozen=True)
class HistoryEntry:
    file: str
    kind: str  # activities, corrections, withdrawals
    stamp: datetime | None
    records: int
    reason: str


def history(folder: Path | None = None) -> list[HistoryEntry]:
    """Every record file, newest first: what was added, corrected or withdrawn, and when (from its stamp)."""
    folder = Path(folder or data_dir())
    entries = []
    for path in activity_files(folder):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        stamp = ledger.stamp_of(path)
        reasons = sorted({row.get("reason", "") for row in rows} - {""})
        entries.append(
            HistoryEntry(
                path.name,
                ledger.kind_of(path),
                datetime.strptime(stamp, "%Y%m%dT%H%M%S") if stamp else None,
                len(rows),
                "; ".join(reasons),
            )
        )
    return entries[::-1]
