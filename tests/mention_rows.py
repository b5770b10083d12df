"""Approved mentions written straight into a real SQLite file: fast seeding for feed tests
and `bench/endpoint.py` (verifying thousands of sources over HTTP would take minutes).

    ids = add_approved(connection, target=POST, count=45, content_chars=50_000)

Rows look like what verification stores (`store.save_verified`); `received` counts up one
second per row from `start`, so the order of the feed is known.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

from alusta.db import transaction
from alusta.urls import host_of, normalize_url

START = datetime(2026, 11, 1, tzinfo=UTC)

_INSERT = """
INSERT INTO mentions (token, source, target, target_key, source_host, site, protocol, status,
    received, updated, job, verified, final_url, kind, author_name, author_url, author_photo,
    published, name, content_html, content_text, title, excerpt)
VALUES (?, ?, ?, ?, ?, ?, 'webmention', 'approved', ?, ?, 'done', 1, ?, ?, ?, ?, '', ?, '', ?,
    ?, '', '')
"""


def add_approved(
    connection: sqlite3.Connection,
    *,
    target: str,
    count: int,
    site: str = "main",
    kind: str = "reply",
    content_chars: int = 20,
    published: str = "2026-11-20T10:00:00+0200",
    start: datetime = START,
    host: str = "blog.example",
) -> list[int]:
    """Insert `count` approved mentions of `target`; their ids in order of `received`."""
    rows = []
    for n in range(count):
        stamp = (start + timedelta(seconds=n)).isoformat(timespec="seconds")
        source = f"https://{host}/{secrets.token_hex(6)}/{n}"
        text = ("Hei! " * (content_chars // 5 + 1))[:content_chars]
        rows.append(
            (
                secrets.token_urlsafe(16), source, target, normalize_url(target),
                host_of(source), site, stamp, stamp, source, kind, f"Kirjoittaja {n}",
                f"https://{host}/", published, f"<p>{text}</p>", text,
            )
        )  # fmt: skip
    with transaction(connection):
        return [connection.execute(_INSERT + " RETURNING id", row).fetchone()[0] for row in rows]
