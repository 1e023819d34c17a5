"""The UNTC status page parser and the import-untc command."""

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from etl.__main__ import main
from etl.untc import UntcError, parse_page
from tests import untc_fixture as fx
from tests.conftest import UNTC, copy_inputs


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def fixture_data(tmp_path) -> Path:
    """data/ whose CAT events are exactly those of the default fixture page."""
    folder = copy_inputs(tmp_path / "data")
    events = pd.read_csv(folder / "treaty_events.csv", dtype=str, keep_default_na=False)
    cat = pd.DataFrame(
        [
            (iso3, "CAT", event, day, "UN Treaty Collection, status as at 3 February 2026", "")
            for iso3, event, day in fx.expected_events()
        ],
        columns=events.columns,
    )
    pd.concat([events[events.treaty != "CAT"], cat]).to_csv(folder / "treaty_events.csv", index=False)
    # The build refuses a report from a state that is not a party: keep the reports of the fixture's parties.
    parties = set(cat.iso3[cat.event.isin(["ratification", "accession", "succession"])])
    reports = pd.read_csv(folder / "report_submissions.csv", dtype=str, keep_default_na=False)
    reports[reports.iso3.isin(parties)].to_csv(folder / "report_submissions.csv", index=False)
    return folder


def run(folder: Path, html: str, tmp_path: Path, *extra: str, treaty: str = "CAT") -> int:
    page = tmp_path / "status.html"
    page.write_text(html, encoding="utf-8")
    return main(
        ["--data-dir", str(folder), "--db", str(tmp_path / "x.duckdb"), "import-untc", "--treaty", treaty, *extra, str(page)]
    )


def test_parser_reads_participants_and_declarations():
    page = parse_page(fx.page(), "CAT")
    assert page.status_as_at.isoformat() == "2026-02-03"
    by_name = {p.name: p for p in page.participants}
    assert by_name["Albania"].consent_type == "accession"
    assert by_name["Croatia"].consent_type == "succession"
    assert by_name["Türkiye"].signature_date.isoformat() == "1988-01-25"
    assert by_name["Afghanistan"].notes == ["14"]
    events = {(e.participant, e.event): e.event_date.isoformat() for e in page.events}
    assert events[("Afghanistan", "withdrawal_art20")] == "2018-04-17"
    assert events[("Bahamas (The)", "reservation_art20")] == "2018-05-31"
    assert events[("Türkiye", "declaration_art22")] == "1988-08-02"


def test_unchanged_page_reports_no_difference(fixture_data, tmp_path, capsys):
    assert run(fixture_data, fx.page(), tmp_path) == 0
    assert "No difference" in capsys.readouterr().out


def test_new_accession_changed_date_new_declaration(fixture_data, tmp_path, capsys):
    rows = fx.default_rows()
    rows[5] = fx.Row("Palau", "20 Sep\t 2011 ", "12 Mar\t 2026 ")  # Palau ratifies
    rows[1] = fx.Row("Albania", "", "12 May\t 1994 a")  # a corrected date
    rows.append(fx.Row("Tonga", "", " &nbsp;2 Mar\t 2026 a"))  # a new accession
    declarations = fx.default_declarations() + [
        fx.Block(
            "Albania",
            "15 March 2026<br>Albania declares, pursuant to article 22 of the Convention, that it recognizes "
            "the competence of the Committee to receive communications from individuals.",
        )
    ]
    before = snapshot(fixture_data)
    assert run(fixture_data, fx.page(rows=rows, declarations=declarations, status="20-03-2026"), tmp_path) == 0
    out = capsys.readouterr().out
    assert "~ ALB Albania: accession 1994-05-11 -> 1994-05-12" in out
    assert "+ PLW Palau: ratification 2026-03-12 (new)" in out
    assert "+ TON Tonga: accession 2026-03-02 (new)" in out
    assert "+ ALB Albania: declaration_art22 2026-03-15 (new)" in out
    assert "Dry run: nothing was changed" in out
    assert snapshot(fixture_data) == before  # a dry run changes no byte under data/


def test_apply_writes_keeps_a_copy_and_rebuilds(fixture_data, tmp_path, capsys):
    rows = fx.default_rows() + [fx.Row("Tonga", "", " &nbsp;2 Mar\t 2026 a")]
    old_events = (fixture_data / "treaty_events.csv").read_bytes()
    assert run(fixture_data, fx.page(rows=rows, status="20-03-2026"), tmp_path, "--apply") == 0
    out = capsys.readouterr().out
    events = pd.read_csv(fixture_data / "treaty_events.csv", dtype=str, keep_default_na=False)
    tonga = events[(events.iso3 == "TON") & (events.treaty == "CAT")]
    assert tonga[["event", "event_date", "source"]].values.tolist() == [
        ["accession", "2026-03-02", "UN Treaty Collection, status as at 20 March 2026"]
    ]
    backups = list((fixture_data / ".backup").glob("*/treaty_events.csv"))
    assert backups and backups[0].read_bytes() == old_events
    datasets = pd.read_csv(fixture_data / "datasets.csv", dtype=str)
    assert datasets.set_index("dataset").at["treaty_events", "as_of"] == "2026-03-20"
    assert (tmp_path / "x.duckdb").exists() and "database rebuilt" in out


def test_unknown_name_stops_and_changes_nothing(fixture_data, tmp_path, capsys):
    rows = fx.default_rows() + [fx.Row("Ruritania", "", "1 Jan\t 2020 a"), fx.Row("Freedonia", "", "2 Jan\t 2020 a")]
    before = snapshot(fixture_data)
    assert run(fixture_data, fx.page(rows=rows), tmp_path, "--apply") == 2
    out = capsys.readouterr().out
    assert "'Freedonia'" in out and "'Ruritania'" in out and "state_aliases.csv" in out
    assert snapshot(fixture_data) == before


