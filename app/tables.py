"""Pure builders of the tables the pages show, in the UI language."""

from __future__ import annotations

import pandas as pd

from core.i18n import name_column, normalise, region, strategy_name, t, t_count


def _iso(days: pd.Series) -> pd.Series:
    """Dates as ISO text (they sort correctly as text); an empty cell reads better than "None"."""
    return pd.to_datetime(days).dt.strftime("%Y-%m-%d").fillna("")


def profile_links(iso3: pd.Series, lang: str) -> pd.Series:
    """Each state's profile, as a link relative to the current page (it works under any base path)."""
    return "country?state=" + iso3 + f"&lang={normalise(lang)}"


def remaining_table(status: pd.DataFrame, lang: str) -> pd.DataFrame:
    """UN member states not party on the date: name, status, signature date, region, UN regional group."""
    rows = status[(status.kind == "member") & (status.status != "party")]
    return pd.DataFrame(
        {
            t("column.state", lang): rows[name_column(lang)],
            t("column.status", lang): rows.status.map(lambda s: t(f"status.{s}", lang)),
            t("column.signature_date", lang): _iso(rows.signature_date),
            t("column.region", lang): rows.m49_subregion.map(lambda r: region(r, lang)),
            t("column.regional_group", lang): rows.un_regional_group.map(lambda r: region(r, lang)),
            t("column.profile", lang): profile_links(rows.iso3, lang),
        }
    ).sort_values(t("column.state", lang))


