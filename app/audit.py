"""The Secretariat's audit log: who changed the records or the targets, when, in which file, what and why (append-only CSV)."""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime
from pathlib import Path

from core.config import data_dir
from core.vocabulary import AUDIT_ACTIONS, AUDIT_COLUMNS, AUDIT_FILE

ACTIVITIES_DIR = "activities"  # etl.build.ACTIVITIES_DIR

# Beside the record files, in the volume that keeps uploads across containers; never in the database or the open data.
COLUMNS = AUDIT_COLUMNS
ACTIONS = AUDIT_ACTIONS
_lock = threading.Lock()


def path(folder: Path | None = None) -> Path:
    return Path(folder or data_dir()) / ACTIVITIES_DIR / AUDIT_FILE


def record(
    account: str,
    action: str,
    file: str,
    records: int,
    changed: str,
    reason: str = "",
    folder: Path | None = None,
    now: datetime | None = None,
) -> None:
    """Append one line (the file is only ever appended to; its header written when it is new)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    target = path(folder)
    row = [(now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S"), account, action, file, str(records), changed, reason]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with _lock:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.stat().st_size == 0:
            writer.writerow(COLUMNS)
        writer.writerow(row)
        with target.open("a", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())


def read(folder: Path | None = None) -> list[dict[str, str]]:
    """Every line, newest first."""
    target = path(folder)
    if not target.exists():
        return []
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))[::-1]
