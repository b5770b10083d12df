"""Typed app state: what the app's lifespan built, found by its class, not by a loose name;
and the background tasks that run while it serves.

The lifespan yields `{Mentions: mentions, Intake: intake}` (Starlette's lifespan state);
each package reads its own record with `app_state(request, Mentions)` and gets it typed.
Nothing lives in module globals, so two apps in one process never share state.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from starlette.requests import HTTPConnection

T = TypeVar("T")


def app_state(connection: HTTPConnection, kind: type[T]) -> T:
    """The object of type `kind` that this app's lifespan built."""
    value = connection.scope.get("state", {}).get(kind)
    if not isinstance(value, kind):
        raise LookupError(f"the app's lifespan built no {kind.__name__}")
    return value


def client_address(connection: HTTPConnection) -> str:
    """The peer's IP address ('' when the server does not say, as in some test clients)."""
    return connection.client.host if connection.client else ""


@contextlib.asynccontextmanager
async def running_task(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """Run `work` as a task while the app serves (a worker, a dispatcher); cancel it after."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
