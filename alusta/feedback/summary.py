"""Aggregates of a form's answers: counts per choice, distribution and mean of each scale.

Only single choice, multiple choice and scale questions are summarised: free text, numbers,
emails and consents never leave the database through a summary or a results page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alusta.feedback.models import (
    COUNTED_TYPES,
    SCALE_VALUES,
    Field,
    FieldType,
    FormDefinition,
)
from alusta.feedback.store import Submission

MEAN_DECIMALS = 2


@dataclass(frozen=True)
class Bar:
    """One answer option and how many chose it."""

    value: str
    label: dict[str, str]
    count: int


@dataclass(frozen=True)
class QuestionSummary:
    name: str
    type: FieldType
    label: dict[str, str]
    bars: tuple[Bar, ...]
    answered: int  # submissions that answered this question
    mean: float | None = None  # scales only


@dataclass(frozen=True)
class FormSummary:
    site: str
    form: str
    total: int
    questions: tuple[QuestionSummary, ...]


def summarize(form: FormDefinition, submissions: Iterable[Submission]) -> FormSummary:
    """The aggregates of every countable question of `form` over `submissions`."""
    rows = [s.answers for s in submissions if s.site == form.site and s.form == form.name]
    questions = tuple(_question(q, rows) for q in form.fields if q.type in COUNTED_TYPES)
    return FormSummary(site=form.site, form=form.name, total=len(rows), questions=questions)


def _question(question: Field, rows: list[dict]) -> QuestionSummary:
    answers = [row.get(question.name) for row in rows]
    answers = [a for a in answers if a not in (None, [], "")]
    if question.type is FieldType.SCALE:
        numbers = [int(a) for a in answers if str(a) in {str(v) for v in SCALE_VALUES}]
        bars = tuple(Bar(str(v), {}, numbers.count(v)) for v in SCALE_VALUES)
        mean = round(sum(numbers) / len(numbers), MEAN_DECIMALS) if numbers else None
        return QuestionSummary(
            question.name, question.type, question.label, bars, len(numbers), mean
        )
    chosen = [v for a in answers for v in (a if isinstance(a, list) else [a])]
    bars = tuple(Bar(c.value, c.label, chosen.count(c.value)) for c in question.choices)
    return QuestionSummary(question.name, question.type, question.label, bars, len(answers))
