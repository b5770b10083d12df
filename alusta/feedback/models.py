"""The records of a feedback form: its fields, their types and limits, and its settings.

Plain frozen dataclasses built by alusta.feedback.definitions from the TOML files; every
other feedback module reads these and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from alusta.errors import AlustaError, Problem

DEFAULT_RETENTION_DAYS = 365
DEFAULT_RESULTS_MINIMUM = 5
SCALE_VALUES = (1, 2, 3, 4, 5)


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    EMAIL = "email"
    NUMBER = "number"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    CONSENT = "consent"


CHOICE_TYPES = (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE)
COUNTED_TYPES = (*CHOICE_TYPES, FieldType.SCALE)  # the only answers a results page shows
TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL)


class FormDefinitionError(AlustaError):
    """One or more form files are wrong; `problems` lists each with its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownForm(AlustaError):
    """No form of that name on that site."""


Texts = dict[str, str]  # language -> text, always fi, sv and en


@dataclass(frozen=True)
class Choice:
    value: str
    label: Texts


@dataclass(frozen=True)
class Field:
    """One question of a form, with the limits validation enforces."""

    name: str
    type: FieldType
    label: Texts
    help: Texts = field(default_factory=dict)
    required: bool = False
    min_length: int = 0
    max_length: int = 0
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    low: Texts = field(default_factory=dict)  # scale: what 1 means
    high: Texts = field(default_factory=dict)  # scale: what 5 means

    def choice_label(self, value: str, lang: str) -> str:
        return next((c.label[lang] for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class FormDefinition:
    """A whole form: its texts, its fields, and what happens to the answers."""

    name: str
    site: str
    path: Path
    title: Texts
    thanks: Texts
    fields: tuple[Field, ...]
    intro: Texts = field(default_factory=dict)
    retention_days: int = DEFAULT_RETENTION_DAYS
    personal_data: bool = False
    results: bool = False
    results_minimum: int = DEFAULT_RESULTS_MINIMUM
    notify_email: str = ""
    notify_webhook: str = ""

    def get_field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def email_fields(self) -> list[Field]:
        return [f for f in self.fields if f.type is FieldType.EMAIL]
