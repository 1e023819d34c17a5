"""The SQL over the data contract: plain DataFrames and dicts, no Streamlit (figures derived from them: app.figures)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from app.db import Database
from app.targets import public_cutoff, strategy_years
from core.vocabulary import ADVICE_KINDS, OFFICIALS_KINDS, VISIT_KINDS


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
            states.name_es,
            states.kind,
            states.un_member_since,
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


def groups_as_of(db: Database, as_of: date) -> pd.DataFrame:
    """Group memberships in force on the date (the latest DAC list where none covers it yet)."""
    return db.query("select * from groups_as_of(?::date) order by group_code, iso3", [as_of])


def change_days(db: Database) -> list:
    """Every day on which a status or a group membership can change: treaty events, list starts, days after list ends,
    admissions to the UN (the map counts a state from its admission: app.maps.counted_on), and the days a party's
    treaty starts or stops applying in a territory (app.maps.territory_frame)."""
    frame = db.query(
        """
        select distinct day
        from (
            select event_date as day from treaty_events
            union all
            select un_member_since from states where un_member_since is not null
            union all
            select valid_from from group_membership where valid_from is not null
            union all
            select (valid_to + interval 1 day)::date from group_membership where valid_to is not null
            union all
            select valid_from from territorial_application where valid_from is not null
            union all
            select (valid_to + interval 1 day)::date from territorial_application where valid_to is not null
        )
        order by day
        """
    )
    return [value.date() if hasattr(value, "date") else value for value in frame.day]


def territories(db: Database) -> pd.DataFrame:
    """Territories as M49 names them, with their administering state's names (none for Western Sahara)."""
    return db.query(
        """
        select
            territories.m49,
            territories.iso3,
            territories.name_en,
            territories.name_fr,
            territories.name_es,
            territories.administering_iso3,
            states.name_en as administering_en,
            states.name_fr as administering_fr,
            states.name_es as administering_es,
            territories.nsgt,
            territories.un_note
        from territories
        left join states on states.iso3 = territories.administering_iso3
        order by territories.m49
        """
    )


def territorial_application(db: Database) -> pd.DataFrame:
    """What the depositary records of a party's treaty in a territory, dated: from the row's own date, or from the
    party's consent to be bound when the extension came with it."""
    return db.query(
        """
        select
            application.m49,
            application.treaty,
            application.party_iso3,
            states.name_en as party_en,
            states.name_fr as party_fr,
            states.name_es as party_es,
            application.effect,
            application.valid_from is null as with_consent,
            coalesce(application.valid_from, consents.event_date) as effective_from,
            application.valid_to,
            application.untc_note
        from territorial_application as application
        join states on states.iso3 = application.party_iso3
        left join treaty_events as consents
            on consents.iso3 = application.party_iso3
           and consents.treaty = application.treaty
           and consents.event in ('ratification', 'accession', 'succession')
        order by application.m49, application.treaty, effective_from
        """
    )


def group_names(db: Database) -> pd.DataFrame:
    return db.query("select group_code, name_en, name_fr, name_es, source from groups order by group_code")


def deposits_between(db: Database, start: date, end: date) -> pd.DataFrame:
    """Every CAT ratification, accession or succession deposited from `start` to `end`, with the state."""
    return db.query(
        """
        select
            events.event_date as consent_date,
            events.event as consent_type,
            states.iso3,
            states.name_en,
            states.name_fr,
            states.name_es,
            states.kind
        from treaty_events as events
        join states using (iso3)
        where events.treaty = 'CAT'
          and events.event in ('ratification', 'accession', 'succession')
          and events.event_date between ?::date and ?::date
        order by events.event_date, states.name_en
        """,
        [start, end],
    )


def groups_on(db: Database, days) -> dict[date, pd.DataFrame]:
    """Group memberships in force on each of the days (a frame of groups_as_of per day)."""
    return {day: groups_as_of(db, day) for day in sorted({pd.Timestamp(value).date() for value in days})}


