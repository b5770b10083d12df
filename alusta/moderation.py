"""Where a verified mention goes: shown at once, held for a moderator, or silently rejected.

The rules, strongest first: a blocked source domain is rejected (and the sender is not told,
so spammers learn nothing); a moderator's earlier decision sticks when the source is sent
again; an allow-listed domain, the site's policy `auto` or development mode approve;
policy `queue` holds the mention as pending.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alusta.models import Mention, MentionStatus

BLOCKED_REASON = "rejected by moderation"
PENDING_REASON = "verified, waiting for a moderator"


@dataclass(frozen=True)
class Decision:
    status: MentionStatus
    reason: str


def domain_rule(host: str, rules: dict[str, str]) -> str:
    """The rule for a host from the domain lists ('allow', 'block' or ''): subdomains inherit,
    the most specific domain wins."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    for start in range(len(labels)):
        rule = rules.get(".".join(labels[start:]))
        if rule:
            return rule
    return ""


def is_blocked(host: str, rules: dict[str, str]) -> bool:
    return domain_rule(host, rules) == "block"


def decide(
    *,
    policy: str,
    development: bool,
    source_host: str,
    rules: dict[str, str],
    previous: MentionStatus,
    moderated: str,
) -> Decision:
    """The status of a mention whose source was just verified."""
    rule = domain_rule(source_host, rules)
    if rule == "block":
        return Decision(MentionStatus.REJECTED, BLOCKED_REASON)
    if moderated == MentionStatus.REJECTED:
        return Decision(MentionStatus.REJECTED, "rejected by a moderator")
    if MentionStatus.APPROVED in (moderated, previous):
        return Decision(MentionStatus.APPROVED, "verified")
    if rule == "allow" or policy == "auto" or development:
        return Decision(MentionStatus.APPROVED, "verified")
    return Decision(MentionStatus.PENDING, PENDING_REASON)


def is_news(*, notify: str, status: MentionStatus, previous: MentionStatus) -> bool:
    """Whether a verification outcome is told to the site's maintainers: a reply that now
    waits for approval, or (policy "all") one that is now shown; never the same twice."""
    if status == previous:
        return False
    return status == MentionStatus.PENDING or (notify == "all" and status == MentionStatus.APPROVED)


def as_sender_sees(mention: Mention) -> Mention:
    """The mention as its status page shows it. One the block list rejected looks like one
    waiting for a moderator: a blocked sender is not told it was blocked, so a spammer
    learns nothing to route around."""
    if mention.status == MentionStatus.REJECTED and mention.reason == BLOCKED_REASON:
        return replace(mention, status=MentionStatus.PENDING, reason=PENDING_REASON)
    return mention
