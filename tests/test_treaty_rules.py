"""The Convention's date rules: entry into force (art. 27) and reports (art. 19)."""

from datetime import date

from core.treaty_rules import (
    CONVENTION_IN_FORCE,
    add_years,
    entry_into_force,
    initial_report_due,
    periodic_reports_due,
)


def test_entry_into_force_is_thirtieth_day_after_deposit():
    assert entry_into_force(date(2019, 10, 2)) == date(2019, 11, 1)  # Angola
    assert entry_into_force(date(2024, 12, 5)) == date(2025, 1, 4)  # Dominica, across a year end
    assert entry_into_force(date(2024, 2, 1)) == date(2024, 3, 2)  # leap February


def test_entry_into_force_never_before_26_june_1987():
    assert entry_into_force(date(1986, 2, 18)) == CONVENTION_IN_FORCE  # France, deposited before
    assert entry_into_force(date(1987, 5, 27)) == CONVENTION_IN_FORCE  # Denmark: day 30 is 26 June
    assert entry_into_force(date(1987, 5, 28)) == date(1987, 6, 27)  # first deposit after the floor


def test_initial_report_due_as_the_committee_counts_it():
    # The Committee's own concluding observations (data/SOURCES.md): in force on the 30th day after
    # the deposit, due the day before the first anniversary of entry into force.
    seychelles = entry_into_force(date(1992, 5, 5))  # CAT/C/SYC/CO/1: "by 3 June 1993"
    assert (seychelles, initial_report_due(seychelles)) == (date(1992, 6, 4), date(1993, 6, 3))
    cabo_verde = entry_into_force(date(1992, 6, 4))  # CAT/C/CPV/CO/1: "by 3 July 1993"
    assert initial_report_due(cabo_verde) == date(1993, 7, 3)
    antigua = entry_into_force(date(1993, 7, 19))  # CAT/C/ATG/CO/1: "by 17 August 1994"
    assert initial_report_due(antigua) == date(1994, 8, 17)
    assert initial_report_due(date(2019, 11, 1)) == date(2020, 10, 31)
    assert initial_report_due(date(2020, 2, 29)) == date(2021, 2, 28)
    assert initial_report_due(date(2019, 3, 1)) == date(2020, 2, 29)


def test_periodic_reports_every_four_years_after_the_initial_one():
    dues = periodic_reports_due(date(1987, 6, 26), until=date(2000, 1, 1))
    assert dues == [date(1992, 6, 25), date(1996, 6, 25)]
    assert periodic_reports_due(date(2025, 1, 4), until=date(2026, 1, 1)) == []


def test_add_years_keeps_the_day():
    assert add_years(date(2014, 3, 4), 10) == date(2024, 3, 4)