def status_table(status: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every state with its position on the date: the table under the map and its CSV download."""
    rows = status.sort_values(name_column(lang))
    return pd.DataFrame(
        {
            "ISO3": rows.iso3,
            t("column.state", lang): rows[name_column(lang)],
            t("column.status", lang): rows.status.map(lambda s: t(f"status.{s}", lang)),
            t("column.signature_date", lang): _iso(rows.signature_date),
            t("column.consent_date", lang): _iso(rows.consent_date),
            t("column.consent_type", lang): rows.consent_type.map(
                lambda c: t(f"consent.{c}", lang) if isinstance(c, str) else ""
            ),
            t("column.entry_into_force", lang): _iso(rows.entry_into_force.where(rows.status == "party")),
            t("column.art22", lang): _iso(rows.art22_declaration_date),
            t("column.art20", lang): rows.art20_reservation.map(lambda r: t("column.yes", lang) if r else ""),
            t("column.opcat", lang): _iso(rows.opcat_consent_date),
            t("column.region", lang): rows.m49_subregion.map(lambda r: region(r, lang)),
        }
    )


def _flag(value, lang: str) -> str:
    """A group flag as text: yes, empty for no, "unknown" where no list covers the date."""
    if value is None or value is pd.NA:
        return t("flag.unknown", lang)
    return t("flag.yes", lang) if value else ""


def _flag_columns(rows: pd.DataFrame, codes: tuple[str, ...], lang: str) -> dict[str, pd.Series]:
    return {t(f"group_short.{code}", lang): rows[code].map(lambda v: _flag(v, lang)) for code in codes}


def deposits_table(deposits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every deposit in the frame, in date order, with ODA, SIDS and LDC flags as they stood on its date."""
    return pd.DataFrame(
        {
            t("column.date", lang): _iso(deposits.consent_date),
            t("column.state", lang): deposits[name_column(lang)],
            t("column.consent_type", lang): deposits.consent_type.map(lambda c: t(f"consent.{c}", lang)),
            **_flag_columns(deposits, ("ODA", "SIDS", "LDC"), lang),
            t("column.profile", lang): profile_links(deposits.iso3, lang),
        }
    )


def non_parties_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """States not party: region, UN regional group, signature date and group flags, by region then name."""
    ordered = rows.sort_values(["m49_region", "m49_subregion", name_column(lang)])
    return pd.DataFrame(
        {
            t("column.state", lang): ordered[name_column(lang)],
            t("column.region", lang): ordered.m49_region.map(lambda r: region(r, lang)),
            t("column.subregion", lang): ordered.m49_subregion.map(lambda r: region(r, lang)),
            t("column.regional_group", lang): ordered.un_regional_group.map(lambda r: region(r, lang)),
            t("column.signature_date", lang): _iso(ordered.signature_date),
            **_flag_columns(ordered, ("ODA", "SIDS", "LDC", "OIC", "COMMONWEALTH"), lang),
            t("column.profile", lang): profile_links(ordered.iso3, lang),
        }
    )


def changes_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Treaty actions in date order: date, state, treaty, action."""
    return pd.DataFrame(
        {
            t("column.date", lang): _iso(changes.event_date),
            t("column.state", lang): changes[name_column(lang)],
            t("column.treaty", lang): changes.treaty.map(lambda x: t(f"treaty.{x}", lang)),
            t("column.action", lang): changes.event.map(lambda e: t(f"event.{e}", lang)),
            t("column.profile", lang): profile_links(changes.iso3, lang),
        }
    )


def target_text(row, lang: str) -> str:
    """ "Target: at least 3 (CTI Strategy 2020-2022)", or "No target set"."""
    if row.status == "no_target":
        reference = getattr(row, "reference_target", None)
        if reference is None or pd.isna(reference):
            return t("targets.no_target", lang)
        first, last = row.reference_years
        return t(
            "targets.reference_line",
            lang,
            comparator=t(f"targets.comparator.{row.reference_comparator}", lang),
            value=int(reference),
            first=first,
            last=last,
        )
    comparator = t(f"targets.comparator.{row.comparator}", lang)
    strategy = strategy_name(row.strategy, lang)
    return t("targets.target_line", lang, comparator=comparator, value=int(row.target), strategy=strategy)


def target_totals_table(progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Totals per year and measure, newest year first: no state appears in it."""
    year = t("targets.column_year", lang)
    metric = t("targets.column_metric", lang)
    return pd.DataFrame(
        {
            year: progress.year,
            metric: progress.metric.map(lambda m: t(f"targets.metric.{m}", lang)),
            t("targets.column_actual", lang): progress.actual,
            t("targets.column_target", lang): [target_text(row, lang) for row in progress.itertuples(index=False)],
            t("targets.column_status", lang): progress.status.map(lambda s: t(f"target_status.{s}", lang)),
            t("targets.column_projection", lang): ["" if pd.isna(value) else str(int(value)) for value in progress.projection],
            t("targets.column_sample", lang): progress.sample_records,
            t("records.real_column", lang): progress.real_records,
        }
    ).sort_values([year, metric], ascending=[False, True])


def period_text(start, end, precision: str) -> str:
    """A record's date at the precision it is known: 2015-05-12, 2016-04, 2015, or 2016–2018."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if precision == "year":
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == "month":
        return start.strftime("%Y-%m") if (start.year, start.month) == (end.year, end.month) else f"{start:%Y-%m}–{end:%Y-%m}"
    return start.date().isoformat()


def sample_line(sample: int, real: int, lang: str) -> str:
    """What the activity figures are made of, when sample records are among them."""
    if real:
        return t("records.mixed_banner", lang, **_record_counts(real, sample, lang))
    return t_count("targets.sample_banner", lang, sample)


def records_text(row, lang: str) -> str:
    """How many real and sample records a yearly figure counts, in words."""
    sample, real = int(row.sample_records), int(row.real_records)
    if sample and real:
        return t("records.card_mixed", lang, **_record_counts(real, sample, lang))
    return t_count("records.card_sample", lang, sample) if sample else t_count("records.card_real", lang, real)


def _record_counts(real: int, sample: int, lang: str) -> dict[str, str]:
    return {"real": t_count("records.real_records", lang, real), "sample": t_count("records.sample_records", lang, sample)}


def public_activities_table(public: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Activities the state concerned made public, and multi-state events, each marked real or sample (second column).

    A sample record's made-up English title and source are shown as "Sample – <kind>" in the UI language.
    """
    kinds = public.kind.map(lambda k: t(f"activity_kind.{k}", lang))
    sample = public.is_sample.astype(bool)
    return pd.DataFrame(
        {
            t("activity_column.start", lang): [
                period_text(start, end, precision)
                for start, end, precision in zip(public.start_date, public.end_date, public.date_precision, strict=True)
            ],
            # Second, so that real and sample stay told apart in a narrow window, whatever the titles' length.
            t("records.column", lang): sample.map({True: t("records.sample", lang), False: t("records.real", lang)}),
            t("activity_column.kind", lang): kinds,
            t("activity_column.state", lang): public[f"public_state_{normalise(lang)}"].fillna("—"),
            t("activity_column.title", lang): [
                t("records.sample_title", lang, kind=kind) if is_sample else title
                for kind, title, is_sample in zip(kinds, public.title, sample, strict=True)
            ],
            t("activity_column.senior_officials", lang): public.senior_officials,
            t("activity_column.source", lang): [
                t("records.sample_source", lang) if is_sample else source
                for source, is_sample in zip(public.source, sample, strict=True)
            ],
        }
    )


def activity_detail_table(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Secretariat only: every record with its state."""
    return pd.DataFrame(
        {
            t("activity_column.id", lang): records.activity_id,
            t("activity_column.start", lang): _iso(records.start_date),
            t("activity_column.end", lang): _iso(records.end_date),
            t("activity_column.kind", lang): records.kind.map(lambda k: t(f"activity_kind.{k}", lang)),
            t("activity_column.state", lang): records[name_column(lang)].fillna("—"),
            t("activity_column.title", lang): records.title,
            t("activity_column.senior_officials", lang): records.senior_officials,
            t("activity_column.participants", lang): records.participants,
            t("activity_column.public", lang): records.is_public,
            t("activity_column.sample", lang): records.is_sample,
            t("activity_column.source", lang): records.source,
            t("activity_column.note", lang): records.note.fillna(""),
            t("activity_column.file", lang): records.record_file,
        }
    )


# The columns of the frames behind the charts, and the catalogue key of each one's heading.
CHART_COLUMNS = {
    "iso3": None,  # "ISO3" in every language, as in the status table
    "state": "column.state",
    "date": "column.date",
    "year": "column.year",
    "status": "column.status",
    "consent_type": "column.consent_type",
    "category": "column.category",
    "count": "column.count",
    "states": "column.states",
    "parties": "timeline.parties_axis",
    "total": "timeline.category_total",
    "year_total": "timeline.deposits_axis",
    "year_states": "timeline.joined_that_year",
}
# Columns holding codes, and the catalogue section of their labels.
CHART_CODES = {"status": "status", "consent_type": "consent"}


def chart_data_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame behind a chart as its data table and CSV show it: headings and codes in the UI language."""
    table = frame.copy()
    # A point of a series is a day: shown and written as a date ("1984-12-31"), not a time ("1984-12-31 00:00:00").
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.date
    for column, section in CHART_CODES.items():
        if column in table:
            table[column] = [t(f"{section}.{code}", lang) if isinstance(code, str) else "" for code in table[column]]
    headings = {column: t(key, lang) if key else column.upper() for column, key in CHART_COLUMNS.items()}
    return table.rename(columns=headings)
