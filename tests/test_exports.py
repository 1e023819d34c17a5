"""Every CSV and XLSX the app produces neutralises cells a spreadsheet would run as formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from app.activity_files import template_csv
from core import exports
from tests.conftest import ROOT
from tests.test_targets_page import PASSWORD, open_targets, private_data, secretariat, sign_in, upload  # noqa: F401 - fixtures

# The titles, plus a CR-led one.
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3", "\tTab", "\rReturn"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_get_an_apostrophe(text):
    assert exports.safe_cell(text) == "'" + text


def test_other_cells_are_left_alone():
    assert exports.safe_cell("Fiji") == "Fiji"
    assert exports.safe_cell("2021-03-01") == "2021-03-01"
    assert exports.safe_cell(-3) == -3  # a number is not a formula
    frame = pd.DataFrame({"=name": ["=1+1", "ok"], "count": [-1, 2]})
    text = exports.csv_bytes(frame).decode()
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["'=name", "count"], ["'=1+1", "-1"], ["ok", "2"]]
    # A carriage return inside a cell is quoted, so it cannot end the row and start a new cell.
    assert exports.csv_bytes(pd.DataFrame({"a": ["x\r=1+1"]})) == b'a\r\n"x\r=1+1"\r\n'


def test_xlsx_cells_are_text_never_formulas():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.xlsx_bytes("s", ["a"], [["=1+2"], ["plain"]])))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("'=1+2", "s"), ("plain", "s")]


def test_every_csv_and_xlsx_is_written_through_exports():
    """No other module writes a CSV or a workbook to hand out (the stored copy of an upload is the upload itself;
    the ETL's imports write data/, the sources of truth, as they are)."""
    writers = re.compile(r"\.to_csv\(|csv\.(writer|DictWriter)\(|write_csv\(|Workbook\(\)")
    found = set()
    for path in [*ROOT.glob("app/*.py"), *ROOT.glob("views/*.py"), ROOT / "streamlit_app.py", ROOT / "etl" / "opendata.py"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if writers.search(line) and path.name != "exports.py" and "exports." not in line:
                found.add((path.relative_to(ROOT).as_posix(), line.strip()))
    # xlsx_to_csv: an uploaded workbook kept as the CSV the ETL reads, its text as typed; app/audit.py: the audit
    # log appended in data/activities/ (a record the ETL checks, kept as typed; the app hands it out through exports).
    assert found <= {
        ("app/activity_files.py", 'writer = csv.writer(buffer, lineterminator="\\n")'),
        ("app/audit.py", 'writer = csv.writer(buffer, lineterminator="\\n")'),
    }


def test_detail_csv_neutralises_formula_titles(private_data, secretariat, downloads):  # noqa: F811
    header = template_csv().decode().splitlines()[0]
    rows = [
        f'F-{n},2026-03-01,2026-03-02,seminar,,7,30,"{t.replace(chr(34), chr(34) * 2)}",false,false,test'
        for n, t in enumerate(FORMULAS)
    ]
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "formulas.csv", "\n".join([header, *rows]).encode())
    assert any("6 records added" in s.value for s in at.success), [e.value for e in at.error]
    at.select_slider(key="detail_years").set_value((2026, 2026)).run()
    content = downloads["cti-activities-2026-2026.csv"]().decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(content, newline=""))
    titles = [row["title"] for row in rows if row["activity_id"].startswith("F-")]
    assert sorted(titles) == sorted("'" + t for t in FORMULAS)


def test_open_data_csv_neutralises_formula_text_and_parquet_keeps_it(tmp_path):
    import pyarrow.parquet as pq

    from etl import opendata
    from etl.build import build
    from tests.conftest import copy_inputs

    folder = copy_inputs(tmp_path / "data")
    header = template_csv().decode().splitlines()[0]
    public = 'P-1,2021-03-01,2021-03-02,seminar,,5,20,"=HYPERLINK(""http://example.invalid"",""x"")",true,false,https://example.invalid/news'
    (folder / "activities" / "activities_20260101T000000.csv").write_text(f"{header}\n{public}\n", encoding="utf-8")
    database = tmp_path / "db.duckdb"
    build(folder, database, quiet=True)
    files = opendata.bundle_files(opendata.read_public(database, base_url=""))
    rows = list(csv.DictReader(io.StringIO(files["activities.csv"].decode("utf-8"), newline="")))
    assert [r["title"] for r in rows if r["activity_id"] == "P-1"] == ['\'=HYPERLINK("http://example.invalid","x")']
    exact = pq.read_table(io.BytesIO(files["activities.parquet"])).to_pylist()
    assert [r["title"] for r in exact if r["activity_id"] == "P-1"] == ['=HYPERLINK("http://example.invalid","x")']
