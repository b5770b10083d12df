"""The app factory: the mentions endpoint and the feedback forms composed on one web edge.

`create_app(settings)` is everything `publish.py endpoint` serves. With `static_dir` the
built sites are mounted at "/" after the routes, so `publish.py serve` runs sites,
endpoint, forms and the moderation page in one process on one port. The route families
share the edge (alusta.web) and the database handle, and never import each other.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from alusta.endpoint import routes as mentions_routes
from alusta.endpoint import state as mentions_state
from alusta.endpoint.worker import Hook, Verifier
from alusta.feedback import intake as feedback_intake
from alusta.feedback import routes as feedback_routes
from alusta.feedback.spam import Clock
from alusta.moderation_web import routes as moderation_routes
from alusta.moderation_web import state as moderation_state
from alusta.notify.setup import notification_dispatcher
from alusta.settings import Settings
from alusta.site_files import SiteFiles
from alusta.verify import verify_source
from alusta.web.database import Database
from alusta.web.guard import Limits
from alusta.web.refusals import EDGE_REFUSALS, handlers
from alusta.web.state import running_task


def create_app(
    settings: Settings,
    *,
    static_dir: Path | None = None,
    on_approved: Hook | None = None,
    verifier: Verifier = verify_source,
    clock: Clock = time.time,
) -> Starlette:
    """The endpoint as an ASGI app.

    `on_approved` receives a Mention after its commit whenever it becomes approved, is
    approved and updated, or stops being shown, so the pages showing it can be re-rendered.
    `verifier` exists for the benchmark's accept-only runs and is
    `alusta.verify.verify_source` everywhere else. `clock` (Unix seconds) is the time of
    notifications and of the feedback forms' fill-time check: tests move it instead of
    waiting.
    """
    refusals = {
        **EDGE_REFUSALS,
        **mentions_routes.REFUSALS,
        **feedback_routes.REFUSALS,
        **moderation_routes.REFUSALS,
    }
    return Starlette(
        routes=_routes(settings, static_dir),
        lifespan=_lifespan(settings, on_approved=on_approved, verifier=verifier, clock=clock),
        exception_handlers=handlers(refusals),
    )


def _routes(settings: Settings, static_dir: Path | None) -> list[BaseRoute]:
    """Every route family, then the built sites at "/" when serving them too."""
    routes: list[BaseRoute] = [
        *mentions_routes.ROUTES,
        *feedback_routes.ROUTES,
        *moderation_routes.ROUTES,
    ]
    if static_dir is not None:
        folders = [settings.site_output(site) for site in settings.sites]
        routes.append(Mount("/", app=SiteFiles(static_dir, folders), name="static"))
    return routes


def _lifespan(
    settings: Settings, *, on_approved: Hook | None, verifier: Verifier, clock: Clock
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[dict[Any, Any]]]:
    """The app's lifespan: the database, limits and each family's running state, as the
    typed state its routes read."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict[Any, Any]]:
        database = Database(settings.database_path)
        limits = Limits(settings)
        notifier = notification_dispatcher(settings, database, clock=clock)
        try:
            async with (
                running_task(notifier.run(), "alusta-notifications"),
                mentions_state.running(
                    settings,
                    database,
                    on_change=on_approved,
                    on_news=notifier.wake,
                    verifier=verifier,
                ) as mentions,
                feedback_intake.running(
                    settings, database, on_enqueued=notifier.wake, clock=clock
                ) as intake,
                moderation_state.running(
                    settings, database, on_change=on_approved, clock=clock
                ) as moderation,
            ):
                # Everything alive now lives as long as the process (the app, and the many
                # objects of mf2py, html5lib, nh3, httpx…). Out of the collector's sight,
                # full collections stop walking them: at 64 concurrent senders this halves
                # p99 latency.
                gc.freeze()
                yield {
                    Limits: limits,
                    mentions_state.Mentions: mentions,
                    feedback_intake.Intake: intake,
                    moderation_state.ModerationState: moderation,
                }
        finally:
            limits.close()
            database.close()

    return lifespan
