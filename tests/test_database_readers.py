"""The site builds read the database and never write it.

Three site builds run side by side (and the endpoint may be writing): before this rule each
one opened the file with `connect`, which creates, migrates and sets WAL mode, and on a
fresh project they met "database is locked". Now the build creates and migrates the file
once, before the sites build, and the plugins open it read-only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from alusta.build import build_sites
from alusta.db import applied_migrations, connect, connect_read_only, migrations
from alusta.feedback.site_pages import stored_submissions
from alusta.responses.sources import MentionSource
from plugins.alusta_gone.alusta_gone import _gone
from tests.responses_fixtures import responses_project


def test_a_read_only_connection_refuses_to_write(tmp_path: Path) -> None:
    path = tmp_path / "alusta.sqlite3"
    connect(path).close()
    reader = connect_read_only(path)
    try:
        assert reader.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("DELETE FROM schema_migrations")
    finally:
        reader.close()


def test_a_read_only_connection_never_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "alusta.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        connect_read_only(path)
    assert not path.exists()


def test_the_build_time_readers_leave_a_missing_database_missing(tmp_path: Path) -> None:
    path = tmp_path / "alusta.sqlite3"

    assert _gone(str(path), "main", {"a/": "a/index.html"}, None) == []
    assert MentionSource(path).responses(site="main") == []
    assert stored_submissions(path, "main") == []

    assert not path.exists()


def test_a_fresh_projects_build_migrates_the_database_once_before_the_sites_read_it(
    tmp_path: Path,
) -> None:
    settings = responses_project(tmp_path / "project")
    settings.database_path.unlink(missing_ok=True)

    report = build_sites(settings)

    assert [w for r in report.sites for w in r.warnings if "alusta" in w] == []
    connection = connect_read_only(settings.database_path)
    try:
        assert applied_migrations(connection) == {m.name for m in migrations()}
    finally:
        connection.close()
