"""The background verification worker: pulls due mentions from SQLite and verifies them.

The queue lives in the database, not in memory, so a restart loses nothing: rows still
'queued', or claimed by a worker that died, are picked up again (W3C Webmention 3.2.2
lets verification happen asynchronously). Network errors and 5xx are retried with growing
delays, a 404 (a page not deployed yet) a few times over half an hour; other 4xx are
final. Updates and deletes follow 3.2.4: a source that is gone (410) or no longer links
removes a shown mention; a 404 or a network error does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from alusta import outbox, store, verification_queue
from alusta.db import transaction
from alusta.endpoint.errors import reason_for
from alusta.endpoint.failures import log_final, retry_delays
from alusta.errors import ConfigError
from alusta.models import (
    Mention,
    MentionKind,
    MentionRequest,
    MentionStatus,
    SourceEntry,
    VerificationJob,
)
from alusta.moderation import BLOCKED_REASON, Decision, decide, is_blocked, is_news
from alusta.settings import Settings
from alusta.urls import host_of
from alusta.verify import (
    NoLinkToTarget,
    SourceBlocked,
    SourceGone,
    verify_source,
)
from alusta.web.database import Database

log = logging.getLogger("alusta.endpoint.worker")

CONCURRENCY = 8  # verifications in flight per process when intake is quiet
BUSY_CONCURRENCY = 1  # in flight while requests are arriving: intake comes first
INTAKE_QUIET_SECONDS = 0.2  # no request for this long: intake is quiet
CLAIM_BATCH = 4  # claim when this many slots are free: fewer, larger claim transactions
LEASE_SECONDS = 120.0  # a claim older than this is taken to belong to a dead worker
VERIFY_TIMEOUT_SECONDS = 60.0  # outer cap; alusta.http has its own, tighter budget
IDLE_POLL_SECONDS = 5.0  # look at the queue at least this often (other processes add work)

Verifier = Callable[..., Awaitable[SourceEntry]]
Hook = Callable[[Mention], object]


def save_and_tell(
    connection: sqlite3.Connection,
    job: VerificationJob,
    entry: SourceEntry,
    decision: Decision,
    *,
    channels: list[str],
    now: float,
) -> Mention:
    """Store a verified mention and, in the same transaction, its notifications."""
    with transaction(connection):
        mention = store.save_verified(
            connection, job.id, entry, status=decision.status, reason=decision.reason, now=now
        )
        outbox.enqueue(connection, "mention", job.id, job.site, channels, now=now)
    return mention


class Worker:
    """Verifies queued mentions with bounded concurrency until cancelled; `verify_now`
    verifies one while its sender waits."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        on_change: Hook | None = None,
        on_news: Callable[[], None] | None = None,
        verifier: Verifier = verify_source,
    ) -> None:
        self.settings = settings
        self.database = database
        self._on_change = on_change
        self._on_news = on_news  # a notification was enqueued (alusta.notify.dispatch)
        self._verifier = verifier
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task] = set()
        self._last_intake = float("-inf")

    def wake(self) -> None:
        """New work was stored: look at the queue now instead of at the next poll."""
        self._last_intake = time.monotonic()
        self._wake.set()

    def _limit(self) -> int:
        """How many verifications may run now. Accepting is what senders wait for, and
        verification may lag (Webmention 3.2.2), so during a burst one runs at a time."""
        if time.monotonic() - self._last_intake < INTAKE_QUIET_SECONDS:
            return BUSY_CONCURRENCY
        return CONCURRENCY

    async def run(self) -> None:
        await self.database.write(verification_queue.release_claims)
        try:
            while True:
                limit = self._limit()
                free = limit - len(self._running)
                if free <= 0 or (self._running and free < min(CLAIM_BATCH, limit)):
                    # a finishing job or new work wakes us; re-check when a burst may end
                    await self._idle(INTAKE_QUIET_SECONDS)
                    continue
                jobs = await self.database.write(
                    verification_queue.claim_due,
                    now=time.time(),
                    limit=free,
                    lease_seconds=LEASE_SECONDS,
                )
                for job in jobs:
                    task = asyncio.create_task(self.process(job))
                    self._running.add(task)
                    task.add_done_callback(self._finished)
                if not jobs:
                    due = await self.database.read(verification_queue.next_due_at)
                    delay = IDLE_POLL_SECONDS if due is None else due - time.time()
                    await self._idle(min(max(delay, 0.0), IDLE_POLL_SECONDS))
        finally:
            for task in list(self._running):
                task.cancel()

    def _finished(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        self._wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("worker: verification crashed", exc_info=task.exception())

    async def _idle(self, seconds: float) -> None:
        """Wait for `seconds` or until woken, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def process(self, job: VerificationJob) -> Mention:
        """Verify one job and store the outcome; the hook hears of visibility changes."""
        mention = await self._verify_and_store(job)
        if MentionStatus.APPROVED in (job.status, mention.status):
            await self._notify(mention)
        return mention

    async def _verify_and_store(self, job: VerificationJob) -> Mention:
        rules = await self.database.read(store.domain_rules)
        host = host_of(job.source)
        if is_blocked(host, rules):
            return await self._finish(job, MentionStatus.REJECTED, BLOCKED_REASON)
        try:
            async with asyncio.timeout(VERIFY_TIMEOUT_SECONDS):
                entry = await self._verify(job.source, job.target, rules)
        except SourceBlocked:
            return await self._finish(job, MentionStatus.REJECTED, BLOCKED_REASON)
        except (SourceGone, NoLinkToTarget) as error:
            status = MentionStatus.DELETED if job.verified else MentionStatus.REJECTED
            return await self._finish(job, status, reason_for(error))
        except Exception as error:
            return await self._failed(job, error)
        return await self._record(job, entry, rules=rules)

    async def verify_now(self, request: MentionRequest, *, budget_seconds: float) -> None:
        """Verify a request while its sender waits and store it only when it checks out
        (Pingback has no status page: the answer is the outcome). Raises what verification
        raised; a source on a blocked domain is queued for the worker to reject silently."""
        rules = await self.database.read(store.domain_rules)
        if is_blocked(host_of(request.source), rules):
            await self.database.write(verification_queue.enqueue_many, [request], now=time.time())
            self.wake()
            return
        try:
            async with asyncio.timeout(budget_seconds):
                entry = await self._verify(request.source, request.target, rules)
        except SourceBlocked:  # redirected to a blocked domain: silence, as for the source
            job = await self._claimed(request)
            await self._finish(job, MentionStatus.REJECTED, BLOCKED_REASON)
            return
        # Durable before the answer: the row is stored claimed, then completed.
        job = await self._claimed(request)
        mention = await self._record(job, entry, rules=rules)
        if mention.status == MentionStatus.APPROVED:
            await self._notify(mention)

    async def _verify(self, source: str, target: str, rules: dict[str, str]) -> SourceEntry:
        """Run the verifier; every page the source redirects to is held to the block list."""
        return await self._verifier(
            source,
            target,
            allow_private=self.settings.allow_private_addresses,
            blocked=lambda url: is_blocked(host_of(url), rules),
        )

    async def _claimed(self, request: MentionRequest) -> VerificationJob:
        """Store a request already claimed by this caller; its job."""
        ((mention_id, _token),) = await self.database.write(
            verification_queue.enqueue_many, [request], now=time.time(), claim_seconds=LEASE_SECONDS
        )
        return await self.database.read(verification_queue.job_for, mention_id)

    async def _record(
        self, job: VerificationJob, entry: SourceEntry, *, rules: dict[str, str]
    ) -> Mention:
        """Store what a successful verification found, with the moderation decision."""
        decision = decide(
            policy=self._policy(job.site),
            development=self.settings.development,
            source_host=host_of(job.source),
            rules=rules,
            previous=job.status,
            moderated=job.moderated,
        )
        if job.protocol == "pingback":
            entry = replace(entry, kind=MentionKind.PINGBACK)
        channels = self._news_channels(job, decision.status)
        mention = await self.database.write(
            save_and_tell, job, entry, decision, channels=channels, now=time.time()
        )
        if channels and self._on_news is not None:
            self._on_news()
        return mention

    def _news_channels(self, job: VerificationJob, status: MentionStatus) -> list[str]:
        """The channels the site's maintainers hear of this outcome through, if it is news."""
        try:
            site = self.settings.site(job.site)
        except ConfigError:
            return []
        if not is_news(notify=site.notify, status=status, previous=job.status):
            return []
        return [
            c for c, on in (("email", site.notify_email), ("webhook", site.notify_webhook)) if on
        ]

    async def _failed(self, job: VerificationJob, error: Exception) -> Mention:
        """Retry what may heal; otherwise reject, but keep a mention verified before."""
        reason = reason_for(error)
        delays = retry_delays(error, self.settings)
        if job.attempts < len(delays):
            now = time.time()
            await self.database.write(
                verification_queue.schedule_retry,
                job.id,
                reason=reason,
                at=now + delays[job.attempts],
                now=now,
            )
            return await self.database.read(store.mention_by_id, job.id)
        log_final(job.source, error, reason)
        if job.verified:
            return await self._finish(job, job.status, f"kept; last check: {reason}")
        return await self._finish(job, MentionStatus.REJECTED, reason)

    async def _finish(self, job: VerificationJob, status: MentionStatus, reason: str) -> Mention:
        return await self.database.write(
            store.save_outcome, job.id, status=status, reason=reason, now=time.time()
        )

    def _policy(self, site_name: str) -> str:
        try:
            return self.settings.site(site_name).moderation
        except ConfigError:  # a site removed from the config since: the careful policy
            return "queue"

    async def _notify(self, mention: Mention) -> None:
        """Tell the hook (page refresh) after the commit; its failure never loses data."""
        if self._on_change is None:
            return
        try:
            result = await asyncio.to_thread(self._on_change, mention)
            if asyncio.iscoroutine(result):
                await result
        except Exception:
            log.exception("worker: refresh hook failed for mention %s", mention.id)
