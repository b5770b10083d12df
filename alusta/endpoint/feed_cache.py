"""Repeated reads of the JF2 API from memory, with ETags that hold until mentions change.

A public page is keyed by its query; its ETag is a hash of the query and the counters of
its targets (`mention_feed_versions`, raised by triggers on every change to a mention that
is or was approved, from any process). A read looks the counters up (one indexed SELECT),
answers 304 when the client's ETag is current, serves the cached bytes when they are, and
builds the page only otherwise. It all runs on the database's reader thread, so the event
loop never builds JSON, and the cache needs no lock. Pages for the admin token are not kept.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass

from alusta.endpoint.jf2 import feed_bytes
from alusta.mention_feed import FeedQuery, feed_page, feed_versions

FORMAT_VERSION = "jf2-1"  # change when the bytes of a page change for the same rows
MAX_CACHED_PAGES = 512
MAX_CACHED_BYTES = 64_000_000


@dataclass(frozen=True)
class FeedPage:
    """What a read answers: the ETag, and the body unless the client's copy is current."""

    etag: str
    body: bytes | None  # None: not modified (304)


class FeedCache:
    """Pages by query, least recently used out first, bounded in count and bytes."""

    def __init__(self) -> None:
        self._pages: OrderedDict[FeedQuery, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0

    def read(
        self, connection: sqlite3.Connection, query: FeedQuery, if_none_match: str = ""
    ) -> FeedPage:
        """The page `query` asks for (runs on the reader thread: it queries SQLite)."""
        if not query.public:
            return FeedPage("", feed_bytes(feed_page(connection, query), with_status=True))
        etag = _etag(query, feed_versions(connection, query.counter_keys))
        if etag_matches(if_none_match, etag):
            return FeedPage(etag, None)
        cached = self._pages.get(query)
        if cached is not None and cached[0] == etag:
            self._pages.move_to_end(query)
            return FeedPage(etag, cached[1])
        body = feed_bytes(feed_page(connection, query), with_status=False)
        self._keep(query, etag, body)
        return FeedPage(etag, body)

    def _keep(self, query: FeedQuery, etag: str, body: bytes) -> None:
        old = self._pages.pop(query, None)
        if old is not None:
            self._bytes -= len(old[1])
        self._pages[query] = (etag, body)
        self._bytes += len(body)
        while len(self._pages) > MAX_CACHED_PAGES or self._bytes > MAX_CACHED_BYTES:
            _, (_, dropped) = self._pages.popitem(last=False)
            self._bytes -= len(dropped)


def etag_matches(header: str, etag: str) -> bool:
    """True when an If-None-Match header names `etag` (weak or strong) or is `*`
    (RFC 9110 §13.1.2: weak comparison)."""
    candidates = (part.strip().removeprefix("W/") for part in header.split(","))
    return any(candidate in ("*", etag) for candidate in candidates)


def _etag(query: FeedQuery, versions: tuple[int, ...]) -> str:
    digest = hashlib.sha256(repr((FORMAT_VERSION, query, versions)).encode()).hexdigest()
    return f'"{digest[:32]}"'
