"""Turning one Site into the Pelican settings it is built with.

Everything Pelican needs differs between sites only through the Site record: the URL
layout, feeds, theme and plugins are the same for the main blog and every pilot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
from markupsafe import Markup
from pelican.utils import truncate_html_words

from alusta.content import Source, site_sources
from alusta.fonts import font_files
from alusta.settings import Settings
from alusta.sites import Site

PILOT_LATEST_PER_PILOT = 3
SUMMARY_WORDS = 30
PLUGINS = [
    "alusta_categories",
    "alusta_sites",
    "alusta_i18n",
    "alusta_mentions",
    "alusta_forms",
    "alusta_gone",
    "alusta_seo",
    "alusta_images",
    "alusta_frames",
]
# Pelican's direct templates plus the 404 page every site gets (404.html at its root).
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404"]

URL_LAYOUT: dict[str, str] = {
    "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
    "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
    # A post in another language is a post of its own at the usual address (Lang: only sets
    # <html lang>); `check` reports two files that would share one URL.
    "ARTICLE_LANG_URL": "{date:%Y}/{date:%m}/{slug}/",
    "ARTICLE_LANG_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "PAGE_LANG_URL": "{slug}/",
    "PAGE_LANG_SAVE_AS": "{slug}/index.html",
    "CATEGORY_URL": "category/{slug}/",
    "CATEGORY_SAVE_AS": "category/{slug}/index.html",
    "TAG_URL": "tag/{slug}/",
    "TAG_SAVE_AS": "tag/{slug}/index.html",
    "AUTHOR_URL": "author/{slug}/",
    "AUTHOR_SAVE_AS": "author/{slug}/index.html",
    "CATEGORIES_URL": "categories/",
    "CATEGORIES_SAVE_AS": "categories/index.html",
    "TAGS_URL": "tags/",
    "TAGS_SAVE_AS": "tags/index.html",
    "AUTHORS_URL": "authors/",
    "AUTHORS_SAVE_AS": "authors/index.html",
    "ARCHIVES_URL": "archives/",
    "ARCHIVES_SAVE_AS": "archives/index.html",
    "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "PAGINATION_PATTERNS": (
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
    ),
    "FEED_DOMAIN": None,  # filled with SITEURL
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "CATEGORY_FEED_ATOM": "feeds/category/{slug}.atom.xml",
    "TAG_FEED_ATOM": "feeds/tag/{slug}.atom.xml",
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "FEED_ALL_RSS": None,
    "CATEGORY_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
}


# Drafts are written only for `publish.py serve` (Settings.development); a production build
# writes no file of theirs, so they are never deployed.
DRAFT_LAYOUT: dict[str, str] = {
    "DRAFT_URL": "drafts/{slug}/",
    "DRAFT_SAVE_AS": "drafts/{slug}/index.html",
    "DRAFT_LANG_URL": "drafts/{slug}/",
    "DRAFT_LANG_SAVE_AS": "drafts/{slug}/index.html",
    "DRAFT_PAGE_URL": "drafts/pages/{slug}/",
    "DRAFT_PAGE_SAVE_AS": "drafts/pages/{slug}/index.html",
    "DRAFT_PAGE_LANG_URL": "drafts/pages/{slug}/",
    "DRAFT_PAGE_LANG_SAVE_AS": "drafts/pages/{slug}/index.html",
}
NO_DRAFTS: dict[str, str] = dict.fromkeys(DRAFT_LAYOUT, "")


def site_context(site: Site) -> dict[str, Any]:
    """What the theme knows about a site (see theme/README)."""
    return {
        "name": site.name,
        "title": site.title,
        "tagline": site.tagline,
        "lang": site.lang,
        "accent_color": site.accent_color,
        "logo": f"{site.siteurl}/images/{site.logo}" if site.logo else "",
        "menu": [{"title": m.title, "url": _absolute(site, m.url)} for m in site.menu],
        "siteurl": site.siteurl,
        "public_siteurl": site.public_siteurl or site.siteurl,
        "is_main": site.is_main,
    }


def _absolute(site: Site, url: str) -> str:
    """Menu links may be written relative to the site; the theme gets absolute URLs."""
    if url.startswith(("http://", "https://", "mailto:")):
        return url
    return f"{site.siteurl}/{url.lstrip('/')}"


def _summary(source: Source) -> str:
    """The post's Summary, else the words of its first paragraph, cut as Pelican cuts them."""
    if source.meta.get("summary"):
        return source.meta["summary"]
    html = markdown.markdown(source.body.split("\n\n", 1)[0])
    text = Markup(html).striptags()  # noqa: S704 - only its text is kept, never rendered as HTML
    return truncate_html_words(text, SUMMARY_WORDS)


def pilot_latest(settings: Settings) -> list[dict[str, Any]]:
    """The newest published posts of every pilot, newest first, for the main front page."""
    latest = []
    for pilot in settings.sites[1:]:
        posts = [s for s in site_sources(pilot) if s.kind == "article" and s.published and s.date]
        posts.sort(key=lambda s: s.date, reverse=True)
        for post in posts[:PILOT_LATEST_PER_PILOT]:
            latest.append(
                {
                    "pilot_title": pilot.title,
                    "pilot_url": f"{pilot.siteurl}/",
                    "title": post.meta["title"],
                    "url": f"{pilot.siteurl}/{post.url}",
                    "date": post.date,
                    "summary": _summary(post),
                    "lang": post.meta.get("lang") or pilot.lang,
                }
            )
    latest.sort(key=lambda item: item["date"].replace(tzinfo=None), reverse=True)
    return latest


