"""Activity uploads are bounded: size and rows checked before parsing, zip bombs refused, at most 100 problems listed."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tomllib
import zipfile

import pytest

from app import activity_files
from app.activity_files import add_activities, template_csv, xlsx_too_large
from core import config
from etl import validate
from tests.conftest import ROOT, copy_inputs
from tests.test_targets_page import PASSWORD, open_targets, private_data, secretariat, sign_in, upload  # noqa: F401 - fixtures

HEADER = template_csv().decode().splitlines()[0]
ROW = "U-{n},2026-03-01,2026-03-02,seminar,,7,30,{title},false,false,test record"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def folder(tmp_path):
    return copy_inputs(tmp_path / "data")


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if an upload over the limits reaches the workbook parser or the validation."""

    def forbidden(*args, **kwargs):
        raise AssertionError("parsed an upload that is over the limits")

    monkeypatch.setattr(activity_files, "xlsx_to_csv", forbidden)
    monkeypatch.setattr(activity_files, "validate_activities", forbidden)


def stored(folder):
    return sorted(p.name for p in (folder / "activities").iterdir())


def test_default_limits_and_the_servers_upload_limit_agree(monkeypatch):
    monkeypatch.delenv("UNCAT_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("UNCAT_MAX_UPLOAD_ROWS", raising=False)
    assert config.upload_limits() == (10 * 1024 * 1024, 50_000)
    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["server"]["maxUploadSize"] == config.DEFAULT_MAX_UPLOAD_MB
    monkeypatch.setenv("UNCAT_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("UNCAT_MAX_UPLOAD_ROWS", "not a number")
    assert config.upload_limits() == (2 * 1024 * 1024, 50_000)


def test_csv_over_the_size_limit_is_refused_unparsed(folder, tmp_path, no_parsing):
    before = stored(folder)
    content = (HEADER + "\n" + ROW.format(n=1, title="x" * 2_000_000) + "\n").encode()
    result = add_activities("big.csv", content, folder=folder, database=tmp_path / "db.duckdb", limits=(1024 * 1024, 50_000))
    assert result.problem_count == 1 and "the limit is 1.0 MB" in result.problems[0].reason
    assert stored(folder) == before


def test_csv_over_the_row_limit_is_refused_unparsed(folder, tmp_path, no_parsing):
    before = stored(folder)
    content = "\n".join([HEADER, *(ROW.format(n=n, title="t") for n in range(150))]).encode()
    result = add_activities("many.csv", content, folder=folder, database=tmp_path / "db.duckdb", limits=(10 << 20, 100))
    assert "the limit is 100 rows" in result.problems[0].reason
    assert stored(folder) == before


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_xlsx_zip_bomb_is_refused_from_the_archive_directory(folder, tmp_path, no_parsing):
    # A few hundred kilobytes that inflate to 100 MB (the was 413 KB -> 419 MB).
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * (100 << 20)})
    assert len(bomb) < 1 << 20
    result = add_activities("bomb.xlsx", bomb, folder=folder, database=tmp_path / "db.duckdb", limits=(10 << 20, 50_000))
    assert "the workbook unpacks to 100.0 MB; the limit is 50.0 MB" in result.problems[0].reason


def test_xlsx_with_a_million_rows_is_refused_while_counting(folder, tmp_path, no_parsing):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 1_000_001))
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )
    workbook = zip_of({"xl/worksheets/sheet1.xml": sheet})
    assert len(workbook) < 3 << 20
    result = add_activities("rows.xlsx", workbook, folder=folder, database=tmp_path / "db.duckdb", limits=(10 << 20, 50_000))
    assert "more than 50,000 rows" in result.problems[0].reason


