"""What a page shows of its mentions: one record per response, grouped by kind.

Responses come from our SQLite store or from another endpoint's JF2 API; either way the
fields are treated as hostile here: URLs must be http(s), texts are capped, and the HTML
content is sanitised again with the store's nh3 allowlist (harmless when it already was).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from alusta.i18n.tags import language_tag, primary_language
from alusta.models import Mention, MentionKind
from alusta.sanitize import sanitize_html
from alusta.times import rfc3339, utc_iso
from alusta.urls import is_http_url, normalize_url

MAX_NAME_CHARS = 120
MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 2000
FACEPILE_KINDS = (MentionKind.LIKE, MentionKind.REPOST, MentionKind.BOOKMARK)
DIGEST_CHARS = 16


def safe_url(url: str) -> str:
    """`url` when it is an absolute http(s) URL, else "" (no javascript:, data:, relative)."""
    url = (url or "").strip()
    return url if is_http_url(url) else ""


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (an ellipsis marks the cut)."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Response:
    """One approved mention as the theme shows it; every field already safe to render."""

    id: int
    kind: MentionKind
    target: str
    source: str  # the page that links to us (http(s))
    author_name: str
    author_url: str
    author_photo: str  # the remote photo URL; only the build fetches it
    published: str  # ISO 8601 or ""
    received: str  # ISO 8601 UTC
    name: str  # entry name or page title
    content_html: str  # sanitised HTML
    content_text: str
    site_host: str  # the source's host, for "Pingback: title | host"
    in_reply_to: str = ""  # the source URL of the reply this one answers, "" at top level
    lang: str = ""  # the language the reply says it is in (a checked tag), "" unknown

    def lang_apart_from(self, page_lang: str) -> str:
        """The reply's `lang` attribute under a page in `page_lang`: only when it differs."""
        if self.lang and primary_language(self.lang) != primary_language(page_lang):
            return self.lang
        return ""

    @property
    def sort_time(self) -> str:
        """Replies read in the order they were written; received when no date was given."""
        return _utc(self.published) or self.received

    @property
    def display_name(self) -> str:
        return self.author_name or self.site_host


def _utc(value: str) -> str:
    return utc_iso(value) or ""


def make_response(
    *,
    id: int,
    kind: MentionKind,
    target: str,
    source: str,
    author_name: str = "",
    author_url: str = "",
    author_photo: str = "",
    published: str = "",
    received: str = "",
    name: str = "",
    content_html: str = "",
    content_text: str = "",
    in_reply_to: str = "",
    lang: str = "",
) -> Response | None:
    """A Response from untrusted fields, or None when source or target is not http(s)."""
    source, target = safe_url(source), safe_url(target)
    if not source or not target:
        return None
    return Response(
        id=int(id),
        kind=MentionKind(kind),
        target=target,
        source=source,
        author_name=clip(author_name, MAX_NAME_CHARS),
        author_url=safe_url(author_url),
        author_photo=safe_url(author_photo),
        published=rfc3339(published) if _utc(published) else "",
        received=_utc(received) or received[:32],
        name=clip(name, MAX_TITLE_CHARS),
        content_html=sanitize_html(content_html or "", base_url=source),
        content_text=clip(content_text, MAX_TEXT_CHARS),
        site_host=(urlsplit(source).hostname or "").lower(),
        in_reply_to=safe_url(in_reply_to),
        lang=language_tag(lang),
    )


def from_mention(mention: Mention) -> Response | None:
    """A stored, verified mention as a Response (unverified ones have nothing to show)."""
    entry = mention.entry
    if entry is None:
        return None
    kind = MentionKind.PINGBACK if mention.protocol == "pingback" else entry.kind
    return make_response(
        id=mention.id,
        kind=kind,
        target=mention.target,
        source=entry.final_url or mention.source,
        author_name=entry.author.name,
        author_url=entry.author.url,
        author_photo=entry.author.photo,
        published=entry.published,
        received=mention.received,
        name=(entry.title or entry.name)
        if kind == MentionKind.PINGBACK
        else (entry.name or entry.title),
        content_html=entry.content_html,
        content_text=entry.content_text or entry.excerpt,
        in_reply_to=entry.in_reply_to,
        lang=entry.lang,
    )


