"""The Secretariat's year's summary for the annual report (signed in): totals against targets, states, real and sample apart."""

from __future__ import annotations

from datetime import date

import pandas as pd

from app.targets import METRICS, target_for, target_status
from core import exports
from core.i18n import fmt_date, name_column, strategy_name, t
from core.vocabulary import ADVICE_KINDS, VISIT_KINDS

RECORDS = ("real", "sample")  # the two kinds of record, never added together in the summary
STATE_KINDS = sorted(VISIT_KINDS | ADVICE_KINDS)  # the kinds that name the state served


def target_words(targets: pd.DataFrame, metric: str, year: int, lang: str) -> tuple[str, str, str | None, int | None]:
    """(the target in words, its strategy, comparator, value) in force for the whole of `year`; "—" without one."""
    target = target_for(targets, metric, year)
    if target is None:
        return "—", "", None, None
    words = f"{t(f'targets.comparator.{target.comparator}', lang)} {int(target.value)}"
    return words, strategy_name(target.strategy, lang), target.comparator, int(target.value)


def totals_rows(year: int, through: date, totals: dict[str, pd.DataFrame], targets: pd.DataFrame, lang: str) -> list[list]:
    """One row per measure and kind of record: the figure to `through`, the target in force and its status."""
    complete = through >= date(year, 12, 31)
    rows = []
    for metric in METRICS:
        words, strategy, comparator, value = target_words(targets, metric, year, lang)
        for records in RECORDS:
            frame = totals[records]
            actual = int(frame.loc[(frame.year == year) & (frame.metric == metric), "actual"].sum())
            status = t(f"target_status.{target_status(actual, comparator, value, complete)}", lang)
            label = t(f"year_summary.{records}", lang)
            rows.append([year, t(f"targets.metric.{metric}", lang), label, actual, words, status, strategy])
    return rows


def states_rows(year: int, states: pd.DataFrame, lang: str) -> tuple[list[list], list[list]]:
    """(distinct states per kind and kind of record, each state served) of `year`."""
    mine = states[states.year == year]
    per_kind, each = [], []
    for kind in STATE_KINDS:
        for records in RECORDS:
            rows = mine[(mine.kind == kind) & (mine.is_sample == (records == "sample"))]
            label = (t(f"activity_kind.{kind}", lang), t(f"year_summary.{records}", lang))
            per_kind.append([year, *label, int(rows.iso3.nunique()), int(rows.activities.sum())])
            each.extend([year, *label, row.iso3, row[name_column(lang)], int(row.activities)] for _, row in rows.iterrows())
    return per_kind, each


def workbook(
    year: int, through: date, totals: dict[str, pd.DataFrame], states: pd.DataFrame, targets: pd.DataFrame, lang: str
) -> bytes:
    """The year's summary as XLSX: totals against targets, distinct states per kind, each state; real and sample
    records on rows of their own, labelled."""
    counted = t("year_summary.column_figure", lang, date=fmt_date(min(through, date(year, 12, 31)), lang))
    records = t("year_summary.column_records", lang)
    per_kind, each = states_rows(year, states, lang)
    return exports.xlsx_sheets(
        [
            (
                t("year_summary.sheet_totals", lang),
                [
                    t("targets.column_year", lang),
                    t("targets.column_metric", lang),
                    records,
                    counted,
                    t("targets.column_target", lang),
                    t("targets.column_status", lang),
                    t("year_summary.column_strategy", lang),
                ],
                totals_rows(year, through, totals, targets, lang),
            ),
            (
                t("year_summary.sheet_kinds", lang),
                [
                    t("targets.column_year", lang),
                    t("activity_column.kind", lang),
                    records,
                    t("year_summary.column_states", lang),
                    t("year_summary.column_activities", lang),
                ],
                per_kind,
            ),
            (
                t("year_summary.sheet_states", lang),
                [
                    t("targets.column_year", lang),
                    t("activity_column.kind", lang),
                    records,
                    "ISO3",
                    t("activity_column.state", lang),
                    t("year_summary.column_activities", lang),
                ],
                each,
            ),
        ]
    )
