"""Pelican's article generator with listing pages that find their posts in constant time.

For every tag, category and author page Pelican keeps the posts of `dates` that are in
that listing's list: `article in articles` on a list, so 5,000 posts under 80 tags cost
over a second on every preview run. Here those lists answer `in` from a set of identities;
content objects have no `__eq__`, so the answer, the lists and their order are Pelican's.
Pelican's process_translations likewise looks each post up in its list of originals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from operator import attrgetter
from typing import Any

from pelican import generators
from pelican.generators import ArticlesGenerator
from pelican.utils import get_original_items, process_translations


class Members(list):
    """A list of content objects whose `in` looks the object up by identity."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def quick_translations(content_list: list, translation_id: Any = None) -> tuple[list, list]:
    """Pelican's process_translations with its last step by identity in a set: Pelican looks
    every post up in its list of originals (12 million comparisons at 5,000 posts)."""
    if not isinstance(translation_id, str):
        return process_translations(content_list, translation_id)
    key = attrgetter(translation_id)
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):  # Pelican's own function says what is wrong
        return process_translations(content_list, translation_id)
    index = []
    for value, group in groupby(content_list, key):
        items = list(group)
        index.extend(get_original_items(items, f'with {translation_id} "{value}"'))
        for item in items:
            item.translations = [x for x in items if x != item]
    originals = {id(item) for item in index}
    return index, [item for item in content_list if id(item) not in originals]


class QuickArticlesGenerator(ArticlesGenerator):
    """ArticlesGenerator whose tag, category and author pages pick their posts quickly."""

    def generate_context(self) -> None:
        with _swapped(generators, "process_translations", quick_translations):
            super().generate_context()

    def _build_period_archives(self, sorted_articles, articles, settings):
        """Pelican's archives, each with its posts in `articles` order found by position.

        Pelican scans every post for every month (`a in dates`); the posts of a period are
        exactly its dates, so sorting those by their place in `articles` gives the same list.
        """
        archives = super()._build_period_archives(sorted_articles, [], settings)
        place = {id(article): number for number, article in enumerate(articles)}
        for periods in archives.values():
            for archive in periods:
                archive["articles"] = sorted(archive["dates"], key=lambda a: place[id(a)])
        return archives

    def generate_tags(self, write) -> None:
        tags = {tag: Members(articles) for tag, articles in self.tags.items()}
        with _swapped(self, "tags", tags):
            super().generate_tags(write)

    def generate_categories(self, write) -> None:
        categories = [(cat, Members(articles)) for cat, articles in self.categories]
        with _swapped(self, "categories", categories):
            super().generate_categories(write)

    def generate_authors(self, write) -> None:
        authors = [(author, Members(articles)) for author, articles in self.authors]
        with _swapped(self, "authors", authors):
            super().generate_authors(write)


@contextmanager
def _swapped(owner: object, name: str, value: Any) -> Iterator[None]:
    """`owner.<name>` is `value` while Pelican runs, and its own again after."""
    kept = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, kept)


def quick(cls: type) -> type:
    """The generator class the preview runs in place of Pelican's `cls`."""
    return QuickArticlesGenerator if cls is ArticlesGenerator else cls
