"""Submissions as one typed table, the shape both spreadsheet exports write.

A facilitator reads the export in a spreadsheet, so the header row carries the questions'
texts in the export's language and the cells carry what the person chose (option labels,
"yes"/"no"), with times in local time. `codes=True` keeps the field and option codes for
scripts. Cells keep their Python types (int, float, bool, datetime, str) so the .xlsx
writer can give Excel typed columns; the CSV writer turns them into text. Control
characters in text (rows stored before intake dropped them) are shown as `\\uXXXX`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from gettext import NullTranslations
from typing import Any
from zoneinfo import ZoneInfo

from alusta.feedback.models import Field, FieldType, FormDefinition
from alusta.feedback.store import Submission
from alusta.terminal import escape_controls

Cell = int | float | bool | datetime | str | list[str] | None
FIXED_CODES = ("id", "received", "site", "form", "lang")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]


def received_utc(submission: Submission) -> datetime:
    """When a submission arrived, as an aware UTC datetime (stored as ISO text, 0041)."""
    return datetime.fromisoformat(submission.received_at).astimezone(UTC)


def local_time(submission: Submission, zone: ZoneInfo) -> datetime:
    """Arrival in the site's time zone, naive (what a spreadsheet shows), to the minute."""
    return received_utc(submission).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def _fixed_header(translations: NullTranslations) -> list[str]:
    _ = translations.gettext
    return [_("Number"), _("Received"), _("Site"), _("Form"), _("Language")]


def _questions(
    forms: Sequence[FormDefinition], submissions: Sequence[Submission]
) -> dict[str, Field | None]:
    """Every question in the forms' order, then answers the current files no longer define."""
    fields: dict[str, Field | None] = {}
    for form in forms:
        for question in form.fields:
            fields.setdefault(question.name, question)
    for submission in submissions:
        for name in submission.answers:
            fields.setdefault(name, None)
    return fields


def _answer(value: Any, question: Field | None, lang: str, yes_no: tuple[str, str]) -> Cell:
    """One answer as the person saw it: option labels, yes/no, numbers as numbers."""
    if value is None or question is None:
        return value
    if question.type is FieldType.MULTIPLE_CHOICE and isinstance(value, list):
        return [question.choice_label(str(v), lang) for v in value]
    if question.type is FieldType.SINGLE_CHOICE:
        return question.choice_label(str(value), lang)
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    return value


def _escaped(cell: Cell) -> Cell:
    """Text with control characters shown as `\\uXXXX`: rows stored before intake dropped
    them must not rewrite a terminal or a spreadsheet cell (alusta.terminal)."""
    if isinstance(cell, str):
        return escape_controls(cell)
    if isinstance(cell, list):
        return [escape_controls(str(item)) for item in cell]
    return cell


def build_table(
    forms: Sequence[FormDefinition],
    submissions: Sequence[Submission],
    *,
    lang: str,
    zone: ZoneInfo,
    translations: NullTranslations,
    codes: bool = False,
) -> Table:
    """The header row and one row per submission (oldest first, as given)."""
    by_form = {(f.site, f.name): f for f in forms}
    questions = _questions(forms, submissions)
    header = list(FIXED_CODES) if codes else _fixed_header(translations)
    header += [
        name if codes or question is None else question.label.get(lang, name)
        for name, question in questions.items()
    ]
    yes_no = (translations.gettext("yes"), translations.gettext("no"))
    rows = []
    for item in submissions:
        form = by_form.get((item.site, item.form))
        known = {f.name: f for f in form.fields} if form else {}
        row: list[Cell] = [item.id, local_time(item, zone), item.site, item.form, item.lang]
        for name in questions:
            value = item.answers.get(name)
            cell = value if codes else _answer(value, known.get(name), lang, yes_no)
            row.append(_escaped(cell))
        rows.append(row)
    return Table(header=header, rows=rows)
