"""All SQL about stored mentions: verified outcomes, moderation, reading (domain rules too).

Intake and the verification queue (claims, leases, retries) are alusta.verification_queue;
this module owns a mention once it exists: what verification found, what a moderator
decided, and the queries behind the CLI, the API and the build plugin. Every function takes
an open connection (alusta.db.connect: WAL, synchronous=FULL, autocommit) and runs one short
transaction (alusta.db.transaction), so a function that returns has committed and what it
wrote survives a crash. Times are passed in (`now`, Unix seconds); stored timestamps are
ISO 8601 UTC (alusta.db.iso).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable

from alusta.db import iso, transaction
from alusta.models import (
    Author,
    Mention,
    MentionKind,
    MentionRequest,
    MentionStatus,
    SourceEntry,
)
from alusta.urls import host_of, normalize_url

TOKEN_BYTES = 16


# --- verified outcomes ------------------------------------------------------------------


def save_verified(
    connection: sqlite3.Connection,
    mention_id: int,
    entry: SourceEntry,
    *,
    status: MentionStatus,
    reason: str,
    now: float,
) -> Mention:
    """Replace the mention's data with what verification found; finish its job."""
    with transaction(connection):
        connection.execute(
            "UPDATE mentions SET status = ?, reason = ?, job = 'done', verified = 1, "
            "updated = ?, final_url = ?, kind = ?, author_name = ?, author_url = ?, "
            "author_photo = ?, published = ?, name = ?, content_html = ?, content_text = ?, "
            "title = ?, excerpt = ?, in_reply_to = ?, lang = ? WHERE id = ?",
            (
                status,
                reason,
                iso(now),
                entry.final_url,
                entry.kind,
                entry.author.name,
                entry.author.url,
                entry.author.photo,
                entry.published,
                entry.name,
                entry.content_html,
                entry.content_text,
                entry.title,
                entry.excerpt,
                entry.in_reply_to,
                entry.lang,
                mention_id,
            ),
        )
    return mention_by_id(connection, mention_id)


def save_outcome(
    connection: sqlite3.Connection,
    mention_id: int,
    *,
    status: MentionStatus,
    reason: str,
    now: float,
) -> Mention:
    """Finish a job without new data: rejected, deleted, or kept as it was with a reason."""
    with transaction(connection):
        connection.execute(
            "UPDATE mentions SET status = ?, reason = ?, job = 'done', updated = ? WHERE id = ?",
            (status, reason, iso(now), mention_id),
        )
    return mention_by_id(connection, mention_id)


# --- moderation -------------------------------------------------------------------------


def moderate(
    connection: sqlite3.Connection, ids: Iterable[int], status: MentionStatus, *, now: float
) -> list[Mention]:
    """A moderator approves or rejects mentions; the decision sticks across re-verification."""
    if status not in (MentionStatus.APPROVED, MentionStatus.REJECTED):
        raise ValueError(f"a moderator cannot set status {status}")
    ids = list(ids)
    with transaction(connection):
        for mention_id in ids:
            connection.execute(
                "UPDATE mentions SET status = CASE WHEN verified OR protocol = 'comment' "
                "OR ? = 'rejected' "
                "THEN ? ELSE status END, moderated = ?, reason = ?, updated = ? WHERE id = ?",
                (status, status, status, f"{status} by a moderator", iso(now), mention_id),
            )
    return [m for m in (find_mention(connection, i) for i in ids) if m is not None]


def delete_mentions(connection: sqlite3.Connection, ids: Iterable[int]) -> list[Mention]:
    """Remove mentions for good (a person asked, or spam); returns what was removed."""
    ids = list(ids)
    removed = [m for m in (find_mention(connection, i) for i in ids) if m is not None]
    with transaction(connection):
        connection.executemany("DELETE FROM mentions WHERE id = ?", [(i,) for i in ids])
    return removed


def domain_rules(connection: sqlite3.Connection) -> dict[str, str]:
    """Every domain rule: {'example.org': 'block', …}."""
    return dict(connection.execute("SELECT domain, rule FROM mention_domains").fetchall())


# --- reading ----------------------------------------------------------------------------


def find_mention(connection: sqlite3.Connection, mention_id: int) -> Mention | None:
    row = connection.execute("SELECT * FROM mentions WHERE id = ?", (mention_id,)).fetchone()
    return mention_from_row(row) if row else None


def mention_by_id(connection: sqlite3.Connection, mention_id: int) -> Mention:
    mention = find_mention(connection, mention_id)
    if mention is None:
        raise LookupError(f"no mention with id {mention_id}")
    return mention


def mention_by_token(connection: sqlite3.Connection, token: str) -> Mention | None:
    row = connection.execute("SELECT * FROM mentions WHERE token = ?", (token,)).fetchone()
    return mention_from_row(row) if row else None


def mention_for(connection: sqlite3.Connection, source: str, target: str) -> Mention | None:
    row = connection.execute(
        "SELECT * FROM mentions WHERE source = ? AND target_key = ?",
        (source, normalize_url(target)),
    ).fetchone()
    return mention_from_row(row) if row else None


