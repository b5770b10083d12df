"""`publish.py serve`: every site and the endpoint in one process on one port.

Development mode: mentions are approved automatically and loopback sources are allowed
(the endpoint reads both from Settings.development). Old addresses listed in a site's
content/redirects.toml are answered with 301, as nginx or Caddy would in production. With
watching on, the served pages load a small script that reloads them after each rebuild.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import uvicorn
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from alusta.preview.app import PreviewApp, script_tag
from alusta.preview.events import PreviewEvents
from alusta.preview.watch import Preview, start_watching
from alusta.redirects import Redirects, load_redirects, new_url
from alusta.settings import Settings
from alusta.sites import Site


class OldAddresses:
    """ASGI middleware: a request for an old address gets a 301 to its new one."""

    def __init__(self, app: ASGIApp, *, sites: tuple[Site, ...]) -> None:
        self.app = app
        tables = [(urlsplit(s.siteurl).path.rstrip("/"), s, load_redirects(s)) for s in sites]
        self.tables: list[tuple[str, Site, Redirects]] = sorted(
            (t for t in tables if t[2].redirects), key=lambda t: -len(t[0])
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (location := self._location(scope)):
            await RedirectResponse(location, status_code=301)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _location(self, scope: Scope) -> str | None:
        path, query = scope["path"], scope["query_string"].decode("latin-1")
        for prefix, site, table in self.tables:
            if prefix and not path.startswith(prefix + "/"):
                continue
            target = table.target(path[len(prefix) :] or "/", query)
            if target is not None:
                return new_url(site, target)
        return None


def create_dev_app(settings: Settings, events: PreviewEvents | None = None) -> ASGIApp:
    """The endpoint with the built output mounted at / (and the preview's paths with events)."""
    from alusta.app import create_app  # noqa: PLC0415
    from alusta.responses.refresh import page_refresher  # noqa: PLC0415

    # Approved mentions show up at once: their pages are refreshed in the output served here.
    app = create_app(settings, static_dir=settings.output_dir, on_approved=page_refresher(settings))
    app.add_middleware(OldAddresses, sites=settings.sites)
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
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        if stop is not None:
            stop.set()
        if preview is not None:
            preview.close()
