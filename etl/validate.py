"""Reading CSV inputs with line numbers and turning schema failures into file:line:column messages."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

# A check's error text is "column|reason" so that frame-wide checks can name the column they blame.
SEP = "|"
# C0 and C1 control characters other than tab, line feed and carriage return (NUL, escape, ...).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SHOWN_PROBLEMS = 100  # problems listed to a person (upload page, command line); the total is always given
# Characters in one field of any input (the longest in data/ is a UPR recommendation of 819): the same limit for
# the build and for uploads, so that what an upload accepts the build takes.
FIELD_CHARS = 5_000
# The csv module refuses a field longer than its limit, which is one per process (131,072 by default; importing
# frictionless raises it): read_csv raises it to this, above any file an upload may send, so that the reader
# never depends on it and a long field gets the plain message below.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
SHOWN_VALUE = 60  # characters of a value quoted in a problem


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column_no: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column_no}"
        what = f"{self.column} {self.value!r}" if self.column else "file"
        return f"{where}: {what}: {self.reason}"


class InputError(Exception):
    """One or more problems in the inputs; nothing was built."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = len(problems) - SHOWN_PROBLEMS
        super().__init__(
            "\n".join([*(str(p) for p in problems[:SHOWN_PROBLEMS]), *([f"... and {more} more"] if more > 0 else [])])
        )


@dataclass
class CsvTable:
    path: Path
    label: str
    frame: pd.DataFrame
    lines: list[int]
    columns: list[str]


def read_csv(path: Path, expected: list[str], label: str | None = None, optional: dict[str, str] | None = None) -> CsvTable:
    """Read a UTF-8 CSV as text, keeping the line on which each record starts.

    `optional` maps columns a file may leave out to the value they then take on every row.
    """
    optional = optional or {}
    label = label or path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            [
                Problem(
                    label, line, exc.start - start + 1, "", "", f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
                )
            ]
        ) from exc
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_records(reader, path, label, expected, optional, check_controls=CONTROL.search(text) is not None)
    except csv.Error as exc:
        raise InputError([Problem(label, reader.line_num or 1, 1, "", "", f"not a readable CSV ({exc})")]) from None


def shortened(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _length_problems(record: list[str], header: list[str], label: str, line: int) -> list[Problem]:
    return [
        Problem(label, line, number, header[number - 1], shortened(cell), f"{len(cell):,} characters; at most {FIELD_CHARS:,}")
        for number, cell in enumerate(record, start=1)
        if len(cell) > FIELD_CHARS and number <= len(header)
    ]


def _control_problems(record: list[str], header: list[str], label: str, line: int) -> list[Problem]:
    problems = []
    for number, cell in enumerate(record, start=1):
        found = CONTROL.search(cell)
        if found:
            column = header[number - 1] if number <= len(header) and header is not record else "header"
            code = f"U+{ord(found.group()):04X}"
            problems.append(Problem(label, line, number, column, cell, f"control character {code} in the text; remove it"))
    return problems


def _read_records(
    reader, path: Path, label: str, expected: list[str], optional: dict[str, str], check_controls: bool
) -> CsvTable:
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([Problem(label, 1, 1, "", "", f"empty file; expected the header {','.join(expected)}")]) from None
    problems = _control_problems(header, header, label, 1) if check_controls else []
    for i, name in enumerate(header, start=1):
        if name not in expected and name not in optional:
            problems.append(Problem(label, 1, i, "header", name, f"unexpected column; expected columns: {', '.join(expected)}"))
    for name in expected:
        if name not in header:
            problems.append(Problem(label, 1, len(header) + 1, "header", name, "missing column"))
    if problems:
        raise InputError(problems)
    rows, lines = [], []
    line_start = reader.line_num + 1
    for record in reader:
        if record and any(cell.strip() for cell in record):
            if check_controls:
                problems.extend(_control_problems(record, header, label, line_start))
            problems.extend(_length_problems(record, header, label, line_start))
            if len(record) != len(header):
                problems.append(
                    Problem(
                        label,
                        line_start,
                        min(len(record), len(header)) + 1,
                        "",
                        "",
                        f"{len(record)} fields, expected {len(header)}",
                    )
                )
            else:
                rows.append(record)
                lines.append(line_start)
        line_start = reader.line_num + 1
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=header, dtype="string").fillna("")
    for name, default in optional.items():
        if name not in frame.columns:
            frame[name] = default
    frame = frame[[*expected, *optional]]
    return CsvTable(path, label, frame.astype(object), lines, header)


def problems_from(table: CsvTable, schema: pa.DataFrameSchema) -> list[Problem]:
    """Validate lazily and report each failing cell once, in file order."""
    try:
        schema.validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    found: dict[tuple[int, str, str], Problem] = {}
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column, reason = (check.split(SEP, 1) + [""])[:2] if SEP in check else (case.column, check)
        index = case.index
        if index is None or pd.isna(index):
            found[(0, str(column), reason)] = Problem(table.label, 1, 1, str(column or ""), str(case.failure_case), reason)
            continue
        index = int(index)
        column = str(column)
        value = str(table.frame.at[index, column]) if column in table.frame.columns else str(case.failure_case)
        col_no = table.columns.index(column) + 1 if column in table.columns else 1
        key = (index, column, reason)
        found.setdefault(key, Problem(table.label, table.lines[index], col_no, column, value, reason))
    return sorted(found.values(), key=lambda p: (p.line, p.column_no, p.reason))


def is_iso_date(values: pd.Series, allow_empty: bool = False) -> pd.Series:
    parsed = pd.to_datetime(values.where(values != "", None), format="%Y-%m-%d", errors="coerce")
    ok = parsed.notna() & values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    return ok | (values == "") if allow_empty else ok


def not_in_future(values: pd.Series, today: date) -> pd.Series:
    """True where the value is not a date after `today` (a value that is no date is reported by its own check)."""
    parsed = pd.to_datetime(values.where(values != "", None), format="%Y-%m-%d", errors="coerce")
    return ~(parsed > pd.Timestamp(today)).fillna(False)


def both_dates(first: pd.Series, second: pd.Series) -> pd.Series:
    """True where both values are well-formed dates: only those are compared with each other."""
    return is_iso_date(first) & is_iso_date(second)


def date_check(column: str, today: date, allow_empty: bool = False) -> list[pa.Check]:
    """A well-formed ISO date that is not in the future."""
    return [
        pa.Check(lambda s: is_iso_date(s, allow_empty), error=f"{column}{SEP}not a date in the form YYYY-MM-DD"),
        pa.Check(lambda s: not_in_future(s, today), error=f"{column}{SEP}date is in the future (after {today.isoformat()})"),
    ]


def required(column: str) -> pa.Check:
    return pa.Check(lambda s: s.str.strip() != "", error=f"{column}{SEP}missing value")


def one_of(column: str, allowed: list[str] | set[str], what: str) -> pa.Check:
    allowed = sorted(allowed)
    shown = ", ".join(allowed) if len(allowed) <= 12 else f"{len(allowed)} known codes"
    return pa.Check(lambda s: s.isin(allowed), error=f"{column}{SEP}{what}; expected one of {shown}")


def frame_check(column: str, reason: str, rule) -> pa.Check:
    """A check over the whole frame, blamed on one column of the failing rows."""
    return pa.Check(rule, error=f"{column}{SEP}{reason}")
