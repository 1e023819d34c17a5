"""Yearly targets: which target applies to a year, whether it is met, and the year-end projection."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

METRICS = ("states_visited", "states_advised", "senior_officials")
STATUSES = ("met", "not_yet", "missed", "over_capacity", "no_target")


def target_status(actual: int, comparator: str | None, value: int | None, year_complete: bool) -> str:
    """met / not_yet / missed / over_capacity / no_target for one yearly figure.

    "at least N": met from N up. "up to N" is a ceiling of planned capacity: met when 1 to N
    states were served, over capacity above N (shown as such, not as a failure); none served is
    not yet met during the year and missed once the year is over.
    """
    if comparator is None or value is None or pd.isna(value):
        return "no_target"
    if comparator == "at_least":
        if actual >= value:
            return "met"
    elif comparator == "up_to":
        if actual > value:
            return "over_capacity"
        if actual >= 1:
            return "met"
    else:
        raise ValueError(f"unknown comparator {comparator!r}")
    return "missed" if year_complete else "not_yet"


def public_cutoff(as_of: date) -> date:
    """The last day whose activities a public figure may count on `as_of`: the end of the last complete month.

    Public activity figures are never finer than a month: a total that changed from one day to the
    next would give away the date of a confidential visit or advice. On a month's last day that
    month is complete, so the day itself is the cutoff.
    """
    if (as_of + timedelta(days=1)).month != as_of.month:
        return as_of
    return as_of.replace(day=1) - timedelta(days=1)


def year_fraction(year: int, as_of: date) -> float:
    """Share of the year elapsed on `as_of` (inclusive): 1.0 for a past year, 0.0 for a future one."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if as_of >= last:
        return 1.0
    if as_of < first:
        return 0.0
    return ((as_of - first).days + 1) / ((last - first).days + 1)


def projection(actual: int, year: int, as_of: date) -> int | None:
    """Year-end figure if the pace so far continues (linear); None when the year is over or not begun."""
    elapsed = year_fraction(year, as_of)
    if elapsed in (0.0, 1.0):
        return None
    return round(actual / elapsed)


def _positions(targets: pd.DataFrame, metric: str, keep) -> list[int]:
    """The positions of `metric`'s targets whose (first day, last day) `keep` accepts. A targets table has a few rows
    and is asked once per year and measure: read as plain values (pandas masks cost 2 ms a question)."""
    return [
        position
        for position, (name, start, end) in enumerate(zip(targets.metric, targets.period_start, targets.period_end, strict=True))
        if name == metric and keep(pd.Timestamp(start), pd.Timestamp(end))
    ]


def target_for(targets: pd.DataFrame, metric: str, year: int) -> pd.Series | None:
    """The target row in force for the whole of `year`, or None: a year is never compared with an old target."""
    first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    found = _positions(targets, metric, lambda start, end: start <= first and end >= last)
    return targets.iloc[found[0]] if found else None


def reference_for(targets: pd.DataFrame, metric: str, year: int) -> pd.Series | None:
    """The latest target of `metric` that ended before `year`: shown beside a year without one, for comparison only."""
    first = pd.Timestamp(year, 1, 1)
    found = _positions(targets, metric, lambda start, end: end < first)
    return targets.iloc[found].sort_values("period_end").iloc[-1] if found else None


def default_year(targets: pd.DataFrame, years: list[int]) -> int:
    """The year a page opens on: the most recent of `years` with a target in force, so that there is something to compare.

    Without any such year, the most recent year.
    """
    with_target = [year for year in years if any(target_for(targets, metric, year) is not None for metric in METRICS)]
    return max(with_target) if with_target else max(years)


def yearly_progress(totals: pd.DataFrame, targets: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per year and metric: the figure, the target in force, the status, and the projection.

    `totals` has year, metric, actual, sample_records, real_records (from queries.yearly_totals, which
    counts up to `public_cutoff(as_of)`), nothing else; whether a year is complete and the pace so far
    are measured to that same cutoff.
    """
    as_of = public_cutoff(as_of)
    rows = []
    for total in totals.itertuples(index=False):
        year, metric, actual = int(total.year), total.metric, int(total.actual)
        target = target_for(targets, metric, year)
        complete = year_fraction(year, as_of) == 1.0
        comparator = None if target is None else target.comparator
        value = None if target is None else int(target.value)
        projected = projection(actual, year, as_of)
        reference = reference_for(targets, metric, year) if target is None else None
        rows.append(
            {
                "year": year,
                "metric": metric,
                "actual": actual,
                "comparator": comparator,
                "target": value,
                "strategy": None if target is None else target.strategy,
                "status": target_status(actual, comparator, value, complete),
                "year_complete": complete,
                "projection": projected,
                "projected_status": None if projected is None else target_status(projected, comparator, value, True),
                "sample_records": int(total.sample_records),
                "real_records": int(getattr(total, "real_records", 0)),
                # Without a target: the last strategy's, for comparison (never a status against it).
                "reference_comparator": None if reference is None else reference.comparator,
                "reference_target": None if reference is None else int(reference.value),
                "reference_strategy": None if reference is None else reference.strategy,
                "reference_years": None
                if reference is None
                else (pd.Timestamp(reference.period_start).year, pd.Timestamp(reference.period_end).year),
            }
        )
    return pd.DataFrame(rows)


def strategy_years(targets: pd.DataFrame, as_of: date) -> tuple[str, list[int]] | None:
    """The latest strategy whose targets began by `as_of`, the years its targets cover, then the current year.

    After the strategy's period the year of the public cutoff (the current year, to the end of its last complete
    month) follows the strategy's years, so that the forum always shows what the records say so far.
    """
    started = targets[pd.to_datetime(targets.period_start) <= pd.Timestamp(as_of)]
    if started.empty:
        return None
    latest = started.sort_values("period_start").iloc[-1]
    rows = targets[targets.strategy == latest.strategy]
    first, last = pd.to_datetime(rows.period_start).min().year, pd.to_datetime(rows.period_end).max().year
    years = list(range(first, min(last, as_of.year) + 1))
    current = public_cutoff(as_of).year
    return latest.strategy, years + [current] if current > last else years
