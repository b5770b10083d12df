"""`publish.py serve`: every site and the endpoint in one process on one port.

Development mode: mentions are approved automatically and loopback sources are allowed
(the endpoint reads both from Settings.development).
"""

from __future__ import annotations

import uvicorn
from starlette.applications import Starlette

from alusta.settings import Settings


def create_dev_app(settings: Settings) -> Starlette:
    """The endpoint with the built output mounted at / in the same app."""
    from alusta.app import create_app  # noqa: PLC0415
    from alusta.responses.refresh import page_refresher  # noqa: PLC0415

    # Approved mentions show up at once: their pages are refreshed in the output served here.
    return create_app(
        settings, static_dir=settings.output_dir, on_approved=page_refresher(settings)
    )


def run_server(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.run(create_dev_app(settings), host=host, port=port, log_level="info")
