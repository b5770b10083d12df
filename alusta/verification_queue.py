"""Intake and the verification queue: every received mention waits here until verified.

A sender is answered once its request is stored, so intake must be a cheap, durable
insert; verification runs later on the endpoint's workers. The queue lives in the
`mentions` table itself (columns job, attempts, next_attempt_at, claimed_until): a worker
claims due rows under a lease, a restart releases claims whose worker is gone, and a failed
fetch is retried later. Finishing a job with what verification found is alusta.store's.
Same conventions as alusta.store: an open connection in, one short transaction, `now` in
Unix seconds.
"""

from __future__ import annotations

import secrets
import sqlite3

from alusta.db import iso, transaction
from alusta.models import Mention, MentionRequest, MentionStatus, VerificationJob
from alusta.store import TOKEN_BYTES, mention_by_id
from alusta.urls import host_of, normalize_url

# --- intake -----------------------------------------------------------------------------

_UPSERT = """
INSERT INTO mentions (token, source, target, target_key, source_host, site, protocol, status,
                      received, updated, job, next_attempt_at, claimed_until)
VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
ON CONFLICT (source, target_key) DO UPDATE SET target = excluded.target,
    job = excluded.job, claimed_until = excluded.claimed_until,
    attempts = 0, next_attempt_at = excluded.next_attempt_at,
    updated = excluded.updated, protocol = excluded.protocol, site = excluded.site,
    status = CASE WHEN mentions.status IN ('approved', 'pending') THEN mentions.status
                  WHEN mentions.moderated = 'rejected' THEN mentions.status
                  ELSE 'queued' END,
    reason = CASE WHEN mentions.status IN ('approved', 'pending') THEN mentions.reason
                  WHEN mentions.moderated = 'rejected' THEN mentions.reason
                  ELSE '' END
RETURNING id, token
"""


def enqueue_many(
    connection: sqlite3.Connection,
    requests: list[MentionRequest],
    *,
    now: float,
    claim_seconds: float = 0.0,
) -> list[tuple[int, str]]:
    """Store requests for verification in one transaction; (id, status token) for each.

    The same source and target again re-queues the existing row (Webmention 3.2.4): a shown
    mention stays shown while it is re-verified, anything else goes back to 'queued'. With
    `claim_seconds` the rows are stored already claimed by the caller for that long (a
    pingback verified while its client waits).
    """
    stamp = iso(now)
    job, claimed_until = ("claimed", now + claim_seconds) if claim_seconds else ("queued", 0.0)
    with transaction(connection):
        return [
            tuple(
                connection.execute(
                    _UPSERT,
                    (
                        secrets.token_urlsafe(TOKEN_BYTES),
                        r.source,
                        r.target,
                        normalize_url(r.target),
                        host_of(r.source),
                        r.site,
                        r.protocol,
                        stamp,
                        stamp,
                        job,
                        now,
                        claimed_until,
                    ),
                ).fetchone()
            )
            for r in requests
        ]


def enqueue(connection: sqlite3.Connection, request: MentionRequest, *, now: float) -> Mention:
    """Store one request for verification and return the stored mention."""
    mention_id, _token = enqueue_many(connection, [request], now=now)[0]
    return mention_by_id(connection, mention_id)


def job_for(connection: sqlite3.Connection, mention_id: int) -> VerificationJob:
    """The verification job of a stored mention (for a caller that claimed it itself)."""
    row = connection.execute(
        "SELECT id, source, target, site, protocol, status, moderated, verified, attempts "
        "FROM mentions WHERE id = ?",
        (mention_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"no mention with id {mention_id}")
    return _job(row)


# --- the verification queue -------------------------------------------------------------


# The due jobs in turns by source host: each host's first, then each host's second… A
# host that queued twelve costly sources does not hold every slot while another host's
# reply waits behind them. Only the earliest CLAIM_WINDOW are looked at, through the
# (job, next_attempt_at) index, so a long backlog is never sorted whole.
CLAIM_WINDOW = 256
_FAIR_DUE = """
SELECT id, source, target, site, protocol, status, moderated, verified, attempts,
       ROW_NUMBER() OVER (PARTITION BY source_host ORDER BY next_attempt_at, id) AS turn
FROM (SELECT * FROM mentions WHERE job = 'queued' AND next_attempt_at <= ?
      ORDER BY next_attempt_at LIMIT ?)
ORDER BY turn, next_attempt_at, id LIMIT ?
"""


def claim_due(
    connection: sqlite3.Connection, *, now: float, limit: int, lease_seconds: float
) -> list[VerificationJob]:
    """Claim up to `limit` due jobs: claims whose lease ran out, then queued ones whose time
    came, in turns by source host."""
    # Two queries, each walking the (job, next_attempt_at) index only as far as LIMIT: an OR
    # of both would collect and sort the whole backlog on every claim.
    with transaction(connection):
        rows = connection.execute(
            "SELECT id, source, target, site, protocol, status, moderated, verified, attempts "
            "FROM mentions WHERE job = 'claimed' AND claimed_until <= ? LIMIT ?",
            (now, limit),
        ).fetchall()
        rows += connection.execute(_FAIR_DUE, (now, CLAIM_WINDOW, limit - len(rows))).fetchall()
        connection.executemany(
            "UPDATE mentions SET job = 'claimed', claimed_until = ? WHERE id = ?",
            [(now + lease_seconds, row["id"]) for row in rows],
        )
    return [_job(row) for row in rows]


def _job(row: sqlite3.Row) -> VerificationJob:
    return VerificationJob(
        id=row["id"],
        source=row["source"],
        target=row["target"],
        site=row["site"],
        protocol=row["protocol"],
        status=MentionStatus(row["status"]),
        moderated=row["moderated"],
        verified=bool(row["verified"]),
        attempts=row["attempts"],
    )


def release_claims(connection: sqlite3.Connection) -> int:
    """Put claimed jobs back in the queue (a restarted endpoint: their worker is gone)."""
    with transaction(connection):
        return connection.execute(
            "UPDATE mentions SET job = 'queued', claimed_until = 0 WHERE job = 'claimed'"
        ).rowcount


def next_due_at(connection: sqlite3.Connection) -> float | None:
    """When the earliest queued job becomes due (Unix seconds), None when none waits."""
    queued = connection.execute(
        "SELECT MIN(next_attempt_at) FROM mentions WHERE job = 'queued'"
    ).fetchone()[0]
    claimed = connection.execute(
        "SELECT MIN(claimed_until) FROM mentions WHERE job = 'claimed'"
    ).fetchone()[0]
    return min((t for t in (queued, claimed) if t is not None), default=None)


def count_jobs(connection: sqlite3.Connection) -> int:
    """How many mentions still wait for (re-)verification."""
    return connection.execute("SELECT COUNT(*) FROM mentions WHERE job != 'done'").fetchone()[0]


def schedule_retry(
    connection: sqlite3.Connection, mention_id: int, *, reason: str, at: float, now: float
) -> None:
    """Count a failed attempt and queue the next one for `at` (Unix seconds)."""
    with transaction(connection):
        connection.execute(
            "UPDATE mentions SET job = 'queued', attempts = attempts + 1, next_attempt_at = ?, "
            "reason = CASE WHEN verified THEN reason ELSE ? END, updated = ? WHERE id = ?",
            (at, f"retrying: {reason}", iso(now), mention_id),
        )
