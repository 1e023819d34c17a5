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
