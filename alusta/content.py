"""Reading and validating Markdown front matter before Pelican sees it.

Pelican skips a file it cannot read and carries on; writers need the opposite: the build
stops and names the file, the line and the field. The parser follows the Python-Markdown
`meta` extension Pelican uses (``Key: value`` lines up to the first blank line, indented
continuation lines, an optional ``---`` fence), so what we check is what Pelican reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from alusta.errors import Problem
from alusta.i18n import LANGUAGES
from alusta.sites import SLUG_PATTERN, Site
from alusta.slugs import slugify
from alusta.suggest import did_you_mean

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
STATUSES = ("published", "draft", "hidden")
# The fields README's table documents (lower case, as Pelican reads them); anything else is a
# typo that Pelican would silently keep as an unused attribute.
KNOWN_FIELDS = (
    "title",
    "date",
    "modified",
    "category",
    "tags",
    "author",
    "authors",
    "summary",
    "status",
    "lang",
    "slug",
    "pilot",
    "feedback",
    "responses",
    "template",
)
ARTICLE_DIR = "posts"
PAGE_DIR = "pages"
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
FENCE = re.compile(r"^-{3}\s*$")
RESPONSES_ON = "on"  # a page's `Responses: on` metadata


@dataclass
class Source:
    """One Markdown file: its metadata (lower-cased keys), their lines, and the body."""

    path: Path
    site: Site
    kind: str  # "article" or "page"
    meta: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)  # lower-cased key → as written
    body: str = ""
    body_line: int = 1
    unreadable: str = ""  # why the file could not be read as text, if it could not
    # What checks found in this file alone (and its URL), kept as long as the object: the
    # preview keeps sources between saves (alusta.preview.sources).
    findings: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)

    def problem(self, key: str | None, message: str) -> Problem:
        """A problem on the line of a field (or on the file's first line)."""
        return Problem(self.path, self.lines.get(key, 1) if key else 1, message)

    @property
    def status(self) -> str:
        return self.meta.get("status", "published").lower()

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def date(self) -> datetime | None:
        return parse_date(self.meta.get("date", ""))

    @property
    def slug(self) -> str:
        return self.meta.get("slug") or slugify(self.meta.get("title", ""))

    @property
    def url(self) -> str:
        """The URL path (relative to SITEURL) Pelican gives this source: see URL_LAYOUT."""
        meta = self.meta
        key = ("url", self.kind, meta.get("slug"), meta.get("title"), meta.get("date"))
        if key not in self.findings:
            self.findings[key] = self._url()
        return self.findings[key]

    def _url(self) -> str:
        if self.kind == "page":
            return f"{self.slug}/"
        date = self.date
        return f"{date:%Y}/{date:%m}/{self.slug}/" if date else ""

    @property
    def categories(self) -> list[str]:
        return category_names(self.meta.get("category", ""))


def page_wants_responses(metadata: dict[str, object]) -> bool:
    """Posts always show responses; a page only when its writer asks (`Responses: on`),
    so an about page carries no "no responses yet" and no reply form."""
    return str(metadata.get("responses", "")).strip().lower() == RESPONSES_ON


def category_names(value: str) -> list[str]:
    """`Category: A, B` names two categories (plugins/alusta_categories lists the post on each)."""
    return [name.strip() for name in value.split(",") if name.strip()]


def parse_date(value: str) -> datetime | None:
    """ISO dates as writers type them: 2026-11-26, 2026-11-26 14:30, 2026-11-26T14:30:00."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def read_source(path: Path, site: Site, kind: str) -> Source:
    """Parse the front matter of one file the way Python-Markdown's meta extension does."""
    source = Source(path=path, site=site, kind=kind)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        source.unreadable = f"is not UTF-8 text (byte {error.start}); save it as UTF-8"
        return source
    lines = text.split("\n")
    index, key = 0, None
    if lines and FENCE.match(lines[0]):
        index = 1
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line) or not line.strip():
            index += 1
            break
        match = META_LINE.match(line)
        if match:
            key = match["key"].lower()
            source.meta[key] = match["value"].strip()
            source.lines[key] = index + 1
            source.spelled[key] = match["key"]
        elif key and (more := META_MORE.match(line)):
            source.meta[key] = f"{source.meta[key]}\n{more['value'].strip()}"
        else:
            break
        index += 1
    source.body = "\n".join(lines[index:])
    source.body_line = index + 1
    return source


def site_sources(
    site: Site, read: Callable[[Path, Site, str], Source] = read_source
) -> Iterator[Source]:
    """Every Markdown article and page of one site, in a stable order (each file by `read`)."""
    for kind, folder in (("article", ARTICLE_DIR), ("page", PAGE_DIR)):
        root = site.content_dir / folder
        if not root.is_dir():
            continue
        found = [p for p in root.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES]
        for path in sorted(found, key=_path_order):
            if path.is_file():
                yield read(path, site, kind)


def _path_order(path: Path) -> tuple[str, ...]:
    """Path's own order (by parts), without its slow comparison operators."""
    return path.parts


def metadata_problems(source: Source, pilot_names: set[str]) -> list[Problem]:
    """What is wrong with one file's metadata, each problem with its line."""
    if source.unreadable:
        return [source.problem(None, source.unreadable)]
    meta, problems = source.meta, []

    def problem(key: str | None, message: str) -> None:
        problems.append(source.problem(key, message))

    if not source.meta:
        problem(None, "no metadata block: start the file with 'Title: ...' and 'Date: ...'")
    if not meta.get("title", "").strip():
        problem("title" if "title" in meta else None, "Title: is missing")
    if source.kind == "article" and "date" not in meta:
        problem(None, "Date: is missing (write e.g. 'Date: 2026-11-26')")
    for key in ("date", "modified"):
        if key in meta and parse_date(meta[key]) is None:
            problem(
                key,
                f"{key.title()}: {meta[key]!r} is not a date (use YYYY-MM-DD or YYYY-MM-DD HH:MM)",
            )
    if source.status not in STATUSES:
        problem("status", f"Status: {meta['status']!r} is not one of {', '.join(STATUSES)}")
    if "lang" in meta and meta["lang"] not in LANGUAGES:
        problem("lang", f"Lang: {meta['lang']!r} is not one of {', '.join(LANGUAGES)}")
    if "slug" in meta and not SLUG_PATTERN.match(meta["slug"]):
        problem("slug", f"Slug: {meta['slug']!r} may only hold a-z, 0-9 and '-'")
    if "category" in meta and not source.categories:
        problem("category", "Category: is empty (list one or more, separated by commas)")
    for pilot in (p.strip() for p in meta.get("pilot", "").split(",") if p.strip()):
        if pilot not in pilot_names:
            known = ", ".join(sorted(pilot_names)) or "none"
            problem("pilot", f"Pilot: unknown pilot {pilot!r} (known pilots: {known})")
    problems += _unknown_field_problems(source)
    return problems


def _unknown_field_problems(source: Source) -> list[Problem]:
    """`Catgory:` is a typo, not a field: Pelican would keep it and ignore it in silence."""
    known = [k.capitalize() for k in KNOWN_FIELDS]
    return [
        source.problem(key, f"`{source.spelled[key]}`: unknown field{did_you_mean(key, known)}")
        for key in source.meta
        if key not in KNOWN_FIELDS
    ]