def changes_between(db: Database, since: date, until: date) -> pd.DataFrame:
    """What changed after `since` up to `until`: CAT signatures, deposits and art. 22 declarations, OPCAT consents."""
    return db.query(
        """
        select
            events.event_date,
            events.treaty,
            events.event,
            states.iso3,
            states.name_en,
            states.name_fr,
            states.name_es,
            states.kind,
            events.source
        from treaty_events as events
        join states using (iso3)
        where events.event_date > ?::date
          and events.event_date <= ?::date
          and (
                (events.treaty = 'CAT'
                 and events.event in ('signature', 'ratification', 'accession', 'succession', 'declaration_art22'))
             or (events.treaty = 'OPCAT'
                 and events.event in ('ratification', 'accession', 'succession'))
          )
        order by events.event_date, states.name_en, events.treaty, events.event
        """,
        [since, until],
    )


# Activities and targets. Public-path functions (yearly_totals, targets, public_activities) never
# return which state received a confidential visit or advice: totals are computed in SQL and the
# results pass through `_without_states`. Per-state detail (activity_detail, activity_states) is for
# the signed-in Secretariat only.

STATE_COLUMNS = frozenset({"iso3", "iso2", "m49", "name_en", "name_fr", "name_es", "state", "state_en", "state_fr", "state_es"})


class ConfidentialityError(RuntimeError):
    """A public-path query tried to return per-state columns."""


def _without_states(frame: pd.DataFrame) -> pd.DataFrame:
    leaked = STATE_COLUMNS & set(frame.columns)
    if leaked:
        raise ConfidentialityError(f"public query returned state columns {sorted(leaked)}")
    return frame


def yearly_totals(db: Database, first_year: int, last_year: int, as_of: date) -> pd.DataFrame:
    """Per year and metric, the totals behind the targets, counting activities up to the end of the last
    month complete on `as_of` (targets.public_cutoff): a public figure never changes within a month.

    states_visited: distinct states with a country or study visit starting that year.
    states_advised: distinct states given remote advice that year.
    senior_officials: senior officials at seminars, workshops and conferences that year.
    sample_records: how many sample (not real) records the figure includes; real_records: how many real ones.
    """
    return _without_states(_totals(db, first_year, last_year, public_cutoff(as_of)))


def totals_to_date(db: Database, first_year: int, last_year: int, through: date, sample: bool | None = None) -> pd.DataFrame:
    """Secretariat only: the totals of yearly_totals counted up to `through` itself (finer than a month), of every
    record, or of the real (`sample` False) or sample (True) records alone."""
    return _totals(db, first_year, last_year, through, sample)


def _totals(db: Database, first_year: int, last_year: int, through: date, sample: bool | None = None) -> pd.DataFrame:
    frame = db.query(
        """
        with
        years as (
            select range as year
            from range(?::integer, ?::integer + 1)
        ),
        metrics as (
            select unnest(['states_visited', 'states_advised', 'senior_officials']) as metric
        ),
        dated as (
            select
                year(start_date) as year,
                kind,
                iso3,
                senior_officials,
                is_sample
            from activities
            where start_date <= ?::date
              and counts_toward_targets
              and (?::boolean is null or is_sample = ?::boolean)
        ),
        totals as (
            select
                year,
                'states_visited' as metric,
                count(distinct iso3) as actual,
                count(*) filter (where is_sample) as sample_records,
                count(*) filter (where not is_sample) as real_records
            from dated
            where list_contains(?, kind)
            group by year
            union all
            select
                year,
                'states_advised',
                count(distinct iso3),
                count(*) filter (where is_sample),
                count(*) filter (where not is_sample)
            from dated
            where list_contains(?, kind)
            group by year
            union all
            select
                year,
                'senior_officials',
                sum(senior_officials),
                count(*) filter (where is_sample),
                count(*) filter (where not is_sample)
            from dated
            where list_contains(?, kind)
            group by year
        )
        select
            years.year::integer as year,
            metrics.metric,
            coalesce(totals.actual, 0)::integer as actual,
            coalesce(totals.sample_records, 0)::integer as sample_records,
            coalesce(totals.real_records, 0)::integer as real_records
        from years
        cross join metrics
        left join totals using (year, metric)
        order by year, metric
        """,
        [first_year, last_year, through, sample, sample, sorted(VISIT_KINDS), sorted(ADVICE_KINDS), sorted(OFFICIALS_KINDS)],
    )
    return frame


