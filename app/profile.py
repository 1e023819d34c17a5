"""The country profile's content: one state's facts on a date, in one language, for the page, the DOCX and the PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from app.tables import period_text
from core.i18n import fmt_date, fmt_month, name_column, normalise, region, t, t_count

if TYPE_CHECKING:  # a builder reads a snapshot's frames; it never imports what makes one (the database)
    from app.snapshot import Snapshot

# Groups shown in the header and compared with peers, in this order (the others follow by code).
GROUP_ORDER = ("ODA", "LDC", "SIDS", "CTI_CORE", "AU", "ASEAN", "CARICOM", "PIF", "OAS", "COE", "OSCE", "OIC", "COMMONWEALTH")
INDICATOR_ORDER = ("npm_designated", "npm_operational", "criminalisation", "constitution", "nhri_paris")


@dataclass(frozen=True)
class Step:
    """One rung of the engagement ladder: what, when (at the precision known), and whether it is done."""

    label: str
    value: str
    done: bool | None  # True: done on the date; False: not (yet); None: does not apply or not known
    note: str = ""  # how the fact is known (its source and verification level), shown as a numbered note


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    source: str
    paragraphs: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    table: Table | None = None
    notes: tuple[str, ...] = ()  # "¹ Per the Committee against Torture (CAT/C/BOL/1)." — the marks used in the section


# A UN document symbol in a source text: the Committee's, the Council's and its Working Group's, the GA's.
_SYMBOL = re.compile(r"\b(?:CAT/C|CAT/OP|A/HRC|A)/[A-Z0-9./-]*\d[A-Z0-9./-]*")
# Compilations named as their readers know them (the row's full source is in the open data).
_COMPILATIONS = (
    ("Association for the Prevention of Torture, legal indicators", "level.name_apt_indicators"),
    ("APT legal indicators", "level.name_apt_indicators"),
    ("UPR Info", "UPR Info"),
    ("upr-info.org", "UPR Info"),
    ("rochelleterman/uprs", "UPR Info"),
)
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def short_source(source: str | None, lang: str = "en") -> str:
    """What a reader can look up: the first UN symbol in the source, else the site's name, else the source itself."""
    if not isinstance(source, str) or not source:
        return ""
    found = _SYMBOL.search(source)
    if found:
        return found.group().rstrip(".,;)")
    for pattern, label in _COMPILATIONS:
        if pattern in source:
            return t(label, lang) if label.startswith("level.") else label
    site = re.search(r"https?://(?:www\.)?([^/\s]+)", source)
    if site:
        return site.group(1)
    named = re.split(r"[:;|]", source, maxsplit=1)[0].strip()  # "OHCHR press release (15 January 2025)", its title left out
    return named if len(named) <= 60 else named[:59].rstrip() + "…"


def cite(level: str | None, source: str | None, owner: str, lang: str, symbol: str | None = None) -> str:
    """How a fact is known, in one quiet phrase: "per the Committee against Torture (CAT/C/BOL/1)",
    "per a compilation (APT; secondary source)", "inferred by rule n+14 (not a published date)"."""
    if level is None or (isinstance(level, float) and pd.isna(level)):
        return ""
    reference = symbol if isinstance(symbol, str) and symbol else short_source(source, lang)
    if level == "primary":
        return t("level.primary", lang, owner=t(f"level.owner_{owner}", lang), ref=reference)
    if level == "inferred":
        return t("level.inferred", lang, rule=reference)
    return t("level.secondary", lang, ref=reference)


def with_notes(steps: list[Step]) -> tuple[tuple[Step, ...], tuple[str, ...]]:
    """Number the distinct notes of the steps (¹ ² ...), mark each value, and return the notes in order."""
    numbers: dict[str, int] = {}
    marked = []
    for step in steps:
        if not step.note:
            marked.append(step)
            continue
        number = numbers.setdefault(step.note, len(numbers) + 1)
        marked.append(Step(step.label, f"{step.value} {str(number).translate(_SUPERSCRIPTS)}", step.done, step.note))
    notes = tuple(f"{str(n).translate(_SUPERSCRIPTS)} {note}" for note, n in numbers.items())
    return tuple(marked), notes