def pilot_directory(settings: Settings, latest_posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every pilot for the main site's pilots page: name, tagline, colour, link, latest post
    (from `latest_posts`, pilot_latest's list, newest first)."""
    latest = {item["pilot_url"]: item for item in reversed(latest_posts)}
    return [
        {
            "title": pilot.title,
            "tagline": pilot.tagline,
            "accent_color": pilot.accent_color,
            "lang": pilot.lang,
            "url": f"{pilot.siteurl}/",
            "latest": latest.get(f"{pilot.siteurl}/"),
        }
        for pilot in settings.sites[1:]
    ]


def plugin_settings(
    settings: Settings, site: Site, *, exclude_sources: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The one `ALUSTA` dict every plugin in plugins/ reads (plain values, from Settings).

    site: the site's context (as ALUSTA_SITE for the theme); sites: every site's name,
    title, siteurl and is_main; root (the project), database, var_dir, translations_dir:
    paths; endpoint_url; mentions_url and allow_private (responses read from an
    endpoint's API instead of SQLite); exclude_sources: the files `--keep-going` left out.
    """
    return {
        "site": site_context(site),
        "sites": [
            {"name": s.name, "title": s.title, "siteurl": s.siteurl, "is_main": s.is_main}
            for s in settings.sites
        ],
        "root": str(settings.root),
        "database": str(settings.database_path),
        "var_dir": str(settings.var_dir),
        "translations_dir": str(settings.translations_dir),
        "endpoint_url": settings.endpoint_url,
        "mentions_url": settings.mentions_url,
        "allow_private": settings.allow_private_addresses,
        "exclude_sources": list(exclude_sources),
    }


def pelican_settings(
    settings: Settings,
    site: Site,
    output_path: Path,
    *,
    exclude_sources: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The complete Pelican settings of one site, ready for pelican.settings.configure."""
    conf = {k: v for k, v in settings.pelican.items() if not k.startswith("ALUSTA_")}
    conf.update(URL_LAYOUT)
    conf.update(DRAFT_LAYOUT if settings.development else NO_DRAFTS)
    conf.update(_pelican_core(settings, site, output_path))
    conf.update(_theme_context(settings, site))
    conf.update(_plugin_keys(settings, site, exclude_sources))
    return conf


def _pelican_core(settings: Settings, site: Site, output_path: Path) -> dict[str, Any]:
    """Pelican's own settings: where the site's content is read from and written to."""
    return {
        "PATH": str(site.content_dir),
        "OUTPUT_PATH": str(output_path),
        "SITEURL": site.siteurl,
        "FEED_DOMAIN": site.siteurl,
        "SITENAME": site.title,
        "DEFAULT_LANG": site.lang,
        "THEME": str(settings.theme_dir),
        "PLUGIN_PATHS": [str(settings.plugins_dir)],
        "PLUGINS": list(PLUGINS),
        "ARTICLE_PATHS": ["posts"],
        "PAGE_PATHS": ["pages"],
        "STATIC_PATHS": ["images", "files"],
        "RELATIVE_URLS": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "DIRECT_TEMPLATES": list(DIRECT_TEMPLATES),
    }


def _theme_context(settings: Settings, site: Site) -> dict[str, Any]:
    """What the theme's templates read: this site, every site, the pilots, the fonts."""
    fonts = font_files(settings.root)
    latest = pilot_latest(settings) if site.is_main else []
    return {
        "ALUSTA_SITE": site_context(site),
        "ALUSTA_SITES": [
            {
                "name": s.name,
                "title": s.title,
                "siteurl": s.siteurl,
                "is_main": s.is_main,
                "content_dir": str(s.content_dir),  # `{site:NAME}/…` links (alusta_sites)
            }
            for s in settings.sites
        ],
        "PILOT_LATEST": latest,
        "ALUSTA_PILOTS": pilot_directory(settings, latest) if site.is_main else [],
        "THEME_STATIC_PATHS": ["static", *(str(path) for path in fonts)],
        "ALUSTA_FONT_FILES": [path.name for path in fonts],
        "ENDPOINT_URL": settings.endpoint_url,
    }


def _plugin_keys(
    settings: Settings, site: Site, exclude_sources: tuple[str, ...]
) -> dict[str, Any]:
    """What the plugins in plugins/ read: the ALUSTA dict and the keys it has not replaced."""
    return {
        "ALUSTA_EXCLUDE_SOURCES": list(exclude_sources),
        "ALUSTA_ROOT": str(settings.root),
        "ALUSTA_DATABASE": str(settings.database_path),
        "ALUSTA_IMAGES": {"cache_dir": str(settings.var_dir / "images")},  # alusta_images
        "ALUSTA_MENTIONS": {  # plugins/alusta_mentions
            "site": site.name,
            "database": str(settings.database_path),
            "mentions_url": settings.mentions_url,
            "allow_private": settings.allow_private_addresses,
            "var_dir": str(settings.var_dir),
        },
        "ALUSTA": plugin_settings(settings, site, exclude_sources=exclude_sources),
    }
