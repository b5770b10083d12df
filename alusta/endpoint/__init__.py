"""The endpoint: a small Starlette app that hears Webmentions and Pingbacks.

`create_app(settings)` is the one entry point; `publish.py endpoint` serves it with uvicorn
and `publish.py serve` mounts the built sites into the same app.
"""

from alusta.endpoint.app import create_app

__all__ = ["create_app"]
