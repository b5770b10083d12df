"""All SQL about sending: what was announced, the outbox and the attempts.

Tables from migration 0020_sending. Each function runs one short transaction on a
connection from alusta.db.connect, so what it wrote is durable when it returns. Deciding
what changed and writing the outbox happen in one transaction per post: a run that dies
halfway has either announced a post's change completely or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from alusta.db import iso, transaction
from alusta.send.notify import Attempt


class NotificationState(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    DONE = "done"  # delivered, refused by the receiver, or nothing to deliver to
    GIVEN_UP = "given-up"  # failed too often; shown by `send --status`


@dataclass(frozen=True)
class SentPost:
    """What the last `send` announced for a post."""

    site: str
    path: str
    source: str
    content_hash: str  # "" once the post is gone and its targets were told
    links: tuple[str, ...]


@dataclass(frozen=True)
class Outgoing:
    """One notification to enqueue: tell `target` that `source` changed, and why."""

    source: str
    target: str
    reason: str


@dataclass(frozen=True)
class Notification:
    id: int
    source: str
    target: str
    reason: str
    state: NotificationState
    outcome: str
    tries: int
    next_attempt_at: float
    updated: str


# --- what was announced ------------------------------------------------------------------


def sent_post(connection: sqlite3.Connection, site: str, path: str) -> SentPost | None:
    row = connection.execute(
        "SELECT source, content_hash FROM sent_posts WHERE site = ? AND path = ?", (site, path)
    ).fetchone()
    if row is None:
        return None
    links = connection.execute(
        "SELECT target FROM sent_links WHERE site = ? AND path = ? ORDER BY rowid", (site, path)
    )
    return SentPost(site, path, row["source"], row["content_hash"], tuple(r[0] for r in links))


def announce(
    connection: sqlite3.Connection, post: SentPost, outgoing: Iterable[Outgoing], *, now: float
) -> None:
    """Save what is announced for `post` and enqueue its notifications, in one transaction.

    A (source, target) pair already in the outbox is re-armed with the new reason: the
    receiver fetches the source again anyway, so one notification covers every change.
    """
    stamp = iso(now)
    with transaction(connection):
        connection.execute(
            "INSERT INTO sent_posts (site, path, source, content_hash, updated) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site, path) DO UPDATE SET "
            "source = excluded.source, content_hash = excluded.content_hash, "
            "updated = excluded.updated",
            (post.site, post.path, post.source, post.content_hash, stamp),
        )
        connection.execute(
            "DELETE FROM sent_links WHERE site = ? AND path = ?", (post.site, post.path)
        )
        connection.executemany(
            "INSERT INTO sent_links (site, path, target) VALUES (?, ?, ?)",
            [(post.site, post.path, target) for target in post.links],
        )
        connection.executemany(
            "INSERT INTO notifications (source, target, reason, state, next_attempt_at, "
            "created, updated) VALUES (?, ?, ?, 'pending', ?, ?, ?) "
            "ON CONFLICT (source, target) DO UPDATE SET reason = excluded.reason, "
            "state = 'pending', tries = 0, next_attempt_at = excluded.next_attempt_at, "
            "updated = excluded.updated",
            [(o.source, o.target, o.reason, now, stamp, stamp) for o in outgoing],
        )


# --- the outbox --------------------------------------------------------------------------


def due_notifications(connection: sqlite3.Connection, *, now: float) -> list[Notification]:
    """Pending notifications whose time has come, oldest first."""
    rows = connection.execute(
        f"{_SELECT} WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id",
        (now,),
    )
    return [_notification(r) for r in rows]


def unfinished(connection: sqlite3.Connection) -> list[Notification]:
    """Pending (due or waiting for a retry) and given-up notifications, for `--status`."""
    rows = connection.execute(
        f"{_SELECT} WHERE state IN ('pending', 'given-up') ORDER BY state, next_attempt_at, id"
    )
    return [_notification(r) for r in rows]


def finish_attempt(
    connection: sqlite3.Connection,
    notification: Notification,
    attempt: Attempt,
    *,
    state: NotificationState,
    next_attempt_at: float,
    now: float,
) -> None:
    """Record an attempt and move its notification on, in one transaction."""
    with transaction(connection):
        _insert_attempt(connection, notification.id, attempt, now)
        connection.execute(
            "UPDATE notifications SET state = ?, outcome = ?, tries = tries + 1, "
            "next_attempt_at = ?, updated = ? WHERE id = ?",
            (state, attempt.outcome, next_attempt_at, iso(now), notification.id),
        )


def record_attempt(connection: sqlite3.Connection, attempt: Attempt, *, now: float) -> None:
    """Record an attempt made outside the outbox (`send --source … --target …`)."""
    with transaction(connection):
        _insert_attempt(connection, None, attempt, now)


def attempts_for(connection: sqlite3.Connection, notification_id: int) -> list[sqlite3.Row]:
    return connection.execute(
        "SELECT protocol, endpoint, outcome, status, excerpt, at FROM send_attempts "
        "WHERE notification_id = ? ORDER BY id",
        (notification_id,),
    ).fetchall()


def _insert_attempt(
    connection: sqlite3.Connection, notification_id: int | None, attempt: Attempt, now: float
) -> None:
    connection.execute(
        "INSERT INTO send_attempts (notification_id, source, target, protocol, endpoint, "
        "outcome, status, excerpt, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            notification_id, attempt.source, attempt.target, attempt.protocol,
            attempt.endpoint, attempt.outcome, attempt.status, attempt.excerpt, iso(now),
        ),
    )  # fmt: skip


_SELECT = (
    "SELECT id, source, target, reason, state, outcome, tries, next_attempt_at, updated "
    "FROM notifications"
)


def _notification(row: sqlite3.Row) -> Notification:
    return Notification(
        row["id"], row["source"], row["target"], row["reason"],
        NotificationState(row["state"]), row["outcome"], row["tries"],
        row["next_attempt_at"], row["updated"],
    )  # fmt: skip
