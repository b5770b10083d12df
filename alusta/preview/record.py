"""Serve's build record (var/serve/build.json), brought up to date after every preview run.

The endpoint serve runs reads it (a reply's target must be a page of the record; refresh
finds the page to rewrite), so a new post must be in it as soon as it is served. Listing
a 5,000-post site anew means reading and hashing 9,000 files; here a file's record is made
again only when the run wrote it or its modification time or size changed. Runs in the
site's process, next to its engine.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from alusta.build_pages import Written, output_entries, page_of, page_scope, written_contents
from alusta.build_record import Page

Stamp = tuple[int, int]


class PageStamps:
    """Each output file's record, with the stamp of the file it was made from."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[Stamp, Page | None]] = {}

    def pages(
        self,
        siteurl: str,
        output: Path,
        written: list[Written],
        *,
        lang: str,
        exclude: tuple[str, ...] = (),
        rewritten: Collection[str] = (),
    ) -> tuple[Page, ...]:
        """Every page and feed under `output`, as alusta.build_pages.site_pages lists them.

        `rewritten`: files the run wrote (relative paths), made again whatever their stamp.
        """
        by_path = {w.save_as: w for w in written}
        seen: dict[str, tuple[Stamp, Page | None]] = {}
        for path, relative, stat in _files(str(output), exclude):
            stamp = (stat.st_mtime_ns, stat.st_size)
            origin = by_path.get(relative)
            known = self.known.get(path)
            page = known[1] if known else None
            if known is None or known[0] != stamp or relative in rewritten or _moved(page, origin):
                page = page_of(
                    Path(path), relative, siteurl=siteurl, lang=lang, origin=origin, before=page
                )
            seen[path] = (stamp, page)
        self.known = seen
        return tuple(page for _stamp, page in seen.values() if page is not None)


def _files(output: str, exclude: tuple[str, ...]) -> list[tuple[str, str, os.stat_result]]:
    """(path, path relative to `output`, stat) of its pages and feeds, in build_pages' order."""
    return [(e.path, relative, e.stat()) for relative, e in output_entries(output, exclude)]


def _moved(page: Page | None, origin: Written | None) -> bool:
    """The file is the same but the source it comes from (or its kind or language) is not."""
    if page is None:
        return False
    if origin is None:
        return bool(page.source)
    facts = (origin.kind, origin.lang, origin.source, origin.responses)
    return facts != (page.kind, page.lang, page.source, page.responses)


def run_pages(
    stamps: PageStamps, conf: dict[str, Any], generators: list[Any], rewritten: Collection[str]
) -> tuple[Page, ...]:
    """The site's pages after a run whose generators are `generators` (see build._pages)."""
    siteurl, lang, exclude = page_scope(conf)
    written = written_contents(generators, Path(conf["ALUSTA"]["root"]))
    output = Path(conf["OUTPUT_PATH"])
    return stamps.pages(siteurl, output, written, lang=lang, exclude=exclude, rewritten=rewritten)
