"""Pure builders of the time series the timeline draws, from one `status_as_of` frame (no Streamlit, no SQL)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from app.figures import group_flags
from core.i18n import region, t
from core.treaty_rules import add_years

FIRST_YEAR = 1984  # the Convention was adopted on 10 December 1984


def points(as_of: date, first_year: int = FIRST_YEAR) -> list[date]:
    """Every year end from `first_year` up to before `as_of`, then `as_of` itself."""
    days = [date(year, 12, 31) for year in range(first_year, as_of.year) if date(year, 12, 31) < as_of]
    return [*days, as_of]


def cumulative(status: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Parties and signatories (not yet party) at each year end and on `as_of`: columns date, status, count.

    `status` is a `status_as_of(as_of)` frame already restricted to a universe.
    """
    consent = status.consent_date
    signature = status.signature_date
    rows = []
    for day in points(as_of):
        stamp = pd.Timestamp(day)
        party = consent.notna() & (consent <= stamp)
        signed = signature.notna() & (signature <= stamp) & ~party
        rows.append({"date": stamp, "status": "party", "count": int(party.sum())})
        rows.append({"date": stamp, "status": "signatory", "count": int(signed.sum())})
    return pd.DataFrame(rows)


def deposits_per_year(status: pd.DataFrame, name_column: str, as_of: date | None = None) -> pd.DataFrame:
    """Deposits per year and type: year, consent_type, count, states of that type, all states that year.

    Every year from the first deposit to `as_of` (or to the last deposit) has a row: a year without a deposit has
    one with no type and a count of 0, so that the chart and its table show the year rather than skip it.
    """
    deposits = status[status.consent_date.notna()].sort_values(["consent_date", name_column])
    if deposits.empty:
        return pd.DataFrame(columns=["year", "consent_type", "count", "states", "year_total", "year_states"])
    deposits = deposits.assign(year=deposits.consent_date.dt.year)
    by_year = deposits.groupby("year").agg(year_total=("iso3", "size"), year_states=(name_column, ", ".join))
    by_type = deposits.groupby(["year", "consent_type"]).agg(count=("iso3", "size"), states=(name_column, ", ".join))
    found = by_type.reset_index().join(by_year, on="year")
    last = max(int(found.year.max()), as_of.year if as_of else 0)
    empty = [year for year in range(int(found.year.min()), last + 1) if year not in set(found.year)]
    if not empty:
        return found
    zeros = pd.DataFrame({"year": empty, "consent_type": None, "count": 0, "states": "", "year_total": 0, "year_states": ""})
    return pd.concat([found, zeros], ignore_index=True).sort_values(["year", "consent_type"]).reset_index(drop=True)


def breakdown(status: pd.DataFrame, category: pd.Series, as_of: date) -> pd.DataFrame:
    """Parties at each year end by category (one label per state, indexed like `status`): date, category, parties, total."""
    rows = []
    totals = category.value_counts()
    for day in points(as_of):
        stamp = pd.Timestamp(day)
        party = status.consent_date.notna() & (status.consent_date <= stamp)
        counts = category[party].value_counts()
        for label, total in totals.items():
            rows.append({"date": stamp, "category": label, "parties": int(counts.get(label, 0)), "total": int(total)})
    return pd.DataFrame(rows)


def projection(consent_dates: pd.Series, as_of: date, years: int, total: int) -> dict[str, object]:
    """The year all `total` states would be parties at the average pace of the last `years` years.

    A plain extrapolation: pace = deposits in (as_of - years, as_of] / years; remaining / pace more years.
    `consent_dates` holds one consent date (or NaT) per state of the universe. `year` is None when
    the pace is zero (no end in sight) and `as_of.year` when nobody remains.
    """
    stamp = pd.Timestamp(as_of)
    start = pd.Timestamp(add_years(as_of, -years))
    parties = int((consent_dates.notna() & (consent_dates <= stamp)).sum())
    recent = int(((consent_dates > start) & (consent_dates <= stamp)).sum())
    remaining = total - parties
    pace = recent / years
    if remaining <= 0:
        year = as_of.year
    elif pace == 0:
        year = None
    else:
        elapsed = (as_of.timetuple().tm_yday - 1) / 365.25
        year = math.floor(as_of.year + elapsed + remaining / pace)
    return {"parties": parties, "remaining": remaining, "recent": recent, "years": years, "pace": pace, "year": year}


def _named(value) -> bool:
    return isinstance(value, str) and bool(value)


def categories(status: pd.DataFrame, by: str, lang: str, groups: pd.DataFrame | None = None, group_name: str = "") -> pd.Series:
    """One label per state for a breakdown: its M49 region, its UN regional group, or in / not in a group.

    For a group, `groups` is a `groups_as_of` frame; a listed group (ODA) with no list covering the
    date labels every state "unknown" rather than "not in the group".
    """
    # A panel of the breakdown is never titled "—": states outside every group say so.
    if by == "region":
        return status.m49_region.map(lambda r: region(r, lang) if _named(r) else t("breakdown.no_region", lang))
    if by == "regional_group":
        return status.un_regional_group.map(lambda r: region(r, lang) if _named(r) else t("breakdown.no_regional_group", lang))
    flags = group_flags(groups, status.iso3, (by,))[by]
    inside, outside = t("timeline.in_group", lang, group=group_name), t("timeline.not_in_group", lang, group=group_name)
    return flags.map(lambda f: t("flag.unknown", lang) if f is None else inside if f else outside)
