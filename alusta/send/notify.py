"""Sending one notification: discover the target's endpoint, then post a Webmention or ping.

Webmention Recommendation §3.1.3: a form-encoded POST of `source` and `target` to the
endpoint, query string kept; any 2xx means accepted. Pingback 1.0 §3: an XML-RPC call
`pingback.ping(sourceURI, targetURI)` to the server; the answer is parsed with defusedxml's
expat parser, since it comes from a stranger. Every outcome is returned as an `Attempt`
for the job to record; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alusta import pingback
from alusta.http import FetchError, FetchResult
from alusta.send.client import SendClient
from alusta.send.discover import Endpoint, Protocol, discover

EXCERPT_CHARS = 300


class Outcome(StrEnum):
    """How an attempt ended, and so whether it is tried again."""

    ACCEPTED = "accepted"  # any 2xx, or a pingback success string
    REJECTED = "rejected"  # the receiver said no (4xx, an XML-RPC fault): not retried
    RETRY = "retry"  # timeout, network error, 5xx: worth trying again later
    NO_ENDPOINT = "no-endpoint"  # the target advertises neither protocol: nothing to send
    REFUSED = "refused"  # we will not go there: non-public address, bad URL, redirect loop


@dataclass(frozen=True)
class Attempt:
    """One try at notifying `target` about `source`, as recorded in send_attempts."""

    source: str
    target: str
    outcome: Outcome
    protocol: str = ""  # "webmention", "pingback" or "" when nothing was posted
    endpoint: str = ""
    status: int | None = None  # HTTP status of the last response
    excerpt: str = ""  # start of the response body, or the error


# A fault other than these is a refusal: the receiver said no.
FAULT_OUTCOMES = {
    pingback.ALREADY_REGISTERED: Outcome.ACCEPTED,  # it has it already: done
    pingback.UPSTREAM_ERROR: Outcome.RETRY,  # it could not reach our page: later may work
}


async def send_one(source: str, target: str, client: SendClient) -> Attempt:
    """Discover the endpoint of `target` and notify it that `source` links to it."""
    try:
        discovery = await discover(target, client)
    except FetchError as error:
        return _failed(source, target, error)
    if discovery.status >= 500:
        return Attempt(
            source,
            target,
            Outcome.RETRY,
            status=discovery.status,
            excerpt=f"target answered {discovery.status}",
        )
    if discovery.endpoint is None:
        reason = "no webmention or pingback endpoint"
        if discovery.status >= 300:
            reason = f"target answered {discovery.status}"
        return Attempt(source, target, Outcome.NO_ENDPOINT, status=discovery.status, excerpt=reason)
    return await deliver(source, target, discovery.endpoint, client)


async def deliver(source: str, target: str, endpoint: Endpoint, client: SendClient) -> Attempt:
    """Post to an already discovered endpoint."""
    if endpoint.protocol is Protocol.WEBMENTION:
        return await post_webmention(source, target, endpoint.url, client)
    return await ping(source, target, endpoint.url, client)


async def post_webmention(source: str, target: str, endpoint: str, client: SendClient) -> Attempt:
    """§3.1.3: form-encoded source and target; 2xx accepted, 5xx retried, else rejected."""
    try:
        result = await client.fetch(
            endpoint,
            method="POST",
            data={"source": source, "target": target},
            follow_redirects=False,
        )
    except FetchError as error:
        return _failed(source, target, error, Protocol.WEBMENTION, endpoint)
    return Attempt(
        source,
        target,
        _by_status(result.status),
        Protocol.WEBMENTION,
        endpoint,
        result.status,
        excerpt(result),
    )


async def ping(source: str, target: str, server: str, client: SendClient) -> Attempt:
    """Pingback 1.0 §3: call pingback.ping; a fault other than 0x30/0x32 is a refusal."""
    try:
        result = await client.fetch(
            server,
            method="POST",
            data=pingback.call(source, target),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            follow_redirects=False,
        )
    except FetchError as error:
        return _failed(source, target, error, Protocol.PINGBACK, server)
    outcome = _by_status(result.status)
    text = excerpt(result)
    if outcome is Outcome.ACCEPTED:
        outcome, text = pingback_answer(result.content)
    return Attempt(source, target, outcome, Protocol.PINGBACK, server, result.status, text)


def pingback_answer(content: bytes) -> tuple[Outcome, str]:
    """Read an XML-RPC methodResponse safely: the success string, or the fault."""
    try:
        message = pingback.read_answer(content)
    except pingback.Fault as fault:
        outcome = FAULT_OUTCOMES.get(fault.code, Outcome.REJECTED)
        return outcome, f"fault {fault.code}: {fault}"[:EXCERPT_CHARS]
    except pingback.UnreadableAnswer as error:
        return Outcome.REJECTED, str(error)
    return Outcome.ACCEPTED, message[:EXCERPT_CHARS]


def _by_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.ACCEPTED
    if status >= 500 or status == 429:
        return Outcome.RETRY
    return Outcome.REJECTED


def _failed(
    source: str, target: str, error: FetchError, protocol: str = "", endpoint: str = ""
) -> Attempt:
    outcome = Outcome.RETRY if error.retryable else Outcome.REFUSED
    return Attempt(source, target, outcome, protocol, endpoint, None, str(error)[:EXCERPT_CHARS])


def excerpt(result: FetchResult) -> str:
    """The start of a response body, whitespace collapsed, for the attempt log."""
    return " ".join(result.text[: EXCERPT_CHARS * 4].split())[:EXCERPT_CHARS]
