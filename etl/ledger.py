"""The activity records as an append-only ledger: new records, corrections and withdrawals, each a dated file.

Files under data/activities/ (none is ever changed or deleted by the dashboard):
- `activities*.csv`: new records (the shipped files, then `activities_<stamp>.csv` per upload);
- `corrections_<stamp>.csv`: the same columns; each row replaces the recorded version of its activity_id;
- `withdrawals_<stamp>.csv`: `activity_id`, `record_file`, `reason`; withdraws the version of the activity that
  `record_file` added (an undone upload: its corrections fall back to the version before), or, with
  `record_file` empty, the activity as it stands.
The build replays them in the order of their stamps (unstamped files first, by name): the database holds the
version of each activity that the last file left, and nothing that was ever stored is lost.

Targets set in the app are dated files too, `targets_<stamp>.csv` (the columns of data/targets.csv), in the same
folder (the volume that keeps uploads): replayed after data/targets.csv, a row replaces the target of the same
metric and period, any other row is added (merge_targets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.validate import CsvTable, Problem

NEW, CORRECTION, WITHDRAWAL = "activities", "corrections", "withdrawals"
GLOBS = {NEW: "activities*.csv", CORRECTION: "corrections_*.csv", WITHDRAWAL: "withdrawals_*.csv"}
WITHDRAWAL_COLUMNS = ["activity_id", "record_file", "reason"]
TARGETS_GLOB = "targets_*.csv"
_STAMP = re.compile(r"_(\d{8}T\d{6})(?:_(\d+))?\.csv$")


def kind_of(path: Path | str) -> str:
    name = Path(path).name
    for kind in (CORRECTION, WITHDRAWAL):
        if name.startswith(f"{kind}_"):
            return kind
    return NEW


def order_key(path: Path | str) -> tuple:
    """Ledger order: unstamped files (the shipped ones) first by name, then by stamp and its counter."""
    name = Path(path).name
    match = _STAMP.search(name)
    if match is None:
        return (0, "", 0, name)
    return (1, match.group(1), int(match.group(2) or 1), name)


def stamp_of(path: Path | str) -> str | None:
    match = _STAMP.search(Path(path).name)
    return match.group(1) if match else None


def files(folder: Path) -> list[Path]:
    """Every record file of the folder, in ledger order."""
    found = {path for glob in GLOBS.values() for path in folder.glob(glob)}
    return sorted(found, key=order_key)


@dataclass
class Resolved:
    """Which row of which table is the standing version of each activity (table index, frame index)."""

    standing: dict[str, tuple[int, object]]
    problems: list[Problem]


def resolve(tables: list[CsvTable]) -> Resolved:
    """Replay the tables (already in ledger order) and check each change names something it can change."""
    versions: dict[str, list[tuple[int, object]]] = {}  # id -> versions still standing, oldest first
    recorded: dict[str, str] = {}  # id -> the file that first recorded it
    problems: list[Problem] = []
    for number, table in enumerate(tables):
        kind = kind_of(table.path)
        column = table.columns.index("activity_id") + 1
        for index, activity_id in table.frame.activity_id.items():
            line = table.lines[index]
            if kind == NEW:
                first = recorded.get(activity_id)
                if first is not None and first != table.label:
                    reason = f"duplicate activity_id (already recorded in {first})"
                    problems.append(Problem(table.label, line, column, "activity_id", activity_id, reason))
                    continue
                recorded.setdefault(activity_id, table.label)
                versions.setdefault(activity_id, []).append((number, index))
            elif kind == CORRECTION:
                if activity_id not in recorded:
                    reason = "a correction of an activity that is not recorded (add it as a new record)"
                    problems.append(Problem(table.label, line, column, "activity_id", activity_id, reason))
                    continue
                versions.setdefault(activity_id, []).append((number, index))
            else:
                target = table.frame.at[index, "record_file"]
                standing = versions.get(activity_id, [])
                if target:
                    kept = [v for v in standing if Path(tables[v[0]].path).name != target]
                    if len(kept) == len(standing):
                        reason = f"{activity_id} has no standing version from {target}"
                        problems.append(Problem(table.label, line, column, "activity_id", activity_id, reason))
                        continue
                    versions[activity_id] = kept
                elif standing:
                    versions[activity_id] = []
                else:
                    reason = "a withdrawal of an activity that is not recorded or already withdrawn"
                    problems.append(Problem(table.label, line, column, "activity_id", activity_id, reason))
    standing = {activity_id: kept[-1] for activity_id, kept in versions.items() if kept}
    return Resolved(standing, problems)


def target_files(folder: Path) -> list[Path]:
    """Every targets file set in the app, in ledger order."""
    return sorted(folder.glob(TARGETS_GLOB), key=order_key)


def merge_targets(base: CsvTable, changes: list[CsvTable]) -> tuple[pd.DataFrame, list[Problem]]:
    """data/targets.csv with the targets files replayed over it: the targets in force, and any overlap.

    A row replaces the target of the same metric and period (its earlier value stays in its file); a new
    period of a metric must not overlap another, or which target applies would be ambiguous.
    """
    key_columns = ["metric", "period_start", "period_end"]
    rows: dict[tuple, tuple[dict, tuple[int, str, int]]] = {}
    for number, table in enumerate([base, *changes]):
        for index, record in table.frame.iterrows():
            rows[tuple(record[key_columns])] = (record.to_dict(), (number, table.label, table.lines[index]))
    merged = pd.DataFrame([row for row, _ in rows.values()], columns=base.columns)
    origins = [origin for _, origin in rows.values()]
    problems = []
    column = base.columns.index("period_start") + 1
    for _, group in merged.groupby("metric"):
        ordered = group.sort_values("period_start")
        for before, after in zip(ordered.index[:-1], ordered.index[1:], strict=True):
            if ordered.at[after, "period_start"] <= ordered.at[before, "period_end"]:
                _, label, line = max(origins[before], origins[after])  # the later file is the one that made it ambiguous
                start = merged.at[before if origins[before] > origins[after] else after, "period_start"]
                reason = "periods of the same metric overlap: which target applies would be ambiguous"
                problems.append(Problem(label, line, column, "period_start", start, reason))
    return merged, problems
