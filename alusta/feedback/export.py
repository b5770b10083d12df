"""Submissions as CSV or JSON for facilitators.

CSV is written for Finnish spreadsheets: UTF-8 with a byte order mark (so Excel reads ä, ö
and å right) and `;` as the separator on request (Excel in a Finnish locale expects it,
since the comma is the decimal mark). Text that a spreadsheet would run as a formula
(starting with = + - @) is prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from alusta.feedback.models import FormDefinition
from alusta.feedback.store import Submission

BOM = "\ufeff"
SEPARATORS = (",", ";")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = ("id", "received", "site", "form", "lang")


def received_iso(submission: Submission) -> str:
    return datetime.fromtimestamp(submission.received_at, UTC).isoformat(timespec="seconds")


def columns(forms: Sequence[FormDefinition], submissions: Iterable[Submission]) -> list[str]:
    """Field names in the forms' order, then any answers the current files no longer define."""
    names = list(dict.fromkeys(f.name for form in forms for f in form.fields))
    for submission in submissions:
        names += [key for key in submission.answers if key not in names]
    return names


def _cell(value: Any, list_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = list_separator.join(str(v) for v in value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(
    forms: Sequence[FormDefinition], submissions: Sequence[Submission], *, separator: str = ","
) -> str:
    """The submissions as CSV text starting with a BOM; one column per question."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}")
    fields = columns(forms, submissions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([*FIXED_COLUMNS, *fields])
    list_separator = "; " if separator == "," else ", "
    for item in submissions:
        fixed = [item.id, received_iso(item), item.site, item.form, item.lang]
        writer.writerow([*fixed, *(_cell(item.answers.get(n), list_separator) for n in fields)])
    return BOM + buffer.getvalue()


def to_json(submissions: Sequence[Submission]) -> str:
    """The submissions as a JSON array, answers as stored."""
    documents = [
        {
            "id": s.id,
            "received": received_iso(s),
            "site": s.site,
            "form": s.form,
            "lang": s.lang,
            "answers": s.answers,
        }
        for s in submissions
    ]
    return json.dumps(documents, ensure_ascii=False, indent=2) + "\n"
