"""Pure builders of the tables the pages show, in the UI language."""

from __future__ import annotations

import pandas as pd

from app.i18n import name_column, region, t


def _iso(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-%d").fillna("")


def remaining_table(status: pd.DataFrame, lang: str) -> pd.DataFrame:
    """UN member states not party on the date: name, status, signature date, region, UN regional group."""
    rows = status[(status.kind == "member") & (status.status != "party")]
    return pd.DataFrame(
        {
            t("column.state", lang): rows[name_column(lang)],
            t("column.status", lang): rows.status.map(lambda s: t(f"status.{s}", lang)),
            # ISO dates sort correctly as text; an empty cell reads better than "None".
            t("column.signature_date", lang): _iso(rows.signature_date),
            t("column.region", lang): rows.m49_subregion.map(lambda r: region(r, lang)),
            t("column.regional_group", lang): rows.un_regional_group.map(lambda r: region(r, lang)),
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
