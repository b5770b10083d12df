"""Mentions as a JF2 feed in webmention.io's field names, as the bytes that are sent.

Each entry carries what webmention.io's entries carry (its helpers/formats.rb): the
property as a key pointing at the target (`"in-reply-to": target`, `like-of`, …),
`wm-property`, `wm-private` (always false: we receive no private webmentions), `wm-id`,
`wm-source`, `wm-target`, `wm-received`, and `published` in RFC 3339 (`+02:00`; mf2py gives
`+0200`). Every text is clipped to the length verification stores, so a page of at most
MAX_PER_PAGE entries has a known ceiling, whatever an import brought in.
"""

from __future__ import annotations

import json

from alusta.microformats import MAX_CONTENT_HTML_CHARS, MAX_FIELD_CHARS, MAX_TEXT_CHARS
from alusta.models import MF2_PROPERTIES, PARENT_KEY, Mention, MentionKind
from alusta.sanitize import sanitize_html
from alusta.times import rfc3339

MAX_URL_CHARS = 2048
MAX_HTML_CHARS = 2 * MAX_CONTENT_HTML_CHARS  # room for what sanitising adds to stored HTML


def feed_bytes(mentions: list[Mention], *, with_status: bool) -> bytes:
    """The JF2 feed document of these mentions, as compact UTF-8 JSON."""
    document = {
        "type": "feed",
        "name": "Mentions",
        "children": [jf2_entry(m, with_status=with_status) for m in mentions],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def jf2_entry(mention: Mention, *, with_status: bool = False) -> dict[str, object]:
    """One JF2 entry; fields a mention has not (yet) got are null, as webmention.io does."""
    entry = mention.entry
    kind = entry.kind if entry else _unverified_kind(mention)
    prop = MF2_PROPERTIES[kind]
    target = mention.target[:MAX_URL_CHARS]
    item: dict[str, object] = {
        "type": "entry",
        "author": {
            "type": "card",
            "name": entry.author.name[:MAX_FIELD_CHARS] if entry else "",
            "url": entry.author.url[:MAX_URL_CHARS] if entry else "",
            "photo": entry.author.photo[:MAX_URL_CHARS] if entry else "",
        },
        "url": (entry.final_url if entry else mention.source)[:MAX_URL_CHARS],
        "published": rfc3339(entry.published)[:MAX_FIELD_CHARS]
        if entry and entry.published
        else None,
        "name": (entry.name or entry.title or None) if entry else None,
        "content": _content(mention),
        prop: target,
        "wm-property": prop,
        "wm-private": False,
        "wm-protocol": mention.protocol,
        "wm-source": mention.source[:MAX_URL_CHARS],
        "wm-target": target,
        "wm-received": mention.received,
        "wm-id": mention.id,
        "wm-site": mention.site,
    }
    if isinstance(item["name"], str):
        item["name"] = item["name"][:MAX_FIELD_CHARS]
    if entry and entry.lang:
        item["lang"] = entry.lang  # as mf2 parsers name it; a build reading the API uses it
    if entry and entry.in_reply_to:
        item[PARENT_KEY] = entry.in_reply_to[:MAX_URL_CHARS]  # threads: the reply it answers
    if entry and kind == MentionKind.PINGBACK:
        item["wm-title"] = entry.title[:MAX_FIELD_CHARS]
        item["wm-excerpt"] = entry.excerpt[:MAX_TEXT_CHARS]
    if with_status:
        item["wm-status"] = str(mention.status)
        item["wm-reason"] = mention.reason[:MAX_FIELD_CHARS]
    return item


def _unverified_kind(mention: Mention) -> MentionKind:
    return MentionKind.PINGBACK if mention.protocol == "pingback" else MentionKind.MENTION


def _content(mention: Mention) -> dict[str, str] | None:
    entry = mention.entry
    if entry is None:
        return None
    return {
        "html": _clipped_html(entry.content_html),
        "text": (entry.content_text or entry.excerpt)[:MAX_TEXT_CHARS],
    }


def _clipped_html(html: str) -> str:
    """Stored HTML, or (past the cap: only imports get there) its start, sanitised again so
    the cut closes every element it opened."""
    if len(html) <= MAX_HTML_CHARS:
        return html
    return sanitize_html(html[:MAX_HTML_CHARS])
