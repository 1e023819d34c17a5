"""`python -m etl verify`: how each engagement fact is known, how complete the tables are, and what breaks a rule.

It reads data/ as the build does (no database is written) and prints, per table, the rows by
verification level, the coverage (reviews per cycle out of the 193 UN members, initial reports with
a primary source out of the parties), every broken invariant (exit 1), the notices and the conflicts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl import invariants
from etl.build import _typed, data_as_of, load_inputs
from etl.validate import InputError, Problem

LEVEL_ORDER = ("primary", "secondary", "inferred")


@dataclass
class Report:
    data_as_of: date
    checked_on: date
    levels: dict[str, Counter]
    coverage: list[str]
    violations: list[Problem]
    notices: list[invariants.Notice]
    conflicts: pd.DataFrame
    rules: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations


RULES = (
    "report-from-party",
    "report-after-consent",
    "initial-not-later",
    "postponed-not-held",
    "postponed-to",
    "held-is-past",
    "review-in-session",
    "inferred-vs-published",
)


def _levels(frames: dict[str, pd.DataFrame]) -> dict[str, Counter]:
    reports = frames["reports"]
    public = frames["activities"][frames["activities"].is_public & ~frames["activities"].is_sample]
    return {
        "upr_sessions": Counter(frames["upr_sessions"].level),
        "upr_reviews": Counter(frames["upr_reviews"].level),
        "upr_postponements": Counter(frames["upr_postponements"].level),
        "upr_recommendations": Counter(frames["upr_recommendations"].get("level", pd.Series(dtype=object)).fillna("unknown")),
        "reports (submissions)": Counter(reports.submission_level.dropna()),
        "implementation": Counter(frames["implementation"].level),
        "activities (public, real)": Counter(public.level.fillna("unknown")),
    }


def _coverage(frames: dict[str, pd.DataFrame], today: date) -> list[str]:
    states, sessions, reviews, gaps = frames["states"], frames["upr_sessions"], frames["upr_reviews"], frames["upr_review_gaps"]
    postponed = frames["upr_postponements"]
    members = set(states.iso3[states.kind == "member"])
    lines = []
    for cycle in sorted(set(sessions.cycle)):
        numbers = sessions.session[sessions.cycle == cycle]
        rows = reviews[(reviews.cycle == cycle) & reviews.iso3.isin(members)]
        counted = Counter(rows.level)
        gap_rows = gaps[(gaps.cycle == cycle) & gaps.iso3.isin(members)]
        waiting = set(postponed.iso3[(postponed.cycle == cycle) & postponed.to_session.isna()]) - set(rows.iso3)
        missing = members - set(rows.iso3) - set(gap_rows.iso3) - waiting
        lines.append(
            f"UPR cycle {cycle} (sessions {numbers.min()}-{numbers.max()}): {len(rows)} of {len(members)} members have a "
            f"review (primary {counted['primary']}, secondary {counted['secondary']}, inferred {counted['inferred']}); "
            f"postponed, no new session yet {len(waiting)}; known gaps {len(gap_rows)}; missing {len(missing)}"
        )
    reports = frames["reports"]
    known = reports[reports.submission_source.notna()]
    levels = Counter(known.submission_level)
    dated = known.submitted_date.notna()
    bounded = known.submitted_date.isna() & known.received_by.notna()
    lines.append(
        f"Initial reports: {len(reports)} parties; submission dated for {int(dated.sum())} "
        f"(day {int((known.date_precision == 'day').sum())}, month {int((known.date_precision == 'month').sum())}, "
        f"year {int((known.date_precision == 'year').sum())}), received by a known day for {int(bounded.sum())}, "
        f"not submitted per the source for {int((~dated & ~bounded).sum())}, no record for {len(reports) - len(known)}; "
        f"sources: primary {levels['primary']}, secondary {levels['secondary']}, inferred {levels['inferred']}"
    )
    dated = sessions.start_date.notna()
    by_day = (sessions.date_precision == "day").sum()
    lines.append(f"UPR sessions: {len(sessions)}, {by_day} dated to the day, {int((~dated).sum())} without dates")
    return lines


def run_checks(folder: Path, today: date | None = None) -> Report:
    """The verification report for the inputs in `folder` (InputError if a file does not even validate)."""
    today = today or date.today()
    inputs = load_inputs(folder, today)
    frames = _typed(inputs)
    broken = invariants.violations(inputs.tables, frames, today)
    rules = Counter()
    for problem in broken:
        rule = problem.reason.split(":", 1)[0].removeprefix("rule ")
        rules[rule] += 1
    return Report(
        data_as_of=data_as_of(frames),
        checked_on=today,
        levels=_levels(frames),
        coverage=_coverage(frames, today),
        violations=broken,
        notices=invariants.notices(inputs.tables, frames, frames["states"], today),
        conflicts=frames["conflicts"],
        rules={rule: rules.get(rule, 0) for rule in RULES},
    )


def render(report: Report, notices_shown: int = 50) -> str:
    out = [
        f"Engagement facts: verification report (treaty data as of {report.data_as_of}, checked on {report.checked_on})",
        "",
        "Rows by verification level",
        f"  {'table':<28}{'primary':>9}{'secondary':>11}{'inferred':>10}{'total':>8}",
    ]
    for table, counts in report.levels.items():
        cells = "".join(f"{counts.get(level, 0):>{w}}" for level, w in zip(LEVEL_ORDER, (9, 11, 10), strict=True))
        other = sum(v for k, v in counts.items() if k not in LEVEL_ORDER)
        extra = f"  (without a level: {other})" if other else ""
        out.append(f"  {table:<28}{cells}{sum(counts.values()):>8}{extra}")
    out += ["", "Coverage", *(f"  {line}" for line in report.coverage), "", "Invariants (the build refuses to break them)"]
    out += [f"  {rule:<24}{count:>5} violation(s)" for rule, count in report.rules.items()]
    out += [f"  {problem}" for problem in report.violations[:100]]
    by_rule = Counter(notice.rule for notice in report.notices)
    out += ["", f"Notices (facts that need a note; the build goes on): {len(report.notices)}"]
    out += [f"  {rule}: {count}" for rule, count in sorted(by_rule.items())]
    out += [f"  {notice}" for notice in report.notices[:notices_shown]]
    if len(report.notices) > notices_shown:
        out.append(f"  ... and {len(report.notices) - notices_shown} more")
    conflicts = report.conflicts
    out += ["", f"Conflicts between sources: {len(conflicts)} (the value shown and why: table conflicts, data/conflicts.csv)"]
    for (table, origin), count in conflicts.groupby(["table_name", "origin"]).size().items():
        out.append(f"  {table} ({origin}): {count}")
    out += ["", "Result: " + ("all invariants hold" if report.ok else f"{len(report.violations)} broken invariant(s)")]
    return "\n".join(out)


def main(folder: Path, notices_shown: int = 50) -> int:
    try:
        report = run_checks(folder)
    except InputError as exc:
        print(f"The inputs do not validate (fix these first):\n{exc}")
        return 1
    print(render(report, notices_shown))
    return 0 if report.ok else 1
