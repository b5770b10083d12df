"""What the moderation page needs, built once per app in its lifespan (`running`) and
found by the routes as typed app state (`moderation_state`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from functools import partial

from starlette.requests import HTTPConnection

from alusta.feedback.config import instance_secret
from alusta.models import Mention
from alusta.moderation_web.access import Access, Moderator
from alusta.moderation_web.render import Renderer
from alusta.notify.titles import post_title
from alusta.settings import Settings
from alusta.web.database import Database
from alusta.web.state import app_state

LOG = logging.getLogger("alusta.moderation")

Hook = Callable[[Mention], object]


class ModerationState:
    """Tokens and sessions, templates, the database, and the page-refresh hook."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        on_change: Hook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings, self.database, self.on_change, self.clock = (
            settings, database, on_change, clock,
        )  # fmt: skip
        self.access = Access(settings, instance_secret(settings))
        self.renderer = Renderer(settings)
        self.title_of = partial(post_title, settings)

    def lang(self, moderator: Moderator | None) -> str:
        """A moderator of one site reads the page in its language; others in the main one."""
        if moderator is not None and moderator.sites and len(moderator.sites) == 1:
            (site,) = moderator.sites
            return self.settings.site(site).lang
        return self.settings.main.lang

    async def refresh(self, changed: list[Mention]) -> None:
        """Re-render the pages showing these mentions now (as `publish.py mentions` does)."""
        if self.on_change is None:
            return
        for mention in {m.target: m for m in changed}.values():
            try:
                await asyncio.to_thread(self.on_change, mention)
            except Exception:  # the action is committed; the next refresh catches up
                LOG.exception("moderation: refreshing %s failed", mention.target)


def moderation_state(connection: HTTPConnection) -> ModerationState:
    return app_state(connection, ModerationState)


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    database: Database,
    *,
    on_change: Hook | None,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[ModerationState]:
    """The page's state while the app serves (nothing runs in the background)."""
    yield ModerationState(settings, database, on_change=on_change, clock=clock)
