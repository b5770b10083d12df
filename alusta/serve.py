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
    from alusta.endpoint import create_app  # noqa: PLC0415

    return create_app(settings, static_dir=settings.output_dir)


def run_server(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.run(create_dev_app(settings), host=host, port=port, log_level="info")
