"""Feedback forms declared in TOML files that a pilot maintainer edits.

A site's forms live in its content folder: `content/forms/<name>.toml` for the main blog,
`pilots/<slug>/content/forms/<name>.toml` for a pilot. The build, `check`, the endpoint and
the CLI all load the same files through `site_forms`, so there is one source of truth.
Every mistake is reported as ``file:line: field 'name': what is wrong`` (docs/feedback.md).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from alusta.errors import Problem
from alusta.feedback.models import (
    CHOICE_TYPES,
    DEFAULT_RESULTS_MINIMUM,
    DEFAULT_RETENTION_DAYS,
    TEXT_TYPES,
    Choice,
    Field,
    FieldType,
    FormDefinition,
    FormDefinitionError,
    UnknownForm,
)
from alusta.feedback.reader import Reader
from alusta.i18n import LANGUAGES
from alusta.sites import SLUG_PATTERN, Site
from alusta.suggest import did_you_mean

FORMS_FOLDER = "forms"
FORM_SUFFIX = ".toml"
MAX_RETENTION_DAYS = 3650
DEFAULT_TEXT_MAX_LENGTH = 200
DEFAULT_LONG_TEXT_MAX_LENGTH = 4000
MAX_LENGTH_LIMIT = 10_000
RESERVED_NAMES = frozenset({"website"})  # the honeypot (alusta.feedback.spam)
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
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


def load_form(path: Path, site: str) -> FormDefinition:
    """Read and check one form file; FormDefinitionError lists every problem found."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        problem = Problem(path, int(line[1]) if line else 1, f"not valid TOML: {error}")
        raise FormDefinitionError([problem]) from error
    reader = Reader(path, text)
    name = path.stem
    if not SLUG_PATTERN.match(name):
        reader.problem("the file name must be lowercase a-z, 0-9 and '-' (it is the form's name)")
    for key in sorted(set(data) - FORM_KEYS):
        hint = (
            did_you_mean(key, FORM_KEYS, quote="'") or f" (known: {', '.join(sorted(FORM_KEYS))})"
        )
        reader.problem(f"unknown setting {key!r}{hint}", key)
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


def _optional_text(reader: Reader, data: dict, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        reader.problem(f"{key} must be text in quotes", key)
        return ""
    if key == "notify_webhook" and value and not value.startswith(("https://", "http://")):
        reader.problem(f"{key} must be an http(s) URL", key)
    if key == "notify_email" and value and "@" not in value:
        reader.problem(f"{key} must be an email address", key)
    return value.strip()


def _check_form(reader: Reader, form: FormDefinition) -> None:
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


def _fields(reader: Reader, items: Any) -> list[Field]:
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


def _field(reader: Reader, data: dict, index: int) -> Field | None:
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
        reader.problem(
            f"unknown setting {key!r}{did_you_mean(key, FIELD_KEYS, quote=chr(39))}",
            key,
            index,
            name,
        )
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


def _limits(reader: Reader, data: dict, kind: FieldType, index: int, name: str) -> dict:
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


def _choices(reader: Reader, items: Any, index: int, name: str) -> tuple[Choice, ...]:
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