@dataclass(frozen=True)
class Responses:
    """The responses of one page, grouped the way the theme shows them."""

    target: str
    replies: list[Response] = field(default_factory=list)
    likes: list[Response] = field(default_factory=list)
    reposts: list[Response] = field(default_factory=list)
    bookmarks: list[Response] = field(default_factory=list)
    mentions: list[Response] = field(default_factory=list)
    pingbacks: list[Response] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group) for group in self.groups())

    def groups(self) -> tuple[list[Response], ...]:
        return (
            self.replies,
            self.likes,
            self.reposts,
            self.bookmarks,
            self.mentions,
            self.pingbacks,
        )

    def threads(self) -> list[Thread]:
        """Replies as a forest: each nested under the earlier reply it answers."""
        return thread_replies(self.replies)

    def all(self) -> list[Response]:
        return [response for group in self.groups() for response in group]

    @property
    def digest(self) -> str:
        """A short fingerprint of what is shown; the page's markers carry it (see refresh)."""
        return responses_digest(self.all())


@dataclass(frozen=True)
class Thread:
    """A reply and the replies that answer it, in the order they were written."""

    response: Response
    replies: list[Thread] = field(default_factory=list)


def thread_replies(replies: list[Response]) -> list[Thread]:
    """Nest each reply under the reply its in-reply-to names (by source URL).

    Only an earlier reply can be a parent, so a loop of replies naming each other cannot
    hide them: the first of the loop stays at the top level. Any reply whose parent is
    not shown (rejected, deleted, elsewhere) stays at the top level too.
    """
    roots: list[Thread] = []
    by_source: dict[str, Thread] = {}
    for response in replies:
        node = Thread(response)
        parent = by_source.get(_thread_key(response.in_reply_to)) if response.in_reply_to else None
        (parent.replies if parent else roots).append(node)
        by_source.setdefault(_thread_key(response.source), node)
    return roots


def _thread_key(url: str) -> str:
    """A reply's address for threading: normalised, but with its fragment, because the
    comments of one page differ only there (an imported WordPress comment's source is
    `…/post/#comment-101`)."""
    fragment = urlsplit(url).fragment
    return normalize_url(url) + (f"#{fragment}" if fragment else "")


GROUP_OF_KIND = {
    MentionKind.REPLY: "replies",
    MentionKind.LIKE: "likes",
    MentionKind.REPOST: "reposts",
    MentionKind.BOOKMARK: "bookmarks",
    MentionKind.MENTION: "mentions",
    MentionKind.PINGBACK: "pingbacks",
}


def group_responses(target: str, responses: list[Response]) -> Responses:
    """Group by kind; replies in the order written, the rest in the order received."""
    grouped: dict[str, list[Response]] = {name: [] for name in GROUP_OF_KIND.values()}
    for response in sorted(responses, key=lambda r: (r.received, r.id)):
        grouped[GROUP_OF_KIND[response.kind]].append(response)
    grouped["replies"].sort(key=lambda r: (r.sort_time, r.id))
    return Responses(target=target, **grouped)


def by_target(responses: list[Response]) -> dict[str, list[Response]]:
    """Responses keyed by their target's normalised URL (any spelling lands on one page)."""
    keyed: dict[str, list[Response]] = {}
    for response in responses:
        keyed.setdefault(normalize_url(response.target), []).append(response)
    return keyed


def rebased(keyed: dict[str, list[Response]], public: str, base: str) -> dict[str, list[Response]]:
    """`by_target` keys under the site's public address moved under `base`, where this
    build puts the site (serve, `build --siteurl`): replies imported from WordPress or
    webmention.io, and any sent to the live site, name the public addresses."""
    prefix = normalize_url(f"{public.rstrip('/')}/").rstrip("/")
    if not public or prefix == normalize_url(f"{base.rstrip('/')}/").rstrip("/"):
        return keyed
    moved: dict[str, list[Response]] = {}
    for key, responses in keyed.items():
        inside = key == prefix or key.startswith(f"{prefix}/")
        here = normalize_url(base.rstrip("/") + (key[len(prefix) :] or "/")) if inside else key
        moved.setdefault(here, []).extend(responses)
    return moved


def responses_digest(responses: list[Response]) -> str:
    """Fingerprint of a list of responses, independent of their order."""
    rows = sorted(json.dumps(asdict(r), sort_keys=True) for r in responses)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:DIGEST_CHARS]
