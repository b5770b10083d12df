"""What the moderation page lists: replies that wait first, then recent ones, and the
domain rules, limited to the sites the logged-in moderator may see."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from alusta import domain_rules, store
from alusta.excerpts import excerpt
from alusta.models import Mention, MentionStatus

RECENT_LIMIT = 50
EXCERPT_CHARS = 500
STATUSES = ("pending", "approved", "rejected", "deleted", "queued")

TitleOf = Callable[[str, str], str]  # (site, target URL) -> the post's title


@dataclass(frozen=True)
class Row:
    """One reply as the page shows it."""

    mention: Mention
    author_name: str
    author_url: str
    author_photo: str
    kind: str
    text: str
    post_title: str


@dataclass(frozen=True)
class Listing:
    waiting: list[Row]
    recent: list[Row]
    rules: list[domain_rules.DomainRule]


@dataclass(frozen=True)
class Filters:
    """The page's filter form: one site, one status (empty: all)."""

    site: str = ""
    status: str = ""


def _row(mention: Mention, title_of: TitleOf) -> Row:
    entry = mention.entry
    author = entry.author if entry else None
    return Row(
        mention=mention,
        author_name=(author.name if author else "") or mention.source,
        author_url=author.url if author else "",
        author_photo=author.photo if author and author.photo.startswith("https://") else "",
        kind=str(entry.kind) if entry else mention.protocol,
        text=excerpt(mention, EXCERPT_CHARS),
        post_title=title_of(mention.site, mention.target),
    )


def listing(
    connection: sqlite3.Connection,
    *,
    sites: list[str],
    filters: Filters,
    title_of: TitleOf,
    with_rules: bool,
) -> Listing:
    """Waiting replies oldest first, then the most recent others, of `sites` only."""
    chosen = [s for s in sites if not filters.site or s == filters.site]
    titles: dict[tuple[str, str], str] = {}

    def title(site: str, target: str) -> str:
        if (site, target) not in titles:
            titles[site, target] = title_of(site, target)
        return titles[site, target]

    waiting: list[Mention] = []
    if filters.status in ("", "pending"):
        for site in chosen:
            waiting += store.list_mentions(connection, site=site, statuses=[MentionStatus.PENDING])
    waiting.sort(key=lambda m: (m.received, m.id))
    others = [MentionStatus(filters.status)] if filters.status else list(MentionStatus)
    recent = store.recent_mentions(
        connection,
        sites=chosen,
        statuses=[s for s in others if s != MentionStatus.PENDING],
        limit=RECENT_LIMIT,
    )
    return Listing(
        waiting=[_row(m, title) for m in waiting],
        recent=[_row(m, title) for m in recent],
        rules=domain_rules.rules(connection) if with_rules else [],
    )
