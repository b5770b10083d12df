"""What the rate limit costs a request (alusta/web/guard.py, buckets.py), in one run:

- the guard's event-loop time per request with 10 clients held and with 50,000 held, each
  request then a new client (the ratio shows the cost does not grow with the table);
- why its buckets have a file of their own: one UPSERT's latency while another connection
  group-commits to the main database (synchronous=FULL), in that database and in its own.

    python bench/guard.py        (about 15 s; bench/endpoint.py prints the first line too)
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GUARD_KEYS_HELD = (10, 50_000)
GUARD_REQUESTS = 20_000
LOCK_PROBE_SECONDS = 3.0
ROWS_PER_COMMIT = 50
BUSY_DEADLINE_MS = 50


def guard_cost_us(keys_held: int, folder: Path, requests: int = GUARD_REQUESTS) -> float:
    """Microseconds of event-loop time one request spends in the rate limit (a client and a
    source host bucket, as POST /webmention) with `keys_held` clients held. With 10, the
    requests come from those clients; with more, each request is a new client."""
    from alusta.settings import Settings  # noqa: PLC0415 - the benchmarks import alusta late
    from alusta.web.guard import Limits, Scope  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    many = 10**9
    settings = Settings(
        *(folder, (), folder, folder, folder / "unused.sqlite3", folder, folder, folder, {}),
        rate_limit_per_minute=many,
        source_rate_limit_per_minute=many,
    )
    limits = Limits(settings)
    now = time.time()
    for number in range(keys_held):
        limits.check_key(f"198.51.{number}", Scope.MENTIONS, source_host="a.example", now=now)
    fresh = keys_held > 10
    began = time.perf_counter()
    for number in range(requests):
        key = f"203.0.{number}" if fresh else f"198.51.{number % keys_held}"
        limits.check_key(key, Scope.MENTIONS, source_host="a.example", now=time.time())
    elapsed = time.perf_counter() - began
    limits.close()
    return elapsed / requests * 1e6


def guard_line() -> str:
    """The guard's cost with 50,000 keys held against 10, measured in this run."""
    with tempfile.TemporaryDirectory() as temp:
        few, many = (guard_cost_us(n, Path(temp) / str(n)) for n in GUARD_KEYS_HELD)
    ratio = many / few
    return (
        f"guard: {few:.1f} µs/request with {GUARD_KEYS_HELD[0]} keys held, {many:.1f} µs with "
        f"{GUARD_KEYS_HELD[1]:,} (each request a new key): ratio {ratio:.2f} "
        f"[{'ok' if ratio < 2 else 'FAIL'} < 2]"
    )


def lock_wait(folder: Path, *, same_file: bool) -> tuple[float, float, float]:
    """p50, p99 and max milliseconds of a bucket UPSERT while a writer thread group-commits
    to the main database; the buckets in that database (`same_file`) or in their own."""
    from alusta.db import connect  # noqa: PLC0415
    from alusta.web.buckets import SharedBuckets  # noqa: PLC0415

    main_path = folder / "main.sqlite3"
    writer = connect(main_path, migrate=False)
    writer.execute("CREATE TABLE IF NOT EXISTS notes (value TEXT)")
    buckets = SharedBuckets(main_path if same_file else folder / "buckets.sqlite3")
    stop = threading.Event()

    def group_commits() -> None:
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            for _ in range(ROWS_PER_COMMIT):
                writer.execute("INSERT INTO notes VALUES (?)", ("x" * 300,))
            writer.execute("COMMIT")

    thread = threading.Thread(target=group_commits)
    thread.start()
    waits, number, deadline = [], 0, time.monotonic() + LOCK_PROBE_SECONDS
    while time.monotonic() < deadline:
        began = time.perf_counter()
        buckets.take({f"client-{number % 100}": 10**9}, time.time())
        waits.append(time.perf_counter() - began)
        number += 1
        stop.wait(0.0002)  # requests arrive; they do not queue back to back
    stop.set()
    thread.join()
    buckets.close()
    writer.close()
    cuts = statistics.quantiles(waits, n=100)
    return cuts[49] * 1000, cuts[98] * 1000, max(waits) * 1000


def main() -> None:
    logging.getLogger("alusta.web").setLevel(logging.ERROR)  # "let through" lines, by the 100
    print(guard_line())
    with tempfile.TemporaryDirectory() as temp:
        for same_file in (True, False):
            folder = Path(temp) / str(same_file)
            folder.mkdir()
            p50, p99, worst = lock_wait(folder, same_file=same_file)
            where = "in the main database" if same_file else "in its own file     "
            print(
                f"bucket UPSERT during group commits, {where}: p50 {p50:.2f} ms, "
                f"p99 {p99:.2f} ms, max {worst:.1f} ms"
            )
    print(f"  (a check locked out for {BUSY_DEADLINE_MS} ms lets the request through unlimited)")


if __name__ == "__main__":
    main()
