"""The strategy's claim checked: where a recommendation to ratify the Convention ranks, computed from the UPR Info exports."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from core.config import UPR_TOPIC_RANKING
from etl import upr_topics
from tests.conftest import DATA, ROOT, SHARED

EXPORTS = sorted((SHARED / "inputs" / "upr" / "upr_info_exports").glob("sessions_*.csv"), key=upr_topics._first_session)
STORED = DATA / UPR_TOPIC_RANKING


@pytest.fixture(scope="module")
def computed() -> dict:
    assert len(EXPORTS) == 5, f"the five UPR Info exports (sessions 1-20) are read from {SHARED}"
    return upr_topics.build(EXPORTS)


def ranks(result: dict, cycle: str) -> dict[str, int]:
    return {topic["topic"]: topic["rank"] for topic in result["cycles"][cycle]["topics"]}


def test_ratifying_the_convention_ranks_fifth_in_cycle_1_and_seventh_in_the_cycle_2_sessions_covered(computed):
    one, two = computed["cycles"]["1"], computed["cycles"]["2"]
    assert (one["sessions"], two["sessions"]) == ([1, 12], [13, 20])
    assert (one["recommendations"], two["recommendations"]) == (21356, 19710)  # all 41,066, every topic
    cat_one = next(t for t in one["topics"] if t["topic"] == "CAT")
    cat_two = next(t for t in two["topics"] if t["topic"] == "CAT")
    assert (cat_one["rank"], cat_one["recommendations"]) == (5, 327)
    assert (cat_two["rank"], cat_two["recommendations"]) == (7, 200)
    # What ranks before it: the Protocol first in cycle 1, the migrant workers' convention in cycle 2.
    assert [t["topic"] for t in one["topics"][:4]] == ["OPCAT", "CED", "CRPD", "ICRMW"]
    assert [t["topic"] for t in two["topics"][:6]] == ["ICRMW", "OPCAT", "CED", "ROME", "ICCPR-OP2", "ICCPR"]
    # UPR Info's own subject tag "Torture and other CID treatment" (every recommendation on torture): 4th and 5th.
    issue = {
        cycle: next(i for i in computed["cycles"][cycle]["issue_ranks"] if i["topic"] == "Torture and other CID treatment")
        for cycle in "12"
    }
    assert (issue["1"]["rank"], issue["2"]["rank"]) == (4, 5)


def test_the_stored_ranking_is_the_one_the_exports_give_with_their_hashes(computed):
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert stored == computed
    assert [f["name"] for f in stored["files"]] == [p.name for p in EXPORTS]
    assert [f["sha256"] for f in stored["files"]] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in EXPORTS]
    assert sum(f["rows"] for f in stored["files"]) == 41066


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ratify CAT", {"CAT"}),
        ("Accede to the Convention against Torture and its Optional Protocol", {"CAT", "OPCAT"}),
        ("Ratify the Optional Protocol to the Convention against Torture", {"OPCAT"}),  # the Convention is not asked
        ("Sign and ratify CAT-OP.", {"OPCAT"}),
        ("Ratify the Second Optional Protocol to the ICCPR, aiming at the abolition of the death penalty", {"ICCPR-OP2"}),
        ("Ratify the Optional Protocol to the Convention on the Rights of the Child on the sale of children", {"CRC-OPSC"}),
        ("Ratify CEDAW and its Optional Protocol", {"CEDAW", "OP-CEDAW"}),
        ("Ratify the optional protocols to CRC, as requested by CRC, ICRMW and CAT", {"CRC-OP"}),  # bodies, not treaties
        ("Withdraw its reservations to CAT and accede to its Optional Protocol", {"OPCAT"}),
        ("Accede to the OPCAT, improve its national implementation of the CAT", {"OPCAT"}),
        ("Sign the Optional Protocol to the Convention against Torture", set()),  # signing alone is not ratifying
        (
            "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance and the CAT",
            {"CED", "CAT"},  # "Protection" inside a name is no demand
        ),
        ("Take all measures to implement CAT and accelerate the procedures to ratify it", {"CAT"}),
        ("Following its ratification of CAT, establish a national preventive mechanism", set()),
        ("Ratify the core international human rights instruments to which it is not yet a party", set()),
    ],
)
def test_every_instrument_is_read_by_the_same_rules(text, expected):
    assert upr_topics.topics_of(text) == expected


def test_the_convention_and_the_protocol_are_read_as_the_labelled_set_has_them():
    """On the 371 hand-labelled texts (tests/data/upr_labelled.csv): a text labelled as asking to ratify CAT alone (or
    OPCAT alone) has that topic, a text about another treaty or another demand does not (CAT+OPCAT texts, whose
    label does not say which treaty each demand concerns, are left out)."""
    labelled = pd.read_csv(ROOT / "tests" / "data" / "upr_labelled.csv", dtype=str, keep_default_na=False)
    labelled = labelled[labelled.treaty != "CAT+OPCAT"]
    found = labelled.text.map(upr_topics.topics_of)
    for code in ("CAT", "OPCAT"):
        truth = (labelled.treaty == code) & (labelled.action == "ratify")
        got = found.map(lambda topics, c=code: c in topics)
        precision = (truth & got).sum() / got.sum()
        recall = (truth & got).sum() / truth.sum()
        assert precision >= 0.97 and recall >= 0.95, (code, precision, recall)
