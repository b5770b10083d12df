"""Shared parts of the benchmarks: servers as subprocesses and a small HTTP load client.

The client is a minimal keep-alive HTTP/1.1 client on asyncio: on two cores httpx itself
would cost more CPU per request than the servers under test, and a benchmark would measure
the client.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
REQUEST_TIMEOUT_SECONDS = 30.0
START_SECONDS = 30.0


@dataclass(frozen=True)
class LoadResult:
    accepted_per_second: float
    p50_ms: float
    p99_ms: float
    accepted: int
    statuses: dict[int, int]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(
    command: list[str], port: int, *, env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.Popen:
    """Start a server and wait until its port accepts connections. Its output goes to a
    file: a full pipe would block a server that logs every request (Isso does)."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=log
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{command[:3]} exited: {log.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{command[:3]} did not start within {START_SECONDS} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def endpoint_env(database: Path, **extra: str) -> dict[str, str]:
    """Settings for `publish.py endpoint` under load: local sources allowed, rate limits
    out of the way (the load comes from one address), its own database, and a source that
    answers 404 rejected at once (the benchmarks wait for the queue to empty; the default
    asks again for half an hour)."""
    return {
        "ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1",
        "ALUSTA_RATE_LIMIT_PER_MINUTE": "10000000",
        "ALUSTA_SOURCE_RATE_LIMIT_PER_MINUTE": "10000000",
        "ALUSTA_VERIFY_NOT_FOUND_DELAYS_SECONDS": "",
        "ALUSTA_DATABASE": str(database),
        **extra,
    }


def endpoint_command(root: Path, port: int) -> list[str]:
    return [PYTHON, str(REPO / "publish.py"), "--root", str(root), "endpoint", "--port", str(port)]


def start_static(folder: Path, port: int) -> subprocess.Popen:
    """Python's own static file server for `folder`: the sources the worker fetches."""
    command = [PYTHON, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(folder)]
    return start([*command, str(port)], port)


def start_bare(port: int, database: Path) -> subprocess.Popen:
    """The baseline: bench/bare_app.py under the same uvicorn settings as the endpoint."""
    return start(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--no-server-header",
            "--log-level",
            "warning",
        ],
        port,
        env={"ALUSTA_BARE_DB": str(database)},
    )


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MB, from /proc."""
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's worker), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(child)) for child in children)


Request = Callable[[int], tuple[str, str, bytes]]  # number -> (path, content type, body)


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: bytes
) -> int:
    """Send one request, read one response; its status code."""
    writer.write(message)
    status = int((await reader.readline()).split()[1])
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and "close" in value.lower():
            close = True
    await reader.readexactly(length)
    if close:
        raise ConnectionResetError("server closed the connection")
    return status


async def load(
    port: int, request: Request, *, concurrency: int, total: int, max_seconds: float
) -> LoadResult:
    """`concurrency` closed-loop clients send up to `total` POSTs for at most `max_seconds`."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    numbers = itertools.count()
    deadline = time.monotonic() + max_seconds

    async def client_loop() -> None:
        connection = None
        while time.monotonic() < deadline and (number := next(numbers)) < total:
            path, content_type, body = request(number)
            message = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                "\r\n"
            ).encode() + body
            started = time.perf_counter()
            try:
                connection = connection or await asyncio.open_connection("127.0.0.1", port)
                status = await asyncio.wait_for(
                    exchange(*connection, message), REQUEST_TIMEOUT_SECONDS
                )
                statuses[status] += 1
            except (ConnectionError, asyncio.IncompleteReadError, IndexError, TimeoutError):
                statuses[0] += 1
                connection = None
                continue
            latencies.append(time.perf_counter() - started)
        if connection:
            connection[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    accepted = statuses[201] + statuses[202]
    if len(latencies) < 2:
        raise RuntimeError(f"no answers from port {port}: {dict(statuses)}")
    cuts = statistics.quantiles(latencies, n=100)
    return LoadResult(
        accepted / elapsed, cuts[49] * 1000, cuts[98] * 1000, accepted, dict(statuses)
    )
