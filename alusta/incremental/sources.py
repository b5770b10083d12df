"""The sites' Markdown files as the last build's validation read them, kept between builds.

Validating 5,000 posts reads and parses every file (about a second); between two builds
usually a few differ. alusta.preview.sources.SourceCache reads a file again when its
modification time or size changed; here it is kept in var/build-cache/sources.pickle.
Anything unreadable is an empty cache: every file is read, as without one.
"""

from __future__ import annotations

import contextlib
import pickle
import uuid
from pathlib import Path

from alusta.check import check_site
from alusta.errors import Problem
from alusta.incremental.fingerprint import BUILD_CACHE_FOLDER
from alusta.preview.sources import SourceCache
from alusta.settings import Settings
from alusta.sites import Site

SOURCES_FILE = "sources.pickle"


def problems_with_kept_sources(
    settings: Settings, sites: list[Site], *, full: bool
) -> list[Problem]:
    """`check`'s problems of `sites` (links aside), reading only files changed since the last
    build (every file under `full`); the files as read are kept for the next build."""
    pilot_names = {s.name for s in settings.sites if not s.is_main}
    folder = settings.var_dir / BUILD_CACHE_FOLDER
    cache = SourceCache() if full else load_sources(folder)
    problems = [
        problem
        for site in sites
        for problem in check_site(site, pilot_names, links=False, sources=cache.sources(site))[1]
    ]
    save_sources(folder, cache)
    return problems


def load_sources(folder: Path) -> SourceCache:
    """The cache the last build left, or an empty one."""
    try:
        with (folder / SOURCES_FILE).open("rb") as stream:
            cache = pickle.load(stream)  # noqa: S301 - our own file in var/
    except Exception:  # missing or unreadable: read every file again
        return SourceCache()
    return cache if isinstance(cache, SourceCache) else SourceCache()


def save_sources(folder: Path, cache: SourceCache) -> None:
    """Write the cache for the next build (whole or not at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    pending = folder / f"{SOURCES_FILE}.new-{uuid.uuid4().hex[:8]}"
    try:
        with pending.open("wb") as stream:
            pickle.dump(cache, stream, protocol=pickle.HIGHEST_PROTOCOL)
        pending.replace(folder / SOURCES_FILE)
    finally:
        with contextlib.suppress(FileNotFoundError):
            pending.unlink()
