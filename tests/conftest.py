"""Shared fixtures: a copy of the project to change freely, and one real build of it.

Fixtures only; their helpers live in tests/project.py and the other helper modules.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from alusta.app import create_app
from alusta.db import connect
from alusta.settings import Settings
from tests.browser import chromium
from tests.endpoint_server import RunningEndpoint, endpoint_settings
from tests.project import (
    THEME_ENGLISH_POST,
    THEME_ENGLISH_POST_FILE,
    THEME_REPLIES_PATH,
    ServedBuild,
    StaticHandler,
    copy_project,
    project_settings,
    seed_thread,
    theme_project,
)
from tests.servers import SourceServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


@pytest.fixture(scope="session")
def served_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedBuild]:
    """The shipped project with pilots switched to Swedish and English and one known post
    per site, built with `alusta.build` for a local URL and served from a thread."""
    from alusta.build import build_sites  # noqa: PLC0415 - only sessions that build pay for pelican

    settings = theme_project(tmp_path_factory.mktemp("served") / "project")
    english = settings.main.content_dir / THEME_ENGLISH_POST_FILE
    english.write_text(THEME_ENGLISH_POST, encoding="utf-8")
    handler = functools.partial(StaticHandler, directory=str(settings.output_dir))
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
