"""Query functions over the data contract: plain DataFrames and dicts, no Streamlit."""

from __future__ import annotations

from datetime import date

import pandas as pd

from app.db import Database

UN_MEMBERS = 193
# The CTI was launched in Geneva on 4 March 2014, at the 25th session of the Human Rights Council
# (cti2024.org, events); see data/SOURCES.md.
CTI_LAUNCH = date(2014, 3, 4)
LAUNCH = pd.Timestamp(CTI_LAUNCH)
UNIVERSES = ("members", "members_observers", "all")


def data_as_of(db: Database) -> date:
    """The date up to which the treaty events are verified complete."""
    return pd.Timestamp(db.query("select as_of from datasets where dataset = 'treaty_events'").iloc[0, 0]).date()


def datasets(db: Database) -> pd.DataFrame:
    return db.query("select dataset, as_of, source, note from datasets order by dataset")


def status_as_of(db: Database, as_of: date) -> pd.DataFrame:
    """Every state with its CAT status as of the date, names and regions attached."""
    return db.query(
        """
        select
            states.iso3,
            states.name_en,
            states.name_fr,
            states.kind,
            states.m49_region,
            states.m49_subregion,
            states.un_regional_group,
            states.lat,
            states.lon,
            status.*exclude (iso3)
        from cat_status_as_of(?::date) as status
        join states using (iso3)
        order by states.name_en
        """,
        [as_of],
    )


def in_universe(frame: pd.DataFrame, universe: str) -> pd.DataFrame:
    """Restrict to a universe: the 193 UN members, with the two observer states, or all states."""
    kinds = {"members": {"member"}, "members_observers": {"member", "observer"}, "all": {"member", "observer", "other"}}
    return frame[frame.kind.isin(kinds[universe])]


def headline(db: Database, as_of: date) -> dict[str, int]:
    """The overview's figures as of a date (definitions in DESIGN.md and on the page)."""
    return headline_from(status_as_of(db, as_of))


def headline_from(status: pd.DataFrame) -> dict[str, int]:
    """Headline counts from one `status_as_of` frame."""
    members = status[status.kind == "member"]
    # consent_date is only set for deposits on or before as_of, so an earlier date counts none.
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


def groups_as_of(db: Database, as_of: date) -> pd.DataFrame:
    """Group memberships in force on the date (the latest DAC list where none covers it yet)."""
    return db.query("select * from groups_as_of(?::date) order by group_code, iso3", [as_of])


def group_names(db: Database) -> pd.DataFrame:
    return db.query("select group_code, name_en, name_fr, source from groups order by group_code")


def strategy_figures(db: Database, as_of: date) -> dict[str, object]:
    """The shares the 2020-2022 strategy quotes, recomputed for any date.

    Non-parties: UN member states not party on `as_of`. ODA: on the DAC list in force on `as_of`.
    SIDS: on the UN-OHRLLS list; Caribbean and Pacific per its regional grouping.
    Joined since launch: UN member states and observers whose deposit falls from the CTI launch to `as_of`.
    """
    status = status_as_of(db, as_of)
    groups = groups_as_of(db, as_of)
    oda = set(groups[groups.group_code == "ODA"].iso3)
    sids = groups[groups.group_code == "SIDS"]
    sids_cp = set(sids[sids.note.fillna("").str.contains("Caribbean|Pacific")].iso3)
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
        "oda_list_extrapolated": bool(groups[groups.group_code == "ODA"].extrapolated.any()),
    }
