"""What one site's Pelican run made: its pages, as the build record lists them.

Runs in the build's worker process, right after Pelican wrote the site into its staging
folder: Pelican's generators say which file came from which source (captured from the
`all_generators_finalized` signal), the folder says what else was written (listings and
feeds). Pages left at deleted posts' addresses (410 Gone) are not pages of the build.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from alusta.build_record import GONE_META, Page, PageKind
from alusta.content import page_wants_responses
from alusta.files import output_files
from alusta.post_links import PostUnreadable, post_content

PAGE_SUFFIXES = {".html": PageKind.LISTING, ".xml": PageKind.FEED}
SUFFIXES = tuple(PAGE_SUFFIXES)
HEAD_BYTES = 1024  # the 410 marker sits in the first lines of a page
GENERATOR_LISTS = {
    "ArticlesGenerator": {
        PageKind.POST: ("articles", "translations"),
        PageKind.DRAFT: ("drafts", "drafts_translations"),
    },
    "PagesGenerator": {
        PageKind.PAGE: ("pages", "translations", "hidden_pages", "hidden_translations"),
        PageKind.DRAFT: ("draft_pages", "draft_translations"),
    },
}


@dataclass(frozen=True)
class Written:
    """One content object Pelican wrote: where, from which file, in which language."""

    save_as: str
    kind: PageKind
    lang: str
    source: str
    responses: bool


def written_contents(generators: Iterable[Any], root: Path) -> list[Written]:
    """Every post, page and draft the generators will write (source paths relative to root)."""
    found = []
    inside = f"{root}{os.sep}"
    for generator in generators:
        lists = _lists(generator)
        for kind, names in lists.items():
            for name in names:
                for content in getattr(generator, name, []):
                    source = os.path.normpath(content.source_path)  # strings: 5,000 posts
                    source = source.removeprefix(inside)
                    responses = kind is PageKind.POST or (
                        kind is PageKind.PAGE and page_wants_responses(content.metadata)
                    )
                    found.append(Written(content.save_as, kind, content.lang, source, responses))
    return found


def _lists(generator: Any) -> dict[PageKind, tuple[str, ...]]:
    """The content lists of a generator by kind (also for subclasses, such as the preview's)."""
    for cls in type(generator).__mro__:
        if cls.__name__ in GENERATOR_LISTS:
            return GENERATOR_LISTS[cls.__name__]
    return {}


def page_scope(conf: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """A site's address, its language, and the folders of its output that other sites own
    (the main site's output holds the in-tree pilots), from its Pelican settings."""
    site = conf["ALUSTA_SITE"]
    return site["siteurl"], site["lang"], ("pilots",) if site["is_main"] else ()


def site_pages(
    siteurl: str,
    output: Path,
    written: Iterable[Written],
    *,
    lang: str,
    exclude: tuple[str, ...] = (),
    previous: Mapping[str, Page] | None = None,
    carried: frozenset[str] = frozenset(),
    files: Iterable[tuple[str, str]] | None = None,
) -> tuple[Page, ...]:
    """Every page and feed under `output` (folders in `exclude` belong to other sites).

    `previous`: the last build's pages by path (see page_of); a file the build carried over
    from the last output unchanged (`carried`, alusta.incremental) keeps its entry, unread.
    `files`: the output's files as (relative path, where the file is now) when they are not
    all under `output` yet (an incremental build's, half staged, half in place).
    """
    previous = previous or {}
    by_path = {w.save_as: w for w in written}
    pages = []
    for relative, path in _page_files(output, exclude, files):
        if relative in carried and relative in previous:
            pages.append(previous[relative])
            continue
        page = page_of(
            Path(path),
            relative,
            siteurl=siteurl,
            lang=lang,
            origin=by_path.get(relative),
            before=previous.get(relative),
        )
        if page is not None:
            pages.append(page)
    return tuple(pages)


def page_of(
    path: Path,
    relative: str,
    *,
    siteurl: str,
    lang: str,
    origin: Written | None,
    before: Page | None,
) -> Page | None:
    """The record of one output file; None for a page left at a deleted post's address.

    A post whose file is byte for byte what `before` describes keeps its e-content hash and
    links without being parsed again.
    """
    data = path.read_bytes()
    if GONE_META.encode() in data[:HEAD_BYTES]:
        return None
    page = Page(
        url=f"{siteurl}/{relative.removesuffix('index.html')}",
        path=relative,
        kind=origin.kind if origin else PAGE_SUFFIXES[path.suffix],
        lang=origin.lang if origin else lang,
        source=origin.source if origin else "",
        responses=origin.responses if origin else False,
        content_hash=hashlib.sha256(data).hexdigest(),
    )
    if page.kind is PageKind.POST:
        page = _reused(page, before) or _with_entry(page, data)
    return page


def _reused(page: Page, before: Page | None) -> Page | None:
    """The post with the e-content facts of the previous build, if its file is unchanged."""
    if before is None or before.kind is not page.kind or before.content_hash != page.content_hash:
        return None
    return replace(page, entry_hash=before.entry_hash, links=before.links, problem=before.problem)


def _with_entry(page: Page, data: bytes) -> Page:
    """A post's e-content hash and outgoing links (what send compares and notifies)."""
    try:
        content = post_content(data.decode("utf-8"), page.url, where=page.path)
    except (PostUnreadable, UnicodeDecodeError) as error:
        return replace(page, problem=str(error))
    return replace(page, entry_hash=content.content_hash, links=content.links)


def _page_files(
    output: Path, exclude: tuple[str, ...], files: Iterable[tuple[str, str]] | None
) -> list[tuple[str, str]]:
    """(relative path, path) of the pages and feeds, in output_entries' order."""
    if files is None:
        return [(relative, entry.path) for relative, entry in output_entries(output, exclude)]
    pages = [(r, path) for r, path in files if _is_page(r.rpartition("/")[2])]
    return sorted(pages, key=lambda item: item[0].split("/"))


def _is_page(name: str) -> bool:
    return name.endswith(SUFFIXES) and "." in name[1:]


def output_entries(output: Path | str, exclude: tuple[str, ...]) -> list[tuple[str, os.DirEntry]]:
    """(path relative to `output`, its directory entry) of the pages and feeds under `output`,
    outside the excluded folders, sorted as their paths are."""
    found = [(r, entry) for r, entry in output_files(output, exclude) if _is_page(entry.name)]
    return sorted(found, key=lambda item: item[0].split("/"))
