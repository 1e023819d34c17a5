"""Figures of one snapshot: universes, headline counts, the strategy's shares, flags of the groups (pure, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from core.treaty_rules import CTI_LAUNCH
from core.vocabulary import UNIVERSE_KINDS

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

LAUNCH = pd.Timestamp(CTI_LAUNCH)

# Groups whose flags the timeline and universality tables show, as they stood at a date.
FLAG_GROUPS = ("ODA", "SIDS", "LDC", "OIC", "COMMONWEALTH")
# A list-based group whose lists have gaps: where no list covers a date the flag is unknown, not "no".
LISTED_GROUPS = ("ODA",)


def in_universe(frame: pd.DataFrame, universe: str) -> pd.DataFrame:
    """Restrict to a universe: the 193 UN members, with the two observer states, or all states."""
    return frame[frame.kind.isin(UNIVERSE_KINDS[universe])]


def headline(status: pd.DataFrame) -> dict[str, int]:
    """The overview's figures from one status frame (each defined on the page: the `overview.*_help` lines of the catalogues)."""
    members = status[status.kind == "member"]
    # consent_date is only set for deposits on or before the day, so an earlier day counts none.
    joined_since_launch = status[(status.status == "party") & (status.consent_date >= LAUNCH)]
    return {
        "states": len(status),
        "parties": int((status.status == "party").sum()),
        "members": len(members),
        "member_parties": int((members.status == "party").sum()),
        "signatories": int((status.status == "signatory").sum()),
        "member_signatories": int((members.status == "signatory").sum()),
        "no_action": int((status.status == "no_action").sum()),
        "member_no_action": int((members.status == "no_action").sum()),
        "since_launch": len(joined_since_launch),
        "opcat_parties": int(status.opcat_consent_date.notna().sum()),
        "art22": int(status.art22_declaration_date.notna().sum()),
    }


def group_flags(groups: pd.DataFrame, iso3: pd.Series, codes: tuple[str, ...] = FLAG_GROUPS) -> pd.DataFrame:
    """Membership flags for the given states from one `groups_as_of` frame, indexed like `iso3`.

    A listed group (ODA) with no list covering the date gives None (unknown) for every state.
    """
    flags = pd.DataFrame(index=iso3.index)
    for code in codes:
        members = set(groups.loc[groups.group_code == code, "iso3"])
        if code in LISTED_GROUPS and not members:
            flags[code] = pd.Series([None] * len(iso3), index=iso3.index, dtype="object")
        else:
            flags[code] = iso3.isin(members).astype("object")
    return flags


def list_coverage(groups: pd.DataFrame, code: str = "ODA") -> str:
    """'covered', 'extrapolated' (latest list used after its period) or 'unknown' (no list covers the date)."""
    rows = groups[groups.group_code == code]
    if rows.empty:
        return "unknown"
    return "extrapolated" if bool(rows.extrapolated.any()) else "covered"


def flag_deposits(deposits: pd.DataFrame, groups_on: Mapping[date, pd.DataFrame]) -> pd.DataFrame:
    """Deposits (queries.deposits_between) with the group flags and the ODA list coverage as they stood on each
    deposit's date; `groups_on`: the group memberships in force on each of those days (queries.groups_on)."""
    parts = []
    for day, rows in deposits.groupby("consent_date", sort=True):
        groups = groups_on[pd.Timestamp(day).date()]
        flagged = rows.join(group_flags(groups, rows.iso3))
        flagged["oda_list"] = list_coverage(groups)
        parts.append(flagged)
    if not parts:
        return deposits.assign(**{code: pd.Series(dtype="object") for code in FLAG_GROUPS}, oda_list=pd.Series(dtype=str))
    return pd.concat(parts).sort_values(["consent_date", "name_en"]).reset_index(drop=True)


def non_parties(snapshot: Snapshot) -> tuple[pd.DataFrame, str]:
    """States not party on the day with their group flags as they stood then, and the ODA list coverage."""
    rows = snapshot.status[snapshot.status.status != "party"].reset_index(drop=True)
    return rows.join(group_flags(snapshot.groups, rows.iso3)), list_coverage(snapshot.groups)


def strategy_figures(snapshot: Snapshot) -> dict[str, object]:
    """The shares the 2020-2022 strategy quotes, recomputed for any day.

    Non-parties: UN member states not party on the day. ODA: on the DAC list in force on the day.
    SIDS: on the UN-OHRLLS list; Caribbean, Pacific or other (AIS) per its regional grouping.
    Where no DAC list covers the day (before 2014: the lists kept start with the list for 2014-2017),
    `oda_list` is 'unknown' and the ODA lists are empty; after the last list ends, the latest list is
    used and `oda_list_extrapolated` says so.
    Joined since launch: UN member states and observers whose deposit falls from the CTI launch to the day.
    """
    status, groups = snapshot.status, snapshot.groups
    oda = set(groups[groups.group_code == "ODA"].iso3)
    sids = groups[groups.group_code == "SIDS"]
    sids_region = dict(zip(sids.iso3, sids.note.fillna("").str.extract(r"^(Caribbean|Pacific)", expand=False), strict=True))
    sids_cp = {iso3 for iso3, where in sids_region.items() if isinstance(where, str)}
    non_parties = status[(status.kind == "member") & (status.status != "party")]
    non_party_oda = non_parties[non_parties.iso3.isin(oda)]
    joined = status[status.kind.isin(["member", "observer"]) & (status.status == "party") & (status.consent_date >= LAUNCH)]
    joined_oda = joined[joined.iso3.isin(oda)]
    return {
        "non_parties": sorted(non_parties.iso3),
        "non_parties_oda": sorted(non_party_oda.iso3),
        "non_parties_oda_sids_cp": sorted(set(non_party_oda.iso3) & sids_cp),
        "joined_since_launch": sorted(joined.iso3),
        "joined_since_launch_oda": sorted(joined_oda.iso3),
        "non_parties_oda_sids": sorted(set(non_party_oda.iso3) & set(sids_region)),
        "non_parties_oda_sids_caribbean": sorted(i for i in non_party_oda.iso3 if sids_region.get(i) == "Caribbean"),
        "non_parties_oda_sids_pacific": sorted(i for i in non_party_oda.iso3 if sids_region.get(i) == "Pacific"),
        "non_parties_oda_sids_other": sorted(
            i for i in non_party_oda.iso3 if i in sids_region and not isinstance(sids_region[i], str)
        ),
        "oda_list_extrapolated": bool(groups[groups.group_code == "ODA"].extrapolated.any()),
        "oda_list": list_coverage(groups),
    }
