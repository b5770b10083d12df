"""WordPress comments, pingbacks and trackbacks as responses on the imported post.

Approved comments are shown, unapproved ones wait in moderation, spam and trash stay
behind. A comment's source is its old permalink (`…/#comment-ID`), so a reply names its
parent by that URL (`in_reply_to`) and the thread survives. A pingback's source is the page
that linked, its title the one WordPress stored (entities decoded: `&#8220;` → “), and a
source that is one of the imported posts becomes its new address. Commenters' IP addresses
are dropped; their e-mail addresses are kept only as the salted hash feedback uses, so one
person's comments can be erased on request (`publish.py mentions delete --email`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from alusta.imported_mentions import ImportedResponse
from alusta.importing.wordpress.autop import wpautop
from alusta.importing.wordpress.markdown import plain_text
from alusta.importing.wordpress.plan import NO_DATE, WP_TIME
from alusta.importing.wordpress.wxr import Comment, Item
from alusta.models import MentionKind, MentionStatus
from alusta.responses.model import safe_url
from alusta.sanitize import sanitize_html

STATUS_OF_APPROVED = {"1": MentionStatus.APPROVED, "0": MentionStatus.PENDING}
PING_TYPES = ("pingback", "trackback")
MAX_TEXT_CHARS = 2000

EmailHash = Callable[[str], str]
NewAddress = Callable[[str], "str | None"]  # old-site URL -> new absolute URL


def _utc(comment: Comment) -> str:
    if comment.date_gmt and comment.date_gmt != NO_DATE:
        moment = datetime.strptime(comment.date_gmt, WP_TIME).replace(tzinfo=UTC)
    else:
        moment = datetime.strptime(comment.date or "1970-01-01 00:00:00", WP_TIME)
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def comment_source(post_link: str, comment_id: int) -> str:
    """The old permalink of one comment, as WordPress linked it."""
    return f"{post_link.split('#', 1)[0]}#comment-{comment_id}"


class CommentConverter:
    """Turns the comments of one post into ImportedResponses (see the module docstring)."""

    def __init__(self, site: str, email_hash: EmailHash, new_address: NewAddress) -> None:
        self.site = site
        self.email_hash = email_hash
        self.new_address = new_address

    def responses(self, item: Item, target: str) -> Iterator[ImportedResponse]:
        kept = {c.id for c in item.comments if c.approved in STATUS_OF_APPROVED}
        for comment in item.comments:
            status = STATUS_OF_APPROVED.get(comment.approved)
            if status is None:
                continue  # spam, trash, post-trashed
            if comment.type in PING_TYPES:
                ping = self._ping(comment, target, status)
                if ping is not None:
                    yield ping
            else:
                parent = comment_source(item.link, comment.parent) if comment.parent in kept else ""
                yield self._comment(item, comment, target, status, parent)

    def _comment(
        self, item: Item, comment: Comment, target: str, status: MentionStatus, parent: str
    ) -> ImportedResponse:
        source = comment_source(item.link, comment.id)
        content = sanitize_html(wpautop(comment.content), base_url=source)
        email = comment.email.strip()  # email_hash keeps one spelling (alusta.emails)
        return ImportedResponse(
            source=source,
            target=target,
            site=self.site,
            protocol="comment",
            status=status,
            kind=MentionKind.REPLY,
            received=_utc(comment),
            published=_utc(comment),
            author_name=html.unescape(comment.author),
            author_url=safe_url(comment.url),
            content_html=content,
            content_text=plain_text(content)[:MAX_TEXT_CHARS],
            in_reply_to=parent,
            author_email_hash=self.email_hash(email) if email else "",
            reason="imported from WordPress",
        )

    def _ping(
        self, comment: Comment, target: str, status: MentionStatus
    ) -> ImportedResponse | None:
        source = self.new_address(comment.url) or safe_url(comment.url)
        if not source:
            return None
        excerpt = plain_text(html.unescape(comment.content))[:MAX_TEXT_CHARS]
        title = html.unescape(html.unescape(comment.author))
        return ImportedResponse(
            source=source,
            target=target,
            site=self.site,
            protocol="pingback",
            status=status,
            kind=MentionKind.PINGBACK,
            received=_utc(comment),
            published=_utc(comment),
            title=title,
            name=title,
            content_text=excerpt,
            excerpt=excerpt,
            reason=f"imported {comment.type} from WordPress",
        )