def states_served(db: Database, first_year: int, last_year: int, through: date) -> pd.DataFrame:
    """Secretariat only: each state visited or advised, by year, kind and real or sample record, counted to `through`.

    year, kind, is_sample, iso3, name_en/fr/es, activities (how many records); only records that count toward the
    targets, as the yearly figures.
    """
    return db.query(
        """
        select
            year(activities.start_date)::integer as year,
            activities.kind,
            activities.is_sample,
            activities.iso3,
            states.name_en,
            states.name_fr,
            states.name_es,
            count(*)::integer as activities
        from activities
        join states using (iso3)
        where activities.counts_toward_targets
          and activities.start_date <= ?::date
          and year(activities.start_date) between ? and ?
          and list_contains(?, activities.kind)
        group by all
        order by year, activities.kind, activities.is_sample, states.name_en
        """,
        [through, first_year, last_year, sorted(VISIT_KINDS | ADVICE_KINDS)],
    )


def targets(db: Database) -> pd.DataFrame:
    """Every target in the data, with the strategy that set it and its source."""
    return _without_states(
        db.query(
            "select metric, period_start, period_end, comparator, value, unit, strategy, source from targets order by metric"
        )
    )


def activity_years(db: Database) -> tuple[int | None, int | None]:
    """First and last year with an activity record (None, None when there is none)."""
    row = db.query("select min(year(start_date)) as first, max(year(start_date)) as last from activities").iloc[0]
    return (None, None) if pd.isna(row["first"]) else (int(row["first"]), int(row["last"]))


def public_activities(db: Database, first_year: int, last_year: int, as_of: date) -> pd.DataFrame:
    """Activities made public (is_public): date, kind, title, source and, only for these, the state's name.

    The state's name is returned as `public_state_en` / `public_state_fr` and only for public rows,
    which the `where is_public` filter guarantees.
    """
    frame = db.query(
        """
        select
            activities.start_date,
            activities.end_date,
            activities.kind,
            states.name_en as public_state_en,
            states.name_fr as public_state_fr,
            states.name_es as public_state_es,
            activities.date_precision,
            -- Figures of records kept outside the targets (public CTI events) are not known: no zero.
            case when activities.counts_toward_targets then activities.senior_officials end as senior_officials,
            case when activities.counts_toward_targets then activities.participants end as participants,
            activities.title,
            activities.is_sample,
            activities.counts_toward_targets,
            activities.source
        from activities
        left join states using (iso3)
        where activities.is_public
          and year(activities.start_date) between ? and ?
          and activities.start_date <= ?::date
        order by activities.start_date, activities.activity_id
        """,
        [first_year, last_year, as_of],
    )
    return _without_states(frame)


def activity_detail(
    db: Database, first_year: int, last_year: int, kinds: list[str] | None = None, iso3: list[str] | None = None
) -> pd.DataFrame:
    """Secretariat only: every activity record with its state, filtered by years, kinds and states."""
    return db.query(
        """
        select
            activities.activity_id,
            activities.start_date,
            activities.end_date,
            activities.kind,
            activities.iso3,
            states.name_en,
            states.name_fr,
            states.name_es,
            activities.senior_officials,
            activities.participants,
            activities.title,
            activities.is_public,
            activities.is_sample,
            activities.source,
            activities.date_precision,
            activities.counts_toward_targets,
            activities.note,
            activities.level,
            activities.record_file
        from activities
        left join states using (iso3)
        where year(activities.start_date) between ? and ?
          and (? is null or list_contains(?, activities.kind))
          and (? is null or list_contains(?, activities.iso3))
        order by activities.start_date, activities.activity_id
        """,
        [first_year, last_year, kinds, kinds, iso3, iso3],
    )


