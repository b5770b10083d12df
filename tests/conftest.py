"""Shared fixtures: a copy of the project to change freely, and one real build of it."""

from __future__ import annotations

import functools
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from alusta import store, verification_queue
from alusta.app import create_app
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.settings import Settings, load_settings
from tests.browser import chromium
from tests.endpoint_server import RunningEndpoint, endpoint_settings
from tests.servers import SourceServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from alusta.build import BuildReport

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pelicanconf.py", "content", "pilots", "theme", "plugins")


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources (content, pilots, theme, plugins, settings)."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / part)
    return destination


def project_settings(root: Path, **environ: str) -> Settings:
    """Settings of a copied project, isolated from the developer's environment."""
    return load_settings(root, environ=dict(environ))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped content built once with the production URLs (read-only for tests)."""
    from alusta.build import build_sites  # noqa: PLC0415 - only sessions that build pay for pelican

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    settings = project_settings(root)
    build_sites(settings)
    return settings


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A real, migrated SQLite database file for one test."""
    database = connect(tmp_path / "alusta.sqlite3")
    yield database
    database.close()


@pytest.fixture
def source_server() -> Iterator[SourceServer]:
    """A local server for webmention sources (tests/servers.py), one per test."""
    with SourceServer() as server:
        yield server


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[RunningEndpoint]:
    """The endpoint of a fresh tiny project (tests/endpoint_server.py) under uvicorn."""
    with RunningEndpoint(create_app(endpoint_settings(tmp_path / "project"))) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Debian chromium per test module (tests/browser.py)."""
    with chromium() as running:
        yield running


# --- Theme fixtures (test_theme, test_i18n, test_accessibility) ----------------------------

THEME_SITE_LANGUAGES = {"main": "fi", "rajalla": "sv", "ounasvaara": "en"}
THEME_POST_FILE = "posts/2026-11-26-teeman-testikirjoitus.md"
THEME_POST = """\
Title: Teeman testikirjoitus
Date: 2026-11-26 10:30
Category: Living Lab, Sosiaalinen media
Tags: kylät, yhteiskehittäminen
Author: Maija Meikäläinen
Summary: Kirjoitus, jonka teeman testit lukevat.

Kyläläiset **suunnittelivat** palvelunsa yhdessä.
"""
# A post whose language differs from its (Finnish) site, written to the main site only.
THEME_ENGLISH_POST_FILE = "posts/2026-11-25-theme-test-in-english.md"
THEME_ENGLISH_POST = """\
Title: Theme test in English
Date: 2026-11-25 09:00
Category: Living Lab
Lang: en
Author: Maija Meikäläinen

Written in English on a Finnish site.
"""


# A post of the main site with a thread of replies, a like and a pingback (served_build).
THEME_REPLIES_PATH = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
THEME_REPLIES = (  # (source, author, text, the source it answers); the last one is a like
    ("https://aino.example/1", "Aino Esimerkki", "Hyvä työpaja! Kuljetus auttaisi meitäkin.", ""),
    ("https://mikko.example/1", "Mikko Niemi", "Kiitos! Tulokset tammikuussa.", "https://aino.example/1"),
    ("https://aino.example/2", "Aino Esimerkki", "Erinomaista, kerron eteenpäin.", "https://mikko.example/1"),
    ("https://erik.example/1", "Erik Lindqvist", "Samma behov finns i Sverige.", ""),
    ("https://liisa.example/1", "Liisa Korhonen", "", ""),
)  # fmt: skip


def seed_thread(settings: Settings, target: str) -> None:
    """THEME_REPLIES on `target`, verified and approved through the store."""
    database = connect(settings.database_path)
    try:
        for number, (source, author, text, parent) in enumerate(THEME_REPLIES):
            request = MentionRequest(source=source, target=target, site="main")
            mention = verification_queue.enqueue(database, request, now=1_794_000_000 + number)
            entry = SourceEntry(
                url=source, final_url=source,
                kind=MentionKind.REPLY if text else MentionKind.LIKE,
                author=Author(name=author, url=source.rsplit("/", 1)[0] + "/"),
                published="", name="", content_html=f"<p>{text}</p>" if text else "",
                content_text=text, title="", excerpt="", in_reply_to=parent,
            )  # fmt: skip
            store.save_verified(
                database, mention.id, entry, status=MentionStatus.APPROVED, reason="", now=1.0
            )
    finally:
        database.close()


class _StaticHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Tests read results, not access logs."""


@dataclass(frozen=True)
class ServedBuild:
    """A real build of the project, served over HTTP on 127.0.0.1 at the URL it was built for."""

    settings: Settings
    base_url: str
    report: BuildReport

    def site_url(self, name: str, path: str = "") -> str:
        """The absolute URL of `path` on site `name` ("main" or a pilot slug)."""
        return f"{self.settings.site(name).siteurl}/{path}"

    def site_file(self, name: str, path: str = "") -> Path:
        """The built file behind `path` (a folder URL gives its index.html)."""
        target = self.settings.site_output(self.settings.site(name)) / path
        return target / "index.html" if path == "" or path.endswith("/") else target


def set_pilot_language(root: Path, pilot: str, lang: str) -> None:
    config = root / "pilots" / pilot / "pilot.toml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"^language\s*=.*$", f'language = "{lang}"', text, flags=re.MULTILINE)
    if not count:
        text = f'language = "{lang}"\n{text}'
    config.write_text(text, encoding="utf-8")


def theme_project(destination: Path, **environ: str) -> Settings:
    """A copy of the project with pilots in THEME_SITE_LANGUAGES and THEME_POST on every site."""
    root = copy_project(destination)
    for name, lang in THEME_SITE_LANGUAGES.items():
        if name != "main":
            set_pilot_language(root, name, lang)
    settings = project_settings(root, **environ)
    for site in settings.sites:
        post = site.content_dir / THEME_POST_FILE
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(THEME_POST, encoding="utf-8")
    return settings


@pytest.fixture(scope="session")
def served_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedBuild]:
    """The shipped project with pilots switched to Swedish and English and one known post
    per site, built with `alusta.build` for a local URL and served from a thread."""
    from alusta.build import build_sites  # noqa: PLC0415 - only sessions that build pay for pelican

    settings = theme_project(tmp_path_factory.mktemp("served") / "project")
    english = settings.main.content_dir / THEME_ENGLISH_POST_FILE
    english.write_text(THEME_ENGLISH_POST, encoding="utf-8")
    handler = functools.partial(_StaticHandler, directory=str(settings.output_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings = settings.with_siteurl(f"http://127.0.0.1:{server.server_port}")
        seed_thread(settings, f"{settings.main.siteurl}/{THEME_REPLIES_PATH}")
        report = build_sites(settings)
        base_url = f"http://127.0.0.1:{server.server_port}"
        yield ServedBuild(settings=settings, base_url=base_url, report=report)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
