"""Spam defence without third parties: honeypot, size caps, a rate limit, a fill-time check.

- The honeypot is a field people never see (hidden from sight and from screen readers);
  software that fills every input fills it too.
- The rate limit reuses the endpoint's token buckets, keyed by a salted hash of the IP:
  the address itself is kept nowhere, not even in memory.
- `GET /feedback/token` hands out a timestamp signed with the instance secret; feedback.js
  puts it into the form. A submission carrying it that comes back faster than a person
  can fill a form is refused. Without JavaScript there is no token and the other checks
  still apply; a forged or foreign token is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from alusta.endpoint.guard import TokenBuckets
from alusta.errors import AlustaError

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "_ts"  # noqa: S105 - a form field name
LANG_FIELD = "_lang"
TOKEN_SALT = "alusta-feedback-fill-time"  # noqa: S105 - a public salt
TOKEN_MAX_AGE_SECONDS = 2 * 86_400
CLIENT_HASH_HEX_CHARS = 32
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 200


class Refused(AlustaError):
    """The submission looks automated; `code` says which check refused it."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def client_hash(secret: bytes, address: str) -> str:
    """A keyed hash of the client's address: the same person maps to the same value, yet the
    address cannot be recovered without the secret (and not by trying all IPv4 addresses)."""
    digest = hmac.new(secret, address.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:CLIENT_HASH_HEX_CHARS]


class FillClock:
    """Signs and checks the timestamps that measure how long a form was open."""

    def __init__(self, secret: bytes, *, min_seconds: float) -> None:
        self.signer = TimestampSigner(secret, salt=TOKEN_SALT)
        self.min_seconds = min_seconds

    def token(self) -> str:
        return self.signer.sign(b"feedback").decode("ascii")

    def check(self, token: str, *, now: float | None = None) -> None:
        """Refuse a forged token or one younger than the minimum fill time."""
        if not token:
            return
        try:
            _, signed_at = self.signer.unsign(
                token, max_age=TOKEN_MAX_AGE_SECONDS, return_timestamp=True
            )
        except SignatureExpired:
            return  # a form left open for days: the other checks still apply
        except BadSignature as error:
            raise Refused("token", "the form's timestamp is not valid; reload the page") from error
        now = time.time() if now is None else now
        if now - signed_at.timestamp() < self.min_seconds:
            raise Refused("too_fast", "the form was sent faster than a person can fill it in")


def check_honeypot(data: dict[str, list[str]]) -> None:
    if any(value.strip() for value in data.get(HONEYPOT_FIELD, [])):
        raise Refused("honeypot", "the form was filled in by software")


class FeedbackGuard:
    """One token bucket per hashed client; loopback clients are free under `serve`."""

    def __init__(self, per_minute: int, *, development: bool) -> None:
        self.buckets = TokenBuckets(per_minute, "address")
        self.development = development

    def check(self, address: str, hashed: str, *, now: float | None = None) -> None:
        """Raise alusta.endpoint.guard.RateLimited when this client has sent too much."""
        if self.development and _is_loopback(address):
            return
        self.buckets.take(hashed, time.monotonic() if now is None else now)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
