"""A hand-made set of activities and a database built from it, for the target computations and the page tests."""

from __future__ import annotations

import csv
from pathlib import Path

from etl.schemas import COLUMNS
from tests.conftest import copy_inputs

SOURCE = "test record"
# (id, start, end, kind, iso3, senior officials, participants, is_public)
HANDMADE = [
    ("V1", "2021-02-01", "2021-02-03", "country_visit", "BRB", 0, 0, False),
    ("V2", "2021-06-01", "2021-06-02", "study_visit", "BRB", 0, 0, False),  # same state again: counts once
    ("V3", "2021-07-01", "2021-07-04", "country_visit", "TON", 0, 0, False),
    ("V4", "2021-12-30", "2022-01-02", "country_visit", "KIR", 0, 0, False),  # counts in the year it starts
    ("V5", "2022-03-01", "2022-03-02", "country_visit", "GHA", 0, 0, True),  # made public by the state
    ("V6", "2023-01-10", "2023-01-11", "country_visit", "VUT", 0, 0, False),
    ("V7", "2023-02-10", "2023-02-11", "study_visit", "WSM", 0, 0, False),
    ("V8", "2023-08-01", "2023-08-02", "country_visit", "TUV", 0, 0, False),  # after the as-of date used in tests
    *[
        (f"A{i}", "2020-05-01", "2020-05-01", "remote_advice", iso3, 0, 0, False)
        for i, iso3 in enumerate(["BHS", "BLZ", "GRD", "KNA", "LCA", "VCT", "DMA", "JAM", "NRU", "PLW"])
    ],
    *[
        (f"B{i}", "2021-04-01", "2021-04-01", "remote_advice", iso3, 0, 0, False)
        for i, iso3 in enumerate(["BHS", "BLZ", "GRD", "KNA", "LCA", "VCT", "DMA", "JAM", "NRU", "PLW", "SLB", "BHS"])
    ],
    ("S1", "2021-03-01", "2021-03-02", "seminar", "", 12, 40, True),
    ("S2", "2021-05-01", "2021-05-01", "workshop", "MHL", 10, 20, False),
    ("S3", "2021-09-01", "2021-09-03", "conference", "", 8, 80, True),
    ("S4", "2021-10-01", "2021-10-01", "forum", "", 50, 120, True),  # the forum is not counted
    ("S5", "2022-04-01", "2022-04-01", "seminar", "", 29, 50, True),
]
# States named in the hand-made set whose every activity is confidential.
CONFIDENTIAL = sorted({row[4] for row in HANDMADE if row[4]} - {row[4] for row in HANDMADE if row[7]})


def write_activities(path: Path, rows=HANDMADE, sample: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS["activities"])
        for activity_id, start, end, kind, iso3, officials, participants, public in rows:
            title = f"{'Sample – ' if sample else ''}Test {kind} {activity_id}"
            flags = ["true" if public else "false", "true" if sample else "false"]
            writer.writerow([activity_id, start, end, kind, iso3, officials, participants, title, *flags, SOURCE])


def handmade_data(folder: Path) -> Path:
    """A copy of data/ whose activities are only the hand-made set."""
    copy_inputs(folder)
    for path in (folder / "activities").glob("*.csv"):
        path.unlink()
    write_activities(folder / "activities" / "activities_handmade.csv")
    return folder
