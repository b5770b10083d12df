"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, for tests.

with MailServer() as mail:
    settings = endpoint_settings(root, **mail.environ)
    ...
    mail.wait_for(1)
    [(recipients, message)] = mail.messages
"""

from __future__ import annotations

import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.servers import free_port

DEADLINE_SECONDS = 10.0
SENDER = "alusta@alusta.example"


class MailServer:
    """aiosmtpd on a free port of 127.0.0.1; `messages` is every (recipients, message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.port = free_port()
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def environ(self) -> dict[str, str]:
        """The ALUSTA_SMTP_* settings (as endpoint_settings keywords) that point here."""
        return {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(self.port),
            "smtp_starttls": "0",
            "smtp_from": SENDER,
        }

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append((list(envelope.rcpt_tos), message))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, deadline_seconds: float = DEADLINE_SECONDS) -> None:
        """Block until `count` messages have arrived (AssertionError at the deadline)."""
        deadline = time.monotonic() + deadline_seconds
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} of {count} mails arrived")
                self._arrived.wait(left)

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._controller.stop()
