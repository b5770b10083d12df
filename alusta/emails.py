"""One spelling of an e-mail address, so that erasure finds every answer a person gave.

The same address can arrive in different Unicode spellings: `matti.mäki@…` typed on a
Mac is often NFD (`a` + U+0308), elsewhere NFC (`ä`), and letter case varies. Everything
Alusta keeps to find a person again (the `email` column of feedback answers, the salted
hash of an imported commenter's address) is made from `email_key`, on store and on
delete. Unicode's canonical caseless matching (Unicode 15, §3.13 D145): NFC, case fold,
NFC again, since case folding can undo the composition.

Versions before migration 0090 kept `address.strip().lower()` of whatever was typed.
The `email` column is rewritten by that migration (SQLite calls `email_key` through
`alusta.db.connect`); hashes cannot be rewritten without the address, so deletion also
looks for `legacy_keys`.
"""

from __future__ import annotations

import unicodedata

SQL_FUNCTION = "alusta_email_key"  # the name migrations call email_key by


def email_key(address: str) -> str:
    """The stored spelling of an address: trimmed, NFC, case-folded (ß → ss, İ → i̇)."""
    composed = unicodedata.normalize("NFC", address.strip())
    return unicodedata.normalize("NFC", composed.casefold())


def legacy_keys(address: str) -> list[str]:
    """`email_key` first, then the spellings older versions may have kept for the same
    address (its NFC and NFD forms, lower-cased), without repeats."""
    trimmed = address.strip()
    spellings = [email_key(trimmed)]
    for form in ("NFC", "NFD"):
        spellings.append(unicodedata.normalize(form, trimmed).lower())
    return list(dict.fromkeys(spellings))
