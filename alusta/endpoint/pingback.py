"""POST /xmlrpc: Pingback 1.0 `pingback.ping(sourceURI, targetURI)` over XML-RPC.

The body is capped and parsed with defusedxml's expat parser with DTDs forbidden, so entity
bombs and external entities are refused at the first declaration. Unlike Webmention,
Pingback has no status page: the specification expects the outcome, or its fault code
(0x10 … 0x32), in the response. So a pingback is verified while the client waits, within
PINGBACK_BUDGET_SECONDS, and stored only when it checks out; the client may try again on
0x32. A blocked source domain is answered with success and rejected silently.
"""

from __future__ import annotations

import asyncio
import time
import xmlrpc.client

from defusedxml.xmlrpc import DefusedExpatParser
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from alusta import store, verification_queue
from alusta.endpoint.bodies import BodyError, read_body
from alusta.endpoint.errors import ALREADY_REGISTERED, answer_for, reason_for
from alusta.endpoint.guard import RateLimited
from alusta.endpoint.targets import RequestRejected
from alusta.endpoint.worker import LEASE_SECONDS
from alusta.models import Mention, MentionRequest, MentionStatus, SourceEntry
from alusta.moderation import is_blocked
from alusta.urls import host_of

MAX_BODY_BYTES = 64 * 1024
PINGBACK_BUDGET_SECONDS = 15.0
PARSE_ERROR = -32700  # the XML-RPC fault interoperability codes
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
METHOD = "pingback.ping"


class Fault(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def parse_call(body: bytes) -> tuple[str, tuple]:
    """(method name, params) of an XML-RPC call, parsed without DTDs or entities."""
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(body)
        parser.close()
        params = unmarshaller.close()
    # Hostile input makes expat, defusedxml and the unmarshaller raise many types.
    except Exception as error:
        raise Fault(PARSE_ERROR, "parse error: not a well-formed XML-RPC call") from error
    return unmarshaller.getmethodname() or "", params


def pingback_params(method: str, params: tuple) -> tuple[str, str]:
    if method != METHOD:
        raise Fault(METHOD_NOT_FOUND, f"method not found: only {METHOD} is served")
    if len(params) != 2 or not all(isinstance(p, str) for p in params):
        raise Fault(INVALID_PARAMS, f"{METHOD} takes two strings: sourceURI, targetURI")
    return params[0].strip(), params[1].strip()


async def receive(request: Request) -> Response:
    """Answer one XML-RPC call: the success string or a fault (HTTP 429 when rate limited)."""
    try:
        body = await read_body(request, max_bytes=MAX_BODY_BYTES)
        source, target = pingback_params(*parse_call(body))
        client = request.client.host if request.client else ""
        request.app.state.guard.check(client, host_of(source))
        message = await register(request.app.state, source, target)
    except BodyError as error:
        return PlainTextResponse(str(error) + "\n", status_code=error.status)
    except RateLimited as error:
        return PlainTextResponse(
            str(error) + "\n", status_code=429, headers={"Retry-After": str(error.retry_after)}
        )
    except Fault as fault:
        return _xml(
            xmlrpc.client.dumps(xmlrpc.client.Fault(fault.code, str(fault)), methodresponse=True)
        )
    return _xml(xmlrpc.client.dumps((message,), methodresponse=True))


async def register(state: State, source: str, target: str) -> str:
    """Check, verify within the budget and store a pingback; Fault on any failure."""
    try:
        request = state.pages.check(source, target, protocol="pingback")
    except RequestRejected as error:
        raise Fault(answer_for(error).fault, reason_for(error)) from error
    existing = await state.database.read(store.mention_for, source, target)
    if existing is not None and existing.status in (MentionStatus.APPROVED, MentionStatus.PENDING):
        raise Fault(ALREADY_REGISTERED, "the pingback has already been registered")
    rules = await state.database.read(store.domain_rules)
    if is_blocked(host_of(source), rules):
        await state.database.enqueue(request)  # the worker rejects it, nobody is told
        state.worker.wake()
        return _success(request)
    try:
        async with asyncio.timeout(PINGBACK_BUDGET_SECONDS):
            entry = await state.worker.verifier(
                source, target, allow_private=state.settings.allow_private_addresses
            )
    except Exception as error:
        raise Fault(answer_for(error).fault, reason_for(error)) from error
    mention = await _store(state, request, entry, rules)
    if mention.status == MentionStatus.APPROVED:
        await state.worker.notify(mention)
    return _success(request)


async def _store(
    state: State, request: MentionRequest, entry: SourceEntry, rules: dict[str, str]
) -> Mention:
    """Durable before the answer: the row is stored claimed, then completed."""
    ((mention_id, _token),) = await state.database.write(
        verification_queue.enqueue_many, [request], now=time.time(), claim_seconds=LEASE_SECONDS
    )
    job = await state.database.read(verification_queue.job_for, mention_id)
    return await state.worker.record(job, entry, rules=rules)


def _success(request: MentionRequest) -> str:
    return f"Pingback from {request.source} to {request.target} registered. Thanks!"


def _xml(text: str) -> Response:
    return Response(text, media_type="text/xml; charset=utf-8")


ROUTES = [Route("/xmlrpc", receive, methods=["POST"], name="xmlrpc")]
