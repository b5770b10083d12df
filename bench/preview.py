"""Live preview benchmark: incremental rebuilds of the main blog against a full build.

    python bench/preview.py [--main-posts 5000] [--pilot-posts 20] [--edits 5]

In one run, on a generated corpus: a full build of the main site (`build_sites`, what
`publish.py build --site main` runs), then the preview's long-lived engine (alusta.preview)
started once and given `--edits` saves of each kind, each handed to `Preview.on_change` as
the watcher hands it. Prints medians and ratios to the full build, against the targets of
issue 12:
- an edit to a post's text is on its page          < 1 s   (goal 0.5 s)
  (from the save to the page written: validation, the pipe, the engine's first pass)
- a changed title or category is on every page
  and feed that lists the post                      < 3 s   (goal 2 s)
  (the whole rebuild, serve's build record included)
- memory of serve (its process and the site's)      < 500 MB
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.build import build_sites
from alusta.preview.events import PreviewEvents
from alusta.preview.watch import Preview
from alusta.preview.worker import SiteRun
from alusta.settings import Settings, load_settings
from bench.corpus import CATEGORIES, make_project

BASE = "http://127.0.0.1:8000"
PAGE_TARGET_SECONDS = 1.0
LISTING_TARGET_SECONDS = 3.0
MEMORY_TARGET_MB = 500


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed_edits(
    preview: Preview, post: Path, edits: int, change: Callable[[str, int], str]
) -> list[SiteRun]:
    """Save `post` `edits` times with `change` applied; the main site's run of each save."""
    runs = []
    for number in range(edits):
        post.write_text(change(post.read_text(encoding="utf-8"), number), encoding="utf-8")
        started = time.perf_counter()
        preview.on_change([post])
        run = preview.builder.processes["main"].last
        total = time.perf_counter() - started  # validation and the pipe included
        # until the page was written: all of it but what the site's process did after
        run.first_pass_seconds = total - (run.seconds - run.first_pass_seconds)
        run.validation_seconds = preview.builder.validation_seconds  # type: ignore[attr-defined]
        run.engine_seconds = run.seconds - run.record_seconds  # type: ignore[attr-defined]
        run.seconds = total
        runs.append(run)
    return runs


def breakdown(label: str, runs: list[SiteRun]) -> None:
    """Where a save's time goes: validation (serve), the engine and the record (site)."""
    parts = {
        name: statistics.median(getattr(r, f"{name}_seconds") for r in runs)
        for name in ("validation", "engine", "record")
    }
    click.echo(f"  {label}: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))


def report(label: str, runs: list[SiteRun], full: float, target: float, *, first: bool) -> None:
    seconds = statistics.median(r.first_pass_seconds if first else r.seconds for r in runs)
    verdict = "ok" if seconds < target else "MISSED"
    click.echo(
        f"{label:38s} {seconds:6.2f} s  ratio to full build {seconds / full:5.3f}  "
        f"(target < {target:.0f} s) {verdict}"
    )


@click.command()
@click.option("--main-posts", default=5000, show_default=True)
@click.option("--pilot-posts", default=20, show_default=True)
@click.option("--edits", default=5, show_default=True, help="Saves of each kind (median).")
def main(main_posts: int, pilot_posts: int, edits: int) -> None:
    with tempfile.TemporaryDirectory(prefix="alusta-bench-preview-") as folder:
        root = make_project(
            Path(folder) / "project", main_posts=main_posts, pilot_posts=pilot_posts
        )

        def load() -> Settings:
            return load_settings(root, environ={}, development=True).for_preview(BASE)

        started = time.perf_counter()
        build_sites(load(), site_names=["main"])
        full = time.perf_counter() - started
        click.echo(f"corpus: {main_posts} main posts; median of {edits} saves of each kind")
        click.echo(f"{'full build of the main site':38s} {full:6.2f} s")
        preview = Preview(load, PreviewEvents(), echo=lambda _line: None)
        try:
            started = time.perf_counter()
            preview.rebuild(["main"], render_all=True, fresh=True)
            click.echo(
                f"{'preview start (first full render)':38s} {time.perf_counter() - started:6.2f} s"
            )
            post = root / f"content/posts/post-{main_posts // 2:05d}.md"
            text = timed_edits(preview, post, edits, lambda t, n: t + f"\nLisäys {n}.\n")
            titles = timed_edits(
                preview,
                post,
                edits,
                lambda t, n: t.replace("Title: ", f"Title: Uusi {n} ", 1),
            )
            categories = timed_edits(
                preview,
                post,
                edits,
                lambda t, n: t.replace(
                    "Category: ", f"Category: {CATEGORIES[n % len(CATEGORIES)]}, ", 1
                ),
            )
            report("edited text: on the post's page", text, full, PAGE_TARGET_SECONDS, first=True)
            report("edited text: everywhere", text, full, LISTING_TARGET_SECONDS, first=False)
            report(
                "changed title: on every listing", titles, full, LISTING_TARGET_SECONDS, first=False
            )
            report(
                "changed category: on every listing",
                categories,
                full,
                LISTING_TARGET_SECONDS,
                first=False,
            )
            for label, runs in (("text", text), ("title", titles), ("category", categories)):
                breakdown(label, runs)
            site = rss_mb(preview.builder.processes["main"].process.pid)
            serve = rss_mb(os.getpid())
            verdict = "ok" if site + serve < MEMORY_TARGET_MB else "MISSED"
            click.echo(
                f"{'memory of serve (process + main site)':38s} {site + serve:6.0f} MB "
                f"({serve:.0f} + {site:.0f}; target < {MEMORY_TARGET_MB} MB) {verdict}"
            )
            load = os.getloadavg()[0]
            click.echo(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
        finally:
            preview.close()


if __name__ == "__main__":
    main()
