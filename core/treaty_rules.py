"""Date rules of the Convention (arts. 19 and 27) and the fixed dates the views refer to."""

from __future__ import annotations

from datetime import date, timedelta

OPENED_FOR_SIGNATURE = date(1985, 2, 4)
CONVENTION_IN_FORCE = date(1987, 6, 26)
UNIVERSALITY_GOAL_YEAR = 2024
# The CTI was launched in Geneva on 4 March 2014, at the 25th session of the Human Rights Council
# (cti2024.org, events); see data/SOURCES.md.
CTI_LAUNCH = date(2014, 3, 4)
DAYS_TO_ENTRY_INTO_FORCE = 30
PERIODIC_REPORT_YEARS = 4


def entry_into_force(deposit: date) -> date:
    """Art. 27: the thirtieth day after the deposit, never before the Convention's own entry into force."""
    return max(deposit + timedelta(days=DAYS_TO_ENTRY_INTO_FORCE), CONVENTION_IN_FORCE)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def initial_report_due(in_force: date) -> date:
    """Art. 19(1): "within one year after the entry into force", counted as the Committee counts it:
    the day before the anniversary of entry into force (in force 4 June 1992, due 3 June 1993;
    CAT/C/SYC/CO/1, CAT/C/CPV/CO/1 and CAT/C/ATG/CO/1, para. 2; see data/SOURCES.md)."""
    if (in_force.month, in_force.day) == (2, 29):
        return date(in_force.year + 1, 2, 28)  # the year runs to 28 February; 1 March is its anniversary
    return add_years(in_force, 1) - timedelta(days=1)


def periodic_reports_due(in_force: date, until: date) -> list[date]:
    """Art. 19(1): supplementary reports every four years after the initial report, up to `until`."""
    dues = []
    due = add_years(initial_report_due(in_force), PERIODIC_REPORT_YEARS)
    while due <= until:
        dues.append(due)
        due = add_years(due, PERIODIC_REPORT_YEARS)
    return dues


# The CTI strategy periods drawn on the timeline. The 2020-2022 strategy (March 2020) "replaces the
# strategy defined for 2018-20" (CTI Strategy 2020-2022, French edition; see data/SOURCES.md, targets.csv);
# no earlier strategy period is documented in the sources kept with the project, so none is drawn.
STRATEGY_PERIODS = (
    ("2018–2020", date(2018, 1, 1), date(2020, 2, 29)),
    ("2020–2022", date(2020, 3, 1), date(2022, 12, 31)),
)
