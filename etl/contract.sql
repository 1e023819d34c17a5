-- The data contract's macros. Loaded by the ETL after the tables; the app reads only through these.

-- One row per state in `states`, with its UNCAT position as of the given date.
create or replace macro cat_status_as_of(d) as table
with
events as (
    select *
    from treaty_events
    where event_date <= d
),
signatures as (
    select
        iso3,
        min(event_date) as signature_date
    from events
    where treaty = 'CAT'
      and event = 'signature'
    group by iso3
),
consents as (
    select
        iso3,
        event_date as consent_date,
        event as consent_type
    from events
    where treaty = 'CAT'
      and event in ('ratification', 'accession', 'succession')
),
art21 as (
    select
        iso3,
        min(event_date) as art21_declaration_date
    from events
    where event = 'declaration_art21'
    group by iso3
),
art22 as (
    select
        iso3,
        min(event_date) as art22_declaration_date
    from events
    where event = 'declaration_art22'
    group by iso3
),
art20 as (
    select
        iso3,
        max(case when event = 'reservation_art20' then event_date end) as reserved_on,
        max(case when event = 'withdrawal_art20' then event_date end) as withdrawn_on
    from events
    where event in ('reservation_art20', 'withdrawal_art20')
    group by iso3
),
opcat_signatures as (
    select
        iso3,
        min(event_date) as opcat_signature_date
    from events
    where treaty = 'OPCAT'
      and event = 'signature'
    group by iso3
),
opcat_consents as (
    select
        iso3,
        min(event_date) as opcat_consent_date
    from events
    where treaty = 'OPCAT'
      and event in ('ratification', 'accession', 'succession')
    group by iso3
)
select
    states.iso3,
    case
        when consents.iso3 is not null then 'party'
        when signatures.iso3 is not null then 'signatory'
        else 'no_action'
    end as status,
    signatures.signature_date,
    consents.consent_date,
    consents.consent_type,
    -- Art. 27: thirtieth day after deposit, never before 26 June 1987 (core.treaty_rules.entry_into_force).
    -- Only for a party: greatest() skips a NULL, which gave a state not bound the Convention's own date.
    case
        when consents.consent_date is not null
            then greatest(consents.consent_date + interval 30 day, date '1987-06-26')::date
    end as entry_into_force,
    art21.art21_declaration_date,
    art22.art22_declaration_date,
    coalesce(
        art20.reserved_on is not null
        and (art20.withdrawn_on is null or art20.withdrawn_on < art20.reserved_on),
        false
    ) as art20_reservation,
    opcat_signatures.opcat_signature_date,
    opcat_consents.opcat_consent_date
from states
left join signatures using (iso3)
left join consents using (iso3)
left join art21 using (iso3)
left join art22 using (iso3)
left join art20 using (iso3)
left join opcat_signatures using (iso3)
left join opcat_consents using (iso3)
order by states.iso3;

-- Group memberships in force on the given date. For a group whose every row is a bounded list
-- period (the DAC lists), a date after the last period uses the latest list, flagged `extrapolated`.
create or replace macro groups_as_of(d) as table
with
periods as (
    select
        group_code,
        count(*) = count(valid_to) as all_bounded,
        max(valid_to) as last_valid_to,
        max(valid_from) as last_valid_from
    from group_membership
    group by group_code
)
select
    membership.iso3,
    membership.group_code,
    membership.valid_from,
    membership.valid_to,
    membership.note,
    (periods.all_bounded and d > periods.last_valid_to) as extrapolated
from group_membership as membership
join periods using (group_code)
where (
        (membership.valid_from is null or membership.valid_from <= d)
        and (membership.valid_to is null or membership.valid_to >= d)
    )
   or (
        periods.all_bounded
        and d > periods.last_valid_to
        and membership.valid_from = periods.last_valid_from
    );

-- Per state, its engagement context as of the given date: last and next UPR review, the CAT/OPCAT
-- recommendations received up to the date by response, and its initial report's status.
-- A review dated by a month or a year counts from the first day of that period; a recommendation
-- counts from the day its session had surely ended (upr_sessions.known_by), never before it was made.
create or replace macro engagement_as_of(d) as table
with
dated_reviews as (
    select *
    from upr_reviews
    where start_date is not null
),
last_reviews as (
    select
        iso3,
        arg_max(cycle, start_date) as last_review_cycle,
        arg_max(session, start_date) as last_review_session,
        max(start_date) as last_review_start,
        arg_max(date_precision, start_date) as last_review_precision,
        arg_max(basis, start_date) as last_review_basis
    from dated_reviews
    where start_date <= d
    group by iso3
),
next_reviews as (
    select
        iso3,
        arg_min(cycle, start_date) as next_review_cycle,
        arg_min(session, start_date) as next_review_session,
        min(start_date) as next_review_start,
        arg_min(date_precision, start_date) as next_review_precision,
        arg_min(basis, start_date) as next_review_basis
    from dated_reviews
    where start_date > d
    group by iso3
),
received as (
    select
        recs.iso3,
        recs.response,
        recs.action,
        recs.treaty
    from upr_recommendations as recs
    join upr_sessions as sessions using (session)
    where sessions.known_by <= d
),
rec_counts as (
    select
        iso3,
        count(*) filter (where response = 'supported') as recs_supported,
        count(*) filter (where response = 'noted') as recs_noted,
        count(*) filter (where response = 'pending') as recs_pending,
        count(*) filter (
            where response = 'supported'
              and action = 'ratify'
              and treaty in ('CAT', 'CAT+OPCAT')
        ) as supported_ratify_cat
    from received
    group by iso3
),
status as (
    select
        iso3,
        status
    from cat_status_as_of(d)
),
report_status as (
    select
        reports.iso3,
        reports.due_date as initial_report_due,
        case
            when reports.known_by <= d then 'submitted'
            when reports.entry_into_force > d then 'not_due'
            when reports.due_date >= d then 'due'
            else 'overdue'
        end as initial_report_status
    from reports
    join cat_status_as_of(d) as now using (iso3)
    where now.status = 'party'
      and reports.report = 'initial'
)
select
    states.iso3,
    last_reviews.*exclude (iso3),
    next_reviews.*exclude (iso3),
    coalesce(rec_counts.recs_supported, 0) as recs_supported,
    coalesce(rec_counts.recs_noted, 0) as recs_noted,
    coalesce(rec_counts.recs_pending, 0) as recs_pending,
    coalesce(rec_counts.supported_ratify_cat, 0) > 0 and status.status <> 'party' as open_supported_ratify,
    report_status.initial_report_due,
    report_status.initial_report_status
from states
join status using (iso3)
left join last_reviews using (iso3)
left join next_reviews using (iso3)
left join rec_counts using (iso3)
left join report_status using (iso3)
order by states.iso3;
