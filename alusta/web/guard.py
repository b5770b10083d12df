"""Rate limits: token buckets per client and per source host (429 with Retry-After).

Token buckets kept in memory: a restart forgets them, which only ever lets a sender in
sooner. Buckets are per process; with `--workers N` a client gets up to N times the rate.
Like Isso's guard, nothing here is stored or logged, so the limits cost no privacy.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from alusta.errors import AlustaError

SECONDS_PER_MINUTE = 60.0
MAX_TRACKED_KEYS = 50_000


class RateLimited(AlustaError):
    """Too many requests; `retry_after` is whole seconds until the next one is allowed."""

    def __init__(self, retry_after: int, scope: str) -> None:
        super().__init__(f"too many requests from this {scope}; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """`per_minute` requests per key and minute, with a burst of the same size."""

    def __init__(self, per_minute: int, scope: str) -> None:
        self.rate = per_minute / SECONDS_PER_MINUTE
        self.capacity = float(per_minute)
        self.scope = scope
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, now: float) -> None:
        """Spend one token of `key`'s bucket or raise RateLimited."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED_KEYS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            raise RateLimited(math.ceil((1 - bucket.tokens) / self.rate), self.scope)
        bucket.tokens -= 1

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold no information any more."""
        refill = self.capacity / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < refill}


class Guard:
    """Limits per client, and optionally per source host, with loopback free in development.

    The endpoint limits client IPs and the hosts named as sources (Webmention and Pingback
    share one guard: switching protocol does not double a sender's rate); the feedback
    forms limit clients by a keyed hash of the IP, so not even memory holds the address.
    """

    def __init__(
        self, *, per_minute: int, source_per_minute: int = 0, development: bool = False
    ) -> None:
        self.development = development
        self.clients = TokenBuckets(per_minute, "address")
        self.sources = TokenBuckets(source_per_minute, "source host") if source_per_minute else None

    def check(
        self, address: str, *, key: str = "", source_host: str = "", now: float | None = None
    ) -> None:
        """Raise RateLimited when this client (`key`, by default its address) or this
        source host has sent too much."""
        if self.development and is_loopback(address):
            return
        now = time.monotonic() if now is None else now
        self.clients.take(key or address, now)
        if source_host and self.sources is not None:
            self.sources.take(source_host, now)


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8 and ::1: under `serve` (development) they are never limited."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
