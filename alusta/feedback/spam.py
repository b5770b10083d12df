"""Spam defence without third parties: honeypot, size caps, a rate limit, a fill-time check.

- The honeypot is a field people never see (hidden from sight and from screen readers);
  software that fills every input fills it too.
- The rate limit is the web edge's guard (alusta.web.guard), keyed by a salted hash of the
  IP: the address itself is kept nowhere, not even in memory.
- `GET /feedback/token` hands out a timestamp signed with the instance secret; feedback.js
  puts it into the form. A submission carrying it that comes back faster than a person
  can fill a form is refused. Without JavaScript there is no token and the other checks
  still apply; a forged or foreign token is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from alusta.errors import AlustaError

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "_ts"  # noqa: S105 - a form field name
LANG_FIELD = "_lang"
TOKEN_SALT = "alusta-feedback-fill-time"  # noqa: S105 - a public salt
TOKEN_MAX_AGE_SECONDS = 2 * 86_400
CLIENT_HASH_HEX_CHARS = 32


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


Clock = Callable[[], float]  # Unix seconds now: time.time, or a test's clock


class _ClockSigner(TimestampSigner):
    """itsdangerous' timestamp signer reading the time from a clock it is given."""

    def __init__(self, secret: bytes, *, salt: str, clock: Clock) -> None:
        super().__init__(secret, salt=salt)
        self.clock = clock

    def get_timestamp(self) -> int:
        return int(self.clock())


class FillClock:
    """Signs and checks the timestamps that measure how long a form was open."""

    def __init__(self, secret: bytes, *, min_seconds: float, clock: Clock = time.time) -> None:
        self.signer = _ClockSigner(secret, salt=TOKEN_SALT, clock=clock)
        self.min_seconds = min_seconds
        self.clock = clock

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
        now = self.clock() if now is None else now
        if now - signed_at.timestamp() < self.min_seconds:
            raise Refused("too_fast", "the form was sent faster than a person can fill it in")


def check_honeypot(data: dict[str, list[str]]) -> None:
    if any(value.strip() for value in data.get(HONEYPOT_FIELD, [])):
        raise Refused("honeypot", "the form was filled in by software")