@dataclass(frozen=True)
class Profile:
    iso3: str
    lang: str
    as_of: date
    name: str
    title: str
    headline: str
    as_of_line: str
    groups: tuple[str, ...]
    sections: tuple[Section, ...]
    disclaimer: str
    footer: str = field(default="")

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _when(value, precision: str | None, lang: str) -> str:
    """A date at the precision it is known: a day, a month (2026-11) or a year."""
    day = _day(value)
    if day is None:
        return t("profile.date_unknown", lang)
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return fmt_month(day, lang)
    return fmt_date(day, lang)


def headline(status: pd.Series, lang: str) -> str:
    """The state's position on the date in one sentence."""
    if status.status == "party":
        consent = t(f"consent.{status.consent_type}", lang).lower()
        return t("profile.headline_party", lang, date=fmt_date(_day(status.consent_date), lang), consent=consent)
    if status.status == "signatory":
        return t("profile.headline_signatory", lang, date=fmt_date(_day(status.signature_date), lang))
    return t("profile.headline_no_action", lang)


def group_labels(iso3: str, state: pd.Series, groups: pd.DataFrame, names: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """The groups the state belongs to on the date (ODA with the DAC list in force), then its UN regional group."""
    mine = groups[groups.iso3 == iso3]
    named = dict(zip(names.group_code, names[name_column(lang)], strict=True))
    order = {code: i for i, code in enumerate(GROUP_ORDER)}
    labels = []
    for row in sorted(mine.itertuples(index=False), key=lambda r: (order.get(r.group_code, 99), r.group_code)):
        label = named.get(row.group_code, row.group_code)
        if row.group_code == "ODA":
            start, end = _day(row.valid_from), _day(row.valid_to)
            if row.extrapolated:
                label = t("profile.oda_latest", lang, name=label, start=start.year if start else "")
            elif end is None:
                label = t("profile.oda_open", lang, name=label, start=start.year if start else "")
            else:
                years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
                label = t("profile.oda_list", lang, name=label, years=years)
        labels.append(label)
    if isinstance(state.un_regional_group, str) and state.un_regional_group:
        labels.append(t("profile.regional_group", lang, group=region(state.un_regional_group, lang)))
    return tuple(labels)


def report_step(report: pd.DataFrame, engagement: pd.Series, lang: str) -> Step:
    """The initial report under art. 19 on the date: due, overdue since, submitted, with how it is known.

    The one wording of the one rule (the status is engagement_as_of's): the profile, the brief and the
    map's panel all say it through this function.
    """
    label = t("profile.step_initial_report", lang)
    status = engagement.initial_report_status
    if report.empty or not isinstance(status, str):
        return Step(label, t("profile.not_applicable", lang), None)
    row = report.iloc[0]
    due = fmt_date(_day(row.due_date), lang)
    note = cite(row.submission_level, row.submission_source, "committee", lang, row.symbol)
    if status == "submitted":
        if _day(row.submitted_date) is None and _day(row.received_by) is not None:
            when = fmt_date(_day(row.received_by), lang)
            return Step(label, t("profile.report_submitted_by", lang, when=when, due=due), True, note)
        when = _when(row.submitted_date, row.date_precision, lang)
        return Step(label, t("profile.report_submitted", lang, when=when, due=due), True, note)
    if status == "overdue" and note:
        # "not submitted", as the Committee's documents (or the APT's indicator) record it
        return Step(label, t("profile.report_overdue", lang, due=due), False, note)
    if status == "overdue":  # no source records a submission, nor its absence
        return Step(label, t("profile.report_overdue_unrecorded", lang, due=due), False)
    return Step(label, t(f"profile.report_{status}", lang, due=due), False)


def _indicator_step(key: str, rows: pd.DataFrame, as_of: date, lang: str) -> Step:
    label = t(f"profile.indicator_{key}", lang)
    found = rows[rows.indicator == key]
    if found.empty:
        return Step(label, t("profile.not_known", lang), None)
    row = found.iloc[0]
    year = None if pd.isna(row.year) else int(row.year)
    note = cite(row.level, row.source, "apt", lang)
    if row.value == "yes" and year and year > as_of.year:
        return Step(label, t("profile.indicator_later", lang, year=year), False, note)
    value = t(f"profile.value_{row.value}", lang)
    return Step(label, f"{value} ({year})" if year and row.value == "yes" else value, row.value == "yes", note)


def ladder(status: pd.Series, facts: dict[str, pd.DataFrame], as_of: date, lang: str) -> tuple[Step, ...]:
    """Signature to implementation, each with its date at the precision known."""

    def dated(key: str, value, extra: str = "") -> Step:
        day = _day(value)
        label = t(f"profile.step_{key}", lang)
        if day is None:
            return Step(label, t("profile.not_yet", lang), False)
        return Step(label, fmt_date(day, lang) + (f" ({extra})" if extra else ""), True)

    consent_type = t(f"consent.{status.consent_type}", lang).lower() if isinstance(status.consent_type, str) else ""
    in_force = _day(status.entry_into_force)
    steps = [
        dated("signature", status.signature_date),
        dated("consent", status.consent_date, consent_type),
        dated("entry_into_force", in_force if in_force and in_force <= as_of else None),
        dated("art21", status.art21_declaration_date),
        dated("art22", status.art22_declaration_date),
        Step(
            t("profile.step_art20", lang),
            t("profile.art20_reserved", lang) if status.art20_reservation else t("profile.art20_none", lang),
            not bool(status.art20_reservation),
        ),
        dated("opcat_signature", status.opcat_signature_date),
        dated("opcat_consent", status.opcat_consent_date),
        report_step(facts["report"], facts["engagement"].iloc[0], lang),
    ]
    if status.status != "party" and steps[1].done is False:
        # A state not party: entry into force and art. 21/22/20 do not apply yet.
        for i in (2, 3, 4, 5):
            steps[i] = Step(steps[i].label, t("profile.not_applicable", lang), None)
    steps += [_indicator_step(key, facts["implementation"], as_of, lang) for key in INDICATOR_ORDER]
    return tuple(steps)


def _review_note(review, lang: str) -> str:
    if review.level == "inferred":
        return t("level.inferred", lang, rule=t("level.rule_cycle", lang))
    return cite(review.level, review.source, "upr", lang)


def _postponed(facts: dict[str, pd.DataFrame], as_of: date, lang: str) -> list[str]:
    """The Council's postponements known on the date, one sentence each."""
    sentences = []
    for p in facts.get("postponements", pd.DataFrame()).itertuples(index=False):
        decided = _day(p.decision_date) or _day(p.from_start)
        if decided is None or decided > as_of:
            continue
        moved = (
            t("profile.postponed_to", lang, session=int(p.to_session), when=_when(p.to_start, p.to_precision, lang))
            if not pd.isna(p.to_session)
            else t("profile.postponed_open", lang)
        )
        sentences.append(
            t(
                "profile.postponed",
                lang,
                cycle=int(p.cycle),
                session=int(p.from_session),
                when=_when(p.from_start, p.from_precision, lang),
                decision=t("profile.decision_symbol", lang, symbol=p.decision)
                if isinstance(p.decision, str) and p.decision
                else t("profile.decision_unknown", lang),
                moved=moved,
            )
        )
    return sentences


def upr_section(facts: dict[str, pd.DataFrame], status: pd.Series, as_of: date, lang: str) -> Section:
    reviews = facts["reviews"]
    engagement = facts["engagement"].iloc[0]
    paragraphs = []
    numbers: dict[str, int] = {}

    def mark(note: str) -> str:
        if not note:
            return ""
        return " " + str(numbers.setdefault(note, len(numbers) + 1)).translate(_SUPERSCRIPTS)

    def noted(sentence: str, note: str) -> str:
        """The note's mark before the sentence's closing full stop."""
        if sentence.endswith("."):
            return sentence[:-1] + mark(note) + "."
        return sentence + mark(note)

    held = reviews.review_date.fillna(reviews.start_date) if "review_date" in reviews else reviews.start_date
    past = reviews[held.notna() & (held <= pd.Timestamp(as_of))]
    if len(past):
        shown = [
            t(
                "profile.review_item",
                lang,
                cycle=int(r.cycle),
                session=int(r.session),
                when=_when(r.review_date, "day", lang) if _day(r.review_date) else _when(r.start_date, r.date_precision, lang),
                basis=t("profile.basis_scheduled" if r.status == "scheduled" else f"profile.basis_{r.basis}", lang),
            )
            + mark(_review_note(r, lang))
            for r in past.itertuples(index=False)
        ]
        paragraphs.append(t("profile.past_reviews", lang, reviews=t("profile.separator", lang).join(shown)))
    else:
        paragraphs.append(t("profile.no_past_review", lang))
    paragraphs.extend(_postponed(facts, as_of, lang))
    upcoming = reviews[held.isna() | (held > pd.Timestamp(as_of))]
    if len(upcoming):
        r = upcoming.sort_values("cycle").iloc[0]
        key = "profile.next_review_expected" if r.basis == "inferred" else "profile.next_review_published"
        paragraphs.append(
            noted(
                t(key, lang, cycle=int(r.cycle), session=int(r.session), when=_when(r.start_date, r.date_precision, lang)),
                _review_note(r, lang),
            )
        )
    else:
        paragraphs.append(t("profile.next_review_unknown", lang))
    recs = facts["recommendations"]
    if len(recs):
        recs_note = ""
        if "level" in recs:
            levels = recs.level.value_counts()
            recs_note = t(
                "level.recommendations",
                lang,
                secondary=int(levels.get("secondary", 0)),
                primary=int(levels.get("primary", 0)),
            )
        counts = recs.response.value_counts()
        paragraphs.append(
            noted(
                t_count(
                    "profile.recs_counts",
                    lang,
                    len(recs),
                    **{k: t_count(f"profile.recs_{k}", lang, int(counts.get(k, 0))) for k in ("supported", "noted", "pending")},
                ),
                recs_note,
            )
        )
    else:
        paragraphs.append(t("profile.no_recs", lang))
    if bool(engagement.open_supported_ratify):
        paragraphs.append(t("profile.open_ratify", lang))
    elif status.status == "party" and len(recs[(recs.response == "supported") & (recs.action == "ratify")]):
        paragraphs.append(t("profile.ratify_acted", lang))
    columns = tuple(
        t(f"profile.rec_{c}", lang) for c in ("cycle", "when", "recommending", "treaty", "action", "response", "text")
    )
    rows = tuple(
        (
            str(int(r.cycle)),
            _when(r.session_start, r.session_precision, lang),
            str(getattr(r, f"recommending_{normalise(lang)}") or "—"),
            t(f"treaty_short.{r.treaty}", lang),
            t(f"profile.action_{r.action}", lang),
            t(f"profile.response_{r.response}", lang),
            r.text,
        )
        for r in by_relevance(recs, status).itertuples(index=False)
    )
    if rows and lang != "en":
        paragraphs.append(t("profile.recs_quoted", lang))  # the texts are the UN's and UPR Info's, in English
    notes = tuple(f"{str(n).translate(_SUPERSCRIPTS)} {note}" for note, n in numbers.items())
    return Section(
        "upr",
        t("profile.section_upr", lang),
        t("profile.source_upr", lang),
        paragraphs=tuple(paragraphs),
        table=Table(columns, rows) if rows else None,
        notes=notes,
    )


# What each kind of recommendation asks, and the fact on the date that shows it done.
def recommendation_done(rec, status: pd.Series) -> bool | None:
    """Whether the state has done what a recommendation asks, on the date of `status`; None: not a treaty act."""
    cat, opcat = status.status == "party", _day(status.opcat_consent_date) is not None
    if rec.action == "ratify":
        return {"CAT": cat, "OPCAT": opcat}.get(rec.treaty, cat and opcat)
    if rec.action == "sign":
        signed_cat = _day(status.signature_date) is not None or cat
        signed_opcat = _day(status.opcat_signature_date) is not None or opcat
        return {"CAT": signed_cat, "OPCAT": signed_opcat}.get(rec.treaty, signed_cat and signed_opcat)
    if rec.action == "declare_art22":
        return _day(status.art22_declaration_date) is not None
    if rec.action == "withdraw_reservation" and rec.treaty == "CAT":
        return not bool(status.art20_reservation)
    return None


def by_relevance(recs: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Open treaty acts first (supported, then noted and pending), then the rest, each the most recent first."""
    if recs.empty:
        return recs
    done = [recommendation_done(r, status) for r in recs.itertuples(index=False)]
    open_act = pd.Series([d is False for d in done], index=recs.index)
    response = recs.response.map({"supported": 0, "pending": 1, "noted": 2}).fillna(3)
    order = pd.DataFrame({"closed": ~open_act, "response": response, "session": -recs.session.fillna(0)})
    return recs.loc[order.sort_values(["closed", "response", "session"], kind="stable").index]


def asks_section(facts: dict[str, pd.DataFrame], status: pd.Series, as_of: date, lang: str) -> Section:
    """Possible asks for a meeting, each from a rule the dashboard already applies, with its basis."""
    steps = []
    recs = facts["recommendations"]

    def accepted(action: str, treaty: str) -> str:
        rows = recs[(recs.response == "supported") & (recs.action == action) & recs.treaty.isin([treaty, "CAT+OPCAT"])]
        if rows.empty:
            return ""
        first = rows.sort_values("session").iloc[0]
        when = _when(first.session_start, first.session_precision, lang)
        return " " + t_count("asks.accepted", lang, len(rows), cycle=int(first.cycle), when=when)

    if status.status != "party":
        key = "asks.ratify_signatory" if status.status == "signatory" else "asks.ratify"
        basis = t(f"asks.basis_{status.status}", lang, date=fmt_date(_day(status.signature_date), lang))
        steps.append(Step(t(key, lang), basis + accepted("ratify", "CAT"), False))
    else:
        if _day(status.art22_declaration_date) is None:
            steps.append(Step(t("asks.art22", lang), t("asks.basis_art22", lang) + accepted("declare_art22", "CAT"), False))
        if bool(status.art20_reservation):
            steps.append(Step(t("asks.art20", lang), t("asks.basis_art20", lang), False))
        report = facts["report"]
        engagement = facts["engagement"].iloc[0]
        if not report.empty and engagement.initial_report_status == "overdue":
            row = report.iloc[0]
            note = cite(row.submission_level, row.submission_source, "committee", lang, row.symbol)
            key = "asks.basis_report" if note else "asks.basis_report_unrecorded"
            basis = t(key, lang, due=fmt_date(_day(row.due_date), lang))
            steps.append(Step(t("asks.report", lang), basis, False, note))
    if _day(status.opcat_consent_date) is None:
        steps.append(Step(t("asks.opcat", lang), t("asks.basis_opcat", lang) + accepted("ratify", "OPCAT"), False))
    marked, notes = with_notes(steps)
    paragraphs = () if steps else (t("asks.none", lang),)
    return Section("asks", t("asks.title", lang), t("asks.source", lang), paragraphs=paragraphs, steps=marked, notes=notes)


def peers_section(
    iso3: str, state: pd.Series, status_all: pd.DataFrame, groups: pd.DataFrame, names: pd.DataFrame, lang: str
) -> Section:
    """How many of the state's neighbours and fellow members are parties, and which are not."""
    name = name_column(lang)
    by_iso3 = status_all.set_index("iso3")
    named = dict(zip(names.group_code, names[name], strict=True))
    order = {code: i for i, code in enumerate(GROUP_ORDER)}
    circles = [
        (region(state.m49_region, lang), status_all[status_all.m49_region == state.m49_region].iso3),
        (region(state.m49_subregion, lang), status_all[status_all.m49_subregion == state.m49_subregion].iso3),
    ]
    if isinstance(state.un_regional_group, str) and state.un_regional_group:
        circles.append(
            (region(state.un_regional_group, lang), status_all[status_all.un_regional_group == state.un_regional_group].iso3)
        )
    mine = sorted(set(groups[groups.iso3 == iso3].group_code), key=lambda c: (order.get(c, 99), c))
    for code in mine:
        circles.append((named.get(code, code), groups[groups.group_code == code].iso3.drop_duplicates()))
    steps = []
    for label, members in circles:
        members = [m for m in members if m in by_iso3.index]
        parties = [m for m in members if by_iso3.at[m, "status"] == "party"]
        others = sorted(by_iso3.loc[m, name] for m in members if m not in parties)
        value = t("profile.peers_count", lang, parties=len(parties), members=len(members))
        if others:
            value += " " + t("profile.peers_not_party", lang, names=", ".join(others))
        steps.append(Step(label, value, len(others) == 0))
    return Section("peers", t("profile.section_peers", lang), t("profile.source_peers", lang), steps=tuple(steps))


def activities_section(facts: dict[str, pd.DataFrame], lang: str) -> Section:
    activities = facts["activities"]
    rows = tuple(
        (
            period_text(r.start_date, r.end_date, r.date_precision),
            t(f"activity_kind.{r.kind}", lang),
            r.title,
            r.source,
        )
        for r in activities.itertuples(index=False)
    )
    columns = tuple(t(f"profile.activity_{c}", lang) for c in ("when", "kind", "title", "source"))
    paragraphs = () if rows else (t("profile.no_activity", lang),)
    return Section(
        "activities",
        t("profile.section_activities", lang),
        t("profile.source_activities", lang),
        paragraphs=paragraphs,
        table=Table(columns, rows) if rows else None,
    )


def commitments_section(snapshot: Snapshot, facts: dict, iso3: str, as_of: date, lang: str) -> tuple[Section, ...]:
    """The UPR commitments the state received and made, with their fate on the date (app.commitments, as on /commitments)."""
    from app import commitments  # it builds its section with this module's Section and Step

    inputs = facts.get("commitments")
    if inputs is None:
        return ()
    rows = commitments.with_fates(inputs["recommendations"], inputs["events"], as_of)
    return (commitments.profile_section(rows, iso3, snapshot.status, as_of, lang, snapshot.data_as_of),)


def build(snapshot: Snapshot, facts: dict[str, pd.DataFrame], iso3: str, as_of: date, lang: str) -> Profile:
    """The profile of `iso3` on `as_of` in `lang`, from the snapshot of `as_of` and the state's facts on that
    date (queries.state_facts); no database here."""
    latest, status_all, groups, group_names = snapshot.data_as_of, snapshot.status, snapshot.groups, snapshot.group_names
    lang = normalise(lang)
    state = status_all.set_index("iso3").loc[iso3]
    state_name = state[name_column(lang)]
    treaty_source = t("common.treaty_source", lang, date=fmt_date(latest, lang))
    steps, notes = with_notes(list(ladder(state, facts, as_of, lang)))
    sections = (
        Section(
            "ladder",
            t("profile.section_ladder", lang),
            t("profile.source_ladder", lang, treaty=treaty_source),
            steps=steps,
            notes=notes,
        ),
        upr_section(facts, state, as_of, lang),
        *commitments_section(snapshot, facts, iso3, as_of, lang),
        asks_section(facts, state, as_of, lang),
        peers_section(iso3, state, status_all, groups, group_names, lang),
        activities_section(facts, lang),
    )
    kind = "" if state.kind == "member" else t(f"profile.kind_{state.kind}", lang)
    return Profile(
        iso3=iso3,
        lang=lang,
        as_of=as_of,
        name=state_name,
        title=t("profile.brief_title", lang, name=state_name),
        headline=(kind + " " if kind else "") + headline(state, lang),
        as_of_line=t("common.as_of_line", lang, date=fmt_date(as_of, lang)),
        groups=group_labels(iso3, state, groups, group_names, lang),
        sections=sections,
        disclaimer=t("profile.disclaimer", lang),
        footer=t("profile.footer", lang, date=fmt_date(latest, lang)),
    )
