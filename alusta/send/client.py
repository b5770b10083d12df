"""Outbound requests of one `send` run: alusta.http.fetch under a per-host concurrency limit.

The Webmention Recommendation §4.1 asks senders not to hammer anyone: every request of a
run to the same host waits for one of `per_host` slots, whatever post or target it is
for. Address checks, timeouts and size caps are alusta.http's (never a second client).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from alusta.http import FetchResult, fetch

PER_HOST_CONCURRENCY = 2
REQUEST_TIMEOUT_SECONDS = 10.0
RESPONSE_MAX_BYTES = 1_000_000


@dataclass
class SendClient:
    """Fetch settings and the per-host semaphores shared by every request of one run."""

    allow_private: bool
    per_host: int = PER_HOST_CONCURRENCY
    timeout_seconds: float = REQUEST_TIMEOUT_SECONDS
    max_bytes: int = RESPONSE_MAX_BYTES
    _slots: dict[str, asyncio.Semaphore] = field(default_factory=dict, repr=False)

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        data: dict | bytes | None = None,
        headers: dict | None = None,
        follow_redirects: bool = True,
    ) -> FetchResult:
        """One request through alusta.http, holding a slot of the URL's host meanwhile."""
        host = (urlsplit(url).hostname or "").lower()
        slot = self._slots.setdefault(host, asyncio.Semaphore(self.per_host))
        async with slot:
            return await fetch(
                url,
                allow_private=self.allow_private,
                method=method,
                data=data,
                headers=headers,
                max_bytes=self.max_bytes,
                timeout_seconds=self.timeout_seconds,
                follow_redirects=follow_redirects,
            )
