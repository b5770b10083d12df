"""A moderation form, checked against what its sender may do, turned into one action.

A reply's own buttons post `do` = "approve:42" (the action and that reply), the bulk
buttons post `action` with the ticked `ids`, and a rule's remove button posts `action`
(unblock, unallow) with its `domain`; the page needs no JavaScript. A moderator token acts
on its own site's replies only; the domain lists are shared by every site, so only the
admin token changes them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from alusta import store
from alusta.errors import AlustaError
from alusta.models import Mention
from alusta.moderation_actions import (
    ID_ACTIONS,
    Action,
    act_on_ids,
    add_rule,
    remove_rule,
    sender_domain,
)
from alusta.moderation_web.access import Moderator

MAX_IDS = 500
RULE_REMOVALS = {"unblock": Action.BLOCK, "unallow": Action.ALLOW}


class NotAllowed(AlustaError):
    """The form asks for something this moderator may not do, or is malformed."""


@dataclass(frozen=True)
class Outcome:
    action: str
    count: int
    changed: list[Mention] = field(default_factory=list)  # their pages need a refresh


def _normalised(form: dict[str, list[str]]) -> dict[str, list[str]]:
    """A reply's own button ("do" = "approve:42") as the bulk form would say it."""
    if "do" not in form:
        return form
    action, _, mention_id = form["do"][0].partition(":")
    return {"action": [action], "ids": [mention_id]}


def _ids(form: dict[str, list[str]]) -> list[int]:
    values = form.get("ids") or []
    if not values or len(values) > MAX_IDS or not all(v.isdigit() for v in values):
        raise NotAllowed("choose at least one reply")
    return [int(v) for v in values]


def _visible(connection: sqlite3.Connection, moderator: Moderator, ids: list[int]) -> list[int]:
    """The ids this moderator may act on; NotAllowed names the first one it may not."""
    for mention_id in ids:
        mention = store.find_mention(connection, mention_id)
        if mention is not None and not moderator.may_see(mention.site):
            raise NotAllowed(f"reply {mention_id} is not on your site")
    return ids


def perform(
    connection: sqlite3.Connection, moderator: Moderator, form: dict[str, list[str]], *, now: float
) -> Outcome:
    """Do what the form asks; NotAllowed (nothing changed) when it may not be done."""
    form = _normalised(form)
    action = (form.get("action") or [""])[0]
    if action in ID_ACTIONS:
        ids = _visible(connection, moderator, _ids(form))
        changed = act_on_ids(connection, Action(action), ids, now=now)
        return Outcome(action, len(changed), changed)
    if not moderator.is_admin:
        raise NotAllowed("only the admin token changes the domain lists")
    if action in (Action.BLOCK, Action.ALLOW):
        domains = sorted({sender_domain(connection, i) for i in _ids(form)})
        changed = [m for d in domains for m in add_rule(connection, Action(action), d, now=now)]
        return Outcome(action, len(domains), changed)
    if action in RULE_REMOVALS:
        domain = (form.get("domain") or [""])[0]
        changed = remove_rule(connection, RULE_REMOVALS[action], domain, now=now)
        return Outcome(action, 1, changed)
    raise NotAllowed(f"unknown action {action!r}")
