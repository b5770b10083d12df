"""GET /mentions?target= latency as the table grows from 500 to 50,000 mentions (issue 11).

    python bench/endpoint.py --reads-only      # just this part (about a minute)

For each size, a fresh SQLite file gets that many approved mentions of one post, written
straight into it (tests/mention_rows.py: verifying them over HTTP would take an hour), and a
fresh `publish.py endpoint` (real uvicorn) serves it. One keep-alive client then measures:
- repeat: the same `GET /mentions?target=…` again and again, as readers' pages ask (the
  page cache and its counter lookup);
- first reads: 200 different queries (`per-page` 1…100 × `sort-dir` up/down), each read
  once, so every one misses the cache and runs the indexed query and builds the JSON.
Flat is the goal: the ratio of the biggest size's p50/p99 to the smallest's is printed.

The same sizes against Isso 0.14 (the venv bench/endpoint.py installs; gunicorn, 1 process,
8 threads): that many accepted comments of one thread written into its SQLite file, and
`GET /?uri=…&limit=20` (a page of 20 like ours; Isso has no cache) repeated ISSO_READS times.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from alusta.db import connect
from bench.load import (
    REQUEST_TIMEOUT_SECONDS,
    endpoint_command,
    endpoint_env,
    exchange,
    start,
    stop,
)
from tests.mention_rows import add_approved

SIZES = (500, 5_000, 50_000)
ISSO_READS = 60
ISSO_URI = "/posts/hello.html"
ISSO_CONF = """[general]
dbpath = {db}
host = http://127.0.0.1:1/
[moderation]
enabled = false
[guard]
enabled = false
"""
REPEAT_READS = 1_000
CONTENT_CHARS = 600  # a reply of a few sentences
FLAT_RATIO = 2.0  # biggest / smallest p50 at most this


@dataclass(frozen=True)
class ReadRow:
    size: int
    kind: str  # "repeat" or "first reads"
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]


def first_read_paths(target: str) -> list[str]:
    """200 distinct queries of the first page: each one a cache miss."""
    return [
        "/mentions?" + urlencode({"target": target, "per-page": n, "sort-dir": direction})
        for direction in ("down", "up")
        for n in range(1, 101)
    ]


async def get_all(port: int, paths: list[str]) -> tuple[list[float], dict[int, int]]:
    """GET each path in turn on one keep-alive connection: latencies (ms) and statuses."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies, statuses = [], {}
    try:
        for path in paths:
            message = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            started = time.perf_counter()
            status = await asyncio.wait_for(
                exchange(reader, writer, message), REQUEST_TIMEOUT_SECONDS
            )
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()
    return latencies, statuses


def seed(database: Path, target: str, size: int) -> None:
    connection = connect(database)
    try:
        add_approved(connection, target=target, count=size, content_chars=CONTENT_CHARS)
    finally:
        connection.close()


def measure_size(root: Path, temp: Path, port: int, target: str, size: int) -> list[ReadRow]:
    database = temp / f"reads-{size}.sqlite3"
    seed(database, target, size)
    env = endpoint_env(database, ALUSTA_READ_RATE_LIMIT_PER_MINUTE="100000000")
    server = start(endpoint_command(root, port), port, env=env)
    try:
        repeat = f"/mentions?{urlencode({'target': target})}"
        asyncio.run(get_all(port, [repeat] * 20))  # warm: imports, first page cached
        rows = []
        for kind, paths in (("first reads", first_read_paths(target)),
                            ("repeat", [repeat] * REPEAT_READS)):  # fmt: skip
            latencies, statuses = asyncio.run(get_all(port, paths))
            cuts = statistics.quantiles(latencies, n=100)
            rows.append(ReadRow(size, kind, cuts[49], cuts[98], statuses))
        return rows
    finally:
        stop(server)


