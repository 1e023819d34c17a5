"""UPR commitments: each CAT/OPCAT recommendation's fate on a date (kept, open, ...) and the figures made of them.

Pure rules (frames and a date in, frames out): no Streamlit, no database. The frames come from
queries.commitment_inputs (the recommendations as the open data has them, and every treaty event), the
groups and regions from the snapshot of the date. The page (views/commitments.py), the country profile
and brief (app/profile.py) and the annual report call the same functions.

A recommendation counts from the day its session had surely ended (`counts_from`, upr_sessions.known_by,
as the calendar and engagement_as_of count it): before that day it is not shown at all. Its fate on the
date `as_of`:

- kept: the state did what was recommended on or after `counts_from` and on or before `as_of` (the act's
  date is the fate's date): ratify or accede -> its deposit of ratification, accession or succession;
  sign -> its signature (or a deposit, which goes further: a state that accedes never signs);
  declare_art22 -> the art. 22 declaration; withdraw_reservation -> the withdrawal of the art. 20 reservation.
  A recommendation naming both treaties (CAT+OPCAT) is kept when both acts are done, on the later one's date;
- open: not done by `as_of`;
- done_before: the act came before the recommendation counted (a state that was already a party, or
  deposited during its session): it does not keep the recommendation, nor is the recommendation open;
- not_applicable: implementation and other demands (whether a state implemented a treaty is a judgement
  this dashboard does not make), and a reservation's withdrawal asked of a state with no art. 20
  reservation in force (its other reservations and declarations are not in the data).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from app.profile import Section, Step, short_source
from core import exports
from core.i18n import fmt_date, fmt_month, fmt_number, fmt_percent, name_column, normalise, region, t, t_count
from core.vocabulary import UPR_RECOMMENDATION_COLUMNS

# The open data's columns of upr_recommendations (etl/opendata.py): the page's rows are these, plus the fate.
OPEN_DATA_COLUMNS = UPR_RECOMMENDATION_COLUMNS
FATES = ("kept", "open", "done_before", "not_applicable")
# The demands a state can be seen to meet in the depositary's record.
ACTIONABLE = ("ratify", "sign", "declare_art22", "withdraw_reservation")
ACTIONS = ("ratify", "sign", "declare_art22", "withdraw_reservation", "implement", "other")
TREATIES = ("CAT", "OPCAT", "CAT+OPCAT")
RESPONSES = ("supported", "noted", "pending")
CONSENTS = ("ratification", "accession", "succession")
CORE_GROUP = "CTI_CORE"
DAYS_A_YEAR = 365.25


def _day(value) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class Acts:
    """One state's treaty acts up to a date, each as the list of its days in order."""

    consent: dict[str, list[date]]  # treaty -> deposits of ratification, accession or succession
    signature: dict[str, list[date]]  # treaty -> signatures
    art22: list[date]
    art20_reserved: list[date]
    art20_withdrawn: list[date]

    def reservation_in_force(self, day: date) -> bool:
        """Whether an art. 20 reservation was in force on `day` (made on or before it, not withdrawn since)."""
        made = [d for d in self.art20_reserved if d <= day]
        if not made:
            return False
        withdrawn = [d for d in self.art20_withdrawn if d <= day]
        return not withdrawn or max(withdrawn) < max(made)


def acts_by_state(events: pd.DataFrame, as_of: date) -> dict[str, Acts]:
    """Every state's treaty acts on or before `as_of`, from treaty_events."""
    known = events[pd.to_datetime(events.event_date).dt.date <= as_of]
    # One pass over plain columns: a groupby with a row loop per state cost most of a profile's build.
    by_state: dict[str, dict[tuple[str, str], list[date]]] = defaultdict(lambda: defaultdict(list))
    for iso3, treaty, event, day in zip(known.iso3, known.treaty, known.event, known.event_date, strict=True):
        by_state[iso3][(treaty, event)].append(_day(day))
    found: dict[str, Acts] = {}
    for iso3, days in sorted(by_state.items()):

        def of(treaty: str, *kinds: str, _days=days) -> list[date]:
            return sorted(d for kind in kinds for d in _days.get((treaty, kind), []))

        found[iso3] = Acts(
            consent={treaty: of(treaty, *CONSENTS) for treaty in ("CAT", "OPCAT")},
            signature={treaty: of(treaty, "signature") for treaty in ("CAT", "OPCAT")},
            art22=of("CAT", "declaration_art22"),
            art20_reserved=of("CAT", "reservation_art20"),
            art20_withdrawn=of("CAT", "withdrawal_art20"),
        )
    return found


