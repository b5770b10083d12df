"""One WordPress post or page as the Markdown file a writer would have written.

Metadata follows the README's table (Title, Date in the blog's time zone, Modified,
Author's display name, Category, Tags, Slug, Summary); the text is WordPress's shown HTML
(alusta.importing.wordpress.shortcodes) converted to Markdown with the old blog's links
rewritten to `{filename}` and `{static}` references.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from alusta.importing.wordpress.markdown import plain_text, to_markdown
from alusta.importing.wordpress.plan import Entry, Plan, local_time
from alusta.importing.wordpress.shortcodes import prepare
from alusta.importing.wordpress.wxr import Item
from alusta.slugs import slugify

MAX_SUMMARY_CHARS = 400


def _one_line(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _names(terms: tuple[tuple[str, str], ...], known: dict[str, str]) -> list[str]:
    """Term names, each spelled as the site already spells it when its slug exists."""
    names: list[str] = []
    for name, _nice in terms:
        clean = _one_line(name).replace(",", " ")
        spelled = known.setdefault(slugify(clean), clean)
        if spelled and spelled not in names:
            names.append(spelled)
    return names


class PostWriter:
    """Makes the Markdown text of each imported item (see the module docstring)."""

    def __init__(self, plan: Plan, categories: dict[str, str], zone: object) -> None:
        self.plan = plan
        self.categories = categories  # slug -> the site's spelling; new ones are added
        self.tags: dict[str, str] = {}
        self.zone = zone

    def gallery_images(self, item: Item) -> Callable[[list[int]], list[tuple[str, str]]]:
        attachments = self.plan.attachments

        def images(ids: list[int]) -> list[tuple[str, str]]:
            chosen = ids or [a.id for a in attachments.values() if a.parent == item.id]
            found = [attachments[i] for i in chosen if i in attachments]
            return [
                (a.url or f"{self.plan.old.url}/wp-content/uploads/{a.relative}", a.alt)
                for a in found
            ]

        return images

    def text(self, item: Item, entry: Entry) -> str:
        """The whole file: metadata block, blank line, Markdown body."""
        prepared = prepare(item.content, self.gallery_images(item))
        body = to_markdown(prepared.html, self.plan.links.resolve)
        summary = plain_text(item.excerpt) or plain_text(prepared.teaser)
        lines = [f"Title: {_one_line(item.title) or entry.file}"]
        lines.append(f"Date: {entry.date:%Y-%m-%d %H:%M}")
        modified = local_time(item.modified, item.modified_gmt, self.zone)
        if modified > entry.date:
            lines.append(f"Modified: {modified:%Y-%m-%d %H:%M}")
        author = self.plan.authors.get(item.creator) or item.creator
        if author:
            lines.append(f"Author: {_one_line(author)}")
        if entry.kind == "article":
            if categories := _names(item.categories, self.categories):
                lines.append(f"Category: {', '.join(categories)}")
            if tags := _names(item.tags, self.tags):
                lines.append(f"Tags: {', '.join(tags)}")
        lines.append(f"Slug: {entry.url.rstrip('/').rsplit('/', 1)[-1]}")
        if entry.draft:
            lines.append("Status: draft")
        if summary:
            lines.append(f"Summary: {_clip(summary)}")
        return "\n".join(lines) + "\n\n" + body


def _clip(text: str) -> str:
    return text if len(text) <= MAX_SUMMARY_CHARS else text[: MAX_SUMMARY_CHARS - 1] + "…"
