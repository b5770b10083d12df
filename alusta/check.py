"""`publish.py check`: everything wrong with the content, found without building.

Metadata, duplicate slugs, unknown feedback forms, broken internal links and missing
images, each a Problem with its file and line, so a writer can fix it from the message alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from alusta.content import Source, metadata_problems, site_sources
from alusta.errors import Problem
from alusta.feedback.definitions import site_forms
from alusta.feedback.models import FormDefinitionError
from alusta.placements import placements
from alusta.settings import Settings
from alusta.sites import Site
from alusta.slugs import slugify

INLINE_LINK = re.compile(r"(?P<bang>!?)\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]+)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<url>[^\s>]+)", re.MULTILINE)
HTML_LINK = re.compile(r"<(?P<tag>a|img)\b[^>]*?\b(?:href|src)=[\"'](?P<url>[^\"']+)", re.I)
INTERNAL = re.compile(r"^\{(?P<kind>filename|static|attach)\}(?P<path>.*)$")
GENERATED_PREFIXES = (
    "category/",
    "tag/",
    "author/",
    "feeds/",
    "archives/",
    "categories/",
    "tags/",
    "authors/",
    "images/",
    "files/",
    "theme/",
    "pilots/",
)
YEAR_OR_MONTH = re.compile(r"^\d{4}/(\d{2}/)?$")


def _links(source: Source) -> list[tuple[int, str, bool]]:
    """(line, url, is_image) of every link in the body, in line order."""
    links = []
    for pattern in (INLINE_LINK, REFERENCE_LINK, HTML_LINK):
        for match in pattern.finditer(source.body):
            line = source.body_line + source.body.count("\n", 0, match.start())
            groups = match.groupdict()
            is_image = bool(groups.get("bang")) or (groups.get("tag") or "").lower() == "img"
            links.append((line, match["url"], is_image))
    return sorted(links)


def _resolve_file(source: Source, path: str) -> Path:
    path = unquote(path.split("#", maxsplit=1)[0].split("?", maxsplit=1)[0])
    if path.startswith("/"):
        return source.site.content_dir / path.lstrip("/")
    return source.path.parent / path


def link_problems(source: Source, known_urls: set[str]) -> list[Problem]:
    """Internal links to files, pages or images that do not exist."""
    problems = []
    base = urlsplit(source.site.siteurl)
    for line, url, is_image in _links(source):
        internal = INTERNAL.match(url)
        parts = urlsplit(url)
        if internal:
            if not _resolve_file(source, internal["path"]).is_file():
                problems.append(
                    Problem(source.path, line, f"link {url!r} points to a missing file")
                )
        elif parts.scheme in ("", "http", "https") and not url.startswith(("#", "mailto:")):
            if parts.netloc and parts.netloc != base.netloc:
                continue  # another site: `send` will tell it about the link
            if parts.netloc or url.startswith("/"):
                path = parts.path.removeprefix(base.path).lstrip("/")
                if not _known_path(path, known_urls):
                    message = f"link {url!r} points to no page of this site"
                    problems.append(Problem(source.path, line, message))
            elif is_image or _resolve_file(source, url).is_file():
                problems.append(_relative_file_problem(source, line, url, is_image))
    return problems


def _relative_file_problem(source: Source, line: int, url: str, is_image: bool) -> Problem:
    """A path relative to the Markdown file breaks at the post's address: say what to write."""
    what = "image" if is_image else "link"
    file = _resolve_file(source, url)
    if not file.is_file():
        return Problem(source.path, line, f"{what} {url!r} is missing")
    static = file.resolve().relative_to(source.site.content_dir.resolve()).as_posix()
    message = f"{what} {url!r} works only in the editor: write {{static}}/{static}"
    return Problem(source.path, line, message)


def _known_path(path: str, known_urls: set[str]) -> bool:
    path = path.removesuffix("index.html")
    if not path or path in known_urls or YEAR_OR_MONTH.match(path):
        return True
    return path.startswith(GENERATED_PREFIXES)


def duplicate_slug_problems(sources: list[Source]) -> list[Problem]:
    """Two published sources that would be written to the same URL."""
    by_url: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if source.status != "draft" and source.url:
            by_url[source.url].append(source)
    problems = []
    for url, same in by_url.items():
        for duplicate in same[1:]:
            problems.append(
                duplicate.problem(
                    "slug" if "slug" in duplicate.meta else "title",
                    f"slug {url.rstrip('/').rsplit('/', 1)[-1]!r} is already used by "
                    f"{same[0].path}; set a different 'Slug:'",
                )
            )
    return problems


def category_slug_problems(sources: list[Source]) -> list[Problem]:
    """Two category names that would share one page ('Living lab' and 'Living Lab')."""
    seen: dict[str, tuple[str, Source]] = {}
    problems = []
    for source in sources:
        for name in source.categories:
            first = seen.setdefault(slugify(name), (name, source))
            if first[0] != name:
                problems.append(
                    source.problem(
                        "category",
                        f"category {name!r} collides with {first[0]!r} in {first[1].path}: "
                        "write it the same way",
                    )
                )
    return problems


def form_problems(site: Site, sources: list[Source]) -> list[Problem]:
    """Problems in the site's form files, and placements naming a form it does not have."""
    try:
        known = site_forms(site)
    except FormDefinitionError as error:
        return list(error.problems)
    names = ", ".join(sorted(known)) or "none"
    return [
        Problem(
            source.path,
            placement.line,
            f"Feedback: unknown form {placement.name!r} (forms of this site: {names}; "
            f"they are the files in {site.content_dir / 'forms'})",
        )
        for source in sources
        if not source.unreadable
        for placement in placements(source.meta, source.lines, source.body, source.body_line)
        if placement.name not in known
    ]


def check_site(
    site: Site, pilot_names: set[str], *, links: bool = True
) -> tuple[list[Source], list[Problem]]:
    """All sources of one site and every problem found in them."""
    sources = list(site_sources(site))
    problems = [p for s in sources for p in metadata_problems(s, pilot_names)]
    problems += duplicate_slug_problems(sources)
    problems += category_slug_problems(sources)
    problems += form_problems(site, sources)
    if links:
        known = {s.url for s in sources if s.url}
        problems += [p for s in sources for p in link_problems(s, known)]
    return sources, problems


def check_all(settings: Settings, site_names: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the content of the chosen sites (all by default)."""
    pilot_names = {s.name for s in settings.sites if not s.is_main}
    names = set(site_names) if site_names else {s.name for s in settings.sites}
    problems: list[Problem] = []
    for site in settings.sites:
        if site.name in names:
            problems += check_site(site, pilot_names)[1]
    return problems