NO_ACTS = Acts({"CAT": [], "OPCAT": []}, {"CAT": [], "OPCAT": []}, [], [], [])


def _part_fate(acts: Acts, treaty: str, action: str, counts_from: date) -> tuple[str, date | None]:
    """The fate of one treaty's part of a recommendation, and the day of the act that decides it."""
    if action == "ratify":
        days = acts.consent[treaty]
    elif action == "sign":
        days = sorted(acts.signature[treaty] + acts.consent[treaty])
    elif action == "declare_art22" and treaty == "CAT":
        days = acts.art22
    elif action == "withdraw_reservation" and treaty == "CAT":
        if not acts.reservation_in_force(counts_from):
            withdrawn = [d for d in acts.art20_withdrawn if d < counts_from]
            return ("done_before", withdrawn[-1]) if withdrawn else ("not_applicable", None)
        days = [d for d in acts.art20_withdrawn if d >= counts_from]
    else:
        return "not_applicable", None
    if not days:
        return "open", None
    if days[0] < counts_from:
        return "done_before", days[0]
    return "kept", days[0]


def parts_of(acts: Acts, treaty: str, action: str, counts_from: date) -> list[tuple[str, str, date | None]]:
    """Each treaty a recommendation names, with its part's fate and day (parts that do not apply left out)."""
    found = [(part, *_part_fate(acts, part, action, counts_from)) for part in treaty.split("+")]
    return [part for part in found if part[1] != "not_applicable"]


def fate_of(acts: Acts, treaty: str, action: str, counts_from: date) -> tuple[str, date | None]:
    """A recommendation's fate (FATES) and its day: the act that kept it, or that came before it counted.

    Acts are those on or before the as-of date (acts_by_state). A recommendation naming both treaties is
    open while either part is; kept on the later act's day once both are done, one of them at least after it counted.
    """
    if action not in ACTIONABLE:
        return "not_applicable", None
    parts = [(fate, day) for _, fate, day in parts_of(acts, treaty, action, counts_from)]
    if not parts:
        return "not_applicable", None
    if any(fate == "open" for fate, _ in parts):
        return "open", None
    kept = [day for fate, day in parts if fate == "kept"]
    if kept:
        return "kept", max(kept)
    return "done_before", max(day for _, day in parts)


