"""The saved posts' own pages first, against the last run's context, so the tab reloads early.

Building the site's context again takes most of a run at 5,000 posts, but the page a writer
is looking at needs only its own file. That file is read again, given what plugins attached
to its previous version (responses, neighbours, translations), and rendered with the last
run's context. The full run that follows renders the page again with everything current
and rewrites the file only if that differs, so the end result is a full build's.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator

from alusta.preview.writer import SelectiveWriter

log = logging.getLogger(__name__)
SOURCE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
ARTICLE_LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")
DRAFT_LISTS = ("drafts_translations", "drafts")
PAGE_LISTS = (
    "translations",
    "pages",
    "hidden_translations",
    "hidden_pages",
    "draft_translations",
    "draft_pages",
)


@dataclass
class LastRun:
    """What the last run built its outputs from: its context and generators."""

    context: dict[str, Any]
    generators: list[Any]


def render_first(last: LastRun, changed: list[Path]) -> list[str]:
    """Render the pages of the saved files the last run knew; the outputs written."""
    saved = [p for p in changed if p.suffix.lower() in SOURCE_SUFFIXES]
    wanted = {str(p.absolute()) for p in saved} | {str(p.resolve()) for p in saved}
    written: list[str] = []
    for generator in last.generators:
        if not isinstance(generator, ArticlesGenerator | PagesGenerator):
            continue
        writer = SelectiveWriter(generator.output_path, generator.settings, {}, render_all=True)
        for names, old in _contents(generator):
            if old.source_path in wanted:  # Pelican's source paths are absolute
                new = _read_again(generator, old)
                if new is not None:
                    _write(generator, writer, new, draft=names is DRAFT_LISTS)
        written += writer.report.written
    return written


def _contents(generator: Any) -> list[tuple[tuple[str, ...], Content]]:
    lists = (PAGE_LISTS,) if isinstance(generator, PagesGenerator) else (ARTICLE_LISTS, DRAFT_LISTS)
    return [
        (names, item)
        for names in lists
        for item in chain.from_iterable(getattr(generator, n, []) for n in names)
    ]


def _read_again(generator: Any, old: Content) -> Content | None:
    """The saved file as a new content object, or None when the full run must judge it."""
    article = isinstance(generator, ArticlesGenerator)
    try:
        new = generator.readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(old.source_path, generator.path),
            content_class=type(old),
            context=generator.context,
            preread_signal=(
                signals.article_generator_preread if article else signals.page_generator_preread
            ),
            preread_sender=generator,
            context_signal=(
                signals.article_generator_context if article else signals.page_generator_context
            ),
            context_sender=generator,
        )
    except Exception as error:  # the full run right after reports it
        log.debug("first pass: %s not read again: %s", old.source_path, error)
        return None
    if not isinstance(new, Content) or new.status != old.status or new.save_as != old.save_as:
        return None  # a new address or status changes listings: the full run decides
    for name, value in vars(old).items():
        if not name.startswith("_") and name not in vars(new):
            setattr(new, name, value)
    if not new.translations:
        new.translations = old.translations
    return new


def _write(generator: Any, writer: SelectiveWriter, item: Content, *, draft: bool) -> None:
    """Write one post or page the way its generator's generate_output does."""
    common = {
        "override_output": hasattr(item, "override_save_as"),
        "url": item.url,
    }
    template = generator.get_template(item.template)
    if isinstance(generator, PagesGenerator):
        writer.write_file(item.save_as, template, generator.context, page=item, **common)
        return
    extra = {"all_articles": generator.articles} if draft else {}
    writer.write_file(
        item.save_as,
        template,
        generator.context,
        article=item,
        category=getattr(item, "category", None),
        blog=True,
        **common,
        **extra,
    )
