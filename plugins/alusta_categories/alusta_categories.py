"""Signal handlers: several categories per post, on every listing, feed and Atom entry.

Pelican gives a post one category. `Category: Living Lab, Yhteiskehittäminen` becomes
`article.categories` (every one, in the written order; `article.category` stays the
first), the post is listed on each category's page and feed, and each Atom entry names
every category and tag of its post (RFC 4287 §4.2.2), not only the first category.
The names are split by alusta.content.category_names, as `check` splits them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pelican import signals
from pelican.urlwrappers import Category

from alusta.content import category_names

BY_URL_KEY = "_alusta_articles_by_url"  # kept in Pelican's context for the one build


def split_categories(generator: Any, metadata: dict[str, Any]) -> None:
    """Turn one comma-separated category into `categories` (and the first as `category`)."""
    if "category" not in metadata:
        return
    names = category_names(str(metadata["category"]))
    if names:
        metadata["categories"] = [Category(name, generator.settings) for name in names]
        metadata["category"] = metadata["categories"][0]


def list_in_every_category(generator: Any) -> None:
    """Rebuild the generator's categories so a post is under each of its categories."""
    listed: dict[Category, list[Any]] = defaultdict(list)
    for article in generator.articles:
        for category in _categories(article):
            listed[category].append(article)
    generator.categories = sorted(
        listed.items(), reverse=bool(generator.settings.get("REVERSE_CATEGORY_ORDER"))
    )
    generator._update_context(("categories",))


def name_every_category(context: dict[str, Any], feed: Any) -> None:
    """Give each Atom/RSS entry every category and tag of its post, not only the first."""
    by_url = _articles_by_url(context)
    prefix = context.get("SITEURL", "").rstrip("/") + "/"
    for item in feed.items:
        link = item["link"].removesuffix("?ref=feed")
        article = by_url.get(link.removeprefix(prefix)) if link.startswith(prefix) else None
        if article is not None:
            terms = [*_categories(article), *getattr(article, "tags", [])]
            item["categories"] = [str(term) for term in terms]


def _articles_by_url(context: dict[str, Any]) -> dict[str, Any]:
    """The site's articles by URL, made once per build (a site writes dozens of feeds and
    Pelican computes an article's URL from its settings on every access)."""
    articles = context.get("articles", [])
    made = context.get(BY_URL_KEY)
    if made is None or made[0] is not articles:
        made = (articles, {str(article.url): article for article in articles})
        context[BY_URL_KEY] = made
    return made[1]


def _categories(article: Any) -> list[Category]:
    if hasattr(article, "categories"):
        return list(article.categories)
    return [article.category] if hasattr(article, "category") else []


def register() -> None:
    signals.article_generator_context.connect(split_categories)
    signals.article_generator_finalized.connect(list_in_every_category)
    signals.feed_generated.connect(name_every_category)