def test_row_and_cell_counts_read_prefixed_tags_across_chunks():
    row = b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>v</x:t></x:is></x:c></x:row>'
    namespace = b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = b"<x:worksheet" + namespace + b"><x:sheetData>" + row * 40_000 + b"</x:sheetData></x:worksheet>"  # over 1 MB
    workbook = zip_of({"xl/worksheets/sheet1.xml": sheet})
    assert xlsx_too_large(workbook, 10 << 20, 39_999) is None  # the header and 39,999 rows
    assert "more than 39,998 rows" in xlsx_too_large(workbook, 10 << 20, 39_998)
    assert xlsx_too_large(b"not a zip", 10 << 20, 10).startswith("not a readable XLSX workbook")


def test_a_field_over_the_limit_gets_a_plain_message_whatever_the_csv_module_allows(folder, tmp_path):
    # The csv module's limit is per process (131,072 characters by default; importing frictionless for the open
    # data raises it): the upload and the ETL must not depend on it. The 140 kB title of the issue.
    content = (HEADER + "\n" + ROW.format(n=1, title="x" * 140_000) + "\n").encode()
    default = csv.field_size_limit()
    try:
        for limit in (131_072, sys.maxsize):
            csv.field_size_limit(limit)
            result = add_activities("long.csv", content, folder=folder, database=tmp_path / "db.duckdb")
            assert [(p.line, p.column, p.reason) for p in result.problems] == [
                (2, "title", f"140,000 characters; at most {validate.FIELD_CHARS:,}")
            ]
            assert len(result.problems[0].value) < 100  # the value is shown shortened
    finally:
        csv.field_size_limit(default)
    assert stored(folder) == ["activities_cti_public.csv", "activities_sample.csv"]