def activity_states(db: Database) -> pd.DataFrame:
    """Secretariat only: the states with at least one activity record, for the filter."""
    return db.query(
        """
        select distinct
            states.iso3,
            states.name_en,
            states.name_fr,
            states.name_es
        from activities
        join states using (iso3)
        order by states.name_en
        """
    )


def targets_facts(db: Database, as_of: date) -> dict[str, pd.DataFrame | None]:
    """The targets, and the yearly totals of the years of the latest strategy begun by `as_of` and of the current
    year (to the end of its last complete month); totals None: no strategy begun."""
    targets_frame = targets(db)
    found = strategy_years(targets_frame, as_of)
    totals = yearly_totals(db, found[1][0], found[1][-1], as_of) if found else None
    return {"targets": targets_frame, "totals": totals}


def forum_facts(db: Database, as_of: date, since: date) -> dict[str, pd.DataFrame | None]:
    """What the forum's slides show besides the two snapshots (see app/slides.py): the deposits after `since`
    up to `as_of` (joined), every change in that span (changes), the targets and the strategy's totals."""
    return {
        "joined": deposits_between(db, since + timedelta(days=1), as_of),
        "changes": changes_between(db, since, as_of),
        **targets_facts(db, as_of),
    }


# Country profile: one state's facts on a date. Only public activity records are read here.


def state_facts(db: Database, iso3: str, as_of: date) -> dict[str, pd.DataFrame]:
    """Everything the profile says about one state on a date, as frames (see app/profile.py)."""
    report = report_facts(db, iso3, as_of)
    reviews = db.query(
        """
        select
            cycle,
            session,
            status,
            review_date,
            start_date,
            end_date,
            date_precision,
            basis,
            level,
            source,
            note
        from upr_reviews
        where iso3 = ?
        order by cycle
        """,
        [iso3],
    )
    postponements = db.query(
        """
        select
            moved.cycle,
            moved.from_session,
            moved.to_session,
            moved.decision,
            moved.decision_date,
            moved.level,
            moved.source,
            old.start_date as from_start,
            old.date_precision as from_precision,
            new.start_date as to_start,
            new.date_precision as to_precision
        from upr_postponements as moved
        join upr_sessions as old on old.session = moved.from_session
        left join upr_sessions as new on new.session = moved.to_session
        where moved.iso3 = ?
        order by moved.cycle, moved.from_session
        """,
        [iso3],
    )
    recommendations = db.query(
        """
        select
            recs.cycle,
            recs.session,
            sessions.start_date as session_start,
            sessions.date_precision as session_precision,
            recs.recommending_iso3,
            coalesce(states.name_en, recs.recommending_name) as recommending_en,
            coalesce(states.name_fr, recs.recommending_name) as recommending_fr,
            coalesce(states.name_es, recs.recommending_name) as recommending_es,
            recs.text,
            recs.treaty,
            recs.action,
            recs.response,
            recs.document,
            recs.source,
            recs.level
        from upr_recommendations as recs
        left join upr_sessions as sessions using (session)
        left join states on states.iso3 = recs.recommending_iso3
        where recs.iso3 = ?
          and sessions.known_by <= ?::date
        order by recs.cycle, recs.session, recommending_en, recs.rec_id
        """,
        [iso3, as_of],
    )
    implementation = db.query("select indicator, value, year, source, level from implementation where iso3 = ?", [iso3])
    activities = db.query(
        """
        select
            start_date,
            end_date,
            date_precision,
            kind,
            title,
            source
        from activities
        where iso3 = ?
          and is_public
          and not is_sample
          and start_date <= ?::date
        order by start_date
        """,
        [iso3, as_of],
    )
    return {
        **report,
        "reviews": reviews,
        "postponements": postponements,
        "recommendations": recommendations,
        "implementation": implementation,
        "activities": activities,
        "commitments": commitment_inputs(db, iso3),
    }


