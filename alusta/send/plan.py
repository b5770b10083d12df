"""Deciding what to send for one post: compare the built post with what was announced.

Webmention Recommendation §3.1.1 ("Sending Webmentions") and §3.2.4 (updates and
deletes): a receiver learns about an edit or a deletion only by being notified again,
after which it re-fetches the source. So:

- a new post notifies every link it has;
- an edited post (content hash differs) notifies every link it has now and every link it
  had before (the removed ones, so their receivers drop the mention);
- an unchanged post notifies nothing;
- a gone post notifies every link it had (its URL now answers 410 Gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alusta.post_links import PostContent
from alusta.send.state import Outgoing, SentPost

GONE_HASH = ""


class Reason(StrEnum):
    NEW_LINK = "new-link"  # the post links to it for the first time
    CONTENT_CHANGED = "content-changed"  # the post still links to it and was edited
    LINK_REMOVED = "link-removed"  # the edited post no longer links to it
    POST_GONE = "post-gone"  # the post was deleted or unpublished


@dataclass(frozen=True)
class PostPlan:
    """The new announced state of one post and the notifications that go with it."""

    post: SentPost
    outgoing: tuple[Outgoing, ...]


def plan_published(
    site: str, path: str, current: PostContent, previous: SentPost | None
) -> PostPlan | None:
    """What to send for a published post, or None when it is unchanged."""
    if previous is not None and previous.content_hash == current.content_hash:
        return None
    before = set(previous.links) if previous else set()
    now = set(current.links)
    outgoing = [
        Outgoing(
            current.url, target, Reason.CONTENT_CHANGED if target in before else Reason.NEW_LINK
        )
        for target in current.links
    ]
    if previous is not None:
        outgoing += [
            Outgoing(current.url, target, Reason.LINK_REMOVED)
            for target in previous.links
            if target not in now
        ]
    post = SentPost(site, path, current.url, current.content_hash, current.links)
    return PostPlan(post, tuple(outgoing))


def plan_gone(previous: SentPost | None) -> PostPlan | None:
    """What to send for a post that is gone, or None when its targets were told already."""
    if previous is None or previous.content_hash == GONE_HASH:
        return None
    outgoing = tuple(Outgoing(previous.source, t, Reason.POST_GONE) for t in previous.links)
    post = SentPost(previous.site, previous.path, previous.source, GONE_HASH, ())
    return PostPlan(post, outgoing)