def test_what_the_upload_accepts_the_etl_builds(folder, tmp_path):
    long_title = "y" * validate.FIELD_CHARS
    content = (HEADER + "\n" + ROW.format(n=1, title=long_title) + "\n").encode()
    result = add_activities("long.csv", content, folder=folder, database=tmp_path / "db.duckdb")
    assert result.ok, result.problems
    env = {**os.environ, "UNCAT_DATA_DIR": str(folder), "UNCAT_DB": str(tmp_path / "cli.duckdb")}
    env["UNCAT_PUBLIC_DIR"] = str(tmp_path / "public")
    done = subprocess.run([sys.executable, "-m", "etl"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_all_invalid_date_column_gets_a_plain_message_per_cell(folder, tmp_path):
    rows = [ROW.format(n=n, title="t").replace("2026-03-01", "not a date") for n in range(3)]
    result = add_activities("dates.csv", "\n".join([HEADER, *rows]).encode(), folder=folder, database=tmp_path / "db.duckdb")
    assert [(p.line, p.column, p.reason) for p in result.problems] == [
        (line, "start_date", "not a date in the form YYYY-MM-DD") for line in (2, 3, 4)
    ]


@pytest.mark.parametrize("content", [HEADER + "\n", HEADER + "\n,,,,,,,,,,\n\n", ""])
def test_an_upload_without_records_is_refused(folder, tmp_path, content):
    result = add_activities("empty.csv", content.encode(), folder=folder, database=tmp_path / "db.duckdb")
    assert not result.ok and result.problem_count == 1
    assert "no activity record" in result.problems[0].reason or "empty file" in result.problems[0].reason
    assert stored(folder) == ["activities_cti_public.csv", "activities_sample.csv"]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def amplified_workbook(copies: int = 3_000, size: int = 60_000) -> bytes:
    """The issue's workbook: one shared string of 60 kB referenced by 3,000 cells, a few kilobytes zipped."""
    columns = HEADER.split(",")
    letters = [chr(ord("A") + n) for n in range(len(columns))]
    header = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{name}</t></is></c>' for c, name in zip(letters, columns, strict=True))
    rows = [f'<row r="1">{header}</row>']
    for n in range(copies // len(columns)):
        cells = "".join(f'<c r="{c}{n + 2}" t="s"><v>0</v></c>' for c in letters)
        rows.append(f'<row r="{n + 2}">{cells}</row>')
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    strings = f'<sst xmlns="{MAIN}" count="{copies}" uniqueCount="1"><si><t>{"z" * size}</t></si></sst>'
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/></Types>'
    )
    return zip_of(
        {
            "[Content_Types].xml": types.encode(),
            "_rels/.rels": (
                f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{OFFICE}/officeDocument"'
                ' Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
            "xl/workbook.xml": (
                f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet name="activities" sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>"
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships xmlns="{RELATIONSHIPS}">'
                f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
            ).encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
            "xl/sharedStrings.xml": strings.encode(),
        }
    )


def test_the_amplified_workbook_is_a_workbook():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(amplified_workbook(copies=22)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.split(",")) and len(rows) == 3 and rows[1][0] == "z" * 60_000


def test_an_xlsx_that_expands_beyond_the_limit_is_refused_while_streaming(folder, tmp_path, no_parsing):
    import tracemalloc

    workbook = amplified_workbook()
    assert len(workbook) < 10_000  # a few kilobytes that expand to 180 MB of cells
    tracemalloc.start()
    try:
        result = add_activities("wide.xlsx", workbook, folder=folder, database=tmp_path / "db.duckdb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.problem_count == 1 and "cells expand to more than 10.0 MB of text" in result.problems[0].reason
    assert peak < 100 << 20, f"{peak / 2**20:.0f} MB held while checking a {len(workbook):,}-byte workbook"
    assert stored(folder) == ["activities_cti_public.csv", "activities_sample.csv"]


def test_control_characters_are_refused_with_file_and_line(folder, tmp_path):
    content = "\n".join([HEADER, ROW.format(n=1, title="ok"), ROW.format(n=2, title="a\x00b"), ROW.format(n=3, title="c\x1bd")])
    result = add_activities("nul.csv", content.encode(), folder=folder, database=tmp_path / "db.duckdb")
    assert [(p.line, p.column, p.reason) for p in result.problems] == [
        (3, "title", "control character U+0000 in the text; remove it"),
        (4, "title", "control character U+001B in the text; remove it"),
    ]


def test_page_lists_the_first_hundred_problems_and_the_total(private_data, secretariat):  # noqa: F811
    folder, _ = private_data
    before = stored(folder)
    bad = "\n".join([HEADER, *(f"U-{n},2026-13-01,2026-03-02,webinar,XXK,0,0,t,false,false,test" for n in range(300))])
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "bad.csv", bad.encode())
    message = next(e.value for e in at.error if " problems in " in e.value)
    # Every bad cell counted, 3 a row (month 13, webinar, XXK; the end date is not compared with a start that is no date)...
    assert int(message.split(" problems")[0].replace(",", "")) == 900
    assert "The first 100 are listed" in message  # ... the first 100 listed
    assert len(next(d.value for d in at.dataframe if "Reason" in d.value.columns)) == 100
    assert stored(folder) == before


def test_page_refuses_an_oversized_upload_with_a_message(private_data, secretariat, monkeypatch):  # noqa: F811
    folder, _ = private_data
    monkeypatch.setenv("UNCAT_MAX_UPLOAD_ROWS", "10")
    before = stored(folder)
    content = "\n".join([HEADER, *(ROW.format(n=n, title="t") for n in range(20))]).encode()
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "many.csv", content)
    assert any("1 problem in " in e.value for e in at.error)  # one problem: the singular
    assert "the limit is 10 rows" in next(d.value for d in at.dataframe if "Reason" in d.value.columns)["Reason"].iloc[0]
    assert stored(folder) == before


def test_formula_like_titles_are_stored_as_typed(folder, tmp_path):
    titles = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3", "\tlead tab"]
    quoted = [title.replace('"', '""') for title in titles]
    content = "\n".join([HEADER, *(ROW.format(n=n, title=f'"{title}"') for n, title in enumerate(quoted)), ""])
    database = tmp_path / "db.duckdb"
    result = add_activities("titles.csv", content.encode(), folder=folder, database=database)
    assert result.ok, result.problems
    assert (folder / "activities" / result.stored).read_text(encoding="utf-8") == content  # uploads keep the text as text
