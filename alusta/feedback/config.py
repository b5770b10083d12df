"""The feedback settings, typed: read from `Settings.feedback` (the ALUSTA_* environment).

The secret that signs form timestamps and keys IP hashes is `settings.secret`; when none
is configured one is generated into var/feedback-secret once and reused, so hashes stay
comparable across restarts without anyone having to set it up.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from alusta.errors import ConfigError
from alusta.settings import ENV_PREFIX, Settings

SECRET_FILE = "feedback-secret"  # noqa: S105 - a file name
SECRET_BYTES = 32


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool


@dataclass(frozen=True)
class FeedbackConfig:
    rate_limit_per_minute: int
    min_fill_seconds: float
    smtp: SmtpConfig | None


def feedback_config(settings: Settings) -> FeedbackConfig:
    """Typed feedback settings; ConfigError names the environment variable that is wrong."""
    values = settings.feedback

    def number(name: str, default: str) -> int:
        value = values.get(name, default)
        if not value.isdigit():
            raise ConfigError(f"{ENV_PREFIX}{name}={value!r}: expected a whole number")
        return int(value)

    smtp = None
    if values.get("SMTP_HOST"):
        smtp = SmtpConfig(
            host=values["SMTP_HOST"],
            port=number("SMTP_PORT", "587"),
            user=values.get("SMTP_USER", ""),
            password=values.get("SMTP_PASSWORD", ""),
            sender=values.get("SMTP_FROM", "") or "alusta@localhost",
            starttls=values.get("SMTP_STARTTLS", "1") == "1",
        )
    return FeedbackConfig(
        rate_limit_per_minute=max(1, number("FEEDBACK_RATE_LIMIT_PER_MINUTE", "10")),
        min_fill_seconds=number("FEEDBACK_MIN_FILL_SECONDS", "3"),
        smtp=smtp,
    )


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
