"""The `send` job: tell the targets of our posts what changed, once per change.

1. Plan. For every post the builds published (table published_posts, alusta.published),
   take its content hash and links from the build record (alusta.build_record) and
   compare them with what was announced (alusta.send.plan). Per post, one transaction
   saves the new state and puts its notifications in the outbox, so a change is announced
   exactly once even if the run dies: the next run finds the post unchanged and only
   delivers what is still pending.
2. Deliver every due notification of the outbox: at most `concurrency` at a time and
   `per_host` per host (alusta.send.client); targets on our own sites are recorded as
   mentions directly (alusta.send.internal).
3. Timeouts, network errors and 5xx come back after RETRY_BASE_SECONDS * 2**(tries-1);
   after MAX_TRIES tries the notification is given up (`send --status` lists it).

Delivery is at-least-once: a run killed between a receiver's 2xx and its record sends
that one notification again, which Webmention §3.2.4 makes harmless (an update).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from alusta.build_record import BuildRecord, SiteBuild, load_record
from alusta.db import connect
from alusta.errors import AlustaError
from alusta.post_links import PostContent
from alusta.published import published_posts
from alusta.send import internal, state
from alusta.send.client import PER_HOST_CONCURRENCY, REQUEST_TIMEOUT_SECONDS, SendClient
from alusta.send.notify import Attempt, Outcome, send_one
from alusta.send.plan import PostPlan, plan_gone, plan_published
from alusta.send.state import Notification, NotificationState, Outgoing
from alusta.settings import Settings
from alusta.sites import Site

MAX_TRIES = 4
RETRY_BASE_SECONDS = 600.0
RUN_CONCURRENCY = 8


class SendError(AlustaError):
    """The sites cannot be sent for: not built yet, or built for another address."""


@dataclass(frozen=True)
class SendOptions:
    """How one run behaves; the defaults are the production values."""

    site_names: tuple[str, ...] = ()  # all sites when empty
    dry_run: bool = False
    max_tries: int = MAX_TRIES
    retry_base_seconds: float = RETRY_BASE_SECONDS
    concurrency: int = RUN_CONCURRENCY
    per_host: int = PER_HOST_CONCURRENCY
    timeout_seconds: float = REQUEST_TIMEOUT_SECONDS


@dataclass
class SendReport:
    """What a run planned, what it found waiting, what it tried and what it skipped."""

    planned: list[Outgoing] = field(default_factory=list)
    due: list[Notification] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def run_send(
    settings: Settings, *, options: SendOptions = SendOptions(), now: float | None = None
) -> SendReport:
    """Plan and deliver (or, with `dry_run`, only report) the notifications of every change."""
    now = time.time() if now is None else now
    sites = [settings.site(n) for n in options.site_names] or list(settings.sites)
    record = load_record(settings.var_dir)
    built = [check_built(site, record) for site in sites]
    connection = connect(settings.database_path)
    try:
        report = SendReport()
        plans = [plan for site in built for plan in _plans(connection, site, report)]
        report.planned = [o for plan in plans for o in plan.outgoing]
        if not options.dry_run:
            for plan in plans:
                state.announce(connection, plan.post, plan.outgoing, now=now)
        report.due = state.due_notifications(connection, now=now)
        if options.site_names:
            report.due = [n for n in report.due if _source_site(settings, n) in options.site_names]
        if not options.dry_run:
            report.attempts = await _deliver_all(connection, settings, record, report.due, options)
        return report
    finally:
        connection.close()


def _source_site(settings: Settings, notification: Notification) -> str:
    return internal.our_sites(settings).owner_of(notification.source) or ""


def check_built(site: Site, record: BuildRecord) -> SiteBuild:
    """Refuse to send for a site that was never built, or last built for another address."""
    built = record.sites.get(site.name)
    if built is None:
        raise SendError(f"site {site.name} has not been built yet: run `publish.py build` first")
    built_for = built.siteurl.rstrip("/")
    if built_for != site.siteurl:
        raise SendError(
            f"site {site.name} was last built for {built_for}, not {site.siteurl}: "
            "build it with its production address before sending"
        )
    return built


def _plans(connection: sqlite3.Connection, site: SiteBuild, report: SendReport) -> list[PostPlan]:
    plans = []
    posts = {site.relative_url(p): p for p in site.posts}
    for post in published_posts(connection, site.name):
        previous = state.sent_post(connection, site.name, post.path)
        if post.gone:
            plan = plan_gone(previous)
        else:
            page = posts.get(post.path)
            if page is None or page.problem:
                where = Path(site.output) / post.save_as
                report.problems.append(page.problem if page else f"{where}: not in the last build")
                continue
            current = PostContent(page.url, page.entry_hash, page.links)
            plan = plan_published(site.name, post.path, current, previous)
        if plan is not None:
            plans.append(plan)
    return plans


async def _deliver_all(
    connection: sqlite3.Connection,
    settings: Settings,
    record: BuildRecord,
    due: list[Notification],
    options: SendOptions,
) -> list[Attempt]:
    client = SendClient(
        allow_private=settings.allow_private_addresses,
        per_host=options.per_host,
        timeout_seconds=options.timeout_seconds,
    )
    gate = asyncio.Semaphore(options.concurrency)
    ours = internal.our_sites(settings)

    async def deliver(notification: Notification) -> Attempt:
        async with gate:
            if ours.owner_of(notification.target) is not None:
                attempt = internal.record(
                    connection, ours, record, notification.source, notification.target,
                    reason=notification.reason, now=time.time(),
                )  # fmt: skip
            else:
                attempt = await send_one(notification.source, notification.target, client)
        _finish(connection, notification, attempt, options)
        return attempt

    return list(await asyncio.gather(*(deliver(n) for n in due)))


def _finish(
    connection: sqlite3.Connection,
    notification: Notification,
    attempt: Attempt,
    options: SendOptions,
) -> None:
    """Record the attempt; schedule a retry with backoff, or give up after max_tries."""
    finished = time.time()
    tries = notification.tries + 1
    next_state, next_at = NotificationState.DONE, finished
    if attempt.outcome is Outcome.RETRY:
        if tries >= options.max_tries:
            next_state = NotificationState.GIVEN_UP
        else:
            next_state = NotificationState.PENDING
            next_at = finished + options.retry_base_seconds * 2 ** (tries - 1)
    state.finish_attempt(
        connection, notification, attempt, state=next_state, next_attempt_at=next_at, now=finished
    )


async def send_single(settings: Settings, source: str, target: str) -> Attempt:
    """`send --source --target`: notify one target now and record the attempt."""
    client = SendClient(allow_private=settings.allow_private_addresses)
    attempt = await send_one(source, target, client)
    connection = connect(settings.database_path)
    try:
        state.record_attempt(connection, attempt, now=time.time())
    finally:
        connection.close()
    return attempt


def status(settings: Settings) -> list[tuple[Notification, list[sqlite3.Row]]]:
    """Pending and given-up notifications with their attempts, for `send --status`."""
    connection = connect(settings.database_path)
    try:
        return [(n, state.attempts_for(connection, n.id)) for n in state.unfinished(connection)]
    finally:
        connection.close()
