"""Reading one form file and collecting every problem with its line.

`tomllib` gives no positions, so lines are found in the text: top-level keys before the
first `[[fields]]`, a field's keys between its header and the next one.
"""

from __future__ import annotations

import re
from pathlib import Path

from alusta.errors import Problem
from alusta.feedback.models import Texts
from alusta.i18n import LANGUAGES


class LineFinder:
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


class Reader:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines, self.problems = path, LineFinder(text), []

    def problem(
        self, message: str, key: str | None = None, index: int | None = None, name: str = ""
    ) -> None:
        line = (
            self.lines.of(key, index)
            if key
            else (self.lines.headers[index] + 1 if index is not None else 1)
        )
        subject = f"field {name!r}: " if name else ""
        self.problems.append(Problem(self.path, line, f"{subject}{message}"))

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
