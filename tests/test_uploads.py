"""Activity uploads are bounded: size and rows checked before parsing, zip bombs refused, at most 100 problems listed."""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile

import pytest

from app import activity_files
from app.activity_files import add_activities, template_csv, xlsx_too_large
from core import config
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
    sheet = b"<x:worksheet><x:sheetData>" + row * 40_000 + b"</x:sheetData></x:worksheet>"  # over 1 MB: several chunks
    workbook = zip_of({"xl/worksheets/sheet1.xml": sheet})
    assert xlsx_too_large(workbook, 10 << 20, 39_999) is None  # the header and 39,999 rows
    assert "more than 39,998 rows" in xlsx_too_large(workbook, 10 << 20, 39_998)
    assert xlsx_too_large(b"not a zip", 10 << 20, 10).startswith("not a readable XLSX workbook")


def test_a_field_over_the_csv_field_limit_is_a_message_not_a_traceback(folder, tmp_path):
    # Python's default limit (131,072 characters); importing frictionless (open data) raises it for the process.
    default = csv.field_size_limit(131_072)
    try:
        content = (HEADER + "\n" + ROW.format(n=1, title="x" * 200_000) + "\n").encode()
        result = add_activities("long.csv", content, folder=folder, database=tmp_path / "db.duckdb")
    finally:
        csv.field_size_limit(default)
    assert result.problems[0].line == 2
    assert "not a readable CSV (field larger than field limit" in result.problems[0].reason


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
    assert int(message.split(" problems")[0].replace(",", "")) > 900  # every bad cell counted (4 a row)...
    assert "The first 100 are listed" in message  # ... the first 100 listed
    assert len(at.dataframe[-1].value) == 100
    assert stored(folder) == before


def test_page_refuses_an_oversized_upload_with_a_message(private_data, secretariat, monkeypatch):  # noqa: F811
    folder, _ = private_data
    monkeypatch.setenv("UNCAT_MAX_UPLOAD_ROWS", "10")
    before = stored(folder)
    content = "\n".join([HEADER, *(ROW.format(n=n, title="t") for n in range(20))]).encode()
    at = sign_in(open_targets(), PASSWORD)
    upload(at, "many.csv", content)
    assert any("1 problem in " in e.value for e in at.error)  # one problem: the singular
    assert "the limit is 10 rows" in at.dataframe[-1].value["Reason"].iloc[0]
    assert stored(folder) == before


def test_formula_like_titles_are_stored_as_typed(folder, tmp_path):
    titles = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3", "\tlead tab"]
    quoted = [title.replace('"', '""') for title in titles]
    content = "\n".join([HEADER, *(ROW.format(n=n, title=f'"{title}"') for n, title in enumerate(quoted)), ""])
    database = tmp_path / "db.duckdb"
    result = add_activities("titles.csv", content.encode(), folder=folder, database=database)
    assert result.ok, result.problems
    assert (folder / "activities" / result.stored).read_text(encoding="utf-8") == content  # uploads keep the text as text
