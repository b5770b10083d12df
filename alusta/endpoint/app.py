"""The app factory: routes, shared state and the worker's lifespan in one place.

`create_app(settings)` is everything `publish.py endpoint` serves. With `static_dir` the
built sites are mounted at "/" after the endpoint's routes, so `publish.py serve` runs
sites and endpoint in one process on one port.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount

from alusta.endpoint import mentions_api, pingback, webmention
from alusta.endpoint.database import Database
from alusta.endpoint.guard import Guard
from alusta.endpoint.targets import Pages
from alusta.endpoint.worker import Verifier, Worker
from alusta.feedback import routes as feedback_routes
from alusta.feedback.intake import start_intake
from alusta.models import Mention
from alusta.notify.setup import notification_dispatcher
from alusta.settings import Settings
from alusta.site_files import SiteFiles
from alusta.verify import verify_source

Hook = Callable[[Mention], object]


def create_app(
    settings: Settings,
    *,
    static_dir: Path | None = None,
    on_approved: Hook | None = None,
    verifier: Verifier = verify_source,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The endpoint as an ASGI app.

    `on_approved` receives a Mention after its commit whenever it becomes approved, is
    approved and updated, or stops being shown, so the pages showing it can be re-rendered.
    `verifier` exists for the benchmark's accept-only runs and is
    `alusta.verify.verify_source` everywhere else; `clock` is the notifications' time
    (tests move it to close a batch window without waiting).
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = Database(settings.database_path)
        notifier = notification_dispatcher(settings, database, clock=clock)
        worker = Worker(
            settings, database, on_change=on_approved, on_news=notifier.wake, verifier=verifier
        )
        app.state.settings = settings
        app.state.database = database
        app.state.worker = worker
        app.state.guard = Guard(settings)
        app.state.pages = Pages(settings)
        app.state.notifier = notifier
        task = asyncio.create_task(worker.run(), name="alusta-verification-worker")
        notifying = asyncio.create_task(notifier.run(), name="alusta-notifications")
        # Everything alive now lives as long as the process (the app, and the many objects
        # of mf2py, html5lib, nh3, httpx…). Out of the collector's sight, full collections
        # stop walking them: at 64 concurrent senders this halves p99 latency.
        gc.freeze()
        feedback = start_intake(app, settings, database, on_enqueued=notifier.wake)
        try:
            yield
        finally:
            for running in (task, notifying):
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running
            await feedback.close()
            database.close()

    routes = [*webmention.ROUTES, *pingback.ROUTES, *mentions_api.ROUTES]
    routes += feedback_routes.ROUTES  # feedback forms (alusta/feedback)
    if static_dir is not None:
        folders = [settings.site_output(site) for site in settings.sites]
        routes.append(Mount("/", app=SiteFiles(static_dir, folders), name="static"))
    return Starlette(routes=routes, lifespan=lifespan)
