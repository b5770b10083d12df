"""`publish.py serve`: every site and the endpoint in one process on one port.

Development mode: mentions are approved automatically and loopback sources are allowed
(the endpoint reads both from Settings.development). Old addresses listed in a site's
content/redirects.toml are answered with 301, as nginx or Caddy would in production.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

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


def create_dev_app(settings: Settings) -> Starlette:
    """The endpoint with the built output mounted at / in the same app."""
    from alusta.app import create_app  # noqa: PLC0415
    from alusta.responses.refresh import page_refresher  # noqa: PLC0415

    # Approved mentions show up at once: their pages are refreshed in the output served here.
    app = create_app(settings, static_dir=settings.output_dir, on_approved=page_refresher(settings))
    app.add_middleware(OldAddresses, sites=settings.sites)
    return app


def run_server(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.run(create_dev_app(settings), host=host, port=port, log_level="info")
