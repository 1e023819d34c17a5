"""The input files, their columns and their validation rules (pandera)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from core import vocabulary
from core.vocabulary import ACTIVITY_KINDS, ADVICE_KINDS, VISIT_KINDS
from etl.validate import SEP, both_dates, date_check, frame_check, is_iso_date, one_of, required

KINDS = {"member", "observer", "other"}
TREATIES = {"CAT", "OPCAT"}
CONSENTS = {"ratification", "accession", "succession"}
EVENTS = CONSENTS | {
    "signature",
    "declaration_art21",
    "declaration_art22",
    "reservation_art20",
    "withdrawal_art20",
}
REGIONAL_GROUPS = {
    "African States",
    "Asia-Pacific States",
    "Eastern European States",
    "Latin American and Caribbean States",
    "Western European and other States",
}

COLUMNS = {
    "states": [
        "iso3",
        "iso2",
        "m49",
        "name_en",
        "name_fr",
        "name_es",
        "kind",
        "un_member_since",
        "m49_region",
        "m49_subregion",
        "un_regional_group",
        "lat",
        "lon",
        "source",
    ],
    "state_aliases": ["alias", "iso3", "note"],
    "treaty_events": ["iso3", "treaty", "event", "event_date", "source", "note"],
    "groups": ["group_code", "name_en", "name_fr", "name_es", "source", "note"],
    "group_membership": ["iso3", "group_code", "valid_from", "valid_to", "source", "note"],
    "datasets": ["dataset", "as_of", "source", "note"],
    "activities": [
        "activity_id",
        "start_date",
        "end_date",
        "kind",
        "iso3",
        "senior_officials",
        "participants",
        "title",
        "is_public",
        "is_sample",
        "source",
    ],
    "targets": ["metric", "period_start", "period_end", "comparator", "value", "unit", "strategy", "source"],
    "territories": [
        "m49",
        "iso3",
        "name_en",
        "name_fr",
        "name_es",
        "administering_iso3",
        "administering_source",
        "nsgt",
        "un_note",
        "untc_names",
    ],
    "territorial_application": [
        "m49",
        "treaty",
        "party_iso3",
        "effect",
        "valid_from",
        "valid_to",
        "untc_note",
        "source",
        "note",
    ],
}
# The United Nations' own notes shown with a territory (app/locales: map.un_note_*).
UN_NOTES = {"western_sahara", "falklands"}
EFFECTS = {"applies", "excluded"}

# Columns an activity file may leave out, with the value they then take. Records copied from public
# CTI pages may be dated only to a month or a year, and do not count toward the yearly targets when
# they are not the Secretariat's complete record (see data/SOURCES.md).
# `level`: how the record is known (primary: the CTI's own record or page; secondary: a compilation). Empty on a
# real record means the Secretariat's own record (primary); a sample record has none.
ACTIVITY_OPTIONAL_COLUMNS = {"date_precision": "day", "counts_toward_targets": "true", "note": "", "level": ""}
PRECISIONS = {"day", "month", "year"}

BOOLEANS = {"true", "false"}
METRICS = {"states_visited", "states_advised", "senior_officials"}
COMPARATORS = {"at_least", "up_to"}


def _text(*checks: pa.Check) -> pa.Column:
    return pa.Column(object, checks=list(checks))


def _number_in(column: str, low: float, high: float) -> pa.Check:
    def ok(s: pd.Series) -> pd.Series:
        values = pd.to_numeric(s, errors="coerce")
        return values.between(low, high)

    return pa.Check(ok, error=f"{column}{SEP}not a number between {low} and {high}")


def _count(column: str) -> pa.Check:
    return pa.Check(lambda s: s.str.fullmatch(r"\d{1,6}"), error=f"{column}{SEP}not a whole number of 0 or more")


def _unique(columns: list[str], blame: str, reason: str) -> pa.Check:
    return frame_check(blame, reason, lambda df: ~df.duplicated(columns, keep="first"))


def states_schema(today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(
                required("iso3"), pa.Check.str_matches(r"^[A-Z]{3}$", error=f"iso3{SEP}not a 3-letter upper-case ISO code")
            ),
            "iso2": _text(pa.Check.str_matches(r"^[A-Z]{2}$", error=f"iso2{SEP}not a 2-letter upper-case ISO code")),
            "m49": _text(pa.Check.str_matches(r"^\d{3}$", error=f"m49{SEP}not a 3-digit M49 code")),
            "name_en": _text(required("name_en")),
            "name_fr": _text(required("name_fr")),
            "name_es": _text(required("name_es")),
            "kind": _text(one_of("kind", KINDS, "unknown kind")),
            "un_member_since": _text(*date_check("un_member_since", today, allow_empty=True)),
            "m49_region": _text(required("m49_region")),
            "m49_subregion": _text(required("m49_subregion")),
            "un_regional_group": _text(
                pa.Check(lambda s: s.isin(REGIONAL_GROUPS) | (s == ""), error=f"un_regional_group{SEP}unknown UN regional group")
            ),
            "lat": _text(_number_in("lat", -90, 90)),
            "lon": _text(_number_in("lon", -180, 180)),
            "source": _text(required("source")),
        },
        checks=[
            _unique(["iso3"], "iso3", "duplicate state"),
            frame_check(
                "un_member_since",
                "a UN member state needs its date of admission (and only members have one)",
                lambda df: (df.kind == "member") == (df.un_member_since != ""),
            ),
        ],
    )


def aliases_schema(iso3: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "alias": _text(required("alias")),
            "iso3": _text(pa.Check(lambda s: s.isin(iso3) | (s == ""), error=f"iso3{SEP}unknown ISO code (not in states.csv)")),
            "note": _text(),
        },
        checks=[_unique(["alias"], "alias", "duplicate alias")],
    )


def treaty_events_schema(iso3: set[str], today: date) -> pa.DataFrameSchema:
    def consent_before_signature(df: pd.DataFrame) -> pd.Series:
        signed = df[df.event == "signature"].drop_duplicates(["iso3", "treaty"]).set_index(["iso3", "treaty"]).event_date
        key = pd.MultiIndex.from_frame(df[["iso3", "treaty"]])
        signature = pd.Series(signed.reindex(key).to_numpy(), index=df.index)
        is_consent = df.event.isin(CONSENTS)
        # ISO dates compare correctly as text; malformed dates are reported by their own check.
        return ~(is_consent & signature.notna() & (df.event_date < signature.fillna("")))

    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "treaty": _text(one_of("treaty", TREATIES, "unknown treaty")),
            "event": _text(one_of("event", EVENTS, "unknown event")),
            "event_date": _text(*date_check("event_date", today)),
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "treaty", "event"], "event", "duplicate event: this state already has this event for this treaty"),
            frame_check(
                "event",
                "a second consent (ratification, accession or succession) for the same state and treaty",
                lambda df: (
                    ~df[df.event.isin(CONSENTS)].duplicated(["iso3", "treaty"], keep="first").reindex(df.index, fill_value=False)
                ),
            ),
            frame_check("event_date", "consent dated before this state's signature", consent_before_signature),
            frame_check(
                "event",
                "art. 20, 21 and 22 events belong to CAT only",
                lambda df: ~((df.treaty == "OPCAT") & df.event.str.contains("art2")),
            ),
        ],
    )


def groups_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "group_code": _text(pa.Check.str_matches(r"^[A-Z][A-Z0-9_]*$", error=f"group_code{SEP}not an upper-case code")),
            "name_en": _text(required("name_en")),
            "name_fr": _text(required("name_fr")),
            "name_es": _text(required("name_es")),
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[_unique(["group_code"], "group_code", "duplicate group")],
    )


def membership_schema(iso3: set[str], groups: set[str], today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "iso3": _text(one_of("iso3", iso3, "unknown ISO code (not in states.csv)")),
            "group_code": _text(one_of("group_code", groups, "unknown group (not in groups.csv)")),
            "valid_from": _text(*date_check("valid_from", today, allow_empty=True)),
            # A list period may end in the future (a DAC list covers the coming reporting years).
            "valid_to": _text(
                pa.Check(
                    lambda s: s.str.fullmatch(r"\d{4}-\d{2}-\d{2}") | (s == ""),
                    error=f"valid_to{SEP}not a date in the form YYYY-MM-DD",
                )
            ),
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[
            _unique(["iso3", "group_code", "valid_from"], "valid_from", "duplicate membership row"),
            frame_check(
                "valid_to",
                "valid_to is before valid_from",
                lambda df: ~(both_dates(df.valid_from, df.valid_to) & (df.valid_to < df.valid_from)),
            ),
        ],
    )


def datasets_schema(today: date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "dataset": _text(one_of("dataset", {"treaty_events", "group_membership", "states"}, "unknown dataset")),
            "as_of": _text(*date_check("as_of", today)),
            "source": _text(required("source")),
            "note": _text(),
        },
        checks=[_unique(["dataset"], "dataset", "duplicate dataset")],
    )


def activities_schema(iso3: set[str], today: date) -> pa.DataFrameSchema:
    """One file of activity records; uniqueness across files is checked by the loader."""

    def as_int(s: pd.Series) -> pd.Series:
        return pd.to_numeric(s, errors="coerce")

    return pa.DataFrameSchema(
        {
            "activity_id": _text(
                required("activity_id"),
                pa.Check.str_matches(
                    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$", error=f"activity_id{SEP}not an identifier (letters, digits, - _ .)"
                ),
            ),
            "start_date": _text(*date_check("start_date", today)),
            "end_date": _text(*date_check("end_date", today)),
            "kind": _text(one_of("kind", ACTIVITY_KINDS, "unknown kind of activity")),
            "iso3": _text(pa.Check(lambda s: s.isin(iso3) | (s == ""), error=f"iso3{SEP}unknown ISO code (not in states.csv)")),
            "senior_officials": _text(_count("senior_officials")),
            "participants": _text(_count("participants")),
            "title": _text(required("title")),
            "is_public": _text(one_of("is_public", BOOLEANS, "not a yes/no value")),
            "is_sample": _text(one_of("is_sample", BOOLEANS, "not a yes/no value")),
            "source": _text(),
            "date_precision": _text(one_of("date_precision", PRECISIONS, "unknown date precision")),
            "counts_toward_targets": _text(one_of("counts_toward_targets", BOOLEANS, "not a yes/no value")),
            "note": _text(),
            "level": _text(one_of("level", {"", "primary", "secondary"}, "unknown verification level")),
        },
        checks=[
            _unique(["activity_id"], "activity_id", "duplicate activity_id"),
            frame_check(
                "level", "a sample record has no verification level", lambda df: ~((df.is_sample == "true") & (df.level != ""))
            ),
            frame_check(
                "start_date",
                "a month or a year runs from its first day to its last (YYYY-MM-01 to the month's end, YYYY-01-01 to YYYY-12-31)",
                _period_matches_precision,
            ),
            frame_check(
                "end_date",
                "end_date is before start_date",
                lambda df: ~(both_dates(df.start_date, df.end_date) & (df.end_date < df.start_date)),
            ),
            frame_check(
                "iso3",
                "a visit or remote advice needs the state that received it",
                lambda df: ~(df.kind.isin(VISIT_KINDS | ADVICE_KINDS) & (df.iso3 == "")),
            ),
            frame_check(
                "senior_officials",
                "more senior officials than participants",
                lambda df: ~((df.participants != "0") & (as_int(df.senior_officials) > as_int(df.participants))),
            ),
            frame_check(
                "source",
                "a public activity naming a state needs the source where the state made it public",
                lambda df: ~((df.is_public == "true") & (df.iso3 != "") & (df.source.str.strip() == "")),
            ),
            frame_check(
                "source",
                "a real activity (is_sample false) needs its source",
                lambda df: ~((df.is_sample == "false") & (df.source.str.strip() == "")),
            ),
        ],
    )


def _period_matches_precision(df: pd.DataFrame) -> pd.Series:
    start = pd.to_datetime(df.start_date, format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(df.end_date, format="%Y-%m-%d", errors="coerce")
    month = (df.date_precision == "month") & ~((start.dt.day == 1) & end.dt.is_month_end)
    year = (df.date_precision == "year") & ~(
        (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31)
    )
    return ~(month | year)


def withdrawals_schema() -> pa.DataFrameSchema:
    """A withdrawals file (etl/ledger.py): which activity, the file whose version goes (empty: the activity), why."""
    return pa.DataFrameSchema(
        {
            "activity_id": _text(required("activity_id")),
            "record_file": _text(
                pa.Check(
                    lambda s: s.str.fullmatch(r"((activities|corrections)[A-Za-z0-9_.-]*\.csv)?"),
                    error=f"record_file{SEP}not the name of an activities or corrections file",
                )
            ),
            "reason": _text(required("reason")),
        }
    )


AUDIT_ACTIONS = set(vocabulary.AUDIT_ACTIONS)


def audit_schema() -> pa.DataFrameSchema:
    """The Secretariat's audit log (app/audit.py): one line per change, appended."""
    return pa.DataFrameSchema(
        {
            "at": _text(
                pa.Check(
                    lambda s: pd.to_datetime(s, format="%Y-%m-%dT%H:%M:%S", errors="coerce").notna(),
                    error=f"at{SEP}not a time in the form YYYY-MM-DDTHH:MM:SS",
                )
            ),
            "account": _text(required("account")),
            "action": _text(one_of("action", AUDIT_ACTIONS, "unknown action")),
            "file": _text(),
            "records": _text(pa.Check(lambda s: s.str.fullmatch(r"\d{1,6}"), error=f"records{SEP}not a whole number")),
            "changed": _text(),
            "reason": _text(),
        }
    )


