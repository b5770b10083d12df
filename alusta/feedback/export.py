"""Submissions as CSV, JSON or an Excel workbook for facilitators.

CSV is written for Finnish and Swedish spreadsheets: UTF-8 with a byte order mark (so
Excel reads ä, ö and å right), `;` as the separator and `,` as the decimal mark for fi and
sv (Excel in those locales expects both), times as `YYYY-MM-DD HH:MM` local time, which
spreadsheets read as dates. Text that a spreadsheet would run as a formula (starting with
= + - @) is prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime

from alusta.feedback.store import Submission
from alusta.feedback.table import Cell, Table
from alusta.terminal import escape_controls

BOM = "\ufeff"
SEPARATORS = (",", ";")
SEMICOLON_LANGUAGES = ("fi", "sv")  # their Excel uses the comma as the decimal mark
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def default_separator(lang: str) -> str:
    """`;` where the spreadsheet's decimal mark is the comma, `,` elsewhere."""
    return ";" if lang in SEMICOLON_LANGUAGES else ","


def _csv_cell(value: Cell, separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, list):
        value = ("; " if separator == "," else ", ").join(str(v) for v in value)
    if isinstance(value, float):
        return str(value).replace(".", ",") if separator == ";" else str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table, *, separator: str = ",") -> str:
    """The table as CSV text starting with a BOM."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([_csv_cell(h, separator) for h in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(cell, separator) for cell in row])
    return BOM + buffer.getvalue()


def to_json(submissions: Sequence[Submission]) -> str:
    """The submissions as a JSON array, answers as stored."""
    documents = [
        {
            "id": s.id,
            "received": s.received_at,
            "site": s.site,
            "form": s.form,
            "lang": s.lang,
            "answers": s.answers,
        }
        for s in submissions
    ]
    # json escapes C0 itself; DEL, C1 and bidi controls get the same \uXXXX escapes
    return escape_controls(json.dumps(documents, ensure_ascii=False, indent=2)) + "\n"