def report_facts(db: Database, iso3: str, as_of: date) -> dict[str, pd.DataFrame]:
    """The state's engagement on the date (its initial report's status among it) and its report rows:
    what app.profile.report_step reads, for the profile and the map's panel alike."""
    return {
        "engagement": db.query("select * from engagement_as_of(?::date) where iso3 = ?", [as_of, iso3]),
        "report": db.query("select * from reports where iso3 = ?", [iso3]),
    }


# Engagement calendar: the frames app.opportunities takes (rules there, not in SQL).


def upr_reviews_dated(db: Database) -> pd.DataFrame:
    """Every UPR review (held, scheduled or inferred) with its day where known, its session's dates and their
    precision, its basis, source and verification level (the calendar's, the report's and the update's)."""
    return db.query(
        """
        select
            iso3,
            cycle,
            session,
            status,
            review_date,
            start_date,
            end_date,
            date_precision,
            basis,
            level,
            source
        from upr_reviews
        order by iso3, cycle
        """
    )


def cat_recommendations(db: Database) -> pd.DataFrame:
    """UPR recommendations on CAT and OPCAT with their session's dates and the basis of the review they belong to."""
    return db.query(
        """
        select
            recs.iso3,
            recs.cycle,
            recs.session,
            recs.treaty,
            recs.action,
            recs.response,
            sessions.start_date as session_start,
            sessions.end_date as session_end,
            sessions.date_precision as session_precision,
            reviews.basis as review_basis
        from upr_recommendations as recs
        join upr_sessions as sessions on sessions.session = recs.session
        left join upr_reviews as reviews on reviews.iso3 = recs.iso3 and reviews.cycle = recs.cycle
        order by recs.iso3, recs.rec_id
        """
    )


def initial_reports(db: Database) -> pd.DataFrame:
    """Initial reports under art. 19: due date (the Committee's rule) and what is known of the submission."""
    return db.query(
        """
        select
            iso3,
            report,
            entry_into_force,
            due_date,
            submitted_date,
            submitted_year,
            date_precision,
            known_by
        from reports
        where report = 'initial'
        order by iso3
        """
    )


def engagement_inputs(db: Database) -> dict[str, object]:
    """The frames the engagement calendar's rules take (app.opportunities), whatever the date, and their currency."""
    return {
        "reviews": upr_reviews_dated(db),
        "recommendations": cat_recommendations(db),
        "reports": initial_reports(db),
        "currency": engagement_currency(db),
    }


def engagement_currency(db: Database) -> dict[str, object]:
    """How current the calendar's inputs are: the last UPR session with dates and the last with named states."""
    row = db.query(
        """
        select
            (select max(session) from upr_sessions where start_date is not null) as last_session,
            (select max(start_date) from upr_sessions) as last_session_start,
            (
                select max(session)
                from upr_reviews
                where basis = 'published'
            ) as last_published_session,
            (select max(session) from upr_recommendations) as last_recommendation_session
        """
    ).iloc[0]
    return {
        "last_session": int(row.last_session),
        "last_session_start": pd.Timestamp(row.last_session_start).date(),
        "last_published_session": int(row.last_published_session),
        "last_recommendation_session": int(row.last_recommendation_session),
    }


# UPR commitments: every recommendation as the open data has it, with the day it counts from; every treaty act.


