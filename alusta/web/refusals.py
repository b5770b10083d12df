"""Refusals mapped to responses once: `Starlette(exception_handlers=handlers(table))`.

Routes raise the library's exceptions and never catch them. A table (each package gives
its part, the app factory joins them) turns an exception into a `Refusal`: status, a
machine-readable code and the one-sentence reason. How that is said depends on who asked,
so each route names its `Answer`: plain text for senders' software, a short page for
people, JSON for scripts, an XML-RPC fault for Pingback clients.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette import routing
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Scope

from alusta.web.bodies import BodyError
from alusta.web.guard import RateLimited

ANSWER_KEY = "alusta.answer"
UNKNOWN_REASON = "internal error"


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, in the terms every answer format needs."""

    status: int
    code: str  # machine-readable: "rate_limited", "bad_body", "UnknownPage", …
    reason: str  # the library's own sentence, never internals
    headers: dict[str, str] = field(default_factory=dict)


Describe = Callable[[Any], Refusal]
Answer = Callable[[Request, Exception, Refusal], Response]
Handler = Callable[[Request, Exception], Awaitable[Response]]


def plain_text(_request: Request, _error: Exception, refusal: Refusal) -> Response:
    """The reason as one line of text: what senders' software reads."""
    return PlainTextResponse(
        refusal.reason + "\n", status_code=refusal.status, headers=refusal.headers
    )


class Route(routing.Route):
    """A Starlette route that tells the exception handlers how its clients hear "no"."""

    def __init__(self, path: str, endpoint: Callable, *, answer: Answer, **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        self.answer = answer

    def matches(self, scope: Scope) -> tuple[routing.Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not routing.Match.NONE:
            child_scope = {**child_scope, ANSWER_KEY: self.answer}
        return match, child_scope


def rate_limited(error: RateLimited) -> Refusal:
    return Refusal(429, "rate_limited", str(error), {"Retry-After": str(error.retry_after)})


def bad_body(error: BodyError) -> Refusal:
    return Refusal(error.status, "bad_body", str(error))


def unexpected(_error: Exception) -> Refusal:
    """Anything not in a table is a bug: 500 with a generic reason (the log has the rest)."""
    return Refusal(500, "internal", UNKNOWN_REASON)


EDGE_REFUSALS: dict[type[Exception], Describe] = {
    RateLimited: rate_limited,
    BodyError: bad_body,
    Exception: unexpected,
}


def handlers(table: Mapping[type[Exception], Describe]) -> dict[Any, Handler]:
    """Starlette exception handlers for every class in `table` (the nearest class wins,
    as Starlette looks handlers up along the exception's MRO)."""
    return {cls: _handler(describe) for cls, describe in table.items()}


def _handler(describe: Describe) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        answer: Answer = request.scope.get(ANSWER_KEY, plain_text)
        return answer(request, error, describe(error))

    return handle
