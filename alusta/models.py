"""Plain records shared by the endpoint, the build plugins and the jobs (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The JF2 key (GET /mentions) carrying a reply's parent, the in-reply-to that is not the target.
PARENT_KEY = "alusta-in-reply-to"


class MentionKind(StrEnum):
    """What a response is, from the mf2 property that points at our page."""

    REPLY = "reply"  # in-reply-to
    LIKE = "like"  # like-of
    REPOST = "repost"  # repost-of
    BOOKMARK = "bookmark"  # bookmark-of
    MENTION = "mention"  # any other link
    PINGBACK = "pingback"  # Pingback 1.0; shown as "Pingback: title | site"


# The mf2 property that makes a response each kind (microformats.org/wiki/h-entry);
# JF2 feeds name it in `wm-property`. Pingbacks and plain links are "mention-of".
MF2_PROPERTIES: dict[MentionKind, str] = {
    MentionKind.REPLY: "in-reply-to",
    MentionKind.LIKE: "like-of",
    MentionKind.REPOST: "repost-of",
    MentionKind.BOOKMARK: "bookmark-of",
    MentionKind.MENTION: "mention-of",
    MentionKind.PINGBACK: "mention-of",
}
# The kinds a source page declares with its own property, in the order they are looked for.
RESPONSE_KINDS = (MentionKind.REPLY, MentionKind.LIKE, MentionKind.REPOST, MentionKind.BOOKMARK)


def kind_of_property(name: str) -> MentionKind | None:
    """The kind an mf2 property name makes a response (None for other names)."""
    for kind, property_ in MF2_PROPERTIES.items():
        if property_ == name:
            return kind  # "mention-of" finds MENTION first: pingbacks are told by protocol
    return None


class MentionStatus(StrEnum):
    """Where a received mention is in its life; only APPROVED ones are shown."""

    QUEUED = "queued"  # accepted, waiting for verification
    PENDING = "pending"  # verified, waiting for a moderator (policy "queue")
    APPROVED = "approved"  # verified and shown
    REJECTED = "rejected"  # failed verification or rejected by a moderator
    DELETED = "deleted"  # source gone (410) or no longer links: hidden, kept for the record


@dataclass(frozen=True)
class Author:
    name: str = ""
    url: str = ""
    photo: str = ""


@dataclass(frozen=True)
class SourceEntry:
    """What verification learned about a source that links to a target."""

    url: str  # the source URL as sent
    final_url: str  # after redirects
    kind: MentionKind
    author: Author
    published: str  # ISO 8601 or ""
    name: str  # entry name (or page title)
    content_html: str  # sanitised with nh3
    content_text: str
    title: str  # the page's <title>
    excerpt: str  # text around the link (pingbacks)
    in_reply_to: str = ""  # another page the entry answers besides the target (threads)
    lang: str = ""  # the language the entry says it is in (alusta.i18n.tags), "" unknown


@dataclass(frozen=True)
class Mention:
    """A stored mention as the store returns it."""

    id: int
    source: str
    target: str
    site: str
    protocol: str  # "webmention" or "pingback"
    status: MentionStatus
    reason: str
    received: str  # ISO 8601 UTC
    updated: str
    entry: SourceEntry | None
    token: str = ""  # names the public status page
    verifying: bool = False  # a (re-)verification is queued or running


@dataclass(frozen=True)
class MentionRequest:
    """A Webmention or Pingback request that passed the synchronous checks."""

    source: str
    target: str
    site: str  # name of the site the target belongs to
    protocol: str = "webmention"  # or "pingback"


@dataclass(frozen=True)
class VerificationJob:
    """A stored mention the worker has claimed for (re-)verification."""

    id: int
    source: str
    target: str
    site: str
    protocol: str
    status: MentionStatus  # before this verification
    moderated: str  # "", "approved" or "rejected": a moderator's decision
    verified: bool  # True when an earlier verification succeeded
    attempts: int  # failed attempts so far
