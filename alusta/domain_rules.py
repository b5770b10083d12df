"""The SQL behind the domain lists a moderator keeps: block, allow, list and remove.

A block acts on what is already stored too: replies from the domain that are shown or
waiting are hidden at once (status 'rejected', reason BLOCKED_REASON), so a spammer's
earlier replies do not wait for their sender to send again. Removing a block puts those
replies back in the verification queue; verification decides afresh under the rules then
in force (policy, allow list, a moderator's earlier word). Same conventions as
alusta.store: an open connection in, one short transaction, `now` in Unix seconds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from alusta.db import iso, transaction
from alusta.models import Mention, MentionStatus
from alusta.moderation import BLOCKED_REASON, is_blocked
from alusta.store import domain_rules, find_mention
from alusta.urls import host_of

VISIBLE_OR_WAITING = (MentionStatus.APPROVED, MentionStatus.PENDING, MentionStatus.QUEUED)
RULES = ("allow", "block")


@dataclass(frozen=True)
class DomainRule:
    """One line of the domain lists."""

    domain: str
    rule: str  # "allow" or "block"
    created: str  # ISO 8601 UTC


def rules(connection: sqlite3.Connection) -> list[DomainRule]:
    """Every rule, blocks first, then by domain."""
    rows = connection.execute(
        "SELECT domain, rule, created FROM mention_domains ORDER BY rule DESC, domain"
    ).fetchall()
    return [DomainRule(domain=r["domain"], rule=r["rule"], created=r["created"]) for r in rows]


def set_domain_rule(connection: sqlite3.Connection, domain: str, rule: str, *, now: float) -> None:
    """Always approve ('allow') or silently reject ('block') sources on a domain."""
    if rule not in RULES:
        raise ValueError(f"unknown domain rule {rule!r}")
    with transaction(connection):
        connection.execute(
            "INSERT INTO mention_domains (domain, rule, created) VALUES (?, ?, ?) "
            "ON CONFLICT (domain) DO UPDATE SET rule = excluded.rule",
            (domain.lower().strip("."), rule, iso(now)),
        )


def block(connection: sqlite3.Connection, domain: str, *, now: float) -> list[Mention]:
    """Block a domain and hide its stored replies; the mentions that were hidden."""
    with transaction(connection):
        set_domain_rule(connection, domain, "block", now=now)
        current = domain_rules(connection)
        marks = ", ".join("?" * len(VISIBLE_OR_WAITING))
        candidates = connection.execute(
            f"SELECT id, source_host, final_url FROM mentions WHERE status IN ({marks})",  # noqa: S608 - placeholders only
            VISIBLE_OR_WAITING,
        ).fetchall()
        hidden = [row["id"] for row in candidates if _from_blocked(row, current)]
        connection.executemany(
            "UPDATE mentions SET status = 'rejected', reason = ?, updated = ? WHERE id = ?",
            [(BLOCKED_REASON, iso(now), mention_id) for mention_id in hidden],
        )
    return _found(connection, hidden)


def allow(connection: sqlite3.Connection, domain: str, *, now: float) -> None:
    """Always approve verified replies from a domain (replies already stored keep their
    status: a moderator approves those one by one)."""
    set_domain_rule(connection, domain, "allow", now=now)


def remove(connection: sqlite3.Connection, domain: str, rule: str, *, now: float) -> list[Mention]:
    """Remove one rule; LookupError when there is none. Replies that the block hid and that
    are no longer blocked are queued for verification again; those are returned."""
    domain = domain.lower().strip(".")
    with transaction(connection):
        deleted = connection.execute(
            "DELETE FROM mention_domains WHERE domain = ? AND rule = ?", (domain, rule)
        ).rowcount
        if not deleted:
            raise LookupError(f"{domain} is not on the {rule} list")
        current = domain_rules(connection)
        candidates = connection.execute(
            "SELECT id, source_host FROM mentions WHERE status = 'rejected' AND reason = ? "
            "AND moderated != 'rejected'",
            (BLOCKED_REASON,),
        ).fetchall()
        requeued = [row["id"] for row in candidates if not is_blocked(row["source_host"], current)]
        connection.executemany(
            "UPDATE mentions SET status = 'queued', job = 'queued', attempts = 0, "
            "next_attempt_at = ?, "
            "reason = '', updated = ? WHERE id = ?",
            [(now, iso(now), mention_id) for mention_id in requeued],
        )
    return _found(connection, requeued)


def _from_blocked(row: sqlite3.Row, current: dict[str, str]) -> bool:
    """A reply from a blocked domain: its source's, or the page the source redirected to."""
    final_host = host_of(row["final_url"]) if row["final_url"] else ""
    return is_blocked(row["source_host"], current) or is_blocked(final_host, current)


def _found(connection: sqlite3.Connection, ids: list[int]) -> list[Mention]:
    return [m for m in (find_mention(connection, i) for i in ids) if m is not None]
