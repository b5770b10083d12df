"""alusta_sites: what Pelican needs to know about Alusta's content rules.

With `publish.py build --keep-going`, files that failed validation are listed in
ALUSTA["exclude_sources"] and left out here, so the rest of the site still builds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from alusta.cross_site import LINKS_ATTRIBUTE, SiteFolder, referenced_sites, replace_references

log = logging.getLogger(__name__)


def _excluded(generator) -> set[Path]:
    excluded = (generator.settings.get("ALUSTA") or {}).get("exclude_sources", [])
    return {Path(p).resolve() for p in excluded}


def drop_excluded_articles(generator) -> None:
    """Leave out articles that failed validation (only set under --keep-going)."""
    excluded = _excluded(generator)
    if excluded:
        keep = [a for a in generator.articles if Path(a.source_path).resolve() not in excluded]
        dropped = len(generator.articles) - len(keep)
        generator.articles = keep
        generator.translations = [
            a for a in generator.translations if Path(a.source_path).resolve() not in excluded
        ]
        log.info("alusta_sites: left out %d invalid article(s)", dropped)


def drop_excluded_pages(generator) -> None:
    """Leave out pages that failed validation (only set under --keep-going)."""
    excluded = _excluded(generator)
    if excluded:
        generator.pages = [
            p for p in generator.pages if Path(p.source_path).resolve() not in excluded
        ]
        generator._update_context(("pages",))


def link_other_sites(instance) -> None:
    """`{site:main}/posts/x.md` becomes that post's address (alusta.cross_site)."""
    content = getattr(instance, "_content", None)
    if not content or "{site:" not in content:
        return
    sites = {
        s["name"]: SiteFolder(s["name"], s["siteurl"], Path(s["content_dir"]))
        for s in instance.settings.get("ALUSTA_SITES", [])
        if s.get("content_dir")
    }
    setattr(instance, LINKS_ATTRIBUTE, referenced_sites(content))
    instance._content, problems = replace_references(content, sites)
    for problem in problems:
        log.error("alusta_sites: %s: %s", instance.source_path, problem)


def register() -> None:
    signals.content_object_init.connect(link_other_sites)
    signals.article_generator_pretaxonomy.connect(drop_excluded_articles)
    signals.page_generator_finalized.connect(drop_excluded_pages)
