"""The start of a reply's text on one line: what lists, mails and the moderation page show."""

from __future__ import annotations

from alusta.models import Mention
from alusta.terminal import clean_line


def excerpt(mention: Mention, chars: int) -> str:
    """At most `chars` characters of the reply's text (or pingback excerpt, or name), one
    line, control characters dropped, an ellipsis where it was cut."""
    entry = mention.entry
    text = (entry.content_text or entry.excerpt or entry.name) if entry else ""
    text = " ".join(clean_line(text).split())
    return text if len(text) <= chars else text[: chars - 1] + "…"