def commitment_inputs(db: Database, iso3: str | None = None) -> dict[str, pd.DataFrame]:
    """The frames app.commitments takes, whatever the date: the recommendations and the treaty events.

    `recommendations` has the open-data table's columns (etl/opendata.py, upr_recommendations) and, from the
    session and the review, `counts_from` (upr_sessions.known_by: the day the session had surely ended) and
    `review_day` (the review's own day where the Working Group's report gives it). With `iso3`, only the
    recommendations that state received or made (the profile's).
    """
    recommendations = db.query(
        """
        select
            recs.rec_id,
            recs.iso3,
            recs.cycle,
            recs.session,
            recs.recommending_iso3,
            recs.recommending_name,
            recs.text,
            recs.treaty,
            recs.action,
            recs.response,
            recs.document,
            recs.source,
            recs.level,
            recs.note,
            sessions.known_by as counts_from,
            reviews.review_date as review_day
        from upr_recommendations as recs
        left join upr_sessions as sessions on sessions.session = recs.session
        left join upr_reviews as reviews on reviews.iso3 = recs.iso3 and reviews.cycle = recs.cycle
        where ?::varchar is null or recs.iso3 = ? or recs.recommending_iso3 = ?
        order by recs.rec_id
        """,
        [iso3, iso3, iso3],
    )
    events = db.query(
        """
        select
            iso3,
            treaty,
            event,
            event_date
        from treaty_events
        order by iso3, event_date
        """
    )
    return {"recommendations": recommendations, "events": events}


# The Secretariat's annual report and the Group of Friends' update: the facts of a span beside its two snapshots.


def initial_reports_detail(db: Database) -> pd.DataFrame:
    """Every initial report with what is known of its submission and how: symbol, dates, source and level."""
    return db.query(
        """
        select
            iso3,
            report,
            entry_into_force,
            due_date,
            symbol,
            submitted_date,
            submitted_year,
            date_precision,
            received_by,
            known_by,
            submission_source,
            submission_level
        from reports
        where report = 'initial'
        order by iso3
        """
    )


def recommendations_detail(db: Database) -> pd.DataFrame:
    """The CAT/OPCAT recommendations with their session's dates, the review's basis and the recommending state's names.

    The columns of cat_recommendations (what app.opportunities reads), plus who made each one and how it is known.
    """
    return db.query(
        """
        select
            recs.rec_id,
            recs.iso3,
            recs.cycle,
            recs.session,
            recs.treaty,
            recs.action,
            recs.response,
            sessions.start_date as session_start,
            sessions.end_date as session_end,
            sessions.date_precision as session_precision,
            sessions.known_by as session_known_by,
            reviews.basis as review_basis,
            recs.recommending_iso3,
            coalesce(states.name_en, recs.recommending_name) as recommending_en,
            coalesce(states.name_fr, recs.recommending_name) as recommending_fr,
            coalesce(states.name_es, recs.recommending_name) as recommending_es,
            recs.level
        from upr_recommendations as recs
        join upr_sessions as sessions on sessions.session = recs.session
        left join upr_reviews as reviews on reviews.iso3 = recs.iso3 and reviews.cycle = recs.cycle
        left join states on states.iso3 = recs.recommending_iso3
        order by recs.iso3, recs.cycle, recommending_en, recs.rec_id
        """
    )


def span_facts(db: Database, since: date, until: date) -> dict[str, object]:
    """What a report or an update on the span after `since` up to `until` shows besides its two snapshots:
    the treaty actions of the span, the UPR reviews and CAT/OPCAT recommendations, the initial reports, and how
    current the UPR data are (engagement_currency). Public facts only."""
    return {
        "changes": changes_between(db, since, until),
        "reviews": upr_reviews_dated(db),
        "recommendations": recommendations_detail(db),
        "reports": initial_reports_detail(db),
        "currency": engagement_currency(db),
    }


def annual_report_facts(db: Database, year: int, until: date) -> dict[str, object]:
    """The annual report's facts for `year` up to `until` (31 December, or the data's as-of date in the current year):
    those of the span, the targets, the year's activity totals (to the end of the last complete month, no state)
    and its public activities, and the datasets' as-of dates."""
    return {
        **span_facts(db, date(year - 1, 12, 31), until),
        "targets": targets(db),
        "totals": yearly_totals(db, year, year, until),
        "public": public_activities(db, year, year, until),
        "datasets": datasets(db),
    }
