"""Links between our own sites: written straight into the mentions table, never over HTTP.

A main-blog post linking to a pilot post (or the other way round) is a mention like any
other, but the source is a file in our own build output, so `send` reads it from there
with the endpoint's own verification code (alusta.verify.read_source: the link check and
the h-entry) and stores the result with alusta.store. A removed link or a deleted post
marks the mention deleted, as the endpoint does for a source that no longer links.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from alusta import store
from alusta.build_record import BuildRecord
from alusta.errors import SourceTooComplex
from alusta.http import FetchResult
from alusta.models import MentionRequest, MentionStatus
from alusta.send.notify import Attempt, Outcome
from alusta.send.plan import Reason
from alusta.settings import Settings
from alusta.urls import SiteBases
from alusta.verify import VerifyError, read_source

INTERNAL = "internal"
HTML_HEADERS = httpx.Headers({"content-type": "text/html; charset=utf-8"})


def our_sites(settings: Settings) -> SiteBases:
    """Which of the configured sites owns a URL."""
    return SiteBases({site.name: site.siteurl for site in settings.sites})


def record(
    connection: sqlite3.Connection,
    ours: SiteBases,
    build: BuildRecord,
    source: str,
    target: str,
    *,
    reason: str,
    now: float,
) -> Attempt:
    """Add, update or remove the mention of `target` by our own post `source`."""
    if reason in (Reason.LINK_REMOVED, Reason.POST_GONE):
        return _remove(connection, source, target, reason=reason, now=now)
    target_site = ours.owner_of(target)
    source_file = build.file_of(source)
    if target_site is None or ours.owner_of(source) is None or not build.has_page(target):
        return _attempt(source, target, Outcome.REJECTED, "target is not a page of our sites")
    if source_file is None:
        return _attempt(source, target, Outcome.REJECTED, "source not usable: not built")
    try:
        entry = read_source(_built_result(source_file, source), target)
    except (OSError, VerifyError, SourceTooComplex) as error:
        return _attempt(source, target, Outcome.REJECTED, f"source not usable: {error}")
    request = MentionRequest(source=source, target=target, site=target_site)
    mention = store.record_internal_mention(connection, request, entry, now=now)
    return _attempt(source, target, Outcome.ACCEPTED, f"mention {mention.id} {mention.status}")


def _remove(
    connection: sqlite3.Connection, source: str, target: str, *, reason: str, now: float
) -> Attempt:
    mention = store.mention_for(connection, source, target)
    if mention is None or mention.status == MentionStatus.DELETED:
        return _attempt(source, target, Outcome.ACCEPTED, "no mention to remove")
    why = "the source post was deleted" if reason == Reason.POST_GONE else "link removed"
    store.save_outcome(connection, mention.id, status=MentionStatus.DELETED, reason=why, now=now)
    return _attempt(source, target, Outcome.ACCEPTED, f"mention {mention.id} deleted: {why}")


def _built_result(path: Path, url: str) -> FetchResult:
    """The built file at `url`, shaped like a fetched page for alusta.verify."""
    content = path.read_bytes()
    return FetchResult(
        url=url, final_url=url, status=200, headers=HTML_HEADERS, content=content,
        truncated=False, content_type="text/html", encoding="utf-8",
    )  # fmt: skip


def _attempt(source: str, target: str, outcome: Outcome, excerpt: str) -> Attempt:
    return Attempt(source, target, outcome, protocol=INTERNAL, excerpt=excerpt)
