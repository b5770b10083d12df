"""Lighthouse on the theme: front page, a post with a thread of replies, a pilot's front page.

    .venv/bin/python bench/lighthouse.py [--runs 1] [--form-factor mobile|desktop]

Serves the demo (bench/demo.py) and runs npm's `lighthouse@12.2.3` (fetched by npx on first
use) with Debian's chromium (`CHROME_PATH=/usr/bin/chromium`) on each page; prints the four
category scores (0–100, the median of `--runs`) and fails when one is below 95, the target
of issue 13. Too slow for the test suite (about 15 s a page), hence a bench.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.demo import REPLY_POST, DemoSite

LIGHTHOUSE = "lighthouse@12.2.3"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE = 95
RUN_SECONDS = 180
PAGES = {
    "front page": ("main", ""),
    "post with replies": ("main", REPLY_POST),
    "pilot front page": ("rajalla", ""),
}


def lighthouse(url: str, report: Path, form_factor: str) -> dict[str, int]:
    """One Lighthouse run; the four category scores as integers 0–100."""
    command = [
        "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={report}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(
        command, check=True, timeout=RUN_SECONDS, env={**os.environ, "CHROME_PATH": CHROMIUM}
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def failed_audits(report: Path) -> list[str]:
    """Titles of the audits that lost points, for the report."""
    result = json.loads(report.read_text(encoding="utf-8"))
    return [
        f"{audit['id']}: {audit['title']} {_nodes(audit)}"
        for audit in result["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]  # fmt: skip


def _nodes(audit: dict) -> str:
    """The first elements an audit names (its CSS selectors), to know where to look."""
    items = (audit.get("details") or {}).get("items") or []
    nodes = [i["node"].get("selector", "") for i in items if isinstance(i.get("node"), dict)]
    return f"({', '.join(nodes[:3])})" if nodes else ""


@click.command()
@click.option("--runs", default=1, show_default=True, help="Runs per page (median).")
@click.option("--form-factor", type=click.Choice(["mobile", "desktop"]), default="mobile")
def main(runs: int, form_factor: str) -> None:
    lowest = 100
    with (
        tempfile.TemporaryDirectory(prefix="alusta-lighthouse-") as folder,
        DemoSite(Path(folder) / "project") as demo,
    ):
        for name, (site, path) in PAGES.items():
            report = Path(folder) / "report.json"
            scores = [lighthouse(demo.url(site, path), report, form_factor) for _ in range(runs)]
            median = {c: round(statistics.median(s[c] for s in scores)) for c in CATEGORIES}
            lowest = min(lowest, *median.values())
            figures = "  ".join(f"{c} {median[c]}" for c in CATEGORIES)
            click.echo(f"{name:<20} {figures}")
            for audit in failed_audits(report):
                click.echo(f"    - {audit}")
    click.echo(f"lowest score {lowest} (target ≥ {TARGET_SCORE}, {form_factor})")
    sys.exit(0 if lowest >= TARGET_SCORE else 1)


if __name__ == "__main__":
    main()
