"""Endpoint benchmark: accept throughput and latency against Isso and a bare app.

    python bench/endpoint.py [--requests 3000] [--seconds 15] [--verify 400] [--big 30]

One run measures, every server a separate process on 127.0.0.1 under its own usual server:
- accepted webmentions per second, p50/p99 latency and the server's CPU time per request
  at 16 and 64 concurrent keep-alive clients (a minimal asyncio HTTP/1.1 client: httpx
  would cost more CPU than the servers under test on two cores), for
  * our endpoint: `publish.py endpoint` (uvicorn, 1 process). Its worker runs and records
    every accepted webmention, but the sources are on a blocklisted host, so fetching
    (measured on its own below) is not in the accept figure. A second run at 64 clients
    ("+fetch") has sources the worker fetches meanwhile (404s from a local static server);
  * bench/bare_app.py: only INSERTs the form into SQLite (same uvicorn settings);
  * Isso 0.14 (`pip install isso` into var/bench/isso-venv on first run): POST /new of a
    comment, served by gunicorn (Isso's documented production server), 1 process with 8
    threads, guard and moderation off — the closest thing Isso has to accepting a mention;
- verification throughput: webmentions whose sources are real h-entry replies on a local
  static server, from the first POST until the queue is empty;
- memory: the endpoint's RSS before and after a stream of 20 MB sources (and its peak);
- reads: GET /mentions?target= p50/p99 with 500, 5,000 and 50,000 mentions of one post
  (bench/mention_reads.py; `--reads-only` runs just that), and the big/small ratios.
- the hostile mix (bench/hostile.py): a normal reply's verification time, p50/p99, while
  twelve sources built to cost CPU are queued ahead of it, against the same replies alone.

Prints the ratios against the targets: accept ≥ 5× Isso and ≥ 0.5× bare, p99 < 20 ms at 64
clients, RSS flat under a stream of 20 MB sources (rounds 2-3 add < 10 MB). Request counts and
durations are bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import click
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.build_record import BuildRecord, Page, PageKind, SiteBuild, write_record
from bench.guard import guard_line
from bench.hostile import hostile_figures, report_hostile, write_sources
from bench.load import (
    PYTHON,
    REPO,
    LoadResult,
    Request,
    cpu_seconds,
    endpoint_command,
    endpoint_env,
    free_port,
    load,
    rss_mb,
    start,
    start_bare,
    start_static,
    stop,
)
from bench.mention_reads import measure_isso_reads, measure_reads, report_reads

ISSO_VENV = REPO / "var" / "bench" / "isso-venv"
ISSO_PACKAGES = ("isso==0.14.0", "gunicorn")
SITE = "https://alusta.example"
TARGET = f"{SITE}/posts/hello.html"
BLOCKED_HOST = "blocked.invalid"  # on the blocklist: the worker records, never fetches
CONCURRENCY_LEVELS = (16, 64)
WARMUP_REQUESTS = 200
DRAIN_SECONDS = 120.0
BIG_SOURCE_BYTES = 20_000_000
MAX_LATER_GROWTH_MB = 10.0  # after the first round has warmed caches and arenas
# Below this, a round is one or two fetches and RSS moves by several MB either way with
# where glibc's arenas happen to be (a --big 3 run once "grew" 9 MB; 12 such rounds went
# 76 → 89 → 72 MB): too few to tell a leak from allocator noise.
MIN_SOURCES_PER_ROUND = 10
HOSTILE_ROUNDS = 10  # normal replies timed per hostile mix (bench/hostile.py)

PELICANCONF = f"""SITENAME = "Bench"
SITEURL = "{SITE}"
ALUSTA_SITE = {{"name": "Bench", "tagline": "", "language": "fi", "moderation": "auto"}}
"""

ISSO_CONF = """[general]
dbpath = {db}
host = http://127.0.0.1:{static_port}/
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
"""

REPLY = """<!doctype html><html><head><title>Vastaus {i}</title></head><body>
<article class="h-entry"><a class="p-author h-card" href="https://aino.example/">Aino</a>
<a class="u-in-reply-to" href="{target}">post</a>
<div class="e-content">Vastaus numero {i}: <b>hyvä</b> kirjoitus.</div></article></body></html>
"""


def ensure_isso() -> Path | None:
    """gunicorn of a venv with Isso, installed with pip on first use; None if that fails."""
    gunicorn = ISSO_VENV / "bin" / "gunicorn"
    if gunicorn.exists():
        return gunicorn
    print("installing Isso into", ISSO_VENV, "(first run only)…", flush=True)
    try:
        subprocess.run([PYTHON, "-m", "venv", str(ISSO_VENV)], check=True)
        subprocess.run(
            [str(ISSO_VENV / "bin" / "pip"), "install", "-q", *ISSO_PACKAGES], check=True
        )
    except subprocess.CalledProcessError as error:
        print(f"Isso could not be installed ({error}); its baseline is skipped")
        return None
    return gunicorn


def webmention_request(source_base: str, prefix: str) -> Request:
    def build(number: int) -> tuple[str, str, bytes]:
        form = urlencode({"source": f"{source_base}/missing/{prefix}{number}", "target": TARGET})
        return "/webmention", "application/x-www-form-urlencoded", form.encode()

    return build


def isso_request(prefix: str) -> Request:
    def build(number: int) -> tuple[str, str, bytes]:
        body = {
            "text": f"Kommentti {prefix}{number}: hyvä kirjoitus.",
            "author": "Bench",
            "title": "Hello",
        }
        return "/new?uri=%2Fposts%2Fhello.html", "application/json", json.dumps(body).encode()

    return build


def measure(
    name: str,
    port: int,
    pid: int,
    request_for: Callable[[str], Request],
    options: dict,
    levels: tuple[int, ...] = CONCURRENCY_LEVELS,
) -> dict[int, LoadResult]:
    results = {}
    asyncio.run(
        load(
            port,
            request_for("warm"),
            concurrency=16,
            total=WARMUP_REQUESTS,
            max_seconds=options["seconds"],
        )
    )
    for concurrency in levels:
        cpu_before = cpu_seconds(pid)
        result = asyncio.run(
            load(
                port,
                request_for(f"c{concurrency}-"),
                concurrency=concurrency,
                total=options["requests"],
                max_seconds=options["seconds"],
            )
        )
        cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / max(result.accepted, 1)
        results[concurrency] = result
        print(
            f"  {name:<7}{concurrency:>3} clients: {result.accepted_per_second:7.0f} "
            f"accepted/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
            f"server CPU {cpu_ms:5.2f} ms/request  ({result.accepted} accepted, "
            f"statuses {result.statuses})",
            flush=True,
        )
    return results


# --- our endpoint: verification and memory -------------------------------------------


def queued(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT COUNT(*) FROM mentions WHERE job != 'done'").fetchone()[0]


def drain(database: Path) -> float:
    """Wait until the verification queue is empty; seconds waited."""
    began = time.monotonic()
    while queued(database) and time.monotonic() - began < DRAIN_SECONDS:
        time.sleep(0.1)
    if queued(database):
        raise RuntimeError(f"verification queue not empty after {DRAIN_SECONDS} s")
    return time.monotonic() - began


async def post_all(base_url: str, sources: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        semaphore = asyncio.Semaphore(16)

        async def post(source: str) -> None:
            async with semaphore:
                response = await client.post(
                    "/webmention", data={"source": source, "target": TARGET}
                )
                response.raise_for_status()

        await asyncio.gather(*(post(s) for s in sources))


def verification_rate(base_url: str, static: str, database: Path, count: int) -> float:
    drain(database)
    began = time.monotonic()
    asyncio.run(post_all(base_url, [f"{static}/replies/{i}.html" for i in range(count)]))
    drain(database)
    with sqlite3.connect(database) as connection:
        approved = connection.execute(
            "SELECT COUNT(*) FROM mentions WHERE source LIKE ? AND status = 'approved'",
            (f"{static}/replies/%",),
        ).fetchone()[0]
    if approved != count:
        raise RuntimeError(f"only {approved} of {count} replies were verified")
    return count / (time.monotonic() - began)


def memory_under_big_sources(
    base_url: str, static: str, database: Path, pid: int, count: int
) -> list[float]:
    """RSS before, after each of three equal rounds of 20 MB sources, and the peak (MB).
    Flat means the later rounds add nothing: memory does not grow with the stream."""
    drain(database)
    readings = [rss_mb(pid)[0]]
    per_round = max(count // 3, 1)
    for round_number in range(3):
        sources = [f"{static}/big.html?round={round_number}&n={i}" for i in range(per_round)]
        asyncio.run(post_all(base_url, sources))
        drain(database)
        readings.append(rss_mb(pid)[0])
    return [*readings, rss_mb(pid)[1]]


# --- setup -------------------------------------------------------------------------------


def make_project(root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "var").mkdir()
    (root / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    pages = (
        Page(url=f"{SITE}/", path="index.html", kind=PageKind.LISTING, lang="fi"),
        Page(url=TARGET, path=TARGET.removeprefix(SITE + "/"), kind=PageKind.POST, lang="fi"),
    )
    main = SiteBuild("main", SITE, str(root / "output"), "fi", "", "", pages=pages)
    write_record(root / "var", BuildRecord(sites={"main": main}))


def make_static(folder: Path, replies: int) -> None:
    (folder / "replies").mkdir(parents=True)
    for i in range(replies):
        (folder / "replies" / f"{i}.html").write_text(REPLY.format(i=i, target=TARGET))
    (folder / "posts").mkdir()
    (folder / "posts" / "hello.html").write_text("<html><title>Hello</title></html>")
    write_sources(folder, TARGET, replies=3 * HOSTILE_ROUNDS + 1)
    with (folder / "big.html").open("wb") as big:
        chunk = b"<p>" + b"a" * 65_536 + b"</p>\n"
        for _ in range(BIG_SOURCE_BYTES // len(chunk) + 1):
            big.write(chunk)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


@click.command()
@click.option("--requests", default=3000, show_default=True, help="POSTs per load level.")
@click.option("--seconds", default=15.0, show_default=True, help="Time cap per load level.")
@click.option(
    "--verify",
    "verify_count",
    default=400,
    show_default=True,
    help="Webmentions in the verification run.",
)
@click.option(
    "--fetched-requests",
    default=1000,
    show_default=True,
    help="POSTs of the accept run whose sources the worker fetches meanwhile.",
)
@click.option("--big", default=30, show_default=True, help="20 MB sources in the memory run.")
@click.option("--skip-isso", is_flag=True, help="Leave out the Isso baseline.")
@click.option("--reads-only", is_flag=True, help="Only GET /mentions latency, 500 → 50,000.")
def main(
    requests: int,
    seconds: float,
    verify_count: int,
    fetched_requests: int,
    big: int,
    skip_isso: bool,
    reads_only: bool,
) -> None:
    options = {"requests": requests, "seconds": seconds, "fetched_requests": fetched_requests}
    with tempfile.TemporaryDirectory(prefix="alusta-bench-") as temp:
        temp_path = Path(temp)
        root = temp_path / "project"
        make_project(root)
        print("read latency (GET /mentions?target=, one keep-alive client):", flush=True)
        read_rows = measure_reads(root, temp_path, free_port(), TARGET)
        gunicorn = None if skip_isso else ensure_isso()
        if gunicorn:
            read_rows += measure_isso_reads(gunicorn, temp_path, free_port())
        if reads_only:
            report_reads(read_rows)
            return
        make_static(temp_path / "static", verify_count)
        static_port, port, bare_port, isso_port = (free_port() for _ in range(4))
        static = f"http://127.0.0.1:{static_port}"
        processes = [start_static(temp_path / "static", static_port)]
        try:
            results, figures = run_all(
                root,
                temp_path,
                static,
                options,
                processes,
                ports=(port, bare_port, isso_port),
                verify_count=verify_count,
                big=big,
                skip_isso=skip_isso,
                static_port=static_port,
            )
        finally:
            for process in processes:
                stop(process)
    report(results, figures)
    report_reads(read_rows)
    print(guard_line())


def run_all(
    root: Path,
    temp: Path,
    static: str,
    options: dict,
    processes: list,
    *,
    ports: tuple[int, int, int],
    verify_count: int,
    big: int,
    skip_isso: bool,
    static_port: int,
) -> tuple[dict, dict]:
    port, bare_port, isso_port = ports
    results, figures = {}, {}
    env = endpoint_env(temp / "alusta.sqlite3")
    command = endpoint_command(root, port)
    subprocess.run(
        [*command[:4], "mentions", "block", BLOCKED_HOST],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print("accept load (POST, keep-alive clients):", flush=True)
    endpoint = start(command, port, env=env)
    processes.append(endpoint)
    results["alusta"] = measure(
        "alusta",
        port,
        endpoint.pid,
        lambda p: webmention_request(f"http://{BLOCKED_HOST}", p),
        options,
    )
    fetched = {**options, "requests": options["fetched_requests"]}
    results["fetching"] = measure(
        "+fetch", port, endpoint.pid, lambda p: webmention_request(static, p), fetched, levels=(64,)
    )
    stop(endpoint)  # its verification backlog waits in SQLite while the baselines run
    bare = start_bare(bare_port, temp / "bare.sqlite3")
    processes.append(bare)
    results["bare"] = measure(
        "bare", bare_port, bare.pid, lambda p: webmention_request(static, p), options
    )
    stop(bare)
    gunicorn = None if skip_isso else ensure_isso()
    if gunicorn:
        conf = temp / "isso.cfg"
        conf.write_text(
            ISSO_CONF.format(db=temp / "isso.sqlite3", static_port=static_port, port=isso_port)
        )
        isso = start(
            [
                str(gunicorn),
                "-b",
                f"127.0.0.1:{isso_port}",
                "-w",
                "1",
                "-k",
                "gthread",
                "--threads",
                "8",
                "--log-level",
                "warning",
                "isso.run",
            ],
            isso_port,
            env={"ISSO_SETTINGS": str(conf)},
            cwd=temp,
        )
        processes.append(isso)
        results["isso"] = measure("isso", isso_port, isso.pid, isso_request, options)
        stop(isso)
    endpoint = start(command, port, env=env)  # resumes the backlog
    processes.append(endpoint)
    base = f"http://127.0.0.1:{port}"
    database = temp / "alusta.sqlite3"
    backlog = queued(database)
    figures["backlog"] = (backlog, drain(database))
    figures["verified_per_second"] = verification_rate(base, static, database, verify_count)
    figures["memory"] = memory_under_big_sources(base, static, database, endpoint.pid, big)
    figures["big"] = big
    figures["hostile"] = hostile_figures(base, static, TARGET, HOSTILE_ROUNDS)
    return results, figures


def report(results: dict, figures: dict) -> None:
    ours, bare, isso = results["alusta"], results["bare"], results.get("isso")
    backlog, seconds = figures["backlog"]
    print(
        f"\nrestart: {backlog} webmentions still queued from the accept runs, all verified "
        f"{seconds:.1f} s after the restart (blocklisted or answering 404)"
    )
    print(
        "verification:",
        f"{figures['verified_per_second']:.0f} webmentions/s verified "
        "(h-entry replies from a local static server, 8 in flight)",
    )
    before, first, second, third, peak = figures["memory"]
    later, per_round = third - first, figures["big"] // 3
    judged = (
        f"[{verdict(later < MAX_LATER_GROWTH_MB)} < {MAX_LATER_GROWTH_MB:.0f} MB]"
        if per_round >= MIN_SOURCES_PER_ROUND
        else f"[not judged: fewer than {MIN_SOURCES_PER_ROUND} sources a round]"
    )
    print(
        f"memory: RSS {before:.0f} MB before, then {first:.0f} / {second:.0f} / {third:.0f} MB "
        f"after each of three rounds of {per_round} sources of 20 MB (peak "
        f"{peak:.0f} MB); rounds 2-3 added {later:+.1f} MB {judged}"
    )
    print("\nratios (accepted/s):")
    for concurrency in CONCURRENCY_LEVELS:
        mine = ours[concurrency].accepted_per_second
        versus_bare = mine / bare[concurrency].accepted_per_second
        line = (
            f"  {concurrency:>3} clients: alusta/bare {versus_bare:5.2f} "
            f"[{verdict(versus_bare >= 0.5)} ≥ 0.5]"
        )
        if isso:
            versus_isso = mine / isso[concurrency].accepted_per_second
            line += f"   alusta/isso {versus_isso:5.1f} [{verdict(versus_isso >= 5)} ≥ 5]"
        print(line)
    p99 = ours[64].p99_ms
    print(f"  p99 accept latency at 64 clients: {p99:.1f} ms [{verdict(p99 < 20)} < 20 ms]")
    report_hostile(figures["hostile"])


if __name__ == "__main__":
    main()
