"""The build refuses engagement facts that break a rule, naming file, line and rule; `python -m etl verify` reports."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from etl.__main__ import main
from etl.build import build
from etl.engagement import reviews as derive
from etl.engagement import typed_postponements, typed_sessions
from etl.validate import InputError


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows, columns=None):
    columns = columns or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _refused(folder, tmp_path) -> list[str]:
    database = tmp_path / "x.duckdb"
    with pytest.raises(InputError) as caught:
        build(folder, database, quiet=True)
    assert not database.exists()
    return [str(p) for p in caught.value.problems]


def _consent(folder, iso3):
    for row in _rows(folder / "treaty_events.csv"):
        if row["iso3"] == iso3 and row["treaty"] == "CAT" and row["event"] in ("ratification", "accession", "succession"):
            return row["event_date"]
    raise AssertionError(iso3)


def test_a_report_before_the_state_was_bound_is_refused_with_its_line(data_copy, tmp_path):
    path = data_copy / "report_submissions.csv"
    rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r["iso3"] == "BOL")
    consent_year = int(_consent(data_copy, "BOL")[:4])
    rows[index]["submitted"] = str(consent_year - 7)  # the APT's 1992 for an accession of 1999
    _write(path, rows)
    problems = _refused(data_copy, tmp_path)
    assert any(
        p.startswith(f"{path}:{index + 2}:4: submitted '{consent_year - 7}': rule report-after-consent") for p in problems
    ), problems


def test_the_symbol_of_a_later_report_is_not_an_initial_report(data_copy, tmp_path):
    path = data_copy / "report_submissions.csv"
    rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r["iso3"] == "FJI" or r["submitted"])
    rows[index]["symbol"] = f"CAT/C/{rows[index]['iso3']}/2"
    _write(path, rows)
    problems = _refused(data_copy, tmp_path)
    assert any(f"{path}:{index + 2}:3:" in p and "rule initial-not-later" in p for p in problems), problems


def test_a_postponed_review_marked_held_is_refused(data_copy, tmp_path):
    postponed = _rows(data_copy / "upr_postponements.csv")
    assert postponed, "the data record at least one postponement"
    moved = postponed[0]
    path = data_copy / "upr_reviews.csv"
    rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r["iso3"] == moved["iso3"] and r["cycle"] == moved["cycle"])
    rows[index]["session"] = moved["from_session"]  # shown as held on the old date
    _write(path, rows)
    problems = _refused(data_copy, tmp_path)
    assert any(f"{path}:{index + 2}:3:" in p and "rule postponed-not-held" in p for p in problems), problems


def test_an_inferred_review_never_contradicts_a_published_list(data_copy, tmp_path):
    # Declare a session's list complete while a state of the previous cycle's group has no published review there:
    # the rule must not place it there, and a published review there is accepted.
    sessions = _rows(data_copy / "upr_sessions.csv")
    reviews = _rows(data_copy / "upr_reviews.csv")
    frame = pd.DataFrame(reviews)
    session_frame = typed_sessions(pd.DataFrame(sessions))
    post = typed_postponements(pd.DataFrame(_rows(data_copy / "upr_postponements.csv")))
    inferred = derive(frame, session_frame, post)
    inferred = inferred[inferred.basis == "inferred"]
    if inferred.empty:
        pytest.fail("no inferred review in the data to test the rule with")
    target = int(inferred.session.iloc[0])
    for row in sessions:
        if int(row["session"]) == target:
            row["states_listed"] = "complete"
    _write(data_copy / "upr_sessions.csv", sessions)
    typed = typed_sessions(pd.DataFrame(sessions))
    again = derive(frame, typed, post)
    assert not ((again.basis == "inferred") & (again.session == target)).any()
    build(data_copy, tmp_path / "ok.duckdb", quiet=True)  # consistent again: the build goes on


def test_a_held_review_in_a_session_not_yet_begun_is_refused(data_copy, tmp_path):
    sessions = {r["session"]: r for r in _rows(data_copy / "upr_sessions.csv")}
    future = next((s for s, r in sessions.items() if r["start_date"] and r["start_date"] > "2026-12-31"), None)
    if future is None:
        sessions_rows = list(sessions.values())
        last = sessions_rows[-1]
        last["start_date"], last["end_date"], last["date_precision"] = "2099-01-05", "2099-01-16", "day"
        _write(data_copy / "upr_sessions.csv", sessions_rows)
        future = last["session"]
    path = data_copy / "upr_reviews.csv"
    rows = _rows(path)
    cycle = sessions[future]["cycle"]
    index = next(i for i, r in enumerate(rows) if r["cycle"] == cycle)
    rows[index].update(session=future, status="held")
    _write(path, rows)
    problems = _refused(data_copy, tmp_path)
    assert any(f"{path}:{index + 2}:" in p and "rule held-is-past" in p for p in problems), problems


def test_verify_prints_levels_coverage_and_fails_on_a_broken_rule(data_copy, capsys):
    assert main(["--data-dir", str(data_copy), "verify"]) == 0
    out = capsys.readouterr().out
    assert "Rows by verification level" in out and "upr_reviews" in out
    assert "UPR cycle 1 (sessions 1-12):" in out and "Initial reports:" in out
    assert "Result: all invariants hold" in out
    path = data_copy / "report_submissions.csv"
    rows = _rows(path)
    rows[0]["submitted"] = "1987"
    rows[0]["symbol"] = f"CAT/C/{rows[0]['iso3']}/3"
    _write(path, rows)
    assert main(["--data-dir", str(data_copy), "verify"]) == 1
    out = capsys.readouterr().out
    assert "initial-not-later" in out and "broken invariant" in out


def test_cycles_one_to_three_cover_every_member_or_name_the_gap(db):
    coverage = db.query(
        """
        select cycle, count(*) as states
        from (
            select iso3, cycle from upr_reviews
            union
            select iso3, cycle from upr_review_gaps
        ) as known
        join states using (iso3)
        where kind = 'member' and cycle <= 3
        group by cycle
        order by cycle
        """
    )
    assert coverage.states.tolist() == [193, 193, 193]
    assert (db.query("select * from upr_review_gaps").reason.str.strip() != "").all()
