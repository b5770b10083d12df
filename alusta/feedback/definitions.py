"""Feedback forms declared in TOML files that a pilot maintainer edits.

A site's forms live in its content folder: `content/forms/<name>.toml` for the main blog,
`pilots/<slug>/content/forms/<name>.toml` for a pilot. The build, `check`, the endpoint and
the CLI all load the same files through `site_forms`, so there is one source of truth.
Every mistake is reported as ``file:line: field 'name': what is wrong`` (docs/feedback.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from alusta.errors import AlustaError
from alusta.sites import LANGUAGES, SLUG_PATTERN, Site

FORMS_FOLDER = "forms"
FORM_SUFFIX = ".toml"
DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 3650
DEFAULT_TEXT_MAX_LENGTH = 200
DEFAULT_LONG_TEXT_MAX_LENGTH = 4000
MAX_LENGTH_LIMIT = 10_000
DEFAULT_RESULTS_MINIMUM = 5
RESERVED_NAMES = frozenset({"website"})  # the honeypot (alusta.feedback.spam)
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SCALE_VALUES = (1, 2, 3, 4, 5)
FORM_KEYS = frozenset(
    {
        "title",
        "intro",
        "thanks",
        "retention_days",
        "personal_data",
        "results",
        "results_minimum",
        "notify_email",
        "notify_webhook",
        "fields",
    }
)
FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "label",
        "help",
        "required",
        "min_length",
        "max_length",
        "min",
        "max",
        "choices",
        "low",
        "high",
    }
)


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
    """One or more form files are wrong; `problems` lists each as file:line: reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


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


class _Lines:
    """Line numbers in a form file: top-level keys, and keys inside the n-th [[fields]]."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.headers = [
            i for i, line in enumerate(self.lines) if re.match(r"^\s*\[\[\s*fields\s*\]\]", line)
        ]

    def of(self, key: str, index: int | None = None) -> int:
        if index is None:
            start, end = 0, self.headers[0] if self.headers else len(self.lines)
        else:
            start = self.headers[index]
            end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*[=.]")
        for number in range(start, end):
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1


class _Reader:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines, self.problems = path, _Lines(text), []

    def problem(
        self, message: str, key: str | None = None, index: int | None = None, name: str = ""
    ) -> None:
        line = (
            self.lines.of(key, index)
            if key
            else (self.lines.headers[index] + 1 if index is not None else 1)
        )
        subject = f"field {name!r}: " if name else ""
        self.problems.append(f"{self.path}:{line}: {subject}{message}")

    def texts(
        self,
        data: dict,
        key: str,
        *,
        index: int | None = None,
        name: str = "",
        required: bool = True,
    ) -> Texts:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(
                    f"{key} is missing (write {key}.fi, {key}.sv and {key}.en)", None, index, name
                )
            return {}
        if isinstance(value, str):
            self.problem(
                f"{key} needs one text per language: {key}.fi, {key}.sv and {key}.en",
                key,
                index,
                name,
            )
            return {}
        if not isinstance(value, dict):
            self.problem(f"{key} must be a table of texts", key, index, name)
            return {}
        missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
        extra = sorted(set(value) - set(LANGUAGES))
        if missing:
            self.problem(f"{key} has no text in {', '.join(missing)}", key, index, name)
        if extra:
            self.problem(
                f"{key} has unknown languages {', '.join(extra)} (use {', '.join(LANGUAGES)})",
                key,
                index,
                name,
            )
        return {lang: str(value.get(lang, "")).strip() for lang in LANGUAGES}

    def integer(
        self,
        data: dict,
        key: str,
        bounds: tuple[int, int, int],
        index: int | None = None,
        name: str = "",
    ) -> int:
        """A whole number; `bounds` is (default, lowest, highest)."""
        default, low, high = bounds
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                f"{key} must be a whole number from {low} to {high}, not {value!r}",
                key,
                index,
                name,
            )
            return default
        return value

    def flag(self, data: dict, key: str, index: int | None = None, name: str = "") -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{key} must be true or false, not {value!r}", key, index, name)
            return False
        return value


def load_form(path: Path, site: str) -> FormDefinition:
    """Read and check one form file; FormDefinitionError lists every problem found."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise FormDefinitionError(
            [f"{path}:{line[1] if line else 1}: not valid TOML: {error}"]
        ) from error
    reader = _Reader(path, text)
    name = path.stem
    if not SLUG_PATTERN.match(name):
        reader.problem("the file name must be lowercase a-z, 0-9 and '-' (it is the form's name)")
    for key in sorted(set(data) - FORM_KEYS):
        reader.problem(f"unknown setting {key!r} (known: {', '.join(sorted(FORM_KEYS))})", key)
    fields = _fields(reader, data.get("fields"))
    form = FormDefinition(
        name=name,
        site=site,
        path=path,
        title=reader.texts(data, "title"),
        intro=reader.texts(data, "intro", required=False),
        thanks=reader.texts(data, "thanks"),
        fields=tuple(fields),
        retention_days=reader.integer(
            data, "retention_days", (DEFAULT_RETENTION_DAYS, 1, MAX_RETENTION_DAYS)
        ),
        personal_data=reader.flag(data, "personal_data"),
        results=reader.flag(data, "results"),
        results_minimum=reader.integer(data, "results_minimum", (DEFAULT_RESULTS_MINIMUM, 1, 1000)),
        notify_email=_optional_text(reader, data, "notify_email"),
        notify_webhook=_optional_text(reader, data, "notify_webhook"),
    )
    _check_form(reader, form)
    if reader.problems:
        raise FormDefinitionError(reader.problems)
    return form