def list_mentions(
    connection: sqlite3.Connection,
    *,
    site: str | None = None,
    target: str | None = None,
    since: str | None = None,
    statuses: Iterable[MentionStatus] | None = None,
    limit: int | None = None,
) -> list[Mention]:
    """Mentions oldest first, filtered by site, target (any spelling: normalize_url), received
    after `since` (ISO 8601 UTC) and status."""
    key = normalize_url(target) if target is not None else None
    where, params = [], []
    for column, value in (("site = ?", site), ("target_key = ?", key), ("received > ?", since)):
        if value is not None:
            where.append(column)
            params.append(value)
    if statuses is not None:
        statuses = list(statuses)
        where.append(f"status IN ({', '.join('?' * len(statuses))})")
        params.extend(statuses)
    sql = "SELECT * FROM mentions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY received, id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [mention_from_row(row) for row in connection.execute(sql, params)]


def recent_mentions(
    connection: sqlite3.Connection,
    *,
    sites: Iterable[str],
    statuses: Iterable[MentionStatus],
    limit: int,
) -> list[Mention]:
    """The last changed mentions of these sites and statuses, newest first (moderation)."""
    sites, statuses = list(sites), list(statuses)
    if not sites or not statuses:
        return []
    sql = (
        f"SELECT * FROM mentions WHERE site IN ({', '.join('?' * len(sites))}) "  # noqa: S608 - placeholders only
        f"AND status IN ({', '.join('?' * len(statuses))}) ORDER BY updated DESC, id DESC LIMIT ?"
    )
    return [mention_from_row(row) for row in connection.execute(sql, [*sites, *statuses, limit])]


def approved_mentions(
    connection: sqlite3.Connection, *, site: str | None = None, target: str | None = None
) -> list[Mention]:
    """What readers see: approved mentions, oldest first (the build plugin reads these)."""
    return list_mentions(connection, site=site, target=target, statuses=[MentionStatus.APPROVED])


def mention_from_row(row: sqlite3.Row) -> Mention:
    entry = None
    if row["verified"] or row["protocol"] == "comment":  # imported comments are never verified
        entry = SourceEntry(
            url=row["source"],
            final_url=row["final_url"] or row["source"],
            kind=MentionKind(row["kind"]),
            author=Author(
                name=row["author_name"] or "",
                url=row["author_url"] or "",
                photo=row["author_photo"] or "",
            ),
            published=row["published"] or "",
            name=row["name"] or "",
            content_html=row["content_html"] or "",
            content_text=row["content_text"] or "",
            title=row["title"] or "",
            excerpt=row["excerpt"] or "",
            in_reply_to=row["in_reply_to"],
            lang=row["lang"],
        )
    return Mention(
        id=row["id"],
        source=row["source"],
        target=row["target"],
        site=row["site"],
        protocol=row["protocol"],
        status=MentionStatus(row["status"]),
        reason=row["reason"],
        received=row["received"],
        updated=row["updated"],
        entry=entry,
        token=row["token"],
        verifying=row["job"] != "done",
    )


# --- internal mentions (alusta.send) ----------------------------------------------------

_INTERNAL_UPSERT = """
INSERT INTO mentions (token, source, target, target_key, source_host, site, protocol, status,
                      reason, received, updated, job, verified)
VALUES (?, ?, ?, ?, ?, ?, ?, 'approved', 'link between our own sites', ?, ?, 'done', 1)
ON CONFLICT (source, target_key) DO UPDATE SET target = excluded.target,
    site = excluded.site, protocol = excluded.protocol, job = 'done', verified = 1,
    attempts = 0, updated = excluded.updated,
    status = CASE WHEN mentions.moderated = 'rejected' THEN 'rejected' ELSE 'approved' END,
    reason = CASE WHEN mentions.moderated = 'rejected' THEN mentions.reason
                  ELSE excluded.reason END
RETURNING id
"""


def record_internal_mention(
    connection: sqlite3.Connection, request: MentionRequest, entry: SourceEntry, *, now: float
) -> Mention:
    """Store a link between two of our own sites as a verified, approved mention.

    `publish.py send` reads the source from the build output instead of fetching it over
    HTTP, so the row is written finished (job 'done') in one transaction and never enters
    the verification queue. Our own posts are reviewed by our writers, hence approved; a
    moderator's rejection still sticks.
    """
    stamp = iso(now)
    intake = (
        secrets.token_urlsafe(TOKEN_BYTES), request.source, request.target,
        normalize_url(request.target), host_of(request.source), request.site,
        request.protocol, stamp, stamp,
    )  # fmt: skip
    with transaction(connection):
        (mention_id,) = connection.execute(_INTERNAL_UPSERT, intake).fetchone()
        connection.execute(
            "UPDATE mentions SET final_url = ?, kind = ?, author_name = ?, author_url = ?, "
            "author_photo = ?, published = ?, name = ?, content_html = ?, content_text = ?, "
            "title = ?, excerpt = ?, in_reply_to = ?, lang = ? WHERE id = ?",
            (
                entry.final_url, entry.kind, entry.author.name, entry.author.url,
                entry.author.photo, entry.published, entry.name, entry.content_html,
                entry.content_text, entry.title, entry.excerpt, entry.in_reply_to, entry.lang,
                mention_id,
            ),
        )  # fmt: skip
    return mention_by_id(connection, mention_id)
