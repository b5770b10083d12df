"""The sites' Markdown files as `check` reads them, kept between the preview's saves.

Validating a 5,000-post site reads and parses every file (half a second); between two saves
only the saved files differ. A file is read again when the watcher names it or its
modification time or size changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alusta.content import Source, read_source, site_sources
from alusta.sites import Site


class SourceCache:
    """Each file's parsed front matter, with the stamp it was read at."""

    def __init__(self) -> None:
        self.known: dict[Path, tuple[tuple[int, int], Source]] = {}

    def forget(self, paths: Iterable[Path]) -> None:
        """Files saved since the last validation: read them again whatever their stamp."""
        for path in paths:
            self.known.pop(Path(path), None)
            self.known.pop(Path(path).resolve(), None)

    def sources(self, site: Site) -> list[Source]:
        """Every source of `site`, read again only where it changed."""
        return list(site_sources(site, self._read))

    def _read(self, path: Path, site: Site, kind: str) -> Source:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self.known.get(path)
        if known is not None and known[0] == stamp and known[1].site == site:
            return known[1]
        source = read_source(path, site, kind)
        self.known[path] = (stamp, source)
        return source
