"""POST /xmlrpc: Pingback 1.0 `pingback.ping(sourceURI, targetURI)` over XML-RPC.

The body is capped and parsed by alusta.pingback (defusedxml, DTDs forbidden). Unlike
Webmention, Pingback has no status page: the specification expects the outcome, or its
fault code (0x10 … 0x32), in the response. So a pingback is verified while the client
waits, within PINGBACK_BUDGET_SECONDS, and stored only when it checks out; the client may
try again on 0x32. A blocked source domain is answered with success and rejected silently.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alusta import pingback, store
from alusta.endpoint.errors import fault_code
from alusta.endpoint.state import mentions
from alusta.models import MentionStatus
from alusta.pingback import AlreadyRegistered
from alusta.urls import host_of
from alusta.web import guard
from alusta.web.bodies import BodyError, read_body
from alusta.web.guard import RateLimited, Scope
from alusta.web.refusals import Refusal, Route, plain_text

MAX_BODY_BYTES = 64 * 1024
PINGBACK_BUDGET_SECONDS = 15.0


async def receive(request: Request) -> Response:
    """Answer one XML-RPC call: the success string (refusals: see `refuse`)."""
    state = mentions(request)
    source, target = pingback.parse_call(await read_body(request, max_bytes=MAX_BODY_BYTES))
    guard.check(request, Scope.MENTIONS, source_host=host_of(source))
    mention_request = state.pages.check(source, target, protocol="pingback")
    existing = await state.database.read(store.mention_for, source, target)
    if existing is not None and existing.status in (MentionStatus.APPROVED, MentionStatus.PENDING):
        raise AlreadyRegistered("the pingback has already been registered")
    await state.worker.verify_now(mention_request, budget_seconds=PINGBACK_BUDGET_SECONDS)
    return _xml(pingback.success(f"Pingback from {source} to {target} registered. Thanks!"))


def refuse(request: Request, error: Exception, refusal: Refusal) -> Response:
    """A fault for everything XML-RPC can say; HTTP statuses for an unreadable body (413,
    415) and rate limits (429 with Retry-After), which come before any XML-RPC."""
    if isinstance(error, (BodyError, RateLimited)):
        return plain_text(request, error, refusal)
    return _xml(pingback.fault(fault_code(error), refusal.reason))


def _xml(text: str) -> Response:
    return Response(text, media_type="text/xml; charset=utf-8")


ROUTES = [Route("/xmlrpc", receive, answer=refuse, methods=["POST"], name="xmlrpc")]
