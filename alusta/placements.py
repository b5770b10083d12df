"""Where a writer places a feedback form: a `Feedback: <name>` metadata line or a
`[feedback: <name>]` line in the Markdown (which Markdown turns into `<p>[feedback: …]</p>`).

Content syntax only, so `check`, the build and the alusta_forms plugin share one reading;
which forms exist is the feedback package's business (alusta.feedback.definitions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

META_KEY = "feedback"
MARKDOWN_MARKER = re.compile(
    r"^[ ]{0,3}\[feedback:\s*(?P<name>[^\]]*?)\s*\]\s*$", re.IGNORECASE | re.MULTILINE
)
HTML_MARKER = re.compile(r"<p>\s*\[feedback:\s*(?P<name>[^\]<]*?)\s*\]\s*</p>", re.IGNORECASE)


@dataclass(frozen=True)
class Placement:
    name: str
    line: int


def placements(
    meta: dict[str, str], lines: dict[str, int], body: str, body_line: int
) -> list[Placement]:
    """Every form a source asks for, with the line that asks."""
    found = [
        Placement(n.strip(), lines.get(META_KEY, 1))
        for n in meta.get(META_KEY, "").split(",")
        if n.strip()
    ]
    for match in MARKDOWN_MARKER.finditer(body):
        found.append(Placement(match["name"], body_line + body.count("\n", 0, match.start())))
    return found
