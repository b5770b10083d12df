"""What the mentions routes share, built once per app by its lifespan.

`running(...)` builds it and runs the verification worker while the app serves; the
routes read it with `mentions(request)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from alusta.endpoint.feed_cache import FeedCache
from alusta.endpoint.intake import MentionIntake
from alusta.endpoint.targets import Pages
from alusta.endpoint.worker import Hook, Verifier, Worker
from alusta.settings import Settings
from alusta.web.database import Database
from alusta.web.state import app_state, running_task


@dataclass(frozen=True)
class Mentions:
    settings: Settings
    database: Database
    intake: MentionIntake  # accepted Webmentions, batched into the queue
    worker: Worker
    pages: Pages  # the pages of the last build: valid targets
    feed_cache: FeedCache  # pages of the JF2 API by query (used on the reader thread only)


def mentions(connection: HTTPConnection) -> Mentions:
    return app_state(connection, Mentions)


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    database: Database,
    *,
    on_change: Hook | None,
    on_news: Callable[[], None],
    verifier: Verifier,
) -> AsyncIterator[Mentions]:
    """The routes' shared state, with the verification worker running in the background."""
    worker = Worker(settings, database, on_change=on_change, on_news=on_news, verifier=verifier)
    state = Mentions(
        settings, database, MentionIntake(database), worker, Pages(settings), FeedCache()
    )
    async with running_task(worker.run(), "alusta-verification-worker"):
        yield state
