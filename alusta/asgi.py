"""An app factory for `uvicorn --factory` with several worker processes.

Worker processes import the app by name, so they cannot be handed Settings; they read the
project in the working directory, which `publish.py endpoint` sets to the project root.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from alusta.app import create_app
from alusta.responses.refresh import refresher_if_built
from alusta.settings import load_settings


def app() -> Starlette:
    settings = load_settings(Path.cwd())
    # Beside a built output, approvals refresh their pages (alusta.responses.refresh).
    return create_app(settings, on_approved=refresher_if_built(settings))