def test_wrong_treaty(fixture_data, tmp_path, capsys):
    before = snapshot(fixture_data)
    assert run(fixture_data, fx.page(treaty="OPCAT"), tmp_path, "--apply", treaty="CAT") == 2
    assert "this page is the status of OPCAT, not CAT" in capsys.readouterr().out
    assert snapshot(fixture_data) == before


def test_truncated_file(fixture_data, tmp_path, capsys):
    html = fx.page()
    before = snapshot(fixture_data)
    assert run(fixture_data, html[: html.index("Côte")], tmp_path, "--apply") == 2
    assert "expected" in capsys.readouterr().out
    cut = fx.page(stated_counts=(5, 9))  # the page says more parties than its table lists
    assert run(fixture_data, cut, tmp_path, "--apply") == 2
    assert "looks truncated" in capsys.readouterr().out
    assert snapshot(fixture_data) == before


def test_changed_columns_and_not_a_status_page(fixture_data, tmp_path, capsys):
    changed = fx.page(header=("Participant", "Signature", "Definitive signature"))
    assert run(fixture_data, changed, tmp_path) == 2
    assert "expected three columns" in capsys.readouterr().out
    assert run(fixture_data, "<html><body><p>Hello</p></body></html>", tmp_path) == 2
    assert "not a UN Treaty Collection status page" in capsys.readouterr().out


def test_parse_page_rejects_unknown_treaty():
    with pytest.raises(UntcError, match="unknown treaty"):
        parse_page(fx.page(), "ICCPR")


@pytest.mark.parametrize("treaty,filename", [("CAT", "cat_IV-9_2026-02-03.html"), ("OPCAT", "opcat_IV-9-b_2026-02-03.html")])
def test_real_snapshot_agrees_with_data(treaty, filename, tmp_path, capsys):
    if not UNTC.exists():
        # CI always has shared/ beside the clone; elsewhere the snapshot may be absent.
        assert not os.environ.get("CI"), f"{UNTC} is missing in CI"
        pytest.skip("the shared UNTC snapshot is not beside the project")
    folder = copy_inputs(tmp_path / "data")
    before = snapshot(folder)
    code = main(
        ["--data-dir", str(folder), "--db", str(tmp_path / "x.duckdb"), "import-untc", "--treaty", treaty, str(UNTC / filename)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "No difference with data/treaty_events.csv" in out, out
    assert snapshot(folder) == before


def test_parser_finds_the_territories_a_participants_notes_name():
    """A territorial-application note, as the page words it (the fixture's note 12 follows the CAT page's)."""
    from etl.untc import territory_mentions

    rows = [*fx.default_rows(), fx.Row("United Kingdom of Great Britain and Northern Ireland", "", "8 Dec\t 1988 ", notes=["12"])]
    notes = {
        **fx.default_notes(),
        "12": "For the United Kingdom of Great Britain and Northern Ireland, Anguilla, British Virgin Islands, Cayman "
        "Islands, Falkland Islands (Malvinas), Gibraltar, Montserrat. On 9 December 1992, the Government of the United "
        "Kingdom notified the Secretary-General that the Convention applies to the Bailiwick of Guernsey and Bermuda.",
    }
    names = {
        "660": ["Anguilla"],
        "238": ["Falkland Islands (Malvinas)", "Malvinas Islands"],
        "831": ["Guernsey"],
        "304": ["Greenland"],
    }
    found = {(m.participant, m.territory, m.where) for m in territory_mentions(fx.page(rows=rows, notes=notes), names)}
    uk = "United Kingdom of Great Britain and Northern Ireland"
    assert found == {(uk, "660", "note 12"), (uk, "238", "note 12"), (uk, "831", "note 12")}


@pytest.mark.parametrize("treaty,filename", [("CAT", "cat_IV-9_2026-02-03.html"), ("OPCAT", "opcat_IV-9-b_2026-02-03.html")])
def test_territorial_application_names_what_the_depositary_records(treaty, filename):
    """data/territorial_application.csv and the status page name the same (party, territory) pairs."""
    from etl.untc import territory_mentions
    from etl.untc_import import _key, name_index
    from tests.conftest import DATA

    if not UNTC.exists():
        assert not os.environ.get("CI"), f"{UNTC} is missing in CI"
        pytest.skip("the shared UNTC snapshot is not beside the project")
    read = lambda name: pd.read_csv(DATA / name, dtype=str, keep_default_na=False)  # noqa: E731
    territories, recorded = read("territories.csv"), read("territorial_application.csv")
    names = {row.m49: [n for n in row.untc_names.split("|") if n] for row in territories.itertuples()}
    index = name_index(read("states.csv"), read("state_aliases.csv"))
    mentions = territory_mentions((UNTC / filename).read_bytes(), names)
    on_page = {(index[_key(m.participant)], m.territory) for m in mentions}
    in_data = set(zip(recorded[recorded.treaty == treaty].party_iso3, recorded[recorded.treaty == treaty].m49, strict=True))
    assert on_page == in_data
    # Each row cites the note that names the territory.
    for m in mentions:
        if m.where.startswith("note "):
            rows = recorded[(recorded.treaty == treaty) & (recorded.m49 == m.territory)]
            assert any(m.where.removeprefix("note ") in row.untc_note.split(", ") for row in rows.itertuples()), m
