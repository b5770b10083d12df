"""Opening the one SQLite database: WAL mode, a busy timeout, and named migrations.

Also the two things every store module shares: `transaction` (one short write transaction
that joins the endpoint's group commit) and `iso` (the form timestamps are stored in), so
the mention, sending and feedback stores depend on the database, not on each other.

Migrations are the files `alusta/migrations/NNNN_name.sql`, applied once each in name
order and recorded in `schema_migrations`; a schema change is always a new file, never an
edit of an applied one. Number ranges keep features apart: 0001-0019 mentions (endpoint),
0020-0039 sending, 0040-0059 feedback, 0060+ anything else. A migration may call
`alusta_email_key(text)` (alusta.emails), which every connection defines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from alusta.emails import SQL_FUNCTION, email_key
from alusta.times import iso

__all__ = [  # iso lives in alusta.times; the stores find it here with transaction
    "Migration",
    "applied_migrations",
    "apply_migrations",
    "connect",
    "connect_read_only",
    "create_or_migrate",
    "iso",
    "migrations",
    "transaction",
]

BUSY_TIMEOUT_MILLISECONDS = 10_000


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All shipped migrations in the order they apply."""
    folder = resources.files("alusta.migrations")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [Migration(name=f.name.removesuffix(".sql"), sql=f.read_text("utf-8")) for f in files]


def connect(path: Path | str, *, migrate: bool = True) -> sqlite3.Connection:
    """A connection in WAL mode with a busy timeout, schema brought up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MILLISECONDS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MILLISECONDS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.create_function(SQL_FUNCTION, 1, _email_key, deterministic=True)
    if migrate:
        apply_migrations(connection)
    return connection


def create_or_migrate(path: Path | str) -> None:
    """Bring the file's schema up to date before parallel readers (the site builds) open it
    read-only: one process creates and migrates, none of them races another for the lock."""
    connect(path).close()


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    """A connection that can only read, for the site builds' plugins.

    Several site builds run at once, and the endpoint may be writing: a reader that never
    creates, migrates or changes the journal mode of the file takes no write lock, so it
    cannot meet "database is locked". A missing file is an error (sqlite3.OperationalError);
    the callers treat it as an empty store.
    """
    connection = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro",
        uri=True,
        timeout=BUSY_TIMEOUT_MILLISECONDS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    connection.row_factory = sqlite3.Row
    connection.create_function(SQL_FUNCTION, 1, _email_key, deterministic=True)
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: take the write lock up front so busy waits happen early.

    Inside a transaction the caller already opened (the endpoint's group commit) this adds
    nothing: the caller's COMMIT, or its savepoint's rollback, decides.
    """
    if connection.in_transaction:
        yield connection
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def applied_migrations(connection: sqlite3.Connection) -> set[str]:
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    return {row[0] for row in connection.execute("SELECT name FROM schema_migrations")}


def apply_migrations(connection: sqlite3.Connection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    done = applied_migrations(connection)
    applied = []
    for migration in migrations():
        if migration.name in done:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            if migration.name in applied_migrations(connection):
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(migration.sql):
                connection.execute(statement)
            connection.execute("INSERT INTO schema_migrations (name) VALUES (?)", (migration.name,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        applied.append(migration.name)
    return applied


def _email_key(address: str | None) -> str | None:
    """email_key for SQL (migration 0090): NULL stays NULL."""
    return None if address is None else email_key(address)


def _statements(sql: str) -> list[str]:
    """Split a migration into complete statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
