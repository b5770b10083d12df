"""`publish.py check`: everything wrong with the content, found without building.

Metadata, duplicate slugs, unknown feedback forms, broken internal links and missing
images, each a Problem with its file and line, so a writer can fix it from the message alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from alusta.content import (
    ARTICLE_DIR,
    MARKDOWN_SUFFIXES,
    PAGE_DIR,
    Source,
    metadata_problems,
    site_sources,
)
from alusta.cross_site import CrossSiteError, resolve, site_folders
from alusta.errors import Problem
from alusta.feedback.definitions import site_forms
from alusta.feedback.models import FormDefinitionError
from alusta.images import large_image
from alusta.placements import Placement, placements
from alusta.settings import Settings
from alusta.sites import Site, config_where
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
READ_FOLDERS = (ARTICLE_DIR, PAGE_DIR)
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


@dataclass(frozen=True)
class SitePages:
    """One site's address and the page URLs (relative to it) a build will publish."""

    site: Site
    known: frozenset[str]


def site_pages(site: Site, sources: list[Source]) -> SitePages:
    """The pages of `site`: drafts are not published, so a link to one is broken."""
    return SitePages(site, frozenset(s.url for s in sources if s.url and s.status != "draft"))


def _target_site(url: str, source: Source, sites: list[SitePages]) -> SitePages | None:
    """The site of ours an absolute or root-relative URL lies under (longest address wins)."""
    own = urlsplit(source.site.siteurl)
    absolute = f"{own.scheme}://{own.netloc}{url}" if url.startswith("/") else url
    candidates = [s for s in sites if f"{absolute.rstrip('/')}/".startswith(f"{s.site.siteurl}/")]
    return max(candidates, key=lambda s: len(s.site.siteurl), default=None)


def link_problems(source: Source, sites: list[SitePages]) -> list[Problem]:
    """Internal links to files, pages or images that do not exist, on this or another site."""
    problems = []
    folders = site_folders([s.site for s in sites])
    for line, url, is_image in _links(source):
        internal = INTERNAL.match(url)
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. an unclosed IPv6 bracket: no browser could follow it
            problems.append(Problem(source.path, line, f"link {url!r} is not a valid address"))
            continue
        if internal:
            if not _resolve_file(source, internal["path"]).is_file():
                problems.append(
                    Problem(source.path, line, f"link {url!r} points to a missing file")
                )
        elif url.startswith("{site:"):
            try:
                resolve(url.split("#", 1)[0], folders)
            except CrossSiteError as error:
                problems.append(Problem(source.path, line, f"link {error}"))
        elif parts.scheme in ("", "http", "https") and not url.startswith(("#", "mailto:")):
            if parts.netloc or url.startswith("/"):
                problems += _address_problems(source, line, url, sites)
            elif is_image or _resolve_file(source, url).is_file():
                problems.append(_relative_file_problem(source, line, url, is_image))
    return problems


def _address_problems(source: Source, line: int, url: str, sites: list[SitePages]) -> list[Problem]:
    target = _target_site(url, source, sites)
    if target is None:
        return []  # another site: `send` will tell it about the link
    path = urlsplit(url).path.removeprefix(urlsplit(target.site.siteurl).path).lstrip("/")
    if _known_path(path, target.known):
        return []
    which = "this site" if target.site == source.site else f"site {target.site.name!r}"
    return [Problem(source.path, line, f"link {url!r} points to no page of {which}")]


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
        for placement in _placements(source)
        if placement.name not in known
    ]


def _placements(source: Source) -> list[Placement]:
    """The file's form placements, found once per read of the file."""
    if "placements" not in source.findings:
        source.findings["placements"] = list(
            placements(source.meta, source.lines, source.body, source.body_line)
        )
    return source.findings["placements"]


def _metadata_problems(source: Source, pilot_names: set[str]) -> list[Problem]:
    """metadata_problems, found once per read of the file and set of pilots."""
    key = ("metadata", frozenset(pilot_names))
    if key not in source.findings:
        source.findings[key] = metadata_problems(source, pilot_names)
    return source.findings[key]


def logo_problems(site: Site) -> list[Problem]:
    """A `logo` that names no file would be a broken image in every page's header."""
    images = site.content_dir / "images"
    if not site.logo or (images / site.logo).is_file():
        return []
    path, line = config_where(site, "logo")
    return [Problem(path, line, f"logo {site.logo!r} is not a file in {images}")]


def unread_markdown_problems(site: Site) -> list[Problem]:
    """Markdown outside posts/ and pages/ is read by no site: say so instead of skipping it."""
    where = site.content_dir
    unread = [
        path
        for top in (where.iterdir() if where.is_dir() else [])
        if top.name not in READ_FOLDERS
        for path in [top, *(top.rglob("*") if top.is_dir() else [])]
        if path.suffix.lower() in MARKDOWN_SUFFIXES
    ]
    return [
        Problem(
            path,
            1,
            f"no site reads this file: move posts to {where / ARTICLE_DIR}, "
            f"pages to {where / PAGE_DIR}",
        )
        for path in sorted(unread)
    ]


def large_image_warnings(sources: list[Source]) -> list[Problem]:
    """Images heavy enough to slow readers down: a warning, the build still goes on."""
    warnings = []
    for source in sources:
        for line, url, is_image in _links(source):
            internal = INTERNAL.match(url)
            file = _resolve_file(source, internal["path"]) if internal and is_image else None
            reason = large_image(file) if file and file.is_file() else ""
            if reason:
                warnings.append(Problem(source.path, line, f"image {url!r}: {reason}"))
    return warnings


def check_site(
    site: Site,
    pilot_names: set[str],
    *,
    links: bool = True,
    others: list[SitePages] | None = None,
    sources: list[Source] | None = None,
) -> tuple[list[Source], list[Problem]]:
    """All sources of one site and every problem found in them (links also to `others`).

    `sources`: the site's files already read (the preview keeps them between saves).
    """
    sources = list(site_sources(site)) if sources is None else sources
    problems = [p for s in sources for p in _metadata_problems(s, pilot_names)]
    problems += logo_problems(site) + unread_markdown_problems(site)
    problems += duplicate_slug_problems(sources)
    problems += category_slug_problems(sources)
    problems += form_problems(site, sources)
    if links:
        pages = [site_pages(site, sources), *(o for o in others or [] if o.site != site)]
        problems += [p for s in sources for p in link_problems(s, pages)]
    return sources, problems


def check_all(settings: Settings, site_names: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the content of the chosen sites (all by default)."""
    return check_with_warnings(settings, site_names)[0]


def check_with_warnings(
    settings: Settings, site_names: Iterable[str] | None = None
) -> tuple[list[Problem], list[Problem]]:
    """Problems (the build refuses them) and warnings (it goes on) of the chosen sites."""
    pilot_names = {s.name for s in settings.sites if not s.is_main}
    names = set(site_names) if site_names else {s.name for s in settings.sites}
    everyone = [site_pages(site, list(site_sources(site))) for site in settings.sites]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for site in settings.sites:
        if site.name in names:
            sources, found = check_site(site, pilot_names, others=everyone)
            problems += found
            warnings += large_image_warnings(sources)
    return problems, warnings
