"""Receiving one submission: the checks in order, then a durable insert, then notifications.

Order matters for cost: size (while reading, in the route), form lookup, rate limit,
honeypot, fill time, validation. Nothing is stored unless every check passed, and the
answer is sent only after the row is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from alusta.db import iso
from alusta.feedback import store
from alusta.feedback.catalog import FormCatalog
from alusta.feedback.config import instance_secret
from alusta.feedback.models import FormDefinition
from alusta.feedback.notify import channels
from alusta.feedback.purge import purge_expired
from alusta.feedback.spam import (
    LANG_FIELD,
    TOKEN_FIELD,
    Clock,
    FillClock,
    check_honeypot,
    client_hash,
)
from alusta.feedback.validate import validate
from alusta.i18n import LANGUAGES
from alusta.settings import Settings
from alusta.web.database import Database

LOG = logging.getLogger("alusta.feedback")
MAINTENANCE_INTERVAL_SECONDS = 3600.0
MAX_PAGE_CHARS = 500


@dataclass(frozen=True)
class Accepted:
    id: int
    thanks_url: str


def _page_address(referer: str) -> str:
    """The page a form was sent from, without query or fragment (they may carry anything)."""
    if not referer.startswith(("http://", "https://")):
        return ""
    return referer.split("#", 1)[0].split("?", 1)[0][:MAX_PAGE_CHARS]


def thanks_url(settings: Settings, form: FormDefinition, lang: str) -> str:
    """The thank-you page the plugin wrote for this form, in the visitor's language."""
    site = settings.site(form.site)
    base = f"{site.siteurl}/feedback/{form.name}/thanks/"
    return base if lang == site.lang else f"{base}{lang}/"


def form_lang(form_data: dict[str, list[str]], default: str) -> str:
    value = (form_data.get(LANG_FIELD) or [""])[0]
    return value if value in LANGUAGES else default


class Intake:
    """Everything the feedback routes need, built once per app."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        on_enqueued: Callable[[], None],
        clock: Clock = time.time,
    ) -> None:
        config = settings.feedback
        self.settings, self.database, self.config = settings, database, config
        self.secret = instance_secret(settings)
        self.catalog = FormCatalog(settings)
        self.clock = FillClock(self.secret, min_seconds=config.min_fill_seconds, clock=clock)
        self.on_enqueued = on_enqueued  # wakes the notification dispatcher
        self._tasks: set[asyncio.Task] = set()

    def form(self, site: str, name: str) -> FormDefinition:
        return self.catalog.get(site, name)

    def screen(self, form_data: dict[str, list[str]], address: str) -> str:
        """Honeypot and fill time; the client's hash (raises on refusal). The route has
        checked the rate limit (alusta.web.guard, Scope.FEEDBACK) before."""
        hashed = client_hash(self.secret, address)
        check_honeypot(form_data)
        self.clock.check((form_data.get(TOKEN_FIELD) or [""])[0])
        return hashed

    async def submit(
        self, form: FormDefinition, form_data: dict[str, list[str]], *, address: str, page: str = ""
    ) -> Accepted:
        """Screen, validate and store one submission (InvalidSubmission, Refused,
        otherwise)."""
        hashed = self.screen(form_data, address)
        answers = validate(form, form_data)
        lang = form_lang(form_data, self.settings.site(form.site).lang)
        emails = [answers[f.name] for f in form.email_fields if answers.get(f.name)]
        notify = tuple(channels(form))
        item = store.NewSubmission(
            site=form.site,
            form=form.name,
            lang=lang,
            answers=answers,
            email=str(emails[0]) if emails else None,  # the store keeps its email_key
            client_hash=hashed,
            page=_page_address(page),
            received_at=iso(time.time()),
            notify=notify,
        )
        submission_id = await self.database.write(lambda connection: store.insert(connection, item))
        if notify:
            self.on_enqueued()
        return Accepted(submission_id, thanks_url(self.settings, form, lang))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def maintain(self) -> None:
        """Forever: purge expired submissions hourly."""
        while True:
            report = await self.database.write(
                lambda connection: purge_expired(connection, self.settings)
            )
            if report.removed:
                LOG.info("feedback: purged %d expired submission(s)", report.removed)
            await asyncio.sleep(MAINTENANCE_INTERVAL_SECONDS)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    database: Database,
    *,
    on_enqueued: Callable[[], None],
    clock: Clock = time.time,
) -> AsyncIterator[Intake]:
    """An Intake with its maintenance loop running while the app serves."""
    intake = Intake(settings, database, on_enqueued=on_enqueued, clock=clock)
    intake._spawn(_guarded(intake.maintain()))
    try:
        yield intake
    finally:
        await intake.close()


async def _guarded(coroutine: Any) -> None:
    try:
        await coroutine
    except asyncio.CancelledError:
        raise
    except Exception:  # the endpoint keeps answering; the log says why maintenance stopped
        LOG.exception("feedback: maintenance loop stopped")
