"""The nearest known name to a mistyped one, so an error can say what was probably meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to `word` (case-insensitively), or None when none is close."""
    names = list(known)
    by_lower = {name.lower(): name for name in names}
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=CUTOFF)
    return by_lower[matches[0]] if matches else None


def did_you_mean(word: str, known: Iterable[str], *, quote: str = "`") -> str:
    """' — did you mean `X`?' for the closest known name, or '' when none is close."""
    match = closest(word, known)
    return f" — did you mean {quote}{match}{quote}?" if match else ""
