"""One stream of preview events (reload, error, fixed) that every open tab listens to.

The watcher runs builds on a worker thread; `publish` is safe to call from there. The last
error is kept, so a tab opened (or reloaded) while the content is broken shows it at once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

QUEUE_EVENTS = 16
KEEPALIVE_SECONDS = 15.0


@dataclass
class PreviewEvents:
    """Subscribers' queues and the current error, on one event loop."""

    loop: asyncio.AbstractEventLoop | None = None
    error: str = ""
    version: int = 0
    _queues: set[asyncio.Queue[dict[str, str | int]]] = field(default_factory=set)

    def publish(self, kind: str, message: str = "") -> None:
        """Tell every tab: 'reload' after a good build, 'error' with the problems otherwise."""
        if self.loop is None:  # no tab has connected yet: only remember the state
            self._publish(kind, message)
        else:
            self.loop.call_soon_threadsafe(self._publish, kind, message)

    def _publish(self, kind: str, message: str) -> None:
        self.error = message if kind == "error" else ""
        self.version += 1
        event = {"kind": kind, "message": message, "version": self.version}
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()  # a tab that does not read only needs the newest
            queue.put_nowait(event)

    async def stream(self) -> AsyncIterator[str]:
        """Server-Sent Events for one tab: the current error first, then every new event."""
        self.loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, str | int]] = asyncio.Queue(QUEUE_EVENTS)
        self._queues.add(queue)
        try:
            state = {"kind": "error" if self.error else "ready", "message": self.error}
            yield _sse({**state, "version": self.version})
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                yield _sse(event)
        finally:
            self._queues.discard(queue)


def _sse(event: dict[str, str | int]) -> str:
    return f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
