"""The salted hash that stands in for an e-mail address (imported comments).

The same keyed hash feedback uses for client addresses (alusta.feedback.spam.client_hash),
so `mentions delete --email` finds a person's comments without the address being stored.
"""

from __future__ import annotations

from alusta.feedback.spam import client_hash


def email_hash(secret: bytes, email: str) -> str:
    """The keyed hash of an e-mail address, however its letters were capitalised."""
    return client_hash(secret, email.strip().lower())
