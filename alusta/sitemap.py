"""What search engines read about a site: sitemap.xml, the sitemap index and robots.txt.

Formats from sitemaps.org (protocol 0.9): a `urlset` of `url`/`loc`/`lastmod` per site,
and on the main site a `sitemapindex` naming the main sitemap and every pilot's, so one
robots.txt line announces them all. A pilot on a domain of its own has its own robots.txt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

SITEMAP_NAME = "sitemap.xml"
INDEX_NAME = "sitemap-index.xml"
ROBOTS_NAME = "robots.txt"
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapEntry:
    """One address of a site and when it last changed (None: not known)."""

    url: str
    lastmod: datetime | None = None


def _lastmod(moment: datetime | None) -> str:
    return f"<lastmod>{moment.isoformat(timespec='seconds')}</lastmod>" if moment else ""


def sitemap_xml(entries: Iterable[SitemapEntry]) -> str:
    """A sitemaps.org `urlset`, one `url` per address, in the order given, no duplicates."""
    seen: set[str] = set()
    rows = []
    for entry in entries:
        if entry.url in seen:
            continue
        seen.add(entry.url)
        rows.append(f"<url><loc>{escape(entry.url)}</loc>{_lastmod(entry.lastmod)}</url>")
    body = "\n".join(rows)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{body}\n</urlset>\n'
    )


def sitemap_index(sitemap_urls: Iterable[str]) -> str:
    """A sitemaps.org `sitemapindex` naming every site's sitemap."""
    rows = "\n".join(f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in sitemap_urls)
    return f'{XML_DECLARATION}<sitemapindex xmlns="{NAMESPACE}">\n{rows}\n</sitemapindex>\n'


def robots_txt(sitemap_url: str) -> str:
    """Everything may be crawled; the sitemap (or index) says what there is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"


@dataclass(frozen=True)
class SiteMaps:
    """The machine-readable files of one site, ready to write."""

    siteurl: str
    entries: list[SitemapEntry]
    pilot_siteurls: list[str]  # main site: every pilot, listed in its sitemap index
    domain_root: bool  # robots.txt only means something at the root of a host

    def write(self, output: Path) -> list[Path]:
        output.mkdir(parents=True, exist_ok=True)
        written = [output / SITEMAP_NAME]
        written[0].write_text(sitemap_xml(self.entries), encoding="utf-8")
        announced = f"{self.siteurl}/{SITEMAP_NAME}"
        if self.pilot_siteurls:
            urls = [announced] + [f"{url}/{SITEMAP_NAME}" for url in self.pilot_siteurls]
            (output / INDEX_NAME).write_text(sitemap_index(urls), encoding="utf-8")
            written.append(output / INDEX_NAME)
            announced = f"{self.siteurl}/{INDEX_NAME}"
        if self.domain_root:
            (output / ROBOTS_NAME).write_text(robots_txt(announced), encoding="utf-8")
            written.append(output / ROBOTS_NAME)
        return written
