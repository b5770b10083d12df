"""Language tags a visitor's page declares (`<html lang>`, `lang` on an h-entry), checked.

A reply in English under a Finnish post is marked `lang="en"` so a screen reader speaks it
in English (WCAG 2.1 3.1.2, language of parts). The tag comes from someone else's page:
Babel (CLDR) must know the language, and the tag is rewritten in its canonical form, so
only something like `en`, `en-GB` or `zh-Hant-TW` ever reaches an attribute.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

MAX_TAG_CHARS = 35  # RFC 5646's longest language tag worth keeping
NO_LANGUAGE = {"und", "mul", "zxx", "mis", "root"}  # say nothing about the language


def language_tag(value: object) -> str:
    """The canonical tag of a language CLDR knows, or "" for anything else."""
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_TAG_CHARS:
        return ""
    if primary_language(value.strip().replace("_", "-")).lower() in NO_LANGUAGE:
        return ""  # Babel would guess one (`und` → `en-US`)
    try:
        locale = Locale.parse(value.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return ""
    return str(locale).replace("_", "-")


def primary_language(tag: str) -> str:
    """`en` of `en-GB`: what decides whether a part is in another language than its page."""
    return tag.split("-", 1)[0]
