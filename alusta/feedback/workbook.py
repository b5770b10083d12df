"""Submissions as an Excel workbook (.xlsx, openpyxl) with typed columns.

Times are real dates (shown `yyyy-mm-dd hh:mm`), numbers and scales are numbers and consent
is TRUE/FALSE, so a facilitator can sort, filter and chart without converting text. Every
text cell is written as text, never as a formula, whatever it starts with, and characters
XML cannot carry are dropped.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from alusta.feedback.table import Cell, Table

DATE_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_TITLE_CHARS = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(sheet: Worksheet, value: Cell, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, list):
        value = ", ".join(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text: openpyxl would otherwise store a formula
    if isinstance(value, datetime):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def to_xlsx(table: Table, *, title: str) -> bytes:
    """The table as the bytes of an .xlsx file, the header row in bold."""
    book = Workbook(write_only=True)
    safe_title = SHEET_TITLE_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", title))
    sheet = book.create_sheet(title=safe_title[:SHEET_TITLE_CHARS] or "1")
    sheet.append([_cell(sheet, h, bold=True) for h in table.header])
    for row in table.rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
