"""Accepted means kept: kill -9 the endpoint in the middle of a burst, restart, and every
webmention that was answered 201 ends up verified.

The sources hold their answers until the first process is dead, so at the kill every
accepted webmention is queued or claimed and none is verified: the restart has to finish
them all, whatever the machine's speed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
from pathlib import Path

import httpx

from alusta import store
from alusta.db import connect
from alusta.models import MentionStatus
from tests.endpoint_server import POST, endpoint_settings, reply_page
from tests.publish_server import Serve
from tests.servers import SourceServer, free_port
from tests.waiting import wait_until

BURST = 300
CONCURRENCY = 24
KILL_AFTER_ACCEPTED = 120
DEADLINE_SECONDS = 60.0
START_SECONDS = 20.0
POLL_SECONDS = 0.1


def endpoint_process(root: Path, port: int) -> Serve:
    """`publish.py endpoint` on `port`, rate limits out of the way of the burst."""
    environ = {
        "ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1",
        "ALUSTA_RATE_LIMIT_PER_MINUTE": "100000",
        "ALUSTA_SOURCE_RATE_LIMIT_PER_MINUTE": "100000",
    }
    return Serve(
        root,
        command="endpoint",
        port=port,
        environ=environ,
        ready_path="/mentions",
        start_seconds=START_SECONDS,
    )


async def burst(port: int, sources: list[str], process: subprocess.Popen) -> list[str]:
    """Send every source; kill -9 the endpoint once KILL_AFTER_ACCEPTED were accepted."""
    accepted: list[str] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for source in sources:
        queue.put_nowait(source)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            while not queue.empty():
                source = queue.get_nowait()
                try:
                    response = await http.post(
                        "/webmention", data={"source": source, "target": POST}
                    )
                except httpx.TransportError:
                    continue  # not answered: the sender would try again
                if response.status_code in (201, 202):
                    accepted.append(response.headers["Location"].rsplit("/", 1)[1])
                if len(accepted) >= KILL_AFTER_ACCEPTED and process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)

    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    return accepted


def test_every_accepted_webmention_is_verified_after_kill_and_restart(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    port = free_port()
    opened = threading.Event()
    with SourceServer() as sources:
        urls = [sources.route(f"/r{i}", body=reply_page(POST), gate=opened) for i in range(BURST)]
        with endpoint_process(settings.root, port) as served:
            first = served.process
            try:
                accepted = asyncio.run(burst(port, urls, first))
            finally:
                if first.poll() is None:
                    first.kill()
                first.wait(timeout=10)
                opened.set()
        assert first.returncode == -signal.SIGKILL
        assert KILL_AFTER_ACCEPTED <= len(accepted) < BURST
        connection = connect(settings.database_path)
        unfinished = [
            t
            for t in accepted
            if store.mention_by_token(connection, t).status != MentionStatus.APPROVED
        ]
        assert unfinished == accepted  # the sources had not answered: nothing was verified
        with endpoint_process(settings.root, port):

            def all_verified() -> bool:
                unfinished[:] = [
                    t
                    for t in unfinished
                    if store.mention_by_token(connection, t).status != MentionStatus.APPROVED
                ]
                return not unfinished

            wait_until(
                all_verified, seconds=DEADLINE_SECONDS, interval=POLL_SECONDS,
                what="every accepted webmention to be verified after the restart",
            )  # fmt: skip
        assert unfinished == [], f"{len(unfinished)} accepted webmentions were never verified"
        connection.close()
