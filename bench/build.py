"""Build benchmark: our build against vanilla Pelican on the same synthetic corpus.

    python bench/build.py [--main-posts 1000] [--pilot-posts 500] [--repeat 3]
                          [--incremental-posts 5000] [--edits 3]

Prints median seconds (and, for the one-site runs, the CPU seconds of the processes, which
a busy shared machine disturbs far less) and two ratios, measured in this one run:
- one site: our `publish.py build --site main --full` / vanilla `pelican` with its default theme
  (target ≤ 1.3; full builds: with the build cache, a repeat would be an incremental one);
- all sites: our build of all three sites in parallel / the same three built one after
  another (target ≤ 0.75).
Then, on a corpus of --incremental-posts main posts (0 skips it), the build after one changed
post against a full build and against Pelican with its content cache (bench/build_incremental).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.build import build_sites
from alusta.settings import load_settings
from bench.build_incremental import measure
from bench.corpus import REPO, make_project

VANILLA_CONF = """\
SITENAME = "Vanilla"
SITEURL = "https://alusta.example"
PATH = {path!r}
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "fi"
DEFAULT_PAGINATION = 10
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
IGNORE_FILES = [".#*", "pilotit.md"]  # Template: pilots exists in our theme only
"""


def median_seconds(action: Callable[[], None], repeat: int) -> float:
    return median_wall_and_cpu(action, repeat)[0]


def median_wall_and_cpu(action: Callable[[], None], repeat: int) -> tuple[float, float]:
    """Median wall-clock seconds, and median CPU seconds of the child processes (user +
    system): on a shared machine the CPU time tells the work apart from the waiting."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        action()
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=1800)


@click.command()
@click.option("--main-posts", default=1000, show_default=True)
@click.option("--pilot-posts", default=500, show_default=True)
@click.option("--repeat", default=3, show_default=True)
@click.option(
    "--incremental-posts",
    default=5000,
    show_default=True,
    help="Main posts of the changed-post comparison (0 skips it).",
)
@click.option("--edits", default=3, show_default=True, help="Changed posts timed, one by one.")
def main(
    main_posts: int, pilot_posts: int, repeat: int, incremental_posts: int, edits: int
) -> None:
    with tempfile.TemporaryDirectory(prefix="alusta-bench-") as folder:
        root = make_project(
            Path(folder) / "project", main_posts=main_posts, pilot_posts=pilot_posts
        )
        conf = Path(folder) / "vanilla.py"
        conf.write_text(VANILLA_CONF.format(path=str(root / "content")))
        vanilla_out = Path(folder) / "vanilla-output"
        python = sys.executable
        publish = [python, str(REPO / "publish.py"), "--root", str(root), "build"]
        click.echo(
            f"corpus: {main_posts} main posts, {pilot_posts} per pilot; median of {repeat} runs"
        )
        vanilla, vanilla_cpu = median_wall_and_cpu(
            lambda: run(
                [
                    python,
                    "-m",
                    "pelican",
                    str(root / "content"),
                    "-o",
                    str(vanilla_out),
                    "-s",
                    str(conf),
                    "-q",
                    "--delete-output-directory",
                ]
            ),
            repeat,
        )
        ours_one, ours_one_cpu = median_wall_and_cpu(
            lambda: run([*publish, "--site", "main", "--full"]), repeat
        )
        settings = load_settings(root, environ={})
        sequential = median_seconds(lambda: build_sites(settings, workers=1, full=True), repeat)
        parallel = median_seconds(lambda: build_sites(settings, workers=2, full=True), repeat)
    click.echo(f"vanilla pelican, main site    {vanilla:7.2f} s  (CPU {vanilla_cpu:6.2f} s)")
    click.echo(f"alusta build --site main      {ours_one:7.2f} s  (CPU {ours_one_cpu:6.2f} s)")
    click.echo(f"alusta all sites, one by one  {sequential:7.2f} s")
    click.echo(f"alusta all sites, parallel    {parallel:7.2f} s")
    one_ratio, all_ratio = ours_one / vanilla, parallel / sequential
    click.echo(
        f"ratio one site / vanilla      {one_ratio:7.2f}  (target ≤ 1.30) "
        f"{'ok' if one_ratio <= 1.3 else 'MISSED'}"
    )
    click.echo(f"ratio one site / vanilla, CPU {ours_one_cpu / vanilla_cpu:7.2f}  (informational)")
    click.echo(
        f"ratio parallel / one by one   {all_ratio:7.2f}  (target ≤ 0.75) "
        f"{'ok' if all_ratio <= 0.75 else 'MISSED'}"
    )
    if incremental_posts:
        measure(incremental_posts, edits, VANILLA_CONF)


if __name__ == "__main__":
    main()
