"""The two ways a notification leaves: one e-mail over SMTP, one JSON POST to a webhook.

Shared by the notifications of replies and of feedback answers, so both use the same
ALUSTA_SMTP_* server and the same safe HTTP client (alusta.http: no private addresses
unless allowed, capped response, no redirects).
"""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage
from typing import Protocol

from alusta.errors import AlustaError
from alusta.http import FetchError, fetch

SMTP_TIMEOUT_SECONDS = 10.0
WEBHOOK_TIMEOUT_SECONDS = 10.0
WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024


class NotifyError(AlustaError):
    """A notification could not be delivered (it is tried again later)."""


class MailServer(Protocol):
    """What sending needs of the SMTP settings (alusta.settings)."""

    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool


def send_email(smtp: MailServer, message: EmailMessage) -> None:
    """Deliver one message (blocking: run it in a thread)."""
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise NotifyError(f"mail to {message['To']} via {smtp.host} failed: {error}") from error


async def post_webhook(url: str, document: dict[str, object], *, allow_private: bool) -> None:
    """POST the document as JSON; any answer but 2xx is a failure."""
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    try:
        result = await fetch(
            url,
            allow_private=allow_private,
            method="POST",
            data=body,
            headers={"Content-Type": "application/json"},
            max_bytes=WEBHOOK_MAX_RESPONSE_BYTES,
            timeout_seconds=WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except FetchError as error:
        raise NotifyError(f"webhook {url} failed: {error}") from error
    if not 200 <= result.status < 300:
        raise NotifyError(f"webhook {url} answered {result.status}")
