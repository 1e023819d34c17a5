"""Every CSV and XLSX the app produces is written here: a cell a spreadsheet would run as a formula is neutralised.

Office files' properties (DOCX, PPTX) get their text through `file_property`, cut to the 255 characters they hold.

The OWASP rule for CSV injection: a text cell that begins with = + - @, a tab or a carriage return
(or their full-width forms) gets a leading apostrophe, so that Excel, LibreOffice and Google Sheets
show it as text instead of evaluating it. Numbers, dates and booleans are left alone. What the
Secretariat uploads is stored as it was typed; only what the app hands out is neutralised.

Lines end with CR LF (RFC 4180), so that a cell holding a carriage return or a line feed is always
quoted: a bare CR would otherwise end the row in a spreadsheet and start a new, unneutralised cell.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa

PROPERTY_CHARS = 255  # an Office file's properties (title, subject, comments) hold at most this many characters


def file_property(text: str) -> str:
    """Text for an Office file's properties, cut with "…" to what they hold (the document itself keeps it whole)."""
    return text if len(text) <= PROPERTY_CHARS else text[: PROPERTY_CHARS - 1] + "…"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """The value, with an apostrophe in front when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """A copy of the table with every text cell (and column name) made safe."""
    frame = frame.to_pandas() if isinstance(frame, pa.Table) else frame
    safe = frame.rename(columns=safe_cell)
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_datetime64_any_dtype(safe[column])):
            safe[column] = safe[column].map(safe_cell)
    return safe


def safe_table(table: pa.Table) -> pa.Table:
    """An Arrow table with every text cell made safe (the open data's CSV; its Parquet keeps the exact text)."""
    columns = []
    for column, field in zip(table.columns, table.schema, strict=True):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = pa.array([safe_cell(value) for value in column.to_pylist()], type=field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def csv_bytes(frame: pd.DataFrame | pa.Table) -> bytes:
    """The table as UTF-8 CSV, safe to open in a spreadsheet."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def csv_rows(header: list[str], rows: list[list]) -> bytes:
    """Rows as UTF-8 CSV, safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _append_safe(sheet, header: list[str], rows: list[list]) -> list:
    """Write the header and rows to an openpyxl sheet, each text cell safe (safe_cell) and stored as text, never
    as a formula; returns every cell written."""
    for row in [header, *rows]:
        sheet.append([safe_cell(value) for value in row])
    cells = [cell for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    return cells


def xlsx_bytes(sheet_name: str, header: list[str], rows: list[list]) -> bytes:
    """Rows as an XLSX workbook of one sheet: every cell stored as text, safe to open in a spreadsheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for cell in _append_safe(sheet, header, rows):
        cell.number_format = "@"  # text: dates stay YYYY-MM-DD
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_sheets(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """Tables as an XLSX workbook, a sheet each (name, header, rows): numbers stay numbers, text is safe and bold
    headers stay in view."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name[:31])  # a sheet's name holds at most 31 characters
        _append_safe(sheet, header, rows)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_template(
    sheet_name: str,
    header: list[str],
    rows: list[list],
    choices: dict[str, list[str]],
    instructions: list[str],
    notes: dict[str, list[str]] | None = None,
) -> bytes:
    """An upload template: the sheet to fill first (headers frozen, a drop-down on each column of `choices`, up to
    `max_rows`), then the instructions, then the lists the drop-downs offer (with `notes`, e.g. each code's name)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = load_workbook(io.BytesIO(xlsx_bytes(sheet_name, header, rows)))
    sheet = book.active
    sheet.freeze_panes = "A2"  # the headers stay in view
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet("instructions")
    for line in instructions:
        guide.append([safe_cell(line)])
    guide.column_dimensions["A"].width = 120
    lists = book.create_sheet("lists")
    for number, (column, values) in enumerate(choices.items(), start=1):
        letter = chr(ord("A") + 2 * (number - 1))
        lists.cell(1, 2 * number - 1, column).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row, 2 * number - 1, safe_cell(value))
            extra = (notes or {}).get(column)
            if extra:
                lists.cell(row, 2 * number, safe_cell(extra[row - 2]))
        target = get_column_letter(header.index(column) + 1)
        rule = DataValidation(type="list", formula1=f"lists!${letter}$2:${letter}${len(values) + 1}", allow_blank=True)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS}")
        sheet.add_data_validation(rule)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TEMPLATE_ROWS = 5001  # rows of the template's sheet that offer the drop-downs (a header and 5,000 records)


def get_column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter as letter

    return letter(number)
