"""Refresh benchmark: a mention approved → its page updated in output/, against a full rebuild.

    python bench/refresh.py [--posts 5000] [--repeat 5]

On a generated main site of `--posts` posts (bench/corpus.py), in one run:
- full rebuild: `build_sites(settings, site_names=["main"], full=True)`, what
  `publish.py build --site main --full` runs (median of 2; without `full` a repeat would be an
  incremental build, which renders only what changed);
- refresh in the endpoint: the approval committed with alusta.store, then the page
  re-rendered by the hook the endpoint runs (`Refresher.refresh_targets`, made once at
  startup as the endpoint does); the clock stops when the new reply is in the file;
- refresh by CLI: `publish.py mentions approve ID` as a fresh process (interpreter start
  included), until the reply is in the file;
- `publish.py refresh` scanning every page for changes (informational).
- an incremental rebuild of the main site after the approvals (informational: what
  `publish.py build --site main` does now);
Targets: refresh < 1 s and at least 50× faster than the full rebuild. The rebuilds run in
this process (no interpreter start); the CLI refresh includes one.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta import store, verification_queue
from alusta.build import build_sites
from alusta.build_record import PageKind, load_record
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.responses.refresh import Refresher
from alusta.settings import Settings, load_settings
from bench.corpus import REPO, make_project

TARGET_SECONDS = 1.0
TARGET_RATIO = 50.0


def pending_reply(settings: Settings, target: str, author: str) -> int:
    """A verified reply waiting for a moderator, stored as the endpoint would."""
    connection = connect(settings.database_path)
    try:
        now = time.time()
        mention = verification_queue.enqueue(
            connection,
            MentionRequest(
                source=f"https://{author.lower()}.example/r", target=target, site="main"
            ),
            now=now,
        )
        entry = SourceEntry(
            url=mention.source,
            final_url=mention.source,
            kind=MentionKind.REPLY,
            author=Author(name=author, url=f"https://{author.lower()}.example/"),
            published="2026-11-20T10:00:00+02:00",
            name="",
            content_html="<p>Hyvä!</p>",
            content_text="Hyvä!",
            title="",
            excerpt="",
        )
        store.save_verified(
            connection, mention.id, entry, status=MentionStatus.PENDING, reason="", now=now
        )
        return mention.id
    finally:
        connection.close()


def approve(settings: Settings, mention_id: int) -> None:
    connection = connect(settings.database_path)
    try:
        store.moderate(connection, [mention_id], MentionStatus.APPROVED, now=time.time())
    finally:
        connection.close()


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def wait_for(path: Path, text: str, deadline_seconds: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    while text not in path.read_text("utf-8"):
        if time.monotonic() > deadline:
            raise SystemExit(f"{path} never showed {text!r}")
        time.sleep(0.001)


def pages(settings: Settings, count: int) -> list[tuple[str, Path]]:
    """`count` post pages spread over the site: (URL, output file)."""
    site = load_record(settings.var_dir).sites["main"]
    posts = sorted((p for p in site.pages if p.kind is PageKind.POST), key=lambda p: p.path)
    step = max(1, len(posts) // count)
    return [(p.url, settings.output_dir / p.path) for p in posts[::step][:count]]


@click.command()
@click.option("--posts", default=5000, show_default=True, help="Posts on the main site.")
@click.option("--repeat", default=5, show_default=True, help="Approvals timed per method.")
def main(posts: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="alusta-bench-refresh-") as folder:
        root = make_project(Path(folder) / "project", main_posts=posts, pilot_posts=5)
        settings = load_settings(root, environ={})
        click.echo(f"corpus: {posts} posts on the main site; building once …")
        build_sites(settings)
        rebuild = statistics.median(
            seconds(lambda: build_sites(settings, site_names=["main"], full=True)) for _ in range(2)
        )
        targets = pages(settings, 2 * repeat + 1)
        refresher = Refresher(settings)  # what the endpoint holds from startup
        in_process = []
        for number, (url, path) in enumerate(targets[:repeat]):
            author = f"Hookvastaaja{number}"
            mention_id = pending_reply(settings, url, author)

            def approve_and_refresh(mention_id: int = mention_id, url: str = url) -> None:
                approve(settings, mention_id)
                refresher.refresh_targets([url])

            in_process.append(seconds(approve_and_refresh))
            wait_for(path, author, deadline_seconds=0.0)
        by_cli = []
        publish = [sys.executable, str(REPO / "publish.py"), "--root", str(root)]
        for number, (url, path) in enumerate(targets[repeat : 2 * repeat]):
            author = f"Clivastaaja{number}"
            mention_id = pending_reply(settings, url, author)
            started = time.perf_counter()
            subprocess.run(
                [*publish, "mentions", "approve", str(mention_id)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            wait_for(path, author)
            by_cli.append(time.perf_counter() - started)
        url, path = targets[-1]
        connection = connect(settings.database_path)
        store.moderate(
            connection,
            [pending_reply(settings, url, "Skannattu")],
            MentionStatus.APPROVED,
            now=time.time(),
        )
        connection.close()
        scan = seconds(
            lambda: subprocess.run(
                [*publish, "refresh"], check=True, capture_output=True, timeout=600
            )
        )
        wait_for(path, "Skannattu", deadline_seconds=0.0)
        incremental = seconds(lambda: build_sites(settings, site_names=["main"]))
    report(
        posts,
        (rebuild, incremental),
        statistics.median(in_process),
        statistics.median(by_cli),
        scan,
    )


def report(posts: int, rebuilds: tuple[float, float], hook: float, cli: float, scan: float) -> None:
    rebuild, incremental = rebuilds
    for label, value, note in (
        (f"full rebuild of the main site ({posts} posts)", rebuild, "  (build --full)"),
        ("incremental rebuild after the approvals", incremental, "  (info)"),
        ("approve → page updated, endpoint hook (median)", hook, ""),
        ("approve → page updated, `mentions approve` CLI", cli, ""),
        ("`publish.py refresh` scanning every page", scan, ""),
    ):
        click.echo(f"{label:<48}{value:8.3f} s{note}")
    for name, value in (("hook", hook), ("CLI", cli)):
        ratio = rebuild / value
        ok = value < TARGET_SECONDS and ratio >= TARGET_RATIO
        click.echo(
            f"ratio full rebuild / {name:<4} {ratio:8.1f}×  (target < {TARGET_SECONDS:g} s and "
            f"≥ {TARGET_RATIO:g}×) {'ok' if ok else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
