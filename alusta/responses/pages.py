"""The pages refresh can re-render alone, taken from the build record.

Pelican renders whole sites only. For each article and page the record keeps the little
the responses fragment depends on (URL, output path, language) plus the site's URL and
endpoint (alusta.build_record, `var/build.json`); `refresh` reads it instead of Pelican.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from alusta.build_record import BuildRecord
from alusta.errors import AlustaError
from alusta.urls import normalize_url

DEFAULT_UI_LANG = "fi"


class IndexMissing(AlustaError):
    """The build record lists no build of a site yet."""


@dataclass(frozen=True)
class PageRecord:
    """One built page that shows responses."""

    url: str  # canonical absolute URL
    path: str  # the HTML file, relative to the site's output folder
    lang: str  # the page's UI language


@dataclass(frozen=True)
class SiteIndex:
    """Every page of one site's last build that shows responses, keyed by normalised URL."""

    site: str
    siteurl: str
    endpoint_url: str
    output: str = ""
    pages: dict[str, PageRecord] = field(default_factory=dict)


def ui_lang(lang: str, site_lang: str, catalogued: Collection[str]) -> str:
    """As alusta_i18n chooses: the page's language if catalogued, else the site's."""
    for candidate in (lang or site_lang, site_lang):
        if candidate in catalogued:
            return candidate
    return DEFAULT_UI_LANG


def site_index(record: BuildRecord, site: str, catalogued: Collection[str]) -> SiteIndex:
    """The pages of `site` that show responses, as its last build made them."""
    built = record.sites.get(site)
    if built is None:
        raise IndexMissing(f"no build of site {site!r} in the build record; build it first")
    pages = {
        normalize_url(page.url): PageRecord(
            url=page.url, path=page.path, lang=ui_lang(page.lang, built.lang, catalogued)
        )
        for page in built.pages
        if page.responses
    }
    return SiteIndex(site, built.siteurl, built.endpoint_url, built.output, pages)
