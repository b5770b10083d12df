"""SQL for responses brought in by an import (WordPress comments, webmention.io history).

An imported response arrives finished: it is written with job 'done' and never enters the
verification queue. Comments (protocol 'comment') have no live source to fetch; imported
pingbacks and webmentions were verified by the system they came from. A second import of
the same file finds each (source, target) already there and leaves it as it is, so a
moderator's later decision is never undone (migration 0050 describes the columns).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from alusta.db import transaction
from alusta.models import MentionKind, MentionStatus
from alusta.urls import host_of, normalize_url

TOKEN_BYTES = 16


@dataclass(frozen=True)
class ImportedResponse:
    """One response to store; times are ISO 8601 UTC."""

    source: str
    target: str
    site: str
    protocol: str  # "comment", "pingback" or "webmention"
    status: MentionStatus  # approved or pending
    kind: MentionKind
    received: str
    published: str = ""
    author_name: str = ""
    author_url: str = ""
    author_photo: str = ""
    name: str = ""
    title: str = ""
    content_html: str = ""  # sanitised
    content_text: str = ""
    excerpt: str = ""
    in_reply_to: str = ""
    author_email_hash: str = ""
    reason: str = "imported"


_INSERT = """
INSERT INTO mentions (token, source, target, target_key, source_host, site, protocol, status,
    reason, received, updated, job, verified, final_url, kind, author_name, author_url,
    author_photo, published, name, content_html, content_text, title, excerpt, in_reply_to,
    author_email_hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source, target_key) DO NOTHING
"""


def _row(response: ImportedResponse) -> tuple:
    verified = 0 if response.protocol == "comment" else 1
    return (
        secrets.token_urlsafe(TOKEN_BYTES), response.source, response.target,
        normalize_url(response.target), host_of(response.source), response.site,
        response.protocol, response.status, response.reason, response.received,
        response.received, verified, response.source, response.kind, response.author_name,
        response.author_url, response.author_photo, response.published, response.name,
        response.content_html, response.content_text, response.title, response.excerpt,
        response.in_reply_to, response.author_email_hash,
    )  # fmt: skip


def import_responses(connection: sqlite3.Connection, responses: Iterable[ImportedResponse]) -> int:
    """Store what is not stored yet, in one transaction; returns how many rows were added."""
    with transaction(connection):  # rowcount: rows inserted, not what triggers wrote
        return connection.executemany(_INSERT, (_row(r) for r in responses)).rowcount


def existing_sources(connection: sqlite3.Connection, sources: Iterable[str]) -> set[str]:
    """Which of these sources already have a stored response (for --dry-run reports)."""
    wanted = list(sources)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = connection.execute(f"SELECT source FROM mentions WHERE source IN ({marks})", chunk)  # noqa: S608 - placeholders only
        found.update(row[0] for row in rows)
    return found


def ids_by_email_hash(connection: sqlite3.Connection, hashes: Sequence[str]) -> list[int]:
    """The responses a person wrote with this e-mail address (any of its hashes)."""
    marks = ", ".join("?" * len(hashes))
    sql = f"SELECT id FROM mentions WHERE author_email_hash IN ({marks}) ORDER BY id"  # noqa: S608 - placeholders only
    return [row[0] for row in connection.execute(sql, list(hashes))]
