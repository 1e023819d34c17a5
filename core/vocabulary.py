"""The project's vocabulary shared by the ETL and the app: universes of states and kinds of CTI activity."""

from __future__ import annotations

UN_MEMBERS = 193
# The universes a figure can count, each by the `kind` of the states it holds (data/states.csv).
UNIVERSES = ("members", "members_observers", "all")
UNIVERSE_KINDS = {"members": {"member"}, "members_observers": {"member", "observer"}, "all": {"member", "observer", "other"}}

# Visits and remote advice go to one state; the other kinds may gather several (iso3 empty).
VISIT_KINDS = {"country_visit", "study_visit"}
ADVICE_KINDS = {"remote_advice"}
EVENT_KINDS = {"seminar", "workshop", "conference", "forum"}
# The senior-officials target counts "seminars, conferences and workshops" (strategy 2020-2022);
# the annual forum of the Group of Friends is recorded but not counted.
OFFICIALS_KINDS = {"seminar", "workshop", "conference"}
ACTIVITY_KINDS = VISIT_KINDS | ADVICE_KINDS | EVENT_KINDS

# The Secretariat's audit log (app/audit.py), beside the record files in data/activities/; checked by the ETL.
AUDIT_FILE = "audit_log.csv"
AUDIT_COLUMNS = ["at", "account", "action", "file", "records", "changed", "reason"]
AUDIT_ACTIONS = ("upload", "correction", "withdrawal", "undo", "targets")


# The columns of data/upr_recommendations.csv, the table in the database and the open data (etl/engagement.py
# validates them; app/commitments.py shows these rows plus their fate).
UPR_RECOMMENDATION_COLUMNS = (
    "rec_id",
    "iso3",
    "cycle",
    "session",
    "recommending_iso3",
    "recommending_name",
    "text",
    "treaty",
    "action",
    "response",
    "document",
    "source",
    "level",
    "note",
)


# The treaty actions the feeds, the state and group feeds and the update announce, each with its phrase in the
# catalogue (feed.<treaty>_<event>).
ANNOUNCED_EVENTS = (
    ("CAT", "signature"),
    ("CAT", "ratification"),
    ("CAT", "accession"),
    ("CAT", "succession"),
    ("CAT", "declaration_art22"),
    ("OPCAT", "ratification"),
    ("OPCAT", "accession"),
    ("OPCAT", "succession"),
)
