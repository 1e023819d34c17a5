"""Pure builders of the tables the pages show, in the UI language."""

from __future__ import annotations

import pandas as pd

from app.i18n import name_column, region, t


def remaining_table(status: pd.DataFrame, lang: str) -> pd.DataFrame:
    """UN member states not party on the date: name, status, signature date, region, UN regional group."""
    rows = status[(status.kind == "member") & (status.status != "party")]
    return pd.DataFrame(
        {
            t("column.state", lang): rows[name_column(lang)],
            t("column.status", lang): rows.status.map(lambda s: t(f"status.{s}", lang)),
            # ISO dates sort correctly as text; an empty cell reads better than "None".
            t("column.signature_date", lang): rows.signature_date.dt.strftime("%Y-%m-%d").fillna(""),
            t("column.region", lang): rows.m49_subregion.map(lambda r: region(r, lang)),
            t("column.regional_group", lang): rows.un_regional_group.map(lambda r: region(r, lang)),
        }
    ).sort_values(t("column.state", lang))


def _iso(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d")


def target_text(row, lang: str) -> str:
    """ "Target: at least 3 (CTI Strategy 2020-2022)", or "No target set"."""
    if row.status == "no_target":
        return t("targets.no_target", lang)
    comparator = t(f"targets.comparator.{row.comparator}", lang)
    return t("targets.target_line", lang, comparator=comparator, value=int(row.target), strategy=row.strategy)


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
        }
    ).sort_values([year, metric], ascending=[False, True])


def public_activities_table(public: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Activities the state concerned made public, and multi-state events."""
    return pd.DataFrame(
        {
            t("activity_column.start", lang): _iso(public.start_date),
            t("activity_column.kind", lang): public.kind.map(lambda k: t(f"activity_kind.{k}", lang)),
            t("activity_column.state", lang): public[f"public_state_{'fr' if lang == 'fr' else 'en'}"].fillna("—"),
            t("activity_column.title", lang): public.title,
            t("activity_column.senior_officials", lang): public.senior_officials,
            t("activity_column.sample", lang): public.is_sample,
            t("activity_column.source", lang): public.source,
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
            t("activity_column.file", lang): records.record_file,
        }
    )
