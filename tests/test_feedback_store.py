"""Feedback times are ISO 8601 UTC text, like the mention tables' (migration 0041)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alusta.db import connect, iso
from alusta.feedback import store
from tests.feedback_project import old_database

OLD_ROWS = [  # (id, received_at as 0040 stored it: REAL Unix seconds)
    (1, 1_764_546_537.9),
    (2, 0.0),
    (3, 1_700_000_000.0),
]


def database_at_0040(path: Path) -> None:
    """A database file as an installation that stopped at migration 0040 left it."""
    old_database(
        path,
        "0040_feedback",
        "INSERT INTO feedback_submissions (id, site, form, lang, answers, received_at) "
        "VALUES (?, 'blog', 'survey', 'fi', '{}', ?)",
        OLD_ROWS,
    )


def test_migration_0041_turns_unix_seconds_into_iso_text(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database_at_0040(path)
    connection = connect(path)
    rows = connection.execute(
        "SELECT id, typeof(received_at), received_at FROM feedback_submissions ORDER BY id"
    ).fetchall()
    connection.close()
    assert [tuple(row) for row in rows] == [
        (1, "text", iso(OLD_ROWS[0][1])),
        (2, "text", "1970-01-01T00:00:00+00:00"),
        (3, "text", "2023-11-14T22:13:20+00:00"),
    ]


def test_migration_0041_keeps_indexes(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database_at_0040(path)
    connection = connect(path)
    names = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'feedback_submissions' "
            "AND type = 'index' AND sql IS NOT NULL"
        )
    }
    connection.close()
    assert names == {"feedback_by_form", "feedback_by_email", "feedback_notify"}


def submission(received_at: str) -> store.NewSubmission:
    return store.NewSubmission(
        site="blog",
        form="survey",
        lang="fi",
        answers={"q": "a"},
        email=None,
        client_hash="",
        page="",
        received_at=received_at,
    )


def test_purge_compares_iso_times_against_the_cutoff(connection: sqlite3.Connection) -> None:
    now = 1_764_546_537.0
    day = store.SECONDS_PER_DAY
    kept = store.insert(connection, submission(iso(now - 29 * day)))
    store.insert(connection, submission(iso(now - 31 * day)))
    removed = store.purge_older(connection, [("blog", "survey", 30)], now=now)
    assert removed == 1
    assert [s.id for s in store.submissions(connection)] == [kept]


def test_submissions_come_back_oldest_first_with_their_iso_time(
    connection: sqlite3.Connection,
) -> None:
    later = store.insert(connection, submission("2026-11-30T10:00:00+00:00"))
    earlier = store.insert(connection, submission("2026-01-02T03:04:05+00:00"))
    rows = store.submissions(connection)
    assert [(s.id, s.received_at) for s in rows] == [
        (earlier, "2026-01-02T03:04:05+00:00"),
        (later, "2026-11-30T10:00:00+00:00"),
    ]
