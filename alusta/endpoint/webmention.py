"""POST /webmention and its status pages (W3C Webmention, section 3.2 "Receiving").

The handler checks what can be checked at once (3.2.1), stores the request durably, and
answers 201 Created with a Location of the status page (3.2.1: "If the receiver creates a
status page, it MUST respond with 201"); verification happens later in the worker (3.2.2).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from alusta.endpoint import pages
from alusta.endpoint.bodies import BodyError, read_form
from alusta.endpoint.errors import answer_for, reason_for
from alusta.endpoint.guard import RateLimited
from alusta.endpoint.targets import RequestRejected
from alusta.models import Mention
from alusta.store import mention_by_token
from alusta.urls import host_of

MAX_FORM_BYTES = 16 * 1024


async def receive(request: Request) -> Response:
    """Check, store, answer 201 with the status page (or 400/413/415/429 with a reason)."""
    state = request.app.state
    try:
        form = await read_form(request, max_bytes=MAX_FORM_BYTES)
        client = request.client.host if request.client else ""
        state.guard.check(client, host_of(form.get("source", "")))
        mention_request = state.pages.check(
            form.get("source"), form.get("target"), protocol="webmention"
        )
    except RateLimited as error:
        headers = {"Retry-After": str(error.retry_after)}
        return _refusal(request, str(error), 429, "limited_title", headers, hint="limited")
    except BodyError as error:
        return _refusal(request, str(error), error.status, "rejected_title")
    except RequestRejected as error:
        status = answer_for(error).status
        hint = type(error).__name__
        return _refusal(request, reason_for(error), status, "rejected_title", hint=hint)
    _mention_id, token = await state.database.enqueue(mention_request)
    state.worker.wake()
    location = str(request.url_for("webmention_status", token=token))
    if pages.wants_html(request):
        return pages.page(
            request,
            title_key="accepted_title",
            lines=[pages.text(request, "accepted")],
            link=("status_link", location),
            back=mention_request.target,
            status=201,
            headers={"Location": location},
        )
    return PlainTextResponse(
        f"Accepted: verification queued. Status: {location}\n",
        status_code=201,
        headers={"Location": location},
    )


def _refusal(
    request: Request,
    reason: str,
    status: int,
    title_key: str,
    headers: dict[str, str] | None = None,
    *,
    hint: str = "",
) -> Response:
    """The reason as text for software; for people a page in their language that says
    what to do (`hint`, a key of pages.TEXTS) or what went wrong (the reason, told)."""
    if pages.wants_html(request):
        lines = [pages.text(request, hint) if hint else pages.reason_text(request, reason)]
        return pages.page(request, title_key=title_key, lines=lines, status=status, headers=headers)
    return PlainTextResponse(reason + "\n", status_code=status, headers=headers)


async def status(request: Request) -> Response:
    """Where a request stands: queued, pending, approved, rejected or deleted, and why."""
    token = request.path_params["token"]
    mention = await request.app.state.database.read(mention_by_token, token)
    if mention is None:
        return PlainTextResponse("no such webmention\n", status_code=404)
    if pages.wants_html(request):
        lines = [pages.text(request, mention.status)]
        if mention.reason and mention.status in ("rejected", "deleted"):
            lines.append(pages.reason_text(request, mention.reason))
        return pages.page(
            request, title_key="status_title", lines=lines, status=200, back=mention.target
        )
    return JSONResponse(status_document(mention))


def status_document(mention: Mention) -> dict[str, object]:
    """The status page as JSON: enough for a sender to see what became of its request."""
    return {
        "source": mention.source,
        "target": mention.target,
        "protocol": mention.protocol,
        "status": str(mention.status),
        "verifying": mention.verifying,
        "reason": mention.reason,
        "received": mention.received,
        "updated": mention.updated,
    }


ROUTES = [
    Route("/webmention", receive, methods=["POST"], name="webmention"),
    Route("/webmention/status/{token}", status, methods=["GET"], name="webmention_status"),
]
