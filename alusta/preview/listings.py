"""Pelican's article generator with listing pages that find their posts in constant time.

For every tag, category and author page Pelican keeps the posts of `dates` that are in
that listing's list: `article in articles` on a list, so 5,000 posts under 80 tags cost
over a second on every preview run. Here those lists answer `in` from a set of identities;
content objects have no `__eq__`, so the answer, the lists and their order are Pelican's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pelican.generators import ArticlesGenerator


class Members(list):
    """A list of content objects whose `in` looks the object up by identity."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


class QuickArticlesGenerator(ArticlesGenerator):
    """ArticlesGenerator whose tag, category and author pages pick their posts quickly."""

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
def _swapped(generator: ArticlesGenerator, name: str, value: Any) -> Iterator[None]:
    """`generator.<name>` is `value` while Pelican writes, and its own list again after."""
    kept = getattr(generator, name)
    setattr(generator, name, value)
    try:
        yield
    finally:
        setattr(generator, name, kept)


def quick(cls: type) -> type:
    """The generator class the preview runs in place of Pelican's `cls`."""
    return QuickArticlesGenerator if cls is ArticlesGenerator else cls
