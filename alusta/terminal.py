"""Text from visitors made safe to print in a terminal.

A reply's author or text, or a feedback answer, is written by a stranger; printed raw, an
escape sequence in it (ESC, CSI U+009B, a lone CR) could rewrite the line a moderator or
facilitator reads, and a bidi override (U+202E) could show its words in another order.
`clean_input` drops them as text comes in (a lone CR becomes a newline); `clean_text` and
`clean_line` drop them when printing; `escape_controls` shows them as `\\uXXXX` instead,
for rows stored before intake dropped them, in listings and exports.
"""

from __future__ import annotations

import re

# C0 except TAB and LF, DEL, C1, and the bidi embeddings, overrides and isolates.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile(r"[\t\n]")
CARRIAGE_RETURNS = re.compile(r"\r\n?")


def clean_text(text: str) -> str:
    """Multi-line text without control characters other than newline and tab."""
    return CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """One line: control characters dropped, newlines and tabs as spaces."""
    return LINE_BREAKS.sub(" ", clean_text(text))


def clean_input(text: str) -> str:
    """Text as it is stored: CR LF and a lone CR as LF, other control characters dropped."""
    return clean_text(CARRIAGE_RETURNS.sub("\n", text))


def escape_line(text: str) -> str:
    """One line: control characters escaped (escape_controls), newlines and tabs as spaces."""
    return LINE_BREAKS.sub(" ", escape_controls(text))


def escape_controls(text: str) -> str:
    """Every control character but newline and tab as a visible `\\uXXXX` (also a valid
    JSON escape, so escaping JSON text keeps it meaning the same)."""
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
