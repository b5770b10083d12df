"""Incremental builds for bench/build.py: one changed post at N posts, against Pelican's cache.

On a generated corpus of N main-blog posts (default 5,000), in this one run:
- vanilla `pelican` with its content cache (CACHE_CONTENT, LOAD_CONTENT_CACHE): a first run
  fills the cache, then one post is changed before each timed run;
- `publish.py build --site main --full`, then one post changed before each timed
  `publish.py build --site main` (the build cache in var/build-cache/).
Targets of issue 12: the build after one changed post under 3 s (Pelican with its cache was
measured at 8.4 s on this machine, so a ratio ≤ 0.36 to it).

A build moves the output it replaced to var/build-cache/trash/ and deletes it in a process
of its own after it ends. Each timed run waits until that deletion is over first (it is not
part of the build a writer waits for, and would otherwise compete with the next run for the
disk). The CPU seconds of each run and the load average are printed beside the wall clock:
the machine is shared, and its load moves the wall clock far more than the work.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
TRASH_WAIT_SECONDS = 120  # deleting a replaced output of 9,000 files takes seconds at most
TRASH_POLL_SECONDS = 0.1


@dataclass
class Timing:
    """The wall-clock and CPU seconds (user + system) of timed runs."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)


def timed(command: list[str], timing: Timing | None = None, *, root: Path | None = None) -> float:
    """Run `command` once the last build's trash in `root` is deleted; its wall seconds."""
    if root is not None:
        wait_for_trash(root)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if timing is not None:
        timing.walls.append(wall)
        timing.cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def wait_for_trash(root: Path) -> None:
    """Wait until the background deletion of the replaced outputs (var/build-cache/trash/) ends."""
    trash = root / "var" / "build-cache" / "trash"
    deadline = time.monotonic() + TRASH_WAIT_SECONDS
    while trash.is_dir() and any(trash.iterdir()):
        if time.monotonic() > deadline:
            raise click.ClickException(f"{trash} was not emptied in {TRASH_WAIT_SECONDS} s")
        time.sleep(TRASH_POLL_SECONDS)


def change_post(root: Path, number: int) -> None:
    """Add a sentence to one post (a different post each time, spread over the corpus)."""
    posts = sorted((root / "content" / "posts").glob("*.md"))
    post = posts[(number * 997) % len(posts)]
    text = post.read_text(encoding="utf-8")
    post.write_text(f"{text}\nLisätty lause {number}.\n", encoding="utf-8")


def after_changes(root: Path, edits: int, build: Callable[[], float]) -> None:
    """Run `build` after each of `edits` changed posts."""
    for number in range(edits):
        change_post(root, number)
        build()


def measure(posts: int, edits: int, vanilla_conf: str) -> None:
    """Run the comparison on a fresh corpus of `posts` main-blog posts and print it."""
    python = sys.executable
    vanilla, ours = Timing(), Timing()
    loads = [os.getloadavg()[0]]
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
        after_changes(root, edits, lambda: timed(pelican, vanilla))
        publish = [python, str(REPO / "publish.py"), "--root", str(root), "build", "--site", "main"]
        first = timed(publish, root=root)
        full = timed([*publish, "--full"], root=root)
        after_changes(root, edits, lambda: timed(publish, ours, root=root))
        wait_for_trash(root)
    loads.append(os.getloadavg()[0])
    report(posts, edits, (vanilla_full, first, full), vanilla, ours)
    click.echo(f"load average (1 min) at start and end   {loads[0]:.2f}, {loads[1]:.2f}")


def report(
    posts: int, edits: int, fulls: tuple[float, float, float], vanilla: Timing, ours: Timing
) -> None:
    """The figures, the target and the ratios (of the medians)."""
    vanilla_full, first, full = fulls
    changed, vanilla_changed = statistics.median(ours.walls), statistics.median(vanilla.walls)
    click.echo(f"\none changed post at {posts} main posts; median of {edits} edits")
    click.echo(f"vanilla pelican, cache empty            {vanilla_full:7.2f} s")
    click.echo(
        f"vanilla pelican with cache, 1 changed   {vanilla_changed:7.2f} s  "
        f"(CPU {statistics.median(vanilla.cpus):.2f} s)"
    )
    click.echo(f"alusta build, no cache yet              {first:7.2f} s")
    click.echo(f"alusta build --full                     {full:7.2f} s")
    click.echo(
        f"alusta build, 1 changed post            {changed:7.2f} s  "
        f"(CPU {statistics.median(ours.cpus):.2f} s; each: "
        + ", ".join(f"{t:.2f}" for t in ours.walls)
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
