"""Headless Debian chromium for the browser tests: one launch recipe, loopback only.

    with chromium() as browser:                      # or the `browser` fixture (conftest)
        context, log = loopback_context(browser, locale="fi-FI")
        context.new_page().goto(url)
        assert log.foreign() == []

Playwright's own browser is never downloaded: `/usr/bin/chromium` with the flags that keep
it from calling home. Every request of a loopback context is recorded, and one for another
host is aborted before it leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Playwright, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1"})  # every test server binds 127.0.0.1


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless, with the flags above."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A running headless chromium, closed on exit."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


class RequestLog:
    """Every URL the browser asked for; non-local ones are aborted before they leave."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def handle(self, route: Route) -> None:
        url = route.request.url
        self.urls.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    def foreign(self) -> list[str]:
        return [u for u in self.urls if urlsplit(u).hostname not in LOCAL_HOSTS]


def route_loopback_only(context: BrowserContext) -> RequestLog:
    """Record every request of `context` and let only those for LOCAL_HOSTS through."""
    log = RequestLog()
    context.route("**/*", log.handle)
    return log


def loopback_context(browser: Browser, **options: Any) -> tuple[BrowserContext, RequestLog]:
    """A new browser context (playwright's `new_context` options) that stays on loopback."""
    context = browser.new_context(**options)
    return context, route_loopback_only(context)