def with_fates(recommendations: pd.DataFrame, events: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The recommendations that count on `as_of` (their session surely ended by then), each with its fate.

    Adds `fate`, `fate_date` (the act's day; empty when open or not applicable) and `review_day` (the
    review's own day, or the day the recommendation counts from where the review's day is not known).
    """
    counts_from = pd.to_datetime(recommendations.counts_from).dt.date
    rows = recommendations[counts_from.notna() & (counts_from <= as_of)].copy()
    acts = acts_by_state(events[events.iso3.isin(set(rows.iso3))], as_of)  # only the states under review here
    fates = [fate_of(acts.get(r.iso3, NO_ACTS), r.treaty, r.action, _day(r.counts_from)) for r in rows.itertuples(index=False)]
    rows["fate"] = [fate for fate, _ in fates]
    # Each treaty's part, with its own fate and day: "CAT+OPCAT" kept for the Convention and open for its Protocol.
    rows["parts"] = [
        tuple(parts_of(acts.get(r.iso3, NO_ACTS), r.treaty, r.action, _day(r.counts_from))) if r.action in ACTIONABLE else ()
        for r in rows.itertuples(index=False)
    ]
    rows["open_treaties"] = ["+".join(part for part, fate, _ in parts if fate == "open") for parts in rows.parts]
    rows["fate_date"] = pd.to_datetime(pd.Series([day for _, day in fates], index=rows.index, dtype="object"))
    rows["counts_from"] = pd.to_datetime(rows.counts_from)
    rows["review_day"] = pd.to_datetime(rows.review_day).fillna(rows.counts_from)
    return rows.sort_values(["cycle", "session", "iso3", "rec_id"]).reset_index(drop=True)


def supported_open_commitments(recommendations: pd.DataFrame, events: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Supported recommendations that ask an act the depositary records (ratify, sign, declare, withdraw) and
    that are still open on `as_of`: the "supported commitments still open" of the page, the profile and the
    annual report (for a year, pass its last day, or the data's as-of date when earlier).

    recommendations and events: queries.commitment_inputs. Rows as `with_fates` gives them.
    """
    rows = with_fates(recommendations, events, as_of)
    return rows[(rows.response == "supported") & (rows.fate == "open")].reset_index(drop=True)


# Filters of the page, all optional: an empty tuple keeps every row.


@dataclass(frozen=True)
class Filters:
    reviewed: tuple[str, ...] = ()  # states under review (ISO3)
    recommending: tuple[str, ...] = ()  # recommending states (ISO3)
    region: str = "none"  # "none", "region:<M49 region>" or "unrg:<UN regional group>"
    group: str = "none"  # "none" or a group code, membership as in force on the date
    cycles: tuple[int, ...] = ()
    treaties: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    fates: tuple[str, ...] = ()
    search: str = ""

    def active(self) -> bool:
        return self != Filters()


def members(status: pd.DataFrame, groups: pd.DataFrame, choice: str) -> set[str] | None:
    """The states of a region ('region:NAME'), a UN regional group ('unrg:NAME') or a group on the date; None: all."""
    if choice in ("none", ""):
        return None
    if choice.startswith("region:"):
        return set(status.loc[status.m49_region == choice.removeprefix("region:"), "iso3"])
    if choice.startswith("unrg:"):
        return set(status.loc[status.un_regional_group == choice.removeprefix("unrg:"), "iso3"])
    return set(groups.loc[groups.group_code == choice, "iso3"])


def core_states(groups: pd.DataFrame) -> tuple[str, ...]:
    """The CTI core states on the date (group CTI_CORE as in force)."""
    return tuple(sorted(set(groups.loc[groups.group_code == CORE_GROUP, "iso3"])))


def _in(values: pd.Series, wanted: Iterable) -> pd.Series:
    wanted = tuple(wanted)
    return values.isin(wanted) if wanted else pd.Series(True, index=values.index)


def apply_filters(rows: pd.DataFrame, filters: Filters, status: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The rows the filters keep; region and group apply to the state under review, as in force on the date."""
    keep = (
        _in(rows.iso3, filters.reviewed)
        & _in(rows.recommending_iso3, filters.recommending)
        & _in(rows.cycle, filters.cycles)
        & _in(rows.treaty, filters.treaties)
        & _in(rows.action, filters.actions)
        & _in(rows.response, filters.responses)
        & _in(rows.fate, filters.fates)
    )
    for choice in (filters.region, filters.group):
        states = members(status, groups, choice)
        if states is not None:
            keep &= rows.iso3.isin(states)
    words = filters.search.split()
    for word in words:  # every word, anywhere in the text, whatever its case
        keep &= rows.text.str.contains(word, case=False, regex=False)
    return rows[keep].reset_index(drop=True)


# Figures. Each says its universe: the rows shown (the filters), counted on the as-of date.


def accepted_to_ratify(rows: pd.DataFrame) -> pd.DataFrame:
    """The universe of the share kept: supported recommendations to ratify or accede, kept or open
    (those done before they counted are neither)."""
    return rows[(rows.response == "supported") & (rows.action == "ratify") & rows.fate.isin(["kept", "open"])]


def accepted_commitments(rows: pd.DataFrame) -> pd.DataFrame:
    """Supported recommendations asking an act the depositary records (ratify, sign, declare, withdraw), kept or open."""
    return rows[(rows.response == "supported") & rows.action.isin(ACTIONABLE) & rows.fate.isin(["kept", "open"])]


def share_kept(rows: pd.DataFrame, by: pd.Series | None = None) -> pd.DataFrame:
    """Supported recommendations to ratify or accede: kept, open, all and the share kept, per value of `by`
    (a series aligned with `rows`, e.g. the cycle or the region), or in one row "all" without it."""
    universe = accepted_to_ratify(rows)
    keys = by.loc[universe.index] if by is not None else pd.Series("all", index=universe.index)
    counts = pd.crosstab(keys, universe.fate).reindex(columns=["kept", "open"], fill_value=0)
    counts["total"] = counts.kept + counts.open
    counts["share"] = counts.kept / counts.total
    counts.index.name = "key"
    return counts.reset_index()


def time_to_deposit(rows: pd.DataFrame) -> pd.DataFrame:
    """Kept commitments to ratify or accede, one per state, instrument and review (however many states
    recommended it): the review's day, the deposit's day, and the years between them."""
    kept = accepted_to_ratify(rows)
    kept = kept[kept.fate == "kept"]
    found = {}
    for r in kept.itertuples(index=False):
        for part in r.treaty.split("+"):
            found[(r.iso3, part, int(r.cycle))] = (r.review_day, r.fate_date)
    frame = pd.DataFrame(
        [(iso3, treaty, cycle, review, deposit) for (iso3, treaty, cycle), (review, deposit) in found.items()],
        columns=["iso3", "treaty", "cycle", "review_day", "deposit_day"],
    )
    if frame.empty:
        return frame.assign(years=pd.Series(dtype=float))
    frame["years"] = (pd.to_datetime(frame.deposit_day) - pd.to_datetime(frame.review_day)).dt.days / DAYS_A_YEAR
    return frame


def median_years(frame: pd.DataFrame) -> float | None:
    return float(statistics.median(frame.years)) if len(frame) else None


def most_open(rows: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The states under review with the most open accepted commitments: their count, the acts still open
    (treaty and demand), and the first session they were recommended in."""
    open_rows = accepted_commitments(rows)
    open_rows = open_rows[open_rows.fate == "open"]
    if open_rows.empty:
        return pd.DataFrame(columns=["iso3", "open", "acts", "first_session", "first_counts_from"])
    grouped = open_rows.groupby("iso3")
    frame = pd.DataFrame(
        {
            "open": grouped.size(),
            "acts": grouped.apply(
                lambda g: tuple(
                    sorted(
                        {
                            (part, action)
                            for parts, action in zip(g.open_treaties, g.action, strict=True)
                            for part in parts.split("+")
                        }
                    )
                ),
                include_groups=False,
            ),
            "first_session": grouped.session.min(),
            "first_counts_from": grouped.counts_from.min(),
        }
    ).reset_index()
    return (
        frame.sort_values(["open", "first_counts_from", "iso3"], ascending=[False, True, True]).head(limit).reset_index(drop=True)
    )


def by_recommending(rows: pd.DataFrame) -> pd.DataFrame:
    """Per recommending state: its recommendations shown, the supported ones asking an act, how many kept and open."""
    if rows.empty:
        return pd.DataFrame(columns=["recommending_iso3", "recommending_name", "recommendations", "accepted", "kept", "open"])
    keys = rows.recommending_iso3.fillna("")
    accepted = accepted_commitments(rows)
    frame = pd.DataFrame(
        {
            "recommending_name": rows.groupby(keys).recommending_name.first(),
            "recommendations": rows.groupby(keys).size(),
            "accepted": accepted.groupby(keys.loc[accepted.index]).size(),
            "kept": accepted[accepted.fate == "kept"].groupby(keys.loc[accepted[accepted.fate == "kept"].index]).size(),
            "open": accepted[accepted.fate == "open"].groupby(keys.loc[accepted[accepted.fate == "open"].index]).size(),
        }
    )
    frame[["accepted", "kept", "open"]] = frame[["accepted", "kept", "open"]].fillna(0).astype(int)
    frame.index.name = "recommending_iso3"
    frame = frame.reset_index()
    return frame.sort_values(["recommendations", "recommending_name"], ascending=[False, True]).reset_index(drop=True)


def by_cycle(rows: pd.DataFrame) -> pd.DataFrame:
    """Accepted commitments (every act the depositary records) kept and open per cycle: the chart's data."""
    accepted = accepted_commitments(rows)
    counts = pd.crosstab(accepted.cycle, accepted.fate).reindex(columns=["kept", "open"], fill_value=0)
    counts.index.name = "cycle"
    return counts.reset_index().melt(id_vars="cycle", var_name="fate", value_name="count")


# What the page, the downloads and the profile show, in the UI language.


def _iso(days: pd.Series) -> pd.Series:
    return pd.to_datetime(days).dt.strftime("%Y-%m-%d").fillna("")


def treaty_label(treaty: str, lang: str) -> str:
    return t(f"commitments.treaty_{treaty.replace('+', '_')}", lang)


def recommending_label(iso3, name, names: dict[str, str], lang: str) -> str:
    """The recommending state's UN short name in the language; a name the source gives without a state, as given."""
    if isinstance(iso3, str) and iso3 in names:
        return names[iso3]
    if isinstance(name, str) and name and not name.startswith("("):
        return name
    return t("commitments.unknown_state", lang)


def profile_link(iso3: str, as_of: date, lang: str) -> str:
    return f"/country?state={iso3}&lang={normalise(lang)}&as_of={as_of.isoformat()}"


def table(rows: pd.DataFrame, status: pd.DataFrame, as_of: date, lang: str) -> pd.DataFrame:
    """The list as the page shows it and the CSV and XLSX hand it out: one row per recommendation, with its fate."""
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    return pd.DataFrame(
        {
            t("commitments.column_reviewed", lang): rows.iso3.map(names),
            "ISO3": rows.iso3,
            t("commitments.column_recommending", lang): [
                recommending_label(i, n, names, lang) for i, n in zip(rows.recommending_iso3, rows.recommending_name, strict=True)
            ],
            t("commitments.column_cycle", lang): rows.cycle.astype(int),
            t("commitments.column_session", lang): rows.session.astype(int),
            t("commitments.column_counts_from", lang): _iso(rows.counts_from),
            t("commitments.column_treaty", lang): rows.treaty.map(lambda v: treaty_label(v, lang)),
            t("commitments.column_action", lang): rows.action.map(lambda v: t(f"commitments.action_{v}", lang)),
            t("commitments.column_response", lang): rows.response.map(lambda v: t(f"commitments.response_{v}", lang)),
            t("commitments.column_fate", lang): rows.fate.map(lambda v: t(f"commitments.fate_{v}", lang)),
            t("commitments.column_fate_date", lang): _iso(rows.fate_date),
            t("commitments.column_text", lang): rows.text,
            t("commitments.column_source", lang): [
                short_source(doc if isinstance(doc, str) and doc else src, lang)
                for doc, src in zip(rows.document, rows.source, strict=True)
            ],
            t("commitments.column_level", lang): rows.level.map(lambda v: t(f"commitments.level_{v}", lang)),
            "ID": rows.rec_id,
            t("commitments.column_profile", lang): [profile_link(i, as_of, lang) for i in rows.iso3],
        }
    )


def share_table(rows: pd.DataFrame, by: str, status: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The share kept per cycle ("cycle") or per region of the state under review ("region"), and for all of them."""
    if by == "cycle":
        keys = rows.cycle.map(lambda c: t("commitments.cycle_label", lang, cycle=int(c)))
        heading = t("commitments.column_cycle", lang)
    else:
        regions = dict(zip(status.iso3, status.m49_region, strict=True))
        keys = rows.iso3.map(lambda i: region(regions.get(i), lang))
        heading = t("commitments.column_region", lang)
    per = share_kept(rows, keys)
    if by == "region":
        per = per.sort_values("key")
    total = share_kept(rows).assign(key=t("commitments.all_rows", lang))
    frame = pd.concat([per, total], ignore_index=True) if len(per) else per
    return pd.DataFrame(
        {
            heading: frame.key,
            t("commitments.column_kept", lang): frame.kept.astype(int),
            t("commitments.column_open", lang): frame.open.astype(int),
            t("commitments.column_total", lang): frame.total.astype(int),
            t("commitments.column_share", lang): frame.share.map(lambda s: fmt_percent(s, lang)),
        }
    )


def act_label(treaty: str, action: str, lang: str) -> str:
    return t("commitments.act", lang, treaty=treaty_label(treaty, lang), action=t(f"profile.action_{action}", lang))


def most_open_table(rows: pd.DataFrame, status: pd.DataFrame, lang: str, as_of: date) -> pd.DataFrame:
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    frame = most_open(rows)
    return pd.DataFrame(
        {
            t("commitments.column_reviewed", lang): frame.iso3.map(names),
            t("commitments.column_open_count", lang): frame.open.astype(int),
            t("commitments.column_acts", lang): frame.acts.map(
                lambda acts: t("profile.separator", lang).join(act_label(tr, ac, lang) for tr, ac in acts)
            ),
            t("commitments.column_first", lang): [
                t("commitments.first_session", lang, session=int(s), date=fmt_date(_day(d), lang))
                for s, d in zip(frame.first_session, frame.first_counts_from, strict=True)
            ],
            t("commitments.column_profile", lang): [profile_link(i, as_of, lang) for i in frame.iso3],
        }
    )


def recommending_table(rows: pd.DataFrame, status: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    frame = by_recommending(rows)
    return pd.DataFrame(
        {
            t("commitments.column_recommending", lang): [
                recommending_label(i, n, names, lang)
                for i, n in zip(frame.recommending_iso3, frame.recommending_name, strict=True)
            ],
            t("commitments.column_recommendations", lang): frame.recommendations.astype(int),
            t("commitments.column_accepted", lang): frame.accepted.astype(int),
            t("commitments.column_kept", lang): frame.kept.astype(int),
            t("commitments.column_open", lang): frame.open.astype(int),
        }
    )


def chart_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's data in the language (its CSV)."""
    return pd.DataFrame(
        {
            t("commitments.column_cycle", lang): frame.cycle.astype(int),
            t("commitments.column_fate", lang): frame.fate.map(lambda f: t(f"commitments.fate_{f}", lang)),
            t("commitments.chart_axis", lang): frame["count"].astype(int),
        }
    )


def xlsx(frame: pd.DataFrame, lang: str) -> bytes:
    """The list as an XLSX workbook (every cell text, formula-safe: core.exports)."""
    values = [["" if pd.isna(value) else str(value) for value in row] for row in frame.itertuples(index=False)]
    return exports.xlsx_bytes(t("commitments.sheet_name", lang), [str(c) for c in frame.columns], values)


def years_text(years: float | None, lang: str) -> str:
    return fmt_number(round(years, 1), lang) if years is not None else "—"


# The country profile's and the brief's section.


def profile_section(rows: pd.DataFrame, iso3: str, status: pd.DataFrame, as_of: date, lang: str, treaty_date: date):
    """What the state was recommended and did, and what it recommended others, on `as_of` (rows: with_fates)."""
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    received = accepted_commitments(rows[rows.iso3 == iso3])
    paragraphs, steps = [], []
    if received.empty:
        paragraphs.append(t("commitments.profile_none", lang, date=fmt_date(as_of, lang)))
    else:
        kept, still = received[received.fate == "kept"], received[received.fate == "open"]
        paragraphs.append(
            t(
                "commitments.profile_received",
                lang,
                date=fmt_date(as_of, lang),
                accepted=t_count("commitments.count_accepted", lang, len(received)),
                kept=fmt_number(len(kept), lang),
                open=fmt_number(len(still), lang),
            )
        )
        parts = pd.DataFrame(
            [
                (part, r.action, fate, day, r.session, r.counts_from)
                for r in received.itertuples(index=False)
                for part, fate, day in r.parts
                if fate in ("kept", "open")
            ],
            columns=["treaty", "action", "fate", "day", "session", "counts_from"],
        )
        for (treaty, action), group in parts.groupby(["treaty", "action"], sort=True):
            first = group.sort_values("counts_from").iloc[0]
            recommended = t_count(
                "commitments.profile_recommended",
                lang,
                len(group),
                session=int(first.session),
                date=fmt_month(_day(first.counts_from), lang),
            )
            if (group.fate == "open").any():
                value, mark = t("commitments.profile_open", lang, recommended=recommended), False
            else:
                day = fmt_date(_day(group.day.max()), lang)
                value, mark = t("commitments.profile_kept", lang, recommended=recommended, date=day), True
            steps.append(Step(act_label(treaty, action, lang), value, mark))
    made = rows[rows.recommending_iso3 == iso3]
    accepted = accepted_commitments(made)
    if len(accepted):  # a recommending state's commitments to follow: a brief has no room for the others
        paragraphs.append(
            t(
                "commitments.profile_made",
                lang,
                recommendations=t_count("commitments.count_recommendations", lang, len(made)),
                states=t_count("commitments.count_states", lang, made.iso3.nunique()),
                accepted=t_count("commitments.count_accepted", lang, len(accepted)),
                kept=fmt_number(int((accepted.fate == "kept").sum()), lang),
                open=fmt_number(int((accepted.fate == "open").sum()), lang),
            )
        )
        still = sorted({names.get(i, i) for i in accepted.loc[accepted.fate == "open", "iso3"]})
        if still:
            paragraphs.append(t("commitments.profile_made_open", lang, states=", ".join(still)))
    return Section(
        "commitments",
        t("commitments.section_title", lang),
        t("commitments.profile_source", lang, date=fmt_date(treaty_date, lang)),
        paragraphs=tuple(paragraphs),
        steps=tuple(steps),
    )


# The strategy's claim, from the stored ranking (python -m etl upr-topics).

CLAIM_ISSUE = "Torture and other CID treatment"
CLAIM_TOP = 5  # "among the five key recommendations"


@dataclass(frozen=True)
class Claim:
    paragraphs: tuple[str, ...]
    table: pd.DataFrame  # per cycle: the first instruments, down to the Convention
    method: str


def instrument_label(code: str, lang: str) -> str:
    if code.startswith("ILO-") and code not in ("ILO-189", "ILO-169"):
        return t("commitments.instrument_ILO", lang, number=code.removeprefix("ILO-"))
    return t(f"commitments.instrument_{code.replace('-', '_')}", lang)


def claim(ranking, lang: str) -> Claim:
    """What the stored ranking says of the strategy's claim, per cycle, in the language."""
    paragraphs = [t("commitments.claim_quote", lang)]
    rows = []
    for cycle, found in ranking["cycles"].items():
        topics = found["topics"]
        cat = next(topic for topic in topics if topic["topic"] == "CAT")
        before = [topic for topic in topics if topic["rank"] < cat["rank"]]
        issue = next((i for i in found["issue_ranks"] if i["topic"] == CLAIM_ISSUE), None)
        paragraphs.append(
            t(
                "commitments.claim_cycle",
                lang,
                cycle=cycle,
                first=found["sessions"][0],
                last=found["sessions"][1],
                rank=cat["rank"],
                instruments=found["instruments"],
                count=fmt_number(cat["recommendations"], lang),
                supported=fmt_number(cat["supported"], lang),
                ratify=fmt_number(found["ratify_recommendations"], lang),
                total=fmt_number(found["recommendations"], lang),
                before=t("profile.separator", lang).join(
                    t(
                        "commitments.claim_before",
                        lang,
                        name=instrument_label(b["topic"], lang),
                        count=fmt_number(b["recommendations"], lang),
                    )
                    for b in before
                )
                or "—",
                verdict=t("commitments.claim_within" if cat["rank"] <= CLAIM_TOP else "commitments.claim_outside", lang),
            )
        )
        if issue is not None:
            paragraphs.append(
                t(
                    "commitments.claim_issue",
                    lang,
                    cycle=cycle,
                    rank=issue["rank"],
                    issues=found["issues"],
                    count=fmt_number(issue["recommendations"], lang),
                )
            )
        for topic in topics:
            if topic["rank"] <= max(CLAIM_TOP, cat["rank"]):
                rows.append(
                    {
                        t("commitments.column_cycle", lang): t(
                            "commitments.claim_cycle_label",
                            lang,
                            cycle=cycle,
                            first=found["sessions"][0],
                            last=found["sessions"][1],
                        ),
                        t("commitments.column_rank", lang): topic["rank"],
                        t("commitments.column_instrument", lang): instrument_label(topic["topic"], lang),
                        t("commitments.column_recommendations", lang): topic["recommendations"],
                        t("commitments.column_supported", lang): topic["supported"],
                        t("commitments.column_states_recommended", lang): topic["states"],
                    }
                )
    unnamed = sum(found["unnamed_only"] for found in ranking["cycles"].values())
    total = sum(found["recommendations"] for found in ranking["cycles"].values())
    method = t("commitments.claim_method", lang, total=fmt_number(total, lang), unnamed=fmt_number(unnamed, lang))
    return Claim(tuple(paragraphs), pd.DataFrame(rows), method)
