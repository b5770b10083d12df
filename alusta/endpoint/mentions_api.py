"""GET /mentions and /api/mentions.jf2: received mentions as webmention.io's JF2 API.

A site that read webmention.io's API changes only the host: the same address, parameters
(alusta.endpoint.feed_query), entries (alusta.endpoint.jf2) and error shape
(`{"error": "invalid_input", "error_description": …}`). The public sees approved mentions
only; the admin token (`Authorization: Bearer …`, or webmention.io's `token=`) sees every
mention with its `wm-status`. Browsers on other sites may read it (CORS: any origin, no
cookies); repeated reads are answered from a cache with ETags (alusta.endpoint.feed_cache);
reads are rate limited per client like writes.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from alusta.endpoint.feed_query import BadQuery, parse_feed_query
from alusta.endpoint.state import mentions
from alusta.web import guard
from alusta.web.guard import Scope
from alusta.web.refusals import Describe, Refusal, Route

JF2_TYPE = "application/jf2feed+json"
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
PUBLIC_CACHING = {"Cache-Control": "no-cache", "Vary": "Authorization"}  # revalidate: 304


def is_admin(request: Request, token: str) -> bool:
    """True when the request carries the admin token (compared in constant time), as a
    bearer token or as webmention.io's `token` parameter; any other token is ignored."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.query_params.get("token", "")
    return bool(token) and hmac.compare_digest(given.strip().encode(), token.encode())


async def feed(request: Request) -> Response:
    state = mentions(request)
    guard.check(request, Scope.READ)
    admin = is_admin(request, state.settings.admin_token)
    query = parse_feed_query(request.query_params, public=not admin)
    page = await state.database.read(
        state.feed_cache.read, query, request.headers.get("if-none-match", "")
    )
    if admin:
        headers = {**CORS_HEADERS, "Cache-Control": "no-store"}
    else:
        headers = {**CORS_HEADERS, **PUBLIC_CACHING, "ETag": page.etag}
    if page.body is None:
        return Response(status_code=304, headers=headers)
    return Response(page.body, headers=headers, media_type=JF2_TYPE)


async def preflight(_request: Request) -> Response:
    """The answer to a browser's CORS preflight (OPTIONS): GET from any origin."""
    return Response(status_code=204, headers=PREFLIGHT_HEADERS)


def json_error(_request: Request, _error: Exception, refusal: Refusal) -> Response:
    """A refusal as webmention.io words one (`error`, `error_description`), readable cross-site."""
    code = "invalid_input" if refusal.status == 400 else refusal.code
    return JSONResponse(
        {"error": code, "error_description": refusal.reason},
        status_code=refusal.status,
        headers={**refusal.headers, **CORS_HEADERS},
    )


def bad_query(error: BadQuery) -> Refusal:
    return Refusal(400, "invalid_input", str(error))


REFUSALS: dict[type[Exception], Describe] = {BadQuery: bad_query}
ROUTES = [
    route
    for path, name in (("/mentions", "mentions"), ("/api/mentions.jf2", "mentions_jf2"))
    for route in (
        Route(path, feed, answer=json_error, methods=["GET"], name=name),
        Route(path, preflight, answer=json_error, methods=["OPTIONS"], name=f"{name}_preflight"),
    )
]
