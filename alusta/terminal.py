"""Text from visitors made safe to print in a terminal.

A reply's author or text is written by a stranger; printed raw, an escape sequence in it
(ESC, CSI U+009B, a lone CR) could rewrite the line a moderator reads. Control characters
are dropped, except newline and tab in multi-line text.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\n]")


def clean_text(text: str) -> str:
    """Multi-line text without control characters other than newline and tab."""
    return CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """One line: control characters dropped, newlines and tabs as spaces."""
    return LINE_BREAKS.sub(" ", clean_text(text))
