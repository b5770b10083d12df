"""Checking one submission against its form definition: the one validation there is.

The endpoint calls `validate`; the form renderer asks `html_constraints` and `message` for
the same limits and sentences, so the browser's inline hints (feedback.js) and the server
never disagree. Only fields the definition names are read (an allow-list); everything
else a visitor sends is ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from alusta.errors import AlustaError
from alusta.feedback.models import (
    SCALE_VALUES,
    TEXT_TYPES,
    Field,
    FieldType,
    FormDefinition,
)
from alusta.i18n.texts import N_, translate
from alusta.terminal import clean_input

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")
MAX_EMAIL_LENGTH = 254
CONSENT_VALUE = "yes"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Answer = str | int | float | bool | list[str] | None

# Error sentences as gettext msgids (translated in theme/translations); `str.format` fields.
MESSAGES: dict[str, str] = {
    "required": N_("This is required."),
    "too_short": N_("Write at least {min} characters."),
    "too_long": N_("Write at most {max} characters."),
    "email": N_("Enter an email address like name@example.com."),
    "number": N_("Enter a number, for example 12."),
    "below": N_("Enter a number of at least {min}."),
    "above": N_("Enter a number of at most {max}."),
    "choice": N_("Choose one of the options."),
    "one_only": N_("Choose only one option."),
    "scale": N_("Choose a value from one to five."),
    "consent": N_("We need your consent to accept your answer."),
}


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field, as a message key and its numbers."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return message(self.code, lang, **self.params)


class InvalidSubmission(AlustaError):
    """The answers do not fit the form; `errors` holds one FieldError per field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message('en')}" for e in errors))


def message(code: str, lang: str, **params: Any) -> str:
    """The sentence for an error code in fi/sv/en (Finnish when the language is unknown)."""
    sentence = translate(MESSAGES[code], lang)
    return sentence.format(**{k: _number(v) for k, v in params.items()})


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def validate(form: FormDefinition, data: dict[str, list[str]]) -> dict[str, Answer]:
    """The answers to keep, keyed by field name, or InvalidSubmission listing every error."""
    answers: dict[str, Answer] = {}
    errors: list[FieldError] = []
    for question in form.fields:
        values = [CONTROL.sub("", v) for v in data.get(question.name, [])]
        try:
            answers[question.name] = _answer(question, values)
        except _Wrong as wrong:
            errors.append(FieldError(question.name, wrong.code, wrong.params))
    if errors:
        raise InvalidSubmission(errors)
    return answers


class _Wrong(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _answer(question: Field, values: list[str]) -> Answer:
    if question.type is FieldType.MULTIPLE_CHOICE:
        return _multiple(question, values)
    if question.type is FieldType.CONSENT:
        given = CONSENT_VALUE in values
        if question.required and not given:
            raise _Wrong("consent")
        return given
    if len(values) > 1:
        raise _Wrong("one_only")
    value = clean_input(values[0]).strip() if values else ""  # no terminal controls
    if not value:
        if question.required:
            raise _Wrong("required")
        return None
    return _single(question, value)


def _single(question: Field, value: str) -> Answer:
    if question.type in TEXT_TYPES:
        if question.type is not FieldType.LONG_TEXT:
            value = " ".join(value.split())
        if len(value) > question.max_length:
            raise _Wrong("too_long", max=question.max_length)
        if len(value) < question.min_length:
            raise _Wrong("too_short", min=question.min_length)
        if question.type is FieldType.EMAIL and (
            len(value) > MAX_EMAIL_LENGTH or not EMAIL.match(value)
        ):
            raise _Wrong("email")
        return value
    if question.type is FieldType.NUMBER:
        return _in_range(question, value)
    if question.type is FieldType.SINGLE_CHOICE:
        if value not in {c.value for c in question.choices}:
            raise _Wrong("choice")
        return value
    if question.type is FieldType.SCALE:
        if value not in {str(v) for v in SCALE_VALUES}:
            raise _Wrong("scale")
        return int(value)
    raise AssertionError(question.type)  # every FieldType is handled above


def _in_range(question: Field, value: str) -> int | float:
    try:
        number = float(value.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        raise _Wrong("number") from None
    if not math.isfinite(number):
        raise _Wrong("number")
    if question.min is not None and number < question.min:
        raise _Wrong("below", min=question.min)
    if question.max is not None and number > question.max:
        raise _Wrong("above", max=question.max)
    return int(number) if number.is_integer() else number


def _multiple(question: Field, values: list[str]) -> list[str]:
    allowed = [c.value for c in question.choices]
    chosen = [v for v in allowed if v in values]
    if len(chosen) != len(set(values) - {""}):
        raise _Wrong("choice")
    if question.required and not chosen:
        raise _Wrong("required")
    return chosen


def html_constraints(question: Field) -> dict[str, str]:
    """The HTML attributes that let a browser apply the same limits before sending."""
    attributes: dict[str, str] = {}
    if question.required and question.type not in (FieldType.MULTIPLE_CHOICE,):
        attributes["required"] = ""
    if question.type in TEXT_TYPES:
        attributes["maxlength"] = str(question.max_length)
        if question.min_length:
            attributes["minlength"] = str(question.min_length)
    if question.type is FieldType.NUMBER:
        for key in ("min", "max"):
            if getattr(question, key) is not None:
                attributes[key] = str(_number(getattr(question, key)))
    return attributes


def client_messages(question: Field, lang: str) -> dict[str, str]:
    """The error sentences feedback.js shows for this field (data-msg-* attributes)."""
    required = "consent" if question.type is FieldType.CONSENT else "required"
    texts = {"required": message(required, lang)}
    if question.type in (FieldType.EMAIL, FieldType.NUMBER):
        texts["type"] = message("email" if question.type is FieldType.EMAIL else "number", lang)
    if question.type in TEXT_TYPES:
        texts["long"] = message("too_long", lang, max=question.max_length)
        texts["short"] = message("too_short", lang, min=question.min_length)
    if question.type is FieldType.NUMBER:
        if question.min is not None:
            texts["low"] = message("below", lang, min=question.min)
        if question.max is not None:
            texts["high"] = message("above", lang, max=question.max)
    return texts