def measure_reads(root: Path, temp: Path, port: int, target: str) -> list[ReadRow]:
    """Rows for every size, smallest first."""
    rows = []
    for size in SIZES:
        rows += measure_size(root, temp, port, target, size)
        for row in rows[-2:]:
            print(
                f"  {row.size:>6} mentions, {row.kind:<11}: p50 {row.p50_ms:6.2f} ms  "
                f"p99 {row.p99_ms:6.2f} ms  (statuses {row.statuses})",
                flush=True,
            )
    return rows


def report_reads(rows: list[ReadRow]) -> None:
    """Big/small ratios of p50 and p99, per kind of read."""
    print(f"\nGET /mentions?target= latency, {SIZES[0]:,} → {SIZES[-1]:,} mentions of one post:")
    for kind in dict.fromkeys(row.kind for row in rows):
        small = next(r for r in rows if r.kind == kind and r.size == SIZES[0])
        big = next(r for r in rows if r.kind == kind and r.size == SIZES[-1])
        p50, p99 = big.p50_ms / small.p50_ms, big.p99_ms / small.p99_ms
        verdict = "PASS" if p50 <= FLAT_RATIO else "FAIL"
        target = "baseline" if kind == "isso" else f"{verdict} p50 ≤ ×{FLAT_RATIO:.0f}"
        print(f"  {kind:<11}: p50 ×{p50:.2f}, p99 ×{p99:.2f} [{target}]")
    for size in SIZES if any(r.kind == "isso" for r in rows) else ():
        ours, isso = (next(r for r in rows if r.kind == k and r.size == size)
                      for k in ("first reads", "isso"))  # fmt: skip
        times = isso.p50_ms / ours.p50_ms
        print(f"  {size:>6}: Isso's page of 20 p50 / our uncached page p50 ×{times:.1f}")


def isso_server(gunicorn: Path, conf: Path, port: int) -> subprocess.Popen:
    """Isso under gunicorn, as bench/endpoint.py runs it (1 process, 8 threads)."""
    command = [str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", "1", "-k", "gthread"]
    command += ["--threads", "8", "--log-level", "warning", "isso.run"]
    return start(command, port, env={"ISSO_SETTINGS": str(conf)}, cwd=conf.parent)


def seed_isso(database: Path, size: int) -> None:
    """`size` accepted top-level comments of one thread, in the schema Isso created."""
    text = ("Hei! " * (CONTENT_CHARS // 5 + 1))[:CONTENT_CHARS]
    with sqlite3.connect(database) as connection:
        tid = connection.execute(
            "INSERT INTO threads (uri, title) VALUES (?, 'Hello')", (ISSO_URI,)
        ).lastrowid
        connection.executemany(
            "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, "
            "author, email, website, likes, dislikes, voters, notification) "
            "VALUES (?, NULL, ?, NULL, 1, '127.0.0.0', ?, ?, NULL, NULL, 0, 0, zeroblob(256), 0)",
            ((tid, 1.8e9 + n, text, f"Kirjoittaja {n}") for n in range(size)),
        )


def measure_isso_reads(gunicorn: Path, temp: Path, port: int) -> list[ReadRow]:
    """Isso's page of 20 comments at every size (a fresh database each)."""
    rows = []
    for size in SIZES:
        conf = temp / f"isso-reads-{size}.cfg"
        database = temp / f"isso-reads-{size}.sqlite3"
        conf.write_text(ISSO_CONF.format(db=database), encoding="utf-8")
        stop(isso_server(gunicorn, conf, port))  # it creates its schema on start
        seed_isso(database, size)
        server = isso_server(gunicorn, conf, port)
        try:
            path = f"/?{urlencode({'uri': ISSO_URI, 'limit': 20})}"
            asyncio.run(get_all(port, [path] * 3))
            latencies, statuses = asyncio.run(get_all(port, [path] * ISSO_READS))
        finally:
            stop(server)
        cuts = statistics.quantiles(latencies, n=100)
        rows.append(ReadRow(size, "isso", cuts[49], cuts[98], statuses))
        print(
            f"  {size:>6} comments, isso page of 20: p50 {cuts[49]:7.2f} ms  "
            f"p99 {cuts[98]:7.2f} ms  (statuses {statuses})",
            flush=True,
        )
    return rows
