"""Incremental builds for bench/build.py: one changed post at N posts, against Pelican's cache.

On a generated corpus of N main-blog posts (default 5,000), in this one run:
- vanilla `pelican` with its content cache (CACHE_CONTENT, LOAD_CONTENT_CACHE): a first run
  fills the cache, then one post is changed before each timed run;
- `publish.py build --site main --full`, then one post changed before each timed
  `publish.py build --site main` (the build cache in var/build-cache/).
Targets of issue 12: the build after one changed post under 3 s (Pelican with its cache was
measured at 8.4 s on this machine, so a ratio ≤ 0.36 to it).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

from bench.corpus import REPO, make_project

CHANGED_POST_TARGET_SECONDS = 3.0
PELICAN_CACHE_ANCHOR_SECONDS = 8.4  # issue 12: Pelican with its cache at 5,000 posts
CACHE_CONF = """
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
"""
TIMEOUT_SECONDS = 1800


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
    return time.perf_counter() - started


def change_post(root: Path, number: int) -> None:
    """Add a sentence to one post (a different post each time, spread over the corpus)."""
    posts = sorted((root / "content" / "posts").glob("*.md"))
    post = posts[(number * 997) % len(posts)]
    text = post.read_text(encoding="utf-8")
    post.write_text(f"{text}\nLisätty lause {number}.\n", encoding="utf-8")


def after_changes(root: Path, edits: int, build: Callable[[], float]) -> list[float]:
    """Seconds of `build` after each of `edits` changed posts."""
    times = []
    for number in range(edits):
        change_post(root, number)
        times.append(build())
    return times


def measure(posts: int, edits: int, vanilla_conf: str) -> None:
    """Run the comparison on a fresh corpus of `posts` main-blog posts and print it."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="alusta-bench-incremental-") as folder:
        base = Path(folder)
        root = make_project(base / "project", main_posts=posts, pilot_posts=10)
        conf = base / "vanilla.py"
        conf.write_text(
            vanilla_conf.format(path=str(root / "content"))
            + CACHE_CONF.format(cache=str(base / "pelican-cache"))
        )
        pelican = [python, "-m", "pelican", str(root / "content")]
        pelican += ["-o", str(base / "vanilla-output"), "-s", str(conf), "-q"]
        vanilla_full = timed(pelican)
        vanilla = after_changes(root, edits, lambda: timed(pelican))
        publish = [python, str(REPO / "publish.py"), "--root", str(root), "build", "--site", "main"]
        first = timed(publish)
        full = timed([*publish, "--full"])
        ours = after_changes(root, edits, lambda: timed(publish))
    report(posts, edits, vanilla_full, vanilla, first, full, ours)


def report(
    posts: int,
    edits: int,
    vanilla_full: float,
    vanilla: list[float],
    first: float,
    full: float,
    ours: list[float],
) -> None:
    changed, vanilla_changed = statistics.median(ours), statistics.median(vanilla)
    click.echo(f"\none changed post at {posts} main posts; median of {edits} edits")
    click.echo(f"vanilla pelican, cache empty            {vanilla_full:7.2f} s")
    click.echo(f"vanilla pelican with cache, 1 changed   {vanilla_changed:7.2f} s")
    click.echo(f"alusta build, no cache yet              {first:7.2f} s")
    click.echo(f"alusta build --full                     {full:7.2f} s")
    click.echo(
        f"alusta build, 1 changed post            {changed:7.2f} s  (each: "
        + ", ".join(f"{t:.2f}" for t in ours)
        + ")"
    )
    target = CHANGED_POST_TARGET_SECONDS
    click.echo(
        f"changed-post build under {target:.0f} s            "
        f"{'ok' if changed < target else 'MISSED'}"
    )
    click.echo(f"ratio changed-post / alusta --full      {changed / full:7.2f}")
    goal = CHANGED_POST_TARGET_SECONDS / PELICAN_CACHE_ANCHOR_SECONDS
    ratio = changed / vanilla_changed
    click.echo(
        f"ratio changed-post / pelican w/ cache   {ratio:7.2f}  (target ≤ {goal:.2f}) "
        f"{'ok' if ratio <= goal else 'MISSED'}"
    )
