"""Data contracts of the built database: keys, accepted values, sources, one status per state."""

from datetime import date

import pandas as pd
import pytest

from app import figures, queries, snapshot
from core.treaty_rules import entry_into_force
from etl.schemas import EVENTS, TREATIES

SAMPLE_DATES = [date(1985, 2, 3), date(1987, 6, 26), date(2000, 1, 1), date(2014, 3, 4), date(2020, 3, 1), date(2026, 2, 3)]


def test_states_universe(db):
    states = db.query("select kind, count(*) as n from states group by kind")
    assert dict(zip(states.kind, states.n)) == {"member": 193, "observer": 2, "other": 2}
    keys = db.query(
        "select count(*) as n, count(distinct iso3) as u, count(distinct iso2) as u2, count(distinct m49) as m from states"
    )
    assert keys.iloc[0].tolist() == [197, 197, 197, 197]
    named = db.query("select count(*) from states where name_en = '' or name_fr = '' or lat is null or lon is null")
    assert named.iloc[0, 0] == 0


def test_known_official_names(db):
    names = db.query("select iso3, name_en, name_fr from states where iso3 in ('BOL', 'TUR', 'NLD', 'PSE', 'VAT', 'CIV')")
    by_code = {r.iso3: (r.name_en, r.name_fr) for r in names.itertuples()}
    assert by_code["BOL"] == ("Bolivia (Plurinational State of)", "Bolivie (État plurinational de)")
    assert by_code["TUR"][0] == "Türkiye"
    assert by_code["PSE"] == ("State of Palestine", "État de Palestine")
    assert by_code["VAT"] == ("Holy See", "Saint-Siège")


def test_treaty_events_keys_values_and_sources(db):
    events = db.query("select * from treaty_events")
    assert not events.duplicated(["iso3", "treaty", "event"]).any()
    assert set(events.treaty) <= TREATIES
    assert set(events.event) <= EVENTS
    assert (events.source.str.strip() != "").all()
    consents = events[events.event.isin(["ratification", "accession", "succession"])]
    assert not consents.duplicated(["iso3", "treaty"]).any()


def test_group_membership_has_sources_and_known_codes(db):
    membership = db.query("select * from group_membership")
    assert (membership.source.str.strip() != "").all()
    required = {"ODA", "LDC", "SIDS", "CTI_CORE", "OIC", "COMMONWEALTH", "AU", "ASEAN", "COE", "OSCE", "OAS", "PIF", "CARICOM"}
    assert required <= set(membership.group_code)
    bounded = membership.dropna(subset=["valid_from", "valid_to"])
    assert (bounded.valid_from <= bounded.valid_to).all()


@pytest.mark.parametrize("as_of", SAMPLE_DATES)
def test_every_state_has_exactly_one_status(db, as_of):
    status = db.query("select * from cat_status_as_of(?::date)", [as_of])
    assert len(status) == 197 and status.iso3.is_unique
    assert set(status.status) <= {"party", "signatory", "no_action"}
    assert status.status.notna().all()
    parties = status[status.status == "party"]
    assert parties.consent_date.notna().all() and (parties.consent_date <= pd.Timestamp(as_of)).all()
    assert status[status.status != "party"].consent_date.isna().all()


def test_nobody_acted_before_opening_for_signature(db):
    status = db.query("select status from cat_status_as_of(date '1985-02-03')")
    assert set(status.status) == {"no_action"}


def test_macro_entry_into_force_agrees_with_the_rule(db, built_db):
    status = db.query(
        "select iso3, consent_date, entry_into_force from cat_status_as_of(date '2026-02-03') where status = 'party'"
    )
    for row in status.itertuples():
        assert row.entry_into_force.date() == entry_into_force(row.consent_date.date()), row.iso3


def test_a_state_not_bound_has_no_entry_into_force(db):
    """India signed, Tonga and Palau did nothing: none is bound, so none has a date of entry into force."""
    status = db.query("select iso3, status, entry_into_force from cat_status_as_of(date '2026-02-03')").set_index("iso3")
    assert status.loc[["IND", "TON", "PLW", "FSM"], "status"].tolist() == ["signatory", "no_action", "signatory", "no_action"]
    assert status.loc[status.status != "party", "entry_into_force"].isna().all()
    assert status.loc[status.status == "party", "entry_into_force"].notna().all()


def test_known_positions_on_the_status_page_date(db):
    status = db.query("select * from cat_status_as_of(date '2026-02-03')").set_index("iso3")
    assert status.at["DMA", "status"] == "party" and status.at["DMA", "consent_type"] == "accession"
    assert status.at["IND", "status"] == "signatory"
    assert status.at["PSE", "consent_date"] == pd.Timestamp("2014-04-02")
    assert status.at["HRV", "consent_type"] == "succession"
    assert bool(status.at["CHN", "art20_reservation"]) and not bool(status.at["AFG", "art20_reservation"])
    assert status.at["BOL", "art22_declaration_date"] == pd.Timestamp("2006-02-14")


def test_art20_reservation_follows_its_withdrawal_date(db):
    before = db.query("select art20_reservation from cat_status_as_of(date '2018-04-16') where iso3 = 'AFG'").iloc[0, 0]
    after = db.query("select art20_reservation from cat_status_as_of(date '2018-04-17') where iso3 = 'AFG'").iloc[0, 0]
    assert bool(before) and not bool(after)


def test_headline_counts_match_the_depositary(db):
    headline = figures.headline(snapshot.take(db, date(2026, 2, 3)).status)
    # The status page of 3 February 2026 states 175 parties and 83 signatories (signed, party or not).
    assert headline["parties"] == 175
    signed = db.query("select count(*) from cat_status_as_of(date '2026-02-03') where signature_date is not null").iloc[0, 0]
    assert signed == 83
    assert headline["opcat_parties"] == 96


def test_etl_runs_records_the_build(db):
    runs = db.query("select * from etl_runs")
    assert len(runs) >= 1
    last = runs.iloc[-1]
    assert last.data_as_of == pd.Timestamp("2026-02-03")
    assert "treaty_events.csv" in last.input_hashes and "treaty_events" in last.row_counts


def test_groups_as_of_uses_the_list_in_force(db):
    in_2015 = set(queries.groups_as_of(db, date(2015, 6, 1)).query("group_code == 'ODA'").iso3)
    in_2020 = set(queries.groups_as_of(db, date(2020, 3, 1)).query("group_code == 'ODA'").iso3)
    assert "CHL" in in_2015 and "CHL" not in in_2020  # Chile left the list on 1 January 2018
    assert "PSE" in in_2020  # listed as "West Bank and Gaza Strip"
    core = set(queries.groups_as_of(db, date(2018, 12, 31)).query("group_code == 'CTI_CORE'").iso3)
    assert core == {"CHL", "DNK", "GHA", "IDN", "MAR"}  # Fiji joined in February 2019
    assert "FJI" in set(queries.groups_as_of(db, date(2019, 3, 1)).query("group_code == 'CTI_CORE'").iso3)
