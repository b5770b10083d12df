"""The SQL of notification deliveries (table `notification_deliveries`, migration 0080).

One row per (subject, id, channel): enqueued in the same transaction that stores what it
tells about, claimed for a short lease while it is being sent, marked sent right after the
channel accepted it, retried with growing delays otherwise. Same conventions as
alusta.store: an open connection in, one short transaction, `now` in Unix seconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from alusta.db import iso, transaction

CHANNELS = ("email", "webhook")
DUE_BATCH = 200


@dataclass(frozen=True)
class Delivery:
    id: int
    subject: str  # "mention" or "feedback"
    subject_id: int
    site: str
    channel: str  # "email" or "webhook"
    attempts: int


def enqueue(
    connection: sqlite3.Connection,
    subject: str,
    subject_id: int,
    site: str,
    channels: Iterable[str],
    *,
    now: float,
) -> None:
    """Ask for one delivery per channel; a channel already asked for is left as it is."""
    with transaction(connection):
        connection.executemany(
            "INSERT INTO notification_deliveries (subject, subject_id, site, channel, "
            "next_attempt_at, created) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (subject, subject_id, channel) DO NOTHING",
            [(subject, subject_id, site, channel, now, iso(now)) for channel in channels],
        )


def claim_due(
    connection: sqlite3.Connection, *, now: float, lease_seconds: float, limit: int = DUE_BATCH
) -> list[Delivery]:
    """Take the deliveries whose time has come, oldest first, for `lease_seconds`: another
    process (`endpoint --workers N`) does not see them meanwhile, and a process that dies
    while sending leaves them to be tried again when the lease ends."""
    with transaction(connection):
        rows = connection.execute(
            "SELECT id, subject, subject_id, site, channel, attempts "
            "FROM notification_deliveries WHERE state = 'due' AND next_attempt_at <= ? "
            "ORDER BY id LIMIT ?",
            (now, limit),
        ).fetchall()
        connection.executemany(
            "UPDATE notification_deliveries SET next_attempt_at = ? WHERE id = ?",
            [(now + lease_seconds, row[0]) for row in rows],
        )
    return [Delivery(*row) for row in rows]


def next_due_at(connection: sqlite3.Connection) -> float | None:
    """When the next delivery falls due (None: nothing waits)."""
    return connection.execute(
        "SELECT min(next_attempt_at) FROM notification_deliveries WHERE state = 'due'"
    ).fetchone()[0]


def last_sent_at(connection: sqlite3.Connection, subject: str, site: str, channel: str) -> float:
    """When the site's last delivery of this kind went out (0: never)."""
    value = connection.execute(
        "SELECT max(sent_at) FROM notification_deliveries WHERE state = 'sent' "
        "AND subject = ? AND site = ? AND channel = ?",
        (subject, site, channel),
    ).fetchone()[0]
    return value or 0.0


def _set(connection: sqlite3.Connection, sql: str, rows: Sequence[tuple]) -> None:
    with transaction(connection):
        connection.executemany(sql, rows)


def mark_sent(connection: sqlite3.Connection, ids: Sequence[int], *, now: float) -> None:
    _set(
        connection,
        "UPDATE notification_deliveries SET state = 'sent', sent_at = ?, error = '', "
        "attempts = attempts + 1 WHERE id = ?",
        [(now, i) for i in ids],
    )


def mark_skipped(connection: sqlite3.Connection, ids: Sequence[int]) -> None:
    _set(
        connection,
        "UPDATE notification_deliveries SET state = 'skipped' WHERE id = ?",
        [(i,) for i in ids],
    )


def postpone(connection: sqlite3.Connection, ids: Sequence[int], *, until: float) -> None:
    """Not yet: a batch window is still open."""
    _set(
        connection,
        "UPDATE notification_deliveries SET next_attempt_at = ? WHERE id = ?",
        [(until, i) for i in ids],
    )


def mark_failed(
    connection: sqlite3.Connection,
    ids: Sequence[int],
    *,
    error: str,
    now: float,
    retry_delays: Sequence[float],
) -> None:
    """One more failed attempt: retried after the next delay, given up after the last."""
    with transaction(connection):
        for delivery_id in ids:
            (attempts,) = connection.execute(
                "SELECT attempts FROM notification_deliveries WHERE id = ?", (delivery_id,)
            ).fetchone()
            give_up = attempts >= len(retry_delays)
            connection.execute(
                "UPDATE notification_deliveries SET attempts = attempts + 1, error = ?, "
                "state = ?, next_attempt_at = ? WHERE id = ?",
                (
                    error[:500],
                    "failed" if give_up else "due",
                    now if give_up else now + retry_delays[attempts],
                    delivery_id,
                ),
            )


def states(connection: sqlite3.Connection, subject: str, subject_id: int) -> dict[str, str]:
    """{channel: state} of one subject's deliveries (the CLI and tests read it)."""
    rows = connection.execute(
        "SELECT channel, state FROM notification_deliveries WHERE subject = ? AND subject_id = ?",
        (subject, subject_id),
    ).fetchall()
    return dict(rows)
