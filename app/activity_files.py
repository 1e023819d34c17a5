"""Secretariat uploads of activity records: templates, XLSX to CSV, validation with the ETL's rules, dated storage, rebuild."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.config import data_dir, database_path
from etl.build import ACTIVITIES_DIR, build, validate_activities
from etl.schemas import COLUMNS
from etl.validate import Problem

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


@dataclass
class UploadResult:
    problems: list[Problem] = field(default_factory=list)
    stored: str | None = None
    rows: int = 0
    total_activities: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and self.stored is not None


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    return buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    sheet.append(TEMPLATE_COLUMNS)
    sheet.append([TEMPLATE_EXAMPLE[c] for c in TEMPLATE_COLUMNS])
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = "@"  # text: dates stay YYYY-MM-DD
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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


def xlsx_to_csv(content: bytes) -> bytes:
    """The first sheet as UTF-8 CSV; spreadsheet row n becomes line n, so messages name the same row."""
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
    book.close()
    return buffer.getvalue().encode("utf-8")


def _stored_name(folder: Path, now: datetime, suffix: str) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    candidate, n = folder / f"activities_{stamp}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"activities_{stamp}_{n}{suffix}"
    return candidate


def add_activities(
    filename: str,
    content: bytes,
    folder: Path | None = None,
    database: Path | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> UploadResult:
    """Validate an uploaded CSV or XLSX; if valid, store it as a new dated CSV and rebuild the database.

    Nothing in `folder` is overwritten or deleted; on any problem nothing is stored and the database is kept.
    """
    folder = Path(folder or data_dir())
    database = Path(database or database_path())
    label = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            text = xlsx_to_csv(content)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
            return UploadResult([Problem(label, 1, 1, "", "", f"not a readable XLSX workbook ({type(exc).__name__})")])
    elif suffix == ".csv":
        text = content
    else:
        return UploadResult([Problem(label, 1, 1, "", "", "not a CSV or XLSX file")])
    with _rebuild_lock, tempfile.TemporaryDirectory(prefix="uncat-upload-") as staging:
        staged = Path(staging) / "activities_upload.csv"
        staged.write_bytes(text)
        problems = validate_activities(folder, staged, label, today)
        if problems:
            return UploadResult(problems)
        target_folder = folder / ACTIVITIES_DIR
        target_folder.mkdir(parents=True, exist_ok=True)
        stored = _stored_name(target_folder, now or datetime.now(), ".csv")
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
        try:  # a record the state made public belongs in the open data at once
            from etl.opendata import publish  # frictionless is slow to import: only when needed

            publish(database)
        except Exception:  # the upload is stored and the database rebuilt; `python -m etl` publishes again
            logging.getLogger(__name__).exception("open data not published again after the upload")
    records = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))[1:]
    rows = sum(1 for record in records if any(cell.strip() for cell in record))
    return UploadResult([], stored.name, rows, counts["activities"])
