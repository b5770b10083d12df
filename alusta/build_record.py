"""The build record: which pages the last successful build made, read by every later job.

The build writes `var/build.json` once the new output is in place (never after a failed
build). Per site: its URL, output folder, language and endpoint; per page: URL, output
path, kind, language, source file and a hash of the file; per post also the hash of its
`e-content` and the links in it (alusta.post_links). The endpoint takes its valid
Webmention targets from it (W3C Webmention §3.2.1 lets a receiver reject targets it does
not serve), refresh the pages that show responses, send the posts and their links, and
deploy the folders to publish. A page left at a deleted post's address (410 Gone) is no
page of the build and is not listed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from alusta.errors import AlustaError
from alusta.urls import SiteBases, normalize_url

RECORD_FILE = "build.json"
FORMAT_VERSION = 1
GONE_META = '<meta http-equiv="Status" content="410 Gone">'  # marks a deleted post's page


class RecordUnreadable(AlustaError):
    """var/build.json exists but is not a record this version of Alusta wrote."""


class PageKind(StrEnum):
    POST = "post"  # an article or its translation
    PAGE = "page"  # a page, hidden ones included
    DRAFT = "draft"  # a draft, built at drafts/<slug>/ but linked from nowhere
    LISTING = "listing"  # index, archives, categories, tags, authors (no source file)
    FEED = "feed"  # an Atom feed


@dataclass(frozen=True)
class Page:
    """One file the build wrote that a reader can open at a URL."""

    url: str  # absolute, as the site links to it
    path: str  # the file, relative to the site's output folder
    kind: PageKind
    lang: str
    source: str = ""  # the Markdown file it was made from, "" for listings and feeds
    responses: bool = False  # shows the responses fragment (posts; pages with `Responses: on`)
    content_hash: str = ""  # sha256 of the file as built
    entry_hash: str = ""  # posts: sha256 of the e-content element (what send compares)
    links: tuple[str, ...] = ()  # posts: absolute links inside e-content, first-seen order
    problem: str = ""  # posts: why the e-content could not be read, if it could not


@dataclass(frozen=True)
class SiteBuild:
    """The last successful build of one site."""

    name: str
    siteurl: str
    output: str  # absolute path of the installed output folder
    lang: str
    endpoint_url: str
    built_at: str
    complete: bool = True  # False when `build --keep-going` left invalid files out
    pages: tuple[Page, ...] = ()

    @property
    def posts(self) -> list[Page]:
        return [p for p in self.pages if p.kind is PageKind.POST]

    def relative_url(self, page: Page) -> str:
        """The page's URL relative to SITEURL (how published_posts keys a post)."""
        return page.url.removeprefix(self.siteurl).lstrip("/")


@dataclass(frozen=True)
class BuildRecord:
    """Every site's last successful build; lookups take any spelling of a URL."""

    sites: Mapping[str, SiteBuild] = field(default_factory=dict)

    @cached_property
    def pages_by_key(self) -> dict[str, tuple[SiteBuild, Page]]:
        """Every HTML page (feeds are not mention targets), by its normalize_url key."""
        return {
            normalize_url(page.url): (site, page)
            for site in self.sites.values()
            for page in site.pages
            if page.kind is not PageKind.FEED
        }

    @cached_property
    def bases(self) -> SiteBases:
        return SiteBases({name: site.siteurl for name, site in self.sites.items()})

    def site_for_key(self, key: str) -> str | None:
        """The site whose SITEURL a normalised URL lies under (the longest base wins)."""
        return self.bases.owner_of_key(key)

    def page(self, url: str) -> tuple[SiteBuild, Page] | None:
        """The site and page built at `url`, None when the last build made no such page."""
        try:
            return self.pages_by_key.get(normalize_url(url))
        except ValueError:
            return None

    def has_page(self, url: str) -> bool:
        return self.page(url) is not None

    def file_of(self, url: str) -> Path | None:
        """The built file served at `url`."""
        found = self.page(url)
        return Path(found[0].output) / found[1].path if found else None


def record_path(var_dir: Path) -> Path:
    return var_dir / RECORD_FILE


def load_record(var_dir: Path) -> BuildRecord:
    """The record of the last build, or an empty one before the first build."""
    path = record_path(var_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return BuildRecord()
    except ValueError as error:
        raise RecordUnreadable(f"{path}: unreadable build record ({error}); rebuild") from error
    if data.get("version") != FORMAT_VERSION:
        raise RecordUnreadable(f"{path}: a build record of another version; rebuild")
    return BuildRecord(sites={name: _site(entry) for name, entry in data["sites"].items()})


def _site(entry: dict[str, Any]) -> SiteBuild:
    pages = tuple(
        Page(**{**page, "kind": PageKind(page["kind"]), "links": tuple(page["links"])})
        for page in entry["pages"]
    )
    return SiteBuild(**{**entry, "pages": pages})


def merged(previous: BuildRecord, built: Iterable[SiteBuild]) -> BuildRecord:
    """The previous record with the sites just built replaced (the others keep theirs)."""
    sites = dict(previous.sites)
    sites.update((site.name, site) for site in built)
    return BuildRecord(sites=dict(sorted(sites.items())))


def write_record(var_dir: Path, record: BuildRecord) -> Path:
    """Replace the record atomically: a reader sees the old record or the new one."""
    path = record_path(var_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": FORMAT_VERSION,
        "sites": {name: _site_data(site) for name, site in record.sites.items()},
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # One line: only json's C encoder (no indent) keeps 9,000 pages well under a second.
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)
    return path


def _site_data(site: SiteBuild) -> dict[str, Any]:
    """asdict(site), without its deep copy of every page's every field."""
    data = {name: getattr(site, name) for name in _FIELDS[SiteBuild]}
    data["pages"] = [{name: getattr(p, name) for name in _FIELDS[Page]} for p in site.pages]
    return data


_FIELDS = {kind: tuple(f.name for f in fields(kind)) for kind in (SiteBuild, Page)}
