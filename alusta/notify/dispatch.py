"""Working through the stored deliveries: each channel once, retried, batched where asked.

The deliveries live in SQLite (alusta.outbox), written with what they tell about, so a
restart loses none and repeats none that went out. Each subject (replies, feedback answers)
brings a Composer that writes its messages; replies batch their e-mails: the first goes at
once, later ones wait until `batch_seconds` after the site's last one and go together.
Time comes from an injected clock, so tests move it instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from itertools import groupby
from typing import Any, Protocol, TypeVar

from alusta import outbox
from alusta.notify.channels import MailServer, NotifyError, post_webhook, send_email

LOG = logging.getLogger("alusta.notify")
RETRY_DELAYS_SECONDS = (60.0, 300.0, 1800.0, 7200.0)  # then the delivery is given up
IDLE_POLL_SECONDS = 60.0  # other processes (the CLI) may add deliveries too
LEASE_SECONDS = 120.0  # a claimed delivery is another process's for this long

T = TypeVar("T")


class Database(Protocol):
    """The endpoint's SQLite access (reads and grouped writes off the event loop)."""

    async def read(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...
    async def write(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...


@dataclass(frozen=True)
class Webhook:
    url: str
    document: dict[str, object]


class Composer(Protocol):
    """Writes the messages of one subject; None when the site or form asks for none."""

    subject: str
    batch_seconds: float  # 0: one e-mail per delivery

    def email(
        self, connection: sqlite3.Connection, site: str, ids: list[int], sender: str
    ) -> EmailMessage | None: ...

    def webhook(
        self, connection: sqlite3.Connection, site: str, subject_id: int
    ) -> Webhook | None: ...


class Dispatcher:
    """Delivers what is due; `run()` keeps doing it until cancelled."""

    def __init__(
        self,
        database: Database,
        composers: Sequence[Composer],
        *,
        smtp: MailServer | None,
        allow_private: bool,
        clock: Callable[[], float] = time.time,
        retry_delays: Sequence[float] = RETRY_DELAYS_SECONDS,
    ) -> None:
        self.database, self.smtp, self.clock = database, smtp, clock
        self.composers = {c.subject: c for c in composers}
        self.allow_private, self.retry_delays = allow_private, tuple(retry_delays)
        self._lock = asyncio.Lock()  # one pass at a time: nobody is told twice
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.deliver_due()
                next_due = await self.database.read(outbox.next_due_at)
            except Exception:  # the endpoint keeps answering; the next pass tries again
                LOG.exception("notify: delivering failed")
                next_due = None
            delay = IDLE_POLL_SECONDS if next_due is None else next_due - self.clock()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(max(delay, 0.0), IDLE_POLL_SECONDS))
            self._wake.clear()

    async def deliver_due(self) -> int:
        """One pass over every due delivery; how many went out."""
        async with self._lock:
            due = await self.database.write(
                outbox.claim_due, now=self.clock(), lease_seconds=LEASE_SECONDS
            )
            sent = 0
            for (subject, site, channel), group in groupby(
                sorted(due, key=_group_key), key=_group_key
            ):
                sent += await self._deliver(self.composers[subject], site, channel, list(group))
            return sent

    async def _deliver(
        self, composer: Composer, site: str, channel: str, group: list[outbox.Delivery]
    ) -> int:
        if channel == "webhook":
            return sum([await self._webhook(composer, site, d) for d in group])
        if composer.batch_seconds:
            return await self._batch(composer, site, group)
        return sum([await self._email(composer, site, [d]) for d in group])

    async def _batch(self, composer: Composer, site: str, group: list[outbox.Delivery]) -> int:
        last = await self.database.read(outbox.last_sent_at, composer.subject, site, "email")
        opens = last + composer.batch_seconds
        if last and self.clock() < opens:
            await self.database.write(outbox.postpone, [d.id for d in group], until=opens)
            return 0
        return await self._email(composer, site, group)

    async def _email(self, composer: Composer, site: str, group: list[outbox.Delivery]) -> int:
        ids = [d.subject_id for d in group]
        sender = self.smtp.sender if self.smtp else ""
        message = await self.database.read(composer.email, site, ids, sender)

        async def send() -> None:
            if self.smtp is None:
                raise NotifyError(f"{site}: notify_email is set but ALUSTA_SMTP_HOST is not")
            await asyncio.to_thread(send_email, self.smtp, message)

        return await self._attempt(group, None if message is None else send)

    async def _webhook(self, composer: Composer, site: str, delivery: outbox.Delivery) -> int:
        hook = await self.database.read(composer.webhook, site, delivery.subject_id)

        async def post() -> None:
            await post_webhook(hook.url, hook.document, allow_private=self.allow_private)

        return await self._attempt([delivery], None if hook is None else post)

    async def _attempt(
        self, group: list[outbox.Delivery], send: Callable[[], Awaitable[None]] | None
    ) -> int:
        """Send, then record the outcome for every delivery in the group."""
        ids = [d.id for d in group]
        if send is None:
            await self.database.write(outbox.mark_skipped, ids)
            return 0
        try:
            await send()
        except NotifyError as error:
            LOG.warning("notify: %s", error)
            await self.database.write(
                outbox.mark_failed,
                ids,
                error=str(error),
                now=self.clock(),
                retry_delays=self.retry_delays,
            )
            return 0
        await self.database.write(outbox.mark_sent, ids, now=self.clock())
        return len(ids)


def _group_key(delivery: outbox.Delivery) -> tuple[str, str, str]:
    return (delivery.subject, delivery.site, delivery.channel)
