"""Screenshots of every page type at phone and desktop width, light and dark, for looking.

    .venv/bin/python bench/screenshots.py [--out var/screenshots] [--only post]

Builds and serves the demo (bench/demo.py: the project plus a thread of replies) and writes
`<page>-<width>-<scheme>.png` (full page) into the git-ignored folder, so a change to the
theme can be looked at before and after: every page type, and the endpoint's own pages as a
person reaches them (a reply sent from the form, refused, its status; a feedback form sent
back without JavaScript). Prints each page's status and whether anything scrolls sideways.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page

from bench.demo import REPLY_POST, DemoSite
from tests.browser import chromium, loopback_context

REPO = Path(__file__).resolve().parents[1]
WIDTHS = {390: 844, 1280: 800}
SCHEMES = ("light", "dark")

# name: (site, path, expected status)
PAGES = {
    "front": ("main", "", 200),
    "post-replies": ("main", REPLY_POST, 200),
    "post": ("main", "2026/09/alusta-hanke-kaynnistyy-lapissa/", 200),
    "page": ("main", "tietoa-hankkeesta/", 200),
    "pilots": ("main", "pilotit/", 200),
    "archives": ("main", "archives/", 200),
    "category": ("main", "category/yhteiskehittaminen/", 200),
    "tags": ("main", "tags/", 200),
    "not-found": ("main", "ei-ole/", 404),
    "pilot-front": ("rajalla", "", 200),
    "pilot-post-form": ("ounasvaara", "2026/10/latukahvila-kokeiluun/", 200),
    "pilot-not-found": ("ounasvaara", "ei-ole/", 404),
    "feedback-thanks": ("ounasvaara", "feedback/latukahvila/thanks/", 200),
    "feedback-results": ("ounasvaara", "feedback/latukahvila/results/", 200),
}


# Pages the endpoint draws, reached as a person does: name: (site, path, what to do there).
ACTIONS = {
    "reply-accepted": ("main", REPLY_POST, "https://lukija.example/vastaus"),
    "reply-refused": ("main", REPLY_POST, "ei osoite"),
    "reply-status": ("main", REPLY_POST, "status"),
    "feedback-error": ("ounasvaara", "2026/10/latukahvila-kokeiluun/", "empty"),
}


def act(page: Page, demo: DemoSite, name: str) -> None:
    """Do what a person does to reach the endpoint page `name`."""
    site, path, value = ACTIONS[name]
    if name.startswith("feedback"):  # as without JavaScript: the endpoint sends the form back
        page.route("**/feedback.js", lambda route: route.abort())
    page.goto(demo.url(site, path), wait_until="load")
    if name.startswith("feedback"):
        page.evaluate("() => document.querySelector('.feedback-form').noValidate = true")
        page.locator(".feedback-form button[type=submit]").click()
    else:
        source = "https://lukija.example/tila" if value == "status" else value
        page.evaluate("() => document.querySelector('.reply-form').noValidate = true")
        page.locator("#reply-source").fill(source)
        page.locator(".reply-form button[type=submit]").click()
        if value == "status":
            page.wait_for_load_state("load")
            page.locator("main a").first.click()
    page.wait_for_load_state("networkidle")


def shoot(demo: DemoSite, out: Path, names: list[str]) -> list[str]:
    """Write every screenshot; return the problems seen (status, sideways scroll)."""
    problems = []
    with chromium() as browser:
        for width, height in WIDTHS.items():
            for scheme in SCHEMES:
                context, _log = loopback_context(
                    browser, viewport={"width": width, "height": height}, color_scheme=scheme
                )
                page = context.new_page()
                for name in [n for n in names if n in ACTIONS]:
                    act(page, demo, name)
                    page.screenshot(path=str(out / f"{name}-{width}-{scheme}.png"), full_page=True)
                for name in [n for n in names if n in PAGES]:
                    site, path, status = PAGES[name]
                    response = page.goto(demo.url(site, path), wait_until="networkidle")
                    got = response.status if response else 0
                    scroll = page.evaluate("() => document.documentElement.scrollWidth")
                    if got != status:
                        problems.append(f"{name}: HTTP {got}, expected {status}")
                    if scroll > width:
                        problems.append(f"{name} at {width} px: {scroll} px wide")
                    page.screenshot(path=str(out / f"{name}-{width}-{scheme}.png"), full_page=True)
                context.close()
    return problems


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=REPO / "var" / "screenshots")
@click.option(
    "--only", multiple=True, type=click.Choice(sorted([*PAGES, *ACTIONS])), help="Page types."
)
def main(out: Path, only: tuple[str, ...]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="alusta-demo-") as folder,
        DemoSite(Path(folder) / "project") as demo,
    ):
        problems = shoot(demo, out, list(only) or [*PAGES, *ACTIONS])
    click.echo(f"screenshots in {out}")
    for problem in problems:
        click.echo(f"PROBLEM {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
