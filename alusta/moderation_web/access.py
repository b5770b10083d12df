"""Who may moderate: tokens, the signed session cookie, CSRF tokens and the login limit.

The admin token (ALUSTA_ADMIN_TOKEN) sees every site; a moderator token
(ALUSTA_MODERATOR_TOKENS="site:token,…") sees its own site only. Logging in with a token
sets a session cookie signed with itsdangerous (key: the instance secret) that holds a
fingerprint of the token, never the token itself, and expires; changing or removing a token
ends its sessions. Every form carries a CSRF token derived from the session, and a POST
from another origin is refused (OWASP CSRF cheat sheet: synchroniser token + Origin check,
with SameSite=Strict cookies as a third layer).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from alusta.settings import Settings

SESSION_COOKIE = "alusta_moderation"
SESSION_SECONDS = 8 * 3600  # a working day; then the token is asked again
SIGNING_SALT = "alusta.moderation.session"
FINGERPRINT_CHARS = 32
NONCE_BYTES = 16


@dataclass(frozen=True)
class Moderator:
    """A logged-in person: every site (the admin token) or the sites of a moderator token."""

    fingerprint: str
    sites: frozenset[str] | None  # None: every site

    @property
    def is_admin(self) -> bool:
        return self.sites is None

    def may_see(self, site: str) -> bool:
        return self.sites is None or site in self.sites


@dataclass(frozen=True)
class Session:
    moderator: Moderator
    nonce: str  # the CSRF token is derived from it


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


class Access:
    """Tokens, sessions and the login limit of one app (built once in its lifespan)."""

    def __init__(self, settings: Settings, secret: bytes) -> None:
        self.moderators: dict[str, Moderator] = {}
        self._tokens: list[tuple[str, Moderator]] = []
        if settings.admin_token:
            self._add(settings.admin_token, None)
        for site, token in settings.moderator_tokens:
            self._add(token, frozenset({site}))
        self._secret = secret
        self._serializer = URLSafeTimedSerializer(secret, salt=SIGNING_SALT)

    def _add(self, token: str, sites: frozenset[str] | None) -> None:
        moderator = Moderator(fingerprint(token), sites)
        self.moderators[moderator.fingerprint] = moderator
        self._tokens.append((token, moderator))

    @property
    def enabled(self) -> bool:
        """False when no token is configured: moderation in the browser is off."""
        return bool(self._tokens)

    def log_in(self, token: str) -> Moderator | None:
        """The moderator this token belongs to (compared in constant time), or None."""
        found = None
        for known, moderator in self._tokens:
            if hmac.compare_digest(known.encode("utf-8"), token.encode("utf-8")):
                found = moderator
        return found

    def new_cookie(self, moderator: Moderator) -> str:
        return self._serializer.dumps(
            {"f": moderator.fingerprint, "n": secrets.token_hex(NONCE_BYTES)}
        )

    def session(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, if it is genuine, fresh and its token still valid."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        moderator = self.moderators.get(data.get("f", "")) if isinstance(data, dict) else None
        if moderator is None or not isinstance(data.get("n"), str):
            return None
        return Session(moderator, data["n"])

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._secret, f"csrf:{session.nonce}".encode(), "sha256").hexdigest()

    def csrf_ok(self, session: Session, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(session), token)
