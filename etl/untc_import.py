"""Compare a saved UNTC status page with data/treaty_events.csv and, on request, apply it."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from etl.untc import UntcError, UntcPage, parse_file, status_as_at_text

EVENT_COLUMNS = ["iso3", "treaty", "event", "event_date", "source", "note"]
BACKUP_DIR = ".backup"


@dataclass(frozen=True)
class Change:
    kind: str  # 'added' | 'changed' | 'missing'
    iso3: str
    name: str
    event: str
    old: str
    new: str

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.iso3} {self.name}: {self.event} {self.new} (new)"
        if self.kind == "changed":
            return f"~ {self.iso3} {self.name}: {self.event} {self.old} -> {self.new}"
        return f"- {self.iso3} {self.name}: {self.event} {self.old} is in data/ but not on the page"


def name_index(states: pd.DataFrame, aliases: pd.DataFrame) -> dict[str, str | None]:
    """Page names to ISO codes: the UN short names, then the maintained alias table (empty = ignore)."""
    index: dict[str, str | None] = {_key(n): c for n, c in zip(states.name_en, states.iso3, strict=True)}
    for alias, iso3 in zip(aliases.alias, aliases.iso3, strict=True):
        index[_key(alias)] = iso3 or None
    return index


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


def page_events(page: UntcPage, index: dict[str, str | None], source: str) -> pd.DataFrame:
    """The page as rows of treaty_events; raise UntcError listing every name it cannot map."""
    unknown = sorted({p.name for p in page.participants if _key(p.name) not in index})
    unknown += sorted({e.participant for e in page.events if _key(e.participant) not in index} - set(unknown))
    if unknown:
        raise UntcError(
            "participant names not in data/states.csv (name_en) nor data/state_aliases.csv: "
            + "; ".join(repr(n) for n in unknown)
            + ". Add each to data/state_aliases.csv with its ISO alpha-3 code (empty code = a former state to ignore)."
        )
    rows = []
    for p in page.participants:
        iso3 = index[_key(p.name)]
        if iso3 is None:
            continue
        if p.signature_date:
            rows.append((iso3, page.treaty, "signature", p.signature_date, source, p.signature_note or ""))
        if p.consent_date:
            rows.append((iso3, page.treaty, p.consent_type, p.consent_date, source, ""))
    for e in page.events:
        iso3 = index[_key(e.participant)]
        if iso3 is not None:
            rows.append((iso3, page.treaty, e.event, e.event_date, source, e.note))
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["event_date"] = frame.event_date.map(date.isoformat)
    return frame


def diff(current: pd.DataFrame, incoming: pd.DataFrame, treaty: str, as_at: date, names: dict[str, str]) -> list[Change]:
    """Differences for one treaty, limited to events dated up to the page's status date."""
    old = current[(current.treaty == treaty) & (current.event_date <= as_at.isoformat())]
    key = ["iso3", "event"]
    merged = old.merge(incoming, on=key, how="outer", suffixes=("_old", "_new"), indicator="presence")
    changes = []
    for row in merged.itertuples(index=False):
        name = names.get(row.iso3, row.iso3)
        if row.presence == "right_only":
            changes.append(Change("added", row.iso3, name, row.event, "", row.event_date_new))
        elif row.presence == "left_only":
            changes.append(Change("missing", row.iso3, name, row.event, row.event_date_old, ""))
        elif row.event_date_old != row.event_date_new:
            changes.append(Change("changed", row.iso3, name, row.event, row.event_date_old, row.event_date_new))
    # A consent whose type changed (ratification -> accession) shows as one missing and one added row.
    order = {"changed": 0, "added": 1, "missing": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.iso3, c.event))


def read_events(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=EVENT_COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_events(path: Path, frame: pd.DataFrame) -> None:
    buffer = io.StringIO()
    frame = frame.sort_values(["iso3", "treaty", "event_date", "event"])
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def merged_events(current: pd.DataFrame, incoming: pd.DataFrame, changes: list[Change], treaty: str) -> pd.DataFrame:
    """data/ with the page's version of every changed, added or vanished event of this treaty."""
    touched = {(c.iso3, c.event) for c in changes}
    keep = (
        current[~current.apply(lambda r: r.treaty == treaty and (r.iso3, r.event) in touched, axis=1)]
        if len(current)
        else current
    )
    new = incoming[incoming.apply(lambda r: (r.iso3, r.event) in touched, axis=1)]
    return pd.concat([keep, new], ignore_index=True)[EVENT_COLUMNS]


def set_dataset_as_of(path: Path, as_at: date, source: str) -> None:
    datasets = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = datasets.dataset == "treaty_events"
    if datasets.loc[row, "as_of"].max() < as_at.isoformat():
        datasets.loc[row, "as_of"] = as_at.isoformat()
        datasets.loc[row, "source"] = source
    datasets.to_csv(path, index=False, lineterminator="\n")


def backup(folder: Path, files: list[Path]) -> Path:
    """Copy the files about to be replaced into data/.backup/<timestamp>/ (never overwritten)."""
    target = folder / BACKUP_DIR / datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target.mkdir(parents=True)
    for f in files:
        if f.exists():
            shutil.copy2(f, target / f.name)
    return target


def run_import(page_path: Path, treaty: str, folder: Path, database: Path, apply: bool, out=print) -> int:
    """The `import-untc` command; returns the process exit code."""
    from etl.build import build, load_inputs

    try:
        page = parse_file(page_path, treaty)
        inputs = load_inputs(folder)
        states = inputs.frame("states")
        index = name_index(states, inputs.frame("state_aliases"))
        source = status_as_at_text(page)
        incoming = page_events(page, index, source)
    except UntcError as exc:
        out(f"error: {exc}")
        out("Nothing was changed.")
        return 2
    events_path = folder / "treaty_events.csv"
    current = read_events(events_path)
    names = dict(zip(states.iso3, states.name_en, strict=True))
    changes = diff(current, incoming, treaty, page.status_as_at, names)
    out(f"{page_path.name}: {treaty}, {source}; {len(page.participants)} participants, {len(incoming)} events")
    if not changes:
        out("No difference with data/treaty_events.csv for events up to that date.")
    for change in changes:
        out(str(change))
    if not apply:
        if changes:
            out(f"{len(changes)} difference(s). Dry run: nothing was changed; rerun with --apply to write them.")
        return 0
    datasets_path = folder / "datasets.csv"
    saved = backup(folder, [events_path, datasets_path])
    write_events(events_path, merged_events(current, incoming, changes, treaty))
    set_dataset_as_of(datasets_path, page.status_as_at, f"{source} (CAT IV-9, OPCAT IV-9-b)")
    try:
        build(folder, database)
    except Exception as exc:  # the build failed: put the data files back as they were
        for f in (events_path, datasets_path):
            if (saved / f.name).exists():
                shutil.copy2(saved / f.name, f)
        out(f"error: the rebuild failed, data/ restored from {saved}: {exc}")
        return 1
    out(f"Applied {len(changes)} change(s); previous files kept in {saved}; database rebuilt.")
    return 0
