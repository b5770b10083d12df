"""The salted hash that stands in for an e-mail address (imported comments).

The same keyed hash feedback uses for client addresses (alusta.feedback.spam.client_hash),
so `mentions delete --email` finds a person's comments without the address being stored.
The hash is of the address's `email_key` (alusta.emails); a hash cannot be rewritten
without the address, so erasure also looks for the hashes older versions made.
"""

from __future__ import annotations

from alusta.emails import email_key, legacy_keys
from alusta.feedback.spam import client_hash


def email_hash(secret: bytes, email: str) -> str:
    """The keyed hash of an e-mail address, however it was capitalised or composed."""
    return client_hash(secret, email_key(email))


def email_hashes(secret: bytes, email: str) -> list[str]:
    """Every hash this address may be stored under: `email_hash` first, then older ones."""
    return [client_hash(secret, key) for key in legacy_keys(email)]
