"""What a moderator can do, in one place for the CLI and the moderation page.

Each action takes an open connection and returns the mentions whose visibility it changed,
so the caller re-renders the pages that show them (alusta.responses.refresh) the moment
the transaction has committed.
"""

from __future__ import annotations

import re
import sqlite3
from enum import StrEnum

from alusta import domain_rules, store
from alusta.errors import AlustaError
from alusta.models import Mention, MentionStatus
from alusta.urls import host_of

DOMAIN_PATTERN = re.compile(
    r"^[a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff.-]*[a-z0-9\u00a1-\uffff])?$"
)


class Action(StrEnum):
    """The buttons on the moderation page and the `publish.py mentions` commands."""

    APPROVE = "approve"
    REJECT = "reject"
    DELETE = "delete"
    BLOCK = "block"  # the sender's domain
    ALLOW = "allow"  # the sender's domain


ID_ACTIONS = (Action.APPROVE, Action.REJECT, Action.DELETE)


class InvalidDomain(AlustaError):
    """A domain rule was asked for something that is not a host name."""


class NotFound(AlustaError):
    """No mention with the id, or no rule for the domain."""


def clean_domain(text: str) -> str:
    """A host name as rules store it (lower case, no dots at the ends), or InvalidDomain."""
    domain = text.strip().lower().strip(".")
    if not domain or not DOMAIN_PATTERN.match(domain) or ".." in domain:
        raise InvalidDomain(f"{text.strip()!r} is not a domain name (like example.org)")
    return domain


def act_on_ids(
    connection: sqlite3.Connection, action: Action, ids: list[int], *, now: float
) -> list[Mention]:
    """Approve, reject or delete mentions by id; the ones that exist (and were changed)."""
    if action == Action.DELETE:
        changed = store.delete_mentions(connection, ids)
    elif action in (Action.APPROVE, Action.REJECT):
        status = MentionStatus.APPROVED if action == Action.APPROVE else MentionStatus.REJECTED
        changed = store.moderate(connection, ids, status, now=now)
    else:
        raise ValueError(f"{action} does not act on mention ids")
    return changed


def add_rule(
    connection: sqlite3.Connection, rule: Action, domain: str, *, now: float
) -> list[Mention]:
    """Block or allow a domain (and its subdomains); a block hides its stored replies."""
    domain = clean_domain(domain)
    if rule == Action.BLOCK:
        return domain_rules.block(connection, domain, now=now)
    if rule == Action.ALLOW:
        domain_rules.allow(connection, domain, now=now)
        return []
    raise ValueError(f"{rule} is not a domain rule")


def remove_rule(
    connection: sqlite3.Connection, rule: Action, domain: str, *, now: float
) -> list[Mention]:
    """Take a domain off the block or allow list; replies the block hid are verified again."""
    try:
        return domain_rules.remove(connection, clean_domain(domain), str(rule), now=now)
    except LookupError as error:
        raise NotFound(str(error)) from error


def sender_domain(connection: sqlite3.Connection, mention_id: int) -> str:
    """The host a mention's source lives on (the page's block/allow buttons act on it)."""
    mention = store.find_mention(connection, mention_id)
    if mention is None:
        raise NotFound(f"no mention with id {mention_id}")
    return host_of(mention.source)
