"""GET /mentions: received mentions as a JF2 feed, in webmention.io's field names.

`?target=URL` (any spelling of the page's URL), `?site=NAME`, `?since=ISO8601` (received
after), `?limit=N`. The public sees approved mentions only; `Authorization: Bearer <admin
token>` sees every mention with its `wm-status` (moderation tools, builds elsewhere).
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from alusta.endpoint.state import mentions
from alusta.errors import AlustaError
from alusta.models import MF2_PROPERTIES, PARENT_KEY, Mention, MentionKind, MentionStatus
from alusta.store import list_mentions
from alusta.times import utc_iso
from alusta.web.refusals import Describe, Refusal, Route, plain_text

MAX_ENTRIES = 5000


class BadQuery(AlustaError):
    """A query parameter has an unusable value."""


def is_admin(request: Request, token: str) -> bool:
    """True when the request carries the admin token (compared in constant time)."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), token.encode())
    )


def since_param(value: str | None) -> str | None:
    """`since` as the stored form (ISO 8601 UTC, seconds)."""
    if value is None:
        return None
    stored = utc_iso(value)
    if stored is None:
        raise BadQuery("since is not an ISO 8601 date and time")
    return stored


def limit_param(value: str | None) -> int:
    if value is None:
        return MAX_ENTRIES
    if not value.isdigit() or not 1 <= int(value) <= MAX_ENTRIES:
        raise BadQuery(f"limit must be a whole number from 1 to {MAX_ENTRIES}")
    return int(value)


async def feed(request: Request) -> Response:
    state = mentions(request)
    admin = is_admin(request, state.settings.admin_token)
    query = request.query_params
    found = await state.database.read(
        list_mentions,
        target=query.get("target"),
        site=query.get("site"),
        since=since_param(query.get("since")),
        limit=limit_param(query.get("limit")),
        statuses=None if admin else [MentionStatus.APPROVED],
    )
    children = [jf2_entry(m, with_status=admin) for m in found]
    headers = {"Cache-Control": "no-store" if admin else "max-age=30"}
    return JSONResponse(
        {"type": "feed", "name": "Mentions", "children": children},
        headers=headers,
        media_type="application/jf2feed+json",
    )


def jf2_entry(mention: Mention, *, with_status: bool = False) -> dict[str, object]:
    """One JF2 entry; fields a mention has not (yet) got are null, as webmention.io does."""
    entry = mention.entry
    kind = (
        entry.kind
        if entry
        else (MentionKind.PINGBACK if mention.protocol == "pingback" else MentionKind.MENTION)
    )
    item: dict[str, object] = {
        "type": "entry",
        "author": {
            "type": "card",
            "name": entry.author.name if entry else "",
            "url": entry.author.url if entry else "",
            "photo": entry.author.photo if entry else "",
        },
        "url": entry.final_url if entry else mention.source,
        "published": (entry.published or None) if entry else None,
        "name": (entry.name or entry.title or None) if entry else None,
        "content": {
            "html": entry.content_html,
            "text": entry.content_text or entry.excerpt,
        }
        if entry
        else None,
        "wm-property": MF2_PROPERTIES[kind],
        "wm-protocol": mention.protocol,
        "wm-source": mention.source,
        "wm-target": mention.target,
        "wm-received": mention.received,
        "wm-id": mention.id,
        "wm-site": mention.site,
    }
    if entry and entry.in_reply_to:
        item[PARENT_KEY] = entry.in_reply_to  # threads: the reply this one answers
    if entry and kind == MentionKind.PINGBACK:
        item["wm-title"] = entry.title
        item["wm-excerpt"] = entry.excerpt
    if with_status:
        item["wm-status"] = str(mention.status)
        item["wm-reason"] = mention.reason
    return item


def bad_query(error: BadQuery) -> Refusal:
    return Refusal(400, "bad_query", str(error))


REFUSALS: dict[type[Exception], Describe] = {BadQuery: bad_query}
ROUTES = [Route("/mentions", feed, answer=plain_text, methods=["GET"], name="mentions")]
