"""POST /webmention and its status pages (W3C Webmention, section 3.2 "Receiving").

The handler checks what can be checked at once (3.2.1), stores the request durably, and
answers 201 Created with a Location of the status page (3.2.1: "If the receiver creates a
status page, it MUST respond with 201"); verification happens later in the worker (3.2.2).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from alusta.endpoint.state import mentions
from alusta.endpoint.targets import RequestRejected
from alusta.models import Mention
from alusta.moderation import as_sender_sees
from alusta.settings import Settings
from alusta.store import mention_by_token
from alusta.urls import host_of
from alusta.web import guard, pages
from alusta.web.bodies import read_form
from alusta.web.guard import Scope
from alusta.web.refusals import Refusal, Route, plain_text

MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 20


async def receive(request: Request) -> Response:
    """Check, store, answer 201 with the status page (refusals: see `refuse`)."""
    state = mentions(request)
    form = await read_form(request, max_bytes=MAX_FORM_BYTES, max_fields=MAX_FORM_FIELDS)
    pages.about_site(request, state.settings, form.get("target", ""))  # its frame and language
    guard.check(request, Scope.MENTIONS, source_host=host_of(form.get("source", "")))
    mention_request = state.pages.check(
        form.get("source"), form.get("target"), protocol="webmention"
    )
    _mention_id, token = await state.intake.enqueue(mention_request)
    state.worker.wake()
    location = status_url(request, state.settings, token)
    if pages.wants_html(request):
        return pages.page(
            request,
            title_key="accepted_title",
            lines=[pages.text(request, "accepted")],
            link=("status_link", location),
            back=mention_request.target,
            status=201,
            headers={"Location": location},
            settings=state.settings,
        )
    return PlainTextResponse(
        f"Accepted: verification queued. Status: {location}\n",
        status_code=201,
        headers={"Location": location},
    )


def status_url(request: Request, settings: Settings, token: str) -> str:
    """The status page under the configured endpoint URL: the request's Host header is
    the sender's to write, and a Location built from it would point wherever they like."""
    return settings.endpoint_url + request.app.url_path_for("webmention_status", token=token)


def refuse(request: Request, error: Exception, refusal: Refusal) -> Response:
    """The reason as text for software (400/413/415/429); for people a page in their
    language that says what to do (a key of pages.TEXTS) or what went wrong (the reason,
    told)."""
    if not pages.wants_html(request):
        return plain_text(request, error, refusal)
    hint = ""
    if refusal.status == 429:
        hint = "limited"
    elif isinstance(error, RequestRejected):
        hint = refusal.code  # the check's class name
    lines = [pages.text(request, hint) if hint else pages.reason_text(request, refusal.reason)]
    title = "limited_title" if refusal.status == 429 else "rejected_title"
    return pages.page(
        request,
        title_key=title,
        lines=lines,
        status=refusal.status,
        headers=refusal.headers,
        settings=mentions(request).settings,
    )


async def status(request: Request) -> Response:
    """Where a request stands: queued, pending, approved, rejected or deleted, and why."""
    token = request.path_params["token"]
    mention = await mentions(request).database.read(mention_by_token, token)
    if mention is None:
        return PlainTextResponse("no such webmention\n", status_code=404)
    mention = as_sender_sees(mention)
    if pages.wants_html(request):
        settings = mentions(request).settings
        pages.about_site(request, settings, mention.site)
        lines = [pages.text(request, mention.status)]
        if mention.reason and mention.status in ("rejected", "deleted"):
            lines.append(pages.reason_text(request, mention.reason))
        return pages.page(
            request,
            title_key="status_title",
            lines=lines,
            status=200,
            back=mention.target,
            settings=settings,
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
    Route("/webmention", receive, answer=refuse, methods=["POST"], name="webmention"),
    Route(
        "/webmention/status/{token}",
        status,
        answer=refuse,
        methods=["GET"],
        name="webmention_status",
    ),
]
