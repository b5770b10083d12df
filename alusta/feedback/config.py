"""The secret of feedback forms (the typed settings are `Settings.feedback`).

The secret that signs form timestamps and keys IP hashes is `settings.secret`; when none
is configured one is generated into var/feedback-secret once and reused, so hashes stay
comparable across restarts without anyone having to set it up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from alusta.settings import Settings

SECRET_FILE = "feedback-secret"  # noqa: S105 - a file name
SECRET_BYTES = 32


def instance_secret(settings: Settings) -> bytes:
    """settings.secret, else the secret in var/feedback-secret (created once, mode 0600)."""
    if settings.secret:
        return settings.secret.encode("utf-8")
    path = Path(settings.var_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first: use theirs
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(SECRET_BYTES))
    return path.read_text(encoding="ascii").strip().encode("ascii")
