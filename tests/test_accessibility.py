"""WCAG 2.1 A/AA on every page type, checked by axe-core in headless Chromium.

The served build (tests/conftest.py) is opened in Debian's chromium through playwright at
a phone's and a desktop's width, in light and in dark mode (the page follows
prefers-color-scheme), and nothing may scroll sideways; axe-core comes from node_modules
(package.json). Every request the pages make is recorded and anything not for 127.0.0.1
is refused, so a third-party request fails the test instead of leaving the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser import RequestLog, loopback_context
from tests.project import THEME_REPLIES_PATH, ServedBuild

REPO = Path(__file__).resolve().parents[1]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW_VIEWPORT = {"width": 320, "height": 640}
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")

# (site, path) of one page of every type; pilots are built in Swedish and English.
PAGES = {
    "front page": ("main", ""),
    "post": ("main", "2026/11/teeman-testikirjoitus/"),
    "post in English on a Finnish site": ("main", "2026/11/theme-test-in-english/"),
    "post with a thread of replies": ("main", THEME_REPLIES_PATH),
    "pilots page": ("main", "pilotit/"),
    "404 page": ("main", "404.html"),
    "pilot 404 page (sv)": ("rajalla", "404.html"),
    "feedback form (en)": ("ounasvaara", "2026/10/latukahvila-kokeiluun/"),
    "feedback thank-you page (en)": ("ounasvaara", "feedback/latukahvila/thanks/"),
    "feedback results page (en)": ("ounasvaara", "feedback/latukahvila/results/"),
    "page": ("main", "tietoa-hankkeesta/"),
    "category": ("main", "category/living-lab/"),
    "tag": ("main", "tag/kylat/"),
    "categories": ("main", "categories/"),
    "tags": ("main", "tags/"),
    "archives": ("main", "archives/"),
    "month archive": ("main", "2026/11/"),
    "author": ("main", "author/maija-meikalainen/"),
    "pilot front page (sv)": ("rajalla", ""),
    "pilot post (en)": ("ounasvaara", "2026/11/teeman-testikirjoitus/"),
}


@pytest.fixture(params=[(w, s) for w in VIEWPORTS for s in SCHEMES], ids="-".join)
def context(browser: Browser, request) -> Iterator[tuple[BrowserContext, RequestLog]]:
    """A loopback-only context at a phone's or a desktop's width, light or dark."""
    width, scheme = request.param
    context, log = loopback_context(browser, viewport=VIEWPORTS[width], color_scheme=scheme)
    yield context, log
    context.close()


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None
    assert response.status == 200, url
    return page


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {json.dumps(targets)[:500]}")
        summary = violation["nodes"][0].get("failureSummary", "")
        lines.append("    " + summary.replace("\n", "\n    ")[:500])
    return "\n".join(lines)


@pytest.mark.parametrize("kind", PAGES)
def test_page_has_no_wcag_21_aa_violations_and_stays_local(
    served_build: ServedBuild, context: tuple[BrowserContext, RequestLog], kind: str
) -> None:
    browser_context, log = context
    site, path = PAGES[kind]
    page = open_page(browser_context, served_build.site_url(site, path))

    violations = axe_violations(page)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")

    assert violations == [], f"{kind}: axe found\n{describe(violations)}"
    assert scroll_width <= page.viewport_size["width"], f"{kind} scrolls sideways"
    assert log.urls, "the request log saw nothing: the listener is not working"
    assert log.foreign() == []


def test_first_tab_shows_the_skip_link_with_a_visible_focus_outline(
    served_build: ServedBuild, context: tuple[BrowserContext, RequestLog]
) -> None:
    browser_context, _log = context
    page = open_page(browser_context, served_build.site_url("main", "tags/"))

    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {cls: el.className, outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), top: box.top, bottom: box.bottom};
        }"""
    )
    assert focused["cls"] == "skip-link"
    assert focused["outline"] != "none"
    assert focused["width"] >= 2
    assert focused["top"] >= 0
    assert focused["bottom"] <= page.viewport_size["height"]

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"


@pytest.mark.parametrize("kind", PAGES)
def test_narrow_screen_needs_no_sideways_scrolling(
    served_build: ServedBuild, browser: Browser, kind: str
) -> None:
    narrow, _log = loopback_context(browser, viewport=NARROW_VIEWPORT)
    try:
        site, path = PAGES[kind]
        page = open_page(narrow, served_build.site_url(site, path))
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= NARROW_VIEWPORT["width"]
    finally:
        narrow.close()


def test_print_leaves_out_navigation_and_forms_and_shows_link_addresses(
    served_build: ServedBuild, browser: Browser
) -> None:
    printed, _log = loopback_context(browser)
    try:
        page = open_page(printed, served_build.site_url("main", THEME_REPLIES_PATH))
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => Object.fromEntries(['.site-nav', '.site-footer', '.reply-form',
                '.post-nav', '.entry-content'].map(s => [s,
                getComputedStyle(document.querySelector(s)).display !== 'none']))"""
        )
        link = page.evaluate(
            """() => getComputedStyle(
                document.querySelector('.entry-content a[href^="http"]'), '::after').content"""
        )
    finally:
        printed.close()
    assert shown == {
        ".site-nav": False,
        ".site-footer": False,
        ".reply-form": False,
        ".post-nav": False,
        ".entry-content": True,
    }
    assert link.startswith('" (http') and link.endswith(')"')
