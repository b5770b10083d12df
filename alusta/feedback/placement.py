"""Where forms are placed: a `Feedback: <name>` metadata line or a `[feedback: <name>]`
line in the Markdown. `check` and the build report unknown names with file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from alusta.feedback.definitions import site_forms
from alusta.feedback.models import FormDefinitionError
from alusta.sites import Site

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


def unknown_forms(site: Site, found: list[Placement]) -> list[tuple[int, str]]:
    """(line, message) for each placement naming a form the site does not have."""
    if not found:
        return []
    try:
        known = site_forms(site)
    except FormDefinitionError:
        return []  # the definition problems are reported on their own
    names = ", ".join(sorted(known)) or "none"
    return [
        (
            p.line,
            f"Feedback: unknown form {p.name!r} (forms of this site: {names}; "
            f"they are the files in {site.content_dir / 'forms'})",
        )
        for p in found
        if p.name not in known
    ]


def definition_problems(site: Site) -> list[str]:
    """Every problem in a site's form files, as file:line: message."""
    try:
        site_forms(site)
    except FormDefinitionError as error:
        return error.problems
    return []
