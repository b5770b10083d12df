"""The SQL behind the JF2 API: one page of mentions, and the counters its cache keys on.

webmention.io's API reads pages (`per-page`, `page`), newest first by default, sorted by
when a mention was received (`created`), last changed (`updated`) or by the date the source
gives (`published`, received when it gives none). A page is one indexed query with LIMIT
and OFFSET, so its cost follows the page size, not the table (bench/endpoint.py measures).
Counters in `mention_feed_versions` (migration 0070, kept by triggers) change whenever a
mention that is or was approved changes, whoever wrote it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from alusta.models import Mention, MentionKind, MentionStatus
from alusta.store import mention_from_row

ALL_TARGETS = "*"  # the counter of every target: site, domain and unfiltered feeds


class SortBy(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    PUBLISHED = "published"


ORDER_COLUMNS = {
    SortBy.CREATED: ("received",),
    SortBy.UPDATED: ("updated",),
    SortBy.PUBLISHED: ("COALESCE(NULLIF(published, ''), received)", "received"),
}


@dataclass(frozen=True)
class FeedQuery:
    """What one read asks for; `target_keys` are normalize_url keys, `domain` a host."""

    target_keys: tuple[str, ...] = ()
    domain: str = ""
    site: str | None = None
    since: str | None = None  # received after, in the stored form (ISO 8601 UTC)
    since_id: int | None = None
    kinds: tuple[MentionKind, ...] = ()
    sort_by: SortBy = SortBy.CREATED
    descending: bool = True
    per_page: int = 20
    page: int = 0
    public: bool = True  # approved mentions only; False: every status (the admin token)

    @property
    def counter_keys(self) -> tuple[str, ...]:
        """The counters whose change can change this page."""
        return tuple(sorted(set(self.target_keys))) if self.target_keys else (ALL_TARGETS,)


def feed_page(connection: sqlite3.Connection, query: FeedQuery) -> list[Mention]:
    """One page of mentions as `query` orders them (ties broken by id)."""
    where, params = _conditions(query)
    direction = "DESC" if query.descending else "ASC"
    order = ", ".join(f"{c} {direction}" for c in (*ORDER_COLUMNS[query.sort_by], "id"))
    sql = "SELECT * FROM mentions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
    params += [query.per_page, query.page * query.per_page]
    return [mention_from_row(row) for row in connection.execute(sql, params)]


def feed_versions(connection: sqlite3.Connection, keys: tuple[str, ...]) -> tuple[int, ...]:
    """The counters of `keys` (0 for a target nothing approved has touched yet)."""
    marks = ", ".join("?" * len(keys))
    found = dict(
        connection.execute(
            f"SELECT target_key, version FROM mention_feed_versions WHERE target_key IN ({marks})",  # noqa: S608 - placeholders only
            keys,
        ).fetchall()
    )
    return tuple(found.get(key, 0) for key in keys)


def _conditions(query: FeedQuery) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []

    def add(sql: str, *values: object) -> None:
        where.append(sql)
        params.extend(values)

    if query.target_keys:
        add(f"target_key IN ({', '.join('?' * len(query.target_keys))})", *query.target_keys)
    if query.domain:  # keys are https://host/…: the range of one host's pages
        add(
            "target_key >= ? AND target_key < ?",
            f"https://{query.domain}/",
            f"https://{query.domain}0",
        )
    for sql, value in (
        ("site = ?", query.site),
        ("received > ?", query.since),
        ("id > ?", query.since_id),
    ):
        if value is not None:
            add(sql, value)
    if query.kinds:
        add(f"kind IN ({', '.join('?' * len(query.kinds))})", *query.kinds)
    if query.public:
        add("status = ?", MentionStatus.APPROVED)
    return where, params
