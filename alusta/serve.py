"""`publish.py serve`: every site and the endpoint in one process on one port.

Development mode: mentions are approved automatically and loopback sources are allowed
(the endpoint reads both from Settings.development). With watching on, the served pages
load a small script that reloads them after each rebuild (alusta.preview).
"""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp

from alusta.preview.app import PreviewApp, script_tag
from alusta.preview.events import PreviewEvents
from alusta.preview.watch import Preview, start_watching
from alusta.settings import Settings


def create_dev_app(settings: Settings, events: PreviewEvents | None = None) -> ASGIApp:
    """The endpoint with the built output mounted at / (and the preview's paths with events)."""
    from alusta.endpoint import create_app  # noqa: PLC0415
    from alusta.responses.refresh import page_refresher  # noqa: PLC0415

    # Approved mentions show up at once: their pages are refreshed in the output served here.
    app = create_app(settings, static_dir=settings.output_dir, on_approved=page_refresher(settings))
    if events is None:
        return app
    script = script_tag(settings.theme_dir / "translations", settings.main.lang)
    return PreviewApp(app, events, script)


def run_server(settings: Settings, *, host: str, port: int, preview: Preview | None) -> None:
    """Serve until interrupted; with a `preview`, rebuild and reload on every saved change."""
    settings.output_dir.mkdir(parents=True, exist_ok=True)
    app = create_dev_app(settings, preview.events if preview else None)
    stop = start_watching(preview) if preview else None
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if stop is not None:
            stop.set()
        if preview is not None:
            preview.close()
