"""Outbound fetch benchmark: the body cap in memory, the time budget over a redirect chain.

    python bench/http_fetch.py [--big-mb 20] [--hops 4] [--hop-seconds 0.3] [--budget 0.8]

Against a real local server (tests/servers.py), in one run:
- memory: Python's peak allocation (tracemalloc) while alusta.http.fetch reads a body of
  `--big-mb` MB and a gzip bomb of 50 MB zeros, each cut at its cap, against the peak for
  a body exactly at the 1 MB cap (the baseline). Target: a long body or a bomb costs at
  most 1.5× the baseline and under 6 MB, whatever their size;
- time: a chain of `--hops` redirects, each answered after `--hop-seconds`, fetched with a
  total budget of `--budget` seconds that every hop fits in but the chain does not. Target:
  the fetch gives up within 1.25× the budget (one budget for DNS, every hop and the body).

The tests (tests/test_http.py) prove the behaviour: where the fetch stops and that it
hangs up on a long body; this script measures what it costs.
"""

from __future__ import annotations

import asyncio
import gzip
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.http import MAX_BODY_BYTES, FetchResult, FetchTimeout, fetch
from tests.servers import SourceServer

MEMORY_RATIO_TARGET = 1.5
MEMORY_TARGET_BYTES = 6_000_000
BUDGET_RATIO_TARGET = 1.25
BOMB_BYTES = 50_000_000
BOMB_CAP_BYTES = 100_000


def peak_bytes(action: Callable[[], FetchResult]) -> tuple[int, FetchResult]:
    """The peak of Python allocations while `action` runs, and its result."""
    tracemalloc.start()
    try:
        result = action()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def run_fetch(url: str, **options: object) -> FetchResult:
    return asyncio.run(fetch(url, allow_private=True, **options))  # type: ignore[arg-type]


def measure_memory(server: SourceServer, big_mb: int) -> list[tuple[str, int]]:
    at_cap = server.route("/at-cap", stream_bytes=MAX_BODY_BYTES)
    big = server.route("/big", stream_bytes=big_mb * 1_000_000)
    bomb = gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)
    bombed = server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    run_fetch(at_cap)  # the first fetch pays for imports and caches
    peaks = []
    for name, action, cut in (
        ("body at the 1 MB cap (baseline)", lambda: run_fetch(at_cap), False),
        (f"{big_mb} MB body, cut at 1 MB", lambda: run_fetch(big), True),
        (
            "50 MB gzip bomb, cut at 100 kB",
            lambda: run_fetch(bombed, max_bytes=BOMB_CAP_BYTES),
            True,
        ),
    ):
        peak, result = peak_bytes(action)
        if result.truncated is not cut:
            raise click.ClickException(f"{name}: the body was {'not ' if cut else ''}cut")
        peaks.append((name, peak))
    return peaks


def measure_budget(server: SourceServer, hops: int, hop_seconds: float, budget: float) -> float:
    """Seconds until a chain longer than the budget is given up."""
    for hop in range(hops):
        server.route(
            f"/h{hop}",
            status=302,
            headers={"Location": f"/h{hop + 1}"},
            delay_seconds=hop_seconds,
        )
    server.route(f"/h{hops}", body=b"end")
    started = time.perf_counter()
    try:
        run_fetch(server.url("/h0"), timeout_seconds=budget)
    except FetchTimeout:
        return time.perf_counter() - started
    raise click.ClickException(
        f"the chain of {hops} × {hop_seconds} s was fetched within a {budget} s budget"
    )


@click.command()
@click.option("--big-mb", default=20, show_default=True, help="Size of the long body.")
@click.option("--hops", default=4, show_default=True, help="Redirects in the slow chain.")
@click.option("--hop-seconds", default=0.3, show_default=True, help="Delay of each hop.")
@click.option("--budget", default=0.8, show_default=True, help="The fetch's total budget.")
def main(big_mb: int, hops: int, hop_seconds: float, budget: float) -> None:
    if hops * hop_seconds <= budget or hop_seconds >= budget:
        raise click.BadParameter("each hop must fit in the budget and the chain must not")
    with SourceServer() as server:
        peaks = measure_memory(server, big_mb)
        elapsed = measure_budget(server, hops, hop_seconds, budget)
    baseline = peaks[0][1]
    for name, peak in peaks:
        click.echo(f"peak memory, {name:34} {peak / 1e6:6.2f} MB  ({peak / baseline:4.2f}×)")
    worst = max(peak for _name, peak in peaks[1:])
    memory_ok = worst <= MEMORY_RATIO_TARGET * baseline and worst < MEMORY_TARGET_BYTES
    click.echo(
        f"memory: worst {worst / baseline:4.2f}× the baseline, {worst / 1e6:.2f} MB "
        f"(target ≤ {MEMORY_RATIO_TARGET}× and < {MEMORY_TARGET_BYTES / 1e6:g} MB) "
        f"{'ok' if memory_ok else 'MISSED'}"
    )
    ratio = elapsed / budget
    click.echo(
        f"budget: {hops} hops × {hop_seconds} s given up after {elapsed:.2f} s of a {budget} s "
        f"budget, {ratio:4.2f}× (target ≤ {BUDGET_RATIO_TARGET}) "
        f"{'ok' if ratio <= BUDGET_RATIO_TARGET else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
