"""Helpers for the responses tests: mentions stored through alusta.store, parsed pages.

settings = responses_project(tmp_path)          # a copy of the project, fi/sv/en sites
store_mention(settings, source=..., target=post_url(settings, "main"), kind="reply", ...)
build_sites(settings); soup = page_soup(settings, "main")
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from alusta import store
from alusta.db import connect
from alusta.models import Author, Mention, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.sanitize import sanitize_html
from alusta.settings import Settings
from conftest import THEME_POST, THEME_POST_FILE, copy_project, project_settings

POST_PATH = "2026/11/teeman-testikirjoitus/"
SITE_LANGUAGES = {"main": "fi", "rajalla": "sv", "ounasvaara": "en"}
RECEIVED_START = 1_790_000_000.0  # 2026-09-21: stored times are passed in, so order is known


def set_pilot_language(root: Path, pilot: str, lang: str) -> None:
    config = root / "pilots" / pilot / "pilot.toml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"^language\s*=.*$", f'language = "{lang}"', text, flags=re.MULTILINE)
    if not count:
        text = f'language = "{lang}"\n{text}'
    config.write_text(text, encoding="utf-8")


def responses_project(root: Path, **environ: str) -> Settings:
    """A copy of the project with a Finnish, a Swedish and an English site, one known post
    each (POST_PATH); private addresses allowed so avatars come from local servers."""
    root = copy_project(root)
    for name, lang in SITE_LANGUAGES.items():
        if name != "main":
            set_pilot_language(root, name, lang)
    settings = project_settings(root, ALUSTA_ALLOW_PRIVATE_ADDRESSES="1", **environ)
    for site in settings.sites:
        post = site.content_dir / THEME_POST_FILE
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(THEME_POST, encoding="utf-8")
    return settings


def post_url(settings: Settings, site: str = "main") -> str:
    return f"{settings.site(site).siteurl}/{POST_PATH}"


def post_file(settings: Settings, site: str = "main", path: str = POST_PATH) -> Path:
    return settings.site_output(settings.site(site)) / path / "index.html"


def page_soup(settings: Settings, site: str = "main", path: str = POST_PATH) -> BeautifulSoup:
    return BeautifulSoup(post_file(settings, site, path).read_text("utf-8"), "html.parser")


def store_mention(
    settings: Settings,
    *,
    source: str,
    target: str,
    kind: str = "reply",
    site: str = "main",
    author: str = "Aino Esimerkki",
    author_url: str = "https://aino.example/",
    photo: str = "",
    published: str = "",
    content: str = "",
    name: str = "",
    title: str = "",
    status: MentionStatus = MentionStatus.APPROVED,
    received: float = RECEIVED_START,
    protocol: str = "webmention",
) -> Mention:
    """A verified mention written with the store's own functions (as the endpoint would)."""
    connection = connect(settings.database_path)
    try:
        request = MentionRequest(source=source, target=target, site=site, protocol=protocol)
        mention = store.enqueue(connection, request, now=received)
        entry = SourceEntry(
            url=source,
            final_url=source,
            kind=MentionKind(kind),
            author=Author(name=author, url=author_url, photo=photo),
            published=published,
            name=name,
            content_html=sanitize_html(content, base_url=source),
            content_text=BeautifulSoup(content, "html.parser").get_text(" ", strip=True),
            title=title,
            excerpt="",
        )
        return store.save_verified(
            connection, mention.id, entry, status=status, reason="", now=received
        )
    finally:
        connection.close()


def moderate(settings: Settings, mention_id: int, status: MentionStatus) -> None:
    connection = connect(settings.database_path)
    try:
        store.moderate(connection, [mention_id], status, now=time.time())
    finally:
        connection.close()


def responses_section(soup: BeautifulSoup):
    return soup.find("section", class_="responses")


# --- `publish.py serve` as a subprocess ----------------------

SERVE_START_SECONDS = 90.0
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """`python publish.py --root ROOT serve --port P` (builds, then serves sites and endpoint);
    stopped by its PID."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = root / "serve.log"

    def __enter__(self) -> Serve:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(REPO / "publish.py"),
                    "--root",
                    str(self.root),
                    "serve",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + SERVE_START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.base_url + "/", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"serve did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def __exit__(self, *_exc: object) -> None:
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


def wait_until(condition, *, seconds: float = 30.0, interval: float = 0.1, what: str = ""):
    """Poll `condition()` until it returns something true, within a bounded time."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(interval)
