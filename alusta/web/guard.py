"""Rate limits: token buckets per client and scope, and per source host (429, Retry-After).

A route asks with one call, before it does any work:

    guard.check(request, scope=Scope.MENTIONS, source_host=host)  # POST /webmention, /xmlrpc
    guard.check(request, scope=Scope.READ)                        # GET routes (/mentions)

Each scope has its own limit per minute (the burst is the same number): MENTIONS from
ALUSTA_RATE_LIMIT_PER_MINUTE (Webmention and Pingback share it: switching protocol does not
double a sender's rate), READ from ALUSTA_READ_RATE_LIMIT_PER_MINUTE, FEEDBACK from
ALUSTA_FEEDBACK_RATE_LIMIT_PER_MINUTE, LOGIN for the moderation page. A client is its
address behind trusted proxies, counted by IPv4 address or IPv6 /64 (alusta.web.clients).
The buckets are shared by every worker process (alusta.web.buckets) and hold keyed hashes,
never addresses; nothing is logged. Development mode (`serve`) does not limit loopback.
"""

from __future__ import annotations

import ipaddress
import math
import time
from enum import StrEnum

from starlette.requests import HTTPConnection

from alusta.errors import AlustaError
from alusta.settings import Settings
from alusta.web.buckets import BUCKETS_FILE, SharedBuckets
from alusta.web.clients import client_address, client_key
from alusta.web.state import app_state

LOGIN_ATTEMPTS_PER_MINUTE = 10  # a token of 16+ characters cannot be guessed at this rate
SOURCE_PREFIX = "source:"


class Scope(StrEnum):
    """What a request spends: each scope has buckets and a limit of its own."""

    MENTIONS = "mentions"  # POST /webmention and /xmlrpc
    READ = "read"  # GET routes that read the database (/mentions)
    FEEDBACK = "feedback"  # feedback form submissions
    LOGIN = "login"  # moderation page log-ins


class RateLimited(AlustaError):
    """Too many requests; `retry_after` is whole seconds until the next one is allowed."""

    def __init__(self, retry_after: int, scope: str) -> None:
        super().__init__(f"too many requests from this {scope}; try again in {retry_after} s")
        self.retry_after = retry_after


class Limits:
    """One app's rate limits, built once by its lifespan (found with `limits(request)`)."""

    def __init__(self, settings: Settings, *, buckets: SharedBuckets | None = None) -> None:
        self.per_minute = {
            Scope.MENTIONS: settings.rate_limit_per_minute,
            Scope.READ: settings.read_rate_limit_per_minute,
            Scope.FEEDBACK: settings.feedback.rate_limit_per_minute,
            Scope.LOGIN: LOGIN_ATTEMPTS_PER_MINUTE,
        }
        self.source_per_minute = settings.source_rate_limit_per_minute
        self.trusted_proxies = settings.trusted_proxies
        self.development = settings.development
        self.buckets = buckets or SharedBuckets(settings.var_dir / BUCKETS_FILE)

    def client(self, connection: HTTPConnection) -> str:
        """The client's address: the peer, or behind a trusted proxy its X-Forwarded-For."""
        peer = connection.client.host if connection.client else ""
        forwarded = connection.headers.get("x-forwarded-for", "")
        return client_address(peer, forwarded, self.trusted_proxies)

    def check(self, connection: HTTPConnection, scope: Scope, *, source_host: str = "") -> None:
        """Raise RateLimited when this request's client or source host is over the limit."""
        address = self.client(connection)
        if self.development and is_loopback(address):
            return
        self.check_key(client_key(address), scope, source_host=source_host)

    def check_key(
        self, key: str, scope: Scope, *, source_host: str = "", now: float | None = None
    ) -> None:
        """Spend one token of `key`'s bucket in `scope` (and of `source_host`'s)."""
        wanted = {f"{scope}:{key}": self.per_minute[scope]}
        if source_host:
            wanted[SOURCE_PREFIX + source_host] = self.source_per_minute
        waits = self.buckets.take(wanted, time.time() if now is None else now)
        if waits:
            what = "address" if any(not k.startswith(SOURCE_PREFIX) for k in waits) else ""
            seconds = max(1, math.ceil(max(waits.values())))
            raise RateLimited(seconds, what or "source host")

    def close(self) -> None:
        self.buckets.close()


def limits(connection: HTTPConnection) -> Limits:
    """The app's Limits (its lifespan built them)."""
    return app_state(connection, Limits)


def check(
    connection: HTTPConnection, scope: Scope | str = Scope.MENTIONS, *, source_host: str = ""
) -> None:
    """Raise RateLimited when this request goes over its scope's limit (see the module)."""
    limits(connection).check(connection, Scope(scope), source_host=source_host)


def client(connection: HTTPConnection) -> str:
    """The client's address as the rate limits see it (behind trusted proxies too)."""
    return limits(connection).client(connection)


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8 and ::1: under `serve` (development) they are never limited."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
