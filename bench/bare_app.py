"""Baseline for bench/endpoint.py: a bare Starlette app that only stores the posted form.

The least an endpoint can do and still keep what it accepted: parse the form, INSERT into
SQLite opened exactly like ours (alusta.db.connect: WAL, synchronous=FULL), commit, 201.
No checks, no status page, no worker. Served by the same uvicorn settings:

    ALUSTA_BARE_DB=/tmp/bare.sqlite3 uvicorn bench.bare_app:app --port 8001
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.db import connect

DATABASE = connect(os.environ.get("ALUSTA_BARE_DB", "var/bench/bare.sqlite3"), migrate=False)
DATABASE.execute(
    "CREATE TABLE IF NOT EXISTS received (id INTEGER PRIMARY KEY, source TEXT, target TEXT, "
    "received REAL)"
)


async def receive(request: Request) -> PlainTextResponse:
    form = await request.form()
    DATABASE.execute(
        "INSERT INTO received (source, target, received) VALUES (?, ?, ?)",
        (str(form.get("source", "")), str(form.get("target", "")), time.time()),
    )  # autocommit: one committed transaction per request
    return PlainTextResponse("Accepted\n", status_code=201)


app = Starlette(routes=[Route("/webmention", receive, methods=["POST"])])