def _optional_text(reader: _Reader, data: dict, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        reader.problem(f"{key} must be text in quotes", key)
        return ""
    if key == "notify_webhook" and value and not value.startswith(("https://", "http://")):
        reader.problem(f"{key} must be an http(s) URL", key)
    if key == "notify_email" and value and "@" not in value:
        reader.problem(f"{key} must be an email address", key)
    return value.strip()


def _check_form(reader: _Reader, form: FormDefinition) -> None:
    consent = [f for f in form.fields if f.type is FieldType.CONSENT]
    asks = form.personal_data or bool(form.email_fields)
    if asks and not any(f.required for f in consent):
        reason = (
            "personal_data = true"
            if form.personal_data
            else f"the email field {form.email_fields[0].name!r}"
        )
        reader.problem(
            f"{reason} asks for personal data, so the form needs a required "
            'consent field (type = "consent", required = true)',
            "personal_data",
        )
    if form.email_fields and not form.personal_data:
        reader.problem(
            "a form with an email field asks for personal data: set personal_data = true",
            "personal_data",
        )


def _fields(reader: _Reader, items: Any) -> list[Field]:
    if not isinstance(items, list) or not items:
        reader.problem("the form has no fields: add at least one [[fields]] table")
        return []
    fields, seen = [], set()
    for index, item in enumerate(items):
        parsed = _field(reader, item, index)
        if parsed is None:
            continue
        if parsed.name in seen:
            reader.problem("the name is used by another field", "name", index, parsed.name)
        seen.add(parsed.name)
        fields.append(parsed)
    return fields


def _field(reader: _Reader, data: dict, index: int) -> Field | None:
    name = data.get("name")
    if not isinstance(name, str) or not FIELD_NAME.match(name):
        reader.problem(
            f"name must be lowercase a-z, 0-9 and '_' (starting with a letter), not {name!r}",
            "name",
            index,
        )
        return None
    if name in RESERVED_NAMES:
        reader.problem(f"the name {name!r} is reserved for spam protection", "name", index, name)
    for key in sorted(set(data) - FIELD_KEYS):
        reader.problem(f"unknown setting {key!r}", key, index, name)
    try:
        kind = FieldType(data.get("type"))
    except ValueError:
        reader.problem(
            f"type {data.get('type')!r} is not one of {', '.join(t.value for t in FieldType)}",
            "type",
            index,
            name,
        )
        return None
    return Field(
        name=name,
        type=kind,
        label=reader.texts(data, "label", index=index, name=name),
        help=reader.texts(data, "help", index=index, name=name, required=False),
        required=reader.flag(data, "required", index, name),
        **_limits(reader, data, kind, index, name),
    )


def _limits(reader: _Reader, data: dict, kind: FieldType, index: int, name: str) -> dict:
    limits: dict[str, Any] = {}
    if kind in TEXT_TYPES:
        default = (
            DEFAULT_LONG_TEXT_MAX_LENGTH if kind is FieldType.LONG_TEXT else DEFAULT_TEXT_MAX_LENGTH
        )
        limits["max_length"] = reader.integer(
            data, "max_length", (default, 1, MAX_LENGTH_LIMIT), index, name
        )
        limits["min_length"] = reader.integer(
            data, "min_length", (0, 0, limits["max_length"]), index, name
        )
    elif kind is FieldType.NUMBER:
        for key in ("min", "max"):
            value = data.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                reader.problem(f"{key} must be a number, not {value!r}", key, index, name)
            else:
                limits[key] = value
        if None not in (limits.get("min"), limits.get("max")) and limits["min"] > limits["max"]:
            reader.problem("min is larger than max", "min", index, name)
    elif kind in CHOICE_TYPES:
        limits["choices"] = _choices(reader, data.get("choices"), index, name)
    elif kind is FieldType.SCALE:
        limits["low"] = reader.texts(data, "low", index=index, name=name, required=False)
        limits["high"] = reader.texts(data, "high", index=index, name=name, required=False)
    return limits


def _choices(reader: _Reader, items: Any, index: int, name: str) -> tuple[Choice, ...]:
    if not isinstance(items, list) or len(items) < 2:
        reader.problem(
            "a choice field needs choices = [ ... ] with at least two entries",
            "choices" if items is not None else None,
            index,
            name,
        )
        return ()
    choices, seen = [], set()
    for number, item in enumerate(items, start=1):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, str) or not CHOICE_VALUE.match(value) or value in seen:
            reader.problem(
                f"choice {number} needs a unique value of a-z, 0-9, '-' and '_'",
                "choices",
                index,
                name,
            )
            continue
        seen.add(value)
        missing = [lang for lang in LANGUAGES if not str(item.get(lang, "")).strip()]
        if missing:
            reader.problem(
                f"choice {value!r} has no text in {', '.join(missing)}", "choices", index, name
            )
        choices.append(Choice(value, {lang: str(item.get(lang, "")) for lang in LANGUAGES}))
    return tuple(choices)


def forms_folder(site: Site) -> Path:
    """Where a site's form files are: <content>/forms/."""
    return site.content_dir / FORMS_FOLDER


def site_forms(site: Site) -> dict[str, FormDefinition]:
    """Every form of one site by name; FormDefinitionError lists the problems of all files."""
    return forms_in_folder(forms_folder(site), site.name)


def forms_in_folder(folder: Path, site_name: str) -> dict[str, FormDefinition]:
    """The forms in one folder (the Pelican plugin knows the folder, not the Site)."""
    forms, problems = {}, []
    for path in sorted(folder.glob(f"*{FORM_SUFFIX}")) if folder.is_dir() else []:
        try:
            forms[path.stem] = load_form(path, site_name)
        except FormDefinitionError as error:
            problems += error.problems
    if problems:
        raise FormDefinitionError(problems)
    return forms


def find_form(site: Site, name: str) -> FormDefinition:
    """One form of a site, or UnknownForm naming the forms that exist."""
    forms = site_forms(site)
    if name not in forms:
        known = ", ".join(sorted(forms)) or "none"
        raise UnknownForm(f"site {site.name!r} has no form {name!r} (its forms: {known})")
    return forms[name]
