"""alusta_seo: what machines read — sitemap, robots.txt, favicons, og:image, post neighbours.

The work is in alusta.sitemap, alusta.favicon and alusta.page_meta; this module only hooks
them to Pelican's signals. Reads the ALUSTA dict: site (siteurl, title, accent_color, is_main) and
sites (the pilots listed in the main site's sitemap index).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from alusta.favicon import Favicon, write_favicons
from alusta.images import has_images
from alusta.page_meta import first_image, link_neighbours, local_file_finder, size_images
from alusta.sitemap import SitemapEntry, SiteMaps

log = logging.getLogger(__name__)
DEFAULT_ACCENT = "#0b5cad"
SIZED_ATTRIBUTE = "_alusta_pictures_sized"


def on_generator_init(generator: Any) -> None:
    generator.env.filters["first_image"] = first_image


def on_articles_finalized(generator: ArticlesGenerator) -> None:
    link_neighbours(generator.articles)


def _entries(generators: list[Any], siteurl: str) -> list[SitemapEntry]:
    articles: list[Any] = []
    pages: list[Any] = []
    categories: list[Any] = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            articles += [*generator.articles, *generator.translations]
            categories = [category for category, _posts in generator.categories]
        elif isinstance(generator, PagesGenerator):
            pages += [*generator.pages, *generator.translations]
    newest = max((getattr(a, "modified", None) or a.date for a in articles), default=None)
    entries = [SitemapEntry(f"{siteurl}/", newest)]
    for content in sorted(articles, key=lambda a: a.date, reverse=True) + pages:
        changed = getattr(content, "modified", None) or getattr(content, "date", None)
        entries.append(SitemapEntry(f"{siteurl}/{content.url}", changed))
    entries += [SitemapEntry(f"{siteurl}/{category.url}") for category in categories]
    return entries


def size_content_images(generators: list[Any]) -> None:
    """Width and height on the site's own pictures in every post and page: read from the
    source before Pelican turns `{static}/images/x.svg` into an address."""
    settings = generators[0].settings
    prefix, content_dir = settings["SITEURL"] + "/", Path(settings["PATH"]).resolve()
    for generator in generators:
        if isinstance(generator, ArticlesGenerator | PagesGenerator):
            context = generator.context
            for content in [*context.get("articles", []), *context.get("pages", [])]:
                if not has_images(content._content):
                    continue  # most posts have no picture: nothing to size
                if getattr(content, SIZED_ATTRIBUTE, False):
                    continue  # the preview keeps objects between runs; sizing is done once
                folder = Path(content.source_path).resolve().parent
                content._content = size_images(
                    content._content, local_file_finder(prefix, content_dir, folder)
                )
                setattr(content, SIZED_ATTRIBUTE, True)


def write_machine_files(generators: list[Any]) -> None:
    """sitemap.xml (and the index on the main site), robots.txt and the favicons."""
    settings = generators[0].settings
    conf = settings.get("ALUSTA") or {}
    site = conf.get("site") or {}
    siteurl = settings["SITEURL"]
    output = Path(settings["OUTPUT_PATH"])
    pilots = [s["siteurl"] for s in conf.get("sites", []) if not s.get("is_main")]
    maps = SiteMaps(
        siteurl=siteurl,
        entries=_entries(generators, siteurl),
        pilot_siteurls=pilots if site.get("is_main", True) else [],
        domain_root=urlsplit(siteurl).path in ("", "/"),
    )
    maps.write(output)
    accent = site.get("accent_color") or DEFAULT_ACCENT
    write_favicons(output, Favicon.for_site(site.get("title") or settings["SITENAME"], accent))


def register() -> None:
    signals.generator_init.connect(on_generator_init)
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.all_generators_finalized.connect(size_content_images)
    signals.all_generators_finalized.connect(write_machine_files)
