"""The CTI strategy 2020-2022 figures, recomputed as of 1 March 2020 (see data/SOURCES.md).

Definitions used here:
- non-parties: UN member states (193) that had not deposited ratification, accession or
  succession on or before 1 March 2020;
- ODA recipient: on the OECD DAC List of ODA Recipients in force on that date (the list for
  reporting on 2018, 2019 and 2020 flows);
- SIDS in the Caribbean and the Pacific: on the UN-OHRLLS SIDS list, in those two regions;
- joined since the launch: UN member and observer states that deposited from the CTI launch
  (4 March 2014) to 1 March 2020.
"""

from datetime import date

import pytest

from app import snapshot
from app.figures import strategy_figures

AS_OF = date(2020, 3, 1)


@pytest.fixture(scope="module")
def figures(db):
    return strategy_figures(snapshot.take(db, AS_OF))


def test_77_percent_of_non_parties_were_oda_recipients(figures):
    assert len(figures["non_parties"]) == 26
    assert len(figures["non_parties_oda"]) == 20
    assert round(100 * 20 / 26) == 77
    assert not figures["oda_list_extrapolated"]


def test_more_than_half_of_those_were_caribbean_or_pacific_sids(figures):
    share = len(figures["non_parties_oda_sids_cp"]) / len(figures["non_parties_oda"])
    assert len(figures["non_parties_oda_sids_cp"]) == 11
    assert share > 0.5


def test_15_states_joined_since_the_launch(figures):
    assert len(figures["joined_since_launch"]) == 15
    assert "PSE" in figures["joined_since_launch"]  # the strategy counts the State of Palestine


def test_oda_recipients_among_those_who_joined(figures):
    # The strategy says 13 of 15 (87%). With the DAC list in force, 14 of the 15 are recipients;
    # only the Bahamas is not. The figure of 13 is reproduced when the State of Palestine,
    # which the DAC list names "West Bank and Gaza Strip" (a territory), is not counted as an
    # ODA-recipient state. data/SOURCES.md records this difference.
    joined_oda = figures["joined_since_launch_oda"]
    assert len(joined_oda) == 14
    assert set(figures["joined_since_launch"]) - set(joined_oda) == {"BHS"}
    assert len(set(joined_oda) - {"PSE"}) == 13
    assert round(100 * 13 / 15) == 87