def targets_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric": _text(one_of("metric", METRICS, "unknown metric")),
            # Targets may be set for years to come, so future dates are allowed here.
            "period_start": _text(
                pa.Check(lambda s: is_iso_date(s), error=f"period_start{SEP}not a date in the form YYYY-MM-DD")
            ),
            "period_end": _text(pa.Check(lambda s: is_iso_date(s), error=f"period_end{SEP}not a date in the form YYYY-MM-DD")),
            "comparator": _text(one_of("comparator", COMPARATORS, "unknown comparator")),
            "value": _text(pa.Check(lambda s: s.str.fullmatch(r"[1-9]\d{0,5}"), error=f"value{SEP}not a whole number above 0")),
            "unit": _text(required("unit")),
            "strategy": _text(required("strategy")),
            "source": _text(required("source")),
        },
        checks=[
            frame_check(
                "period_end",
                "period_end is before period_start",
                lambda df: ~(both_dates(df.period_start, df.period_end) & (df.period_end < df.period_start)),
            ),
            frame_check(
                "period_start",
                "periods of the same metric overlap: which target applies would be ambiguous",
                _no_overlap,
            ),
        ],
    )


def _no_overlap(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for _, rows in df.groupby("metric"):
        ordered = rows.sort_values("period_start")
        overlaps = ordered.period_start < ordered.period_end.shift().fillna("")
        ok[ordered.index[overlaps.to_numpy()]] = False
    return ok


def territories_schema(iso3: set[str], state_m49: set[str]) -> pa.DataFrameSchema:
    """Territories as the M49 list names them, each with its administering state (empty only for Western Sahara)."""
    return pa.DataFrameSchema(
        {
            "m49": _text(
                pa.Check.str_matches(r"^\d{3}$", error=f"m49{SEP}not a 3-digit M49 code"),
                pa.Check(lambda s: ~s.isin(state_m49), error=f"m49{SEP}a state's code (states.csv), not a territory's"),
            ),
            "iso3": _text(pa.Check.str_matches(r"^[A-Z]{3}$", error=f"iso3{SEP}not a 3-letter upper-case ISO code")),
            "name_en": _text(required("name_en")),
            "name_fr": _text(required("name_fr")),
            "name_es": _text(required("name_es")),
            "administering_iso3": _text(
                pa.Check(lambda s: s.isin(iso3) | (s == ""), error=f"administering_iso3{SEP}unknown ISO code (not in states.csv)")
            ),
            "administering_source": _text(required("administering_source")),
            "nsgt": _text(one_of("nsgt", BOOLEANS, "not true or false")),
            "un_note": _text(pa.Check(lambda s: s.isin(UN_NOTES) | (s == ""), error=f"un_note{SEP}unknown note")),
            "untc_names": _text(),
        },
        checks=[
            _unique(["m49"], "m49", "duplicate territory"),
            frame_check(
                "administering_iso3",
                "a territory without an administering state needs the UN's own note saying why",
                lambda df: (df.administering_iso3 != "") | (df.un_note != ""),
            ),
        ],
    )


def territorial_application_schema(iso3: set[str], territories: set[str], today: date) -> pa.DataFrameSchema:
    """What the depositary records of a party's treaty in a territory: applies or excluded, from and to."""
    return pa.DataFrameSchema(
        {
            "m49": _text(one_of("m49", territories, "unknown territory (not in territories.csv)")),
            "treaty": _text(one_of("treaty", TREATIES, "unknown treaty")),
            "party_iso3": _text(one_of("party_iso3", iso3, "unknown ISO code (not in states.csv)")),
            "effect": _text(one_of("effect", EFFECTS, "not applies or excluded")),
            "valid_from": _text(*date_check("valid_from", today, allow_empty=True)),
            "valid_to": _text(*date_check("valid_to", today, allow_empty=True)),
            "untc_note": _text(required("untc_note")),
            "source": _text(required("source")),
            "note": _text(required("note")),
        },
        checks=[
            _unique(["m49", "treaty", "party_iso3", "valid_from"], "valid_from", "duplicate row"),
            frame_check(
                "valid_to",
                "valid_to is before valid_from",
                lambda df: ~((df.valid_to != "") & (df.valid_from != "") & (df.valid_to < df.valid_from)),
            ),
        ],
    )
