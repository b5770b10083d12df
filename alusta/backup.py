"""Backups of the SQLite database with SQLite's online backup API.

The copy is taken in one step (`pages=-1`), that is inside one read transaction: in WAL
mode the endpoint keeps writing meanwhile, and the backup is the database exactly as it
was when the step began. A stepwise copy would restart whenever a writer commits between
steps and might never finish under load. The copy is written under a temporary name,
checked, switched to a self-contained rollback journal and only then renamed into place.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alusta.db import connect
from alusta.errors import AlustaError
from alusta.files import replacing
from alusta.settings import Settings

BACKUP_FOLDER = "backups"
BACKUP_SUFFIX = ".sqlite3"


class BackupError(AlustaError):
    """The database could not be copied or the copy failed its check."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    tables: int


def backup_path(
    settings: Settings, destination: Path | str | None, *, now: datetime | None = None
) -> Path:
    """Where the backup goes: a time-stamped file inside the folder `destination` (created
    when missing; default var/backups/), or `destination` itself when it names a
    `.sqlite3` file that is not a folder."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = f"{settings.database_path.stem}-{stamp}{BACKUP_SUFFIX}"
    if destination is None:
        return settings.var_dir / BACKUP_FOLDER / name
    path = Path(destination)
    if path.suffix == BACKUP_SUFFIX and not path.is_dir():
        return path
    return path / name


def _check(path: Path) -> int:
    """Integrity-check the copy; the number of tables it holds."""
    copy = sqlite3.connect(path, isolation_level=None)
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{path}: the copy failed its integrity check: {verdict}")
        copy.execute("PRAGMA journal_mode = DELETE")
        return copy.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").fetchone()[0]
    finally:
        copy.close()


def backup(settings: Settings, destination: Path | str | None = None) -> BackupResult:
    """Copy the live database to `destination` (default var/backups/<name>-<UTC stamp>)."""
    source_path = settings.database_path
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    target = backup_path(settings, destination)
    if target.resolve() == source_path.resolve():
        raise BackupError(f"{target}: a backup cannot overwrite the database itself")
    try:
        with replacing(target) as temporary:
            source = connect(source_path, migrate=False)
            copy = sqlite3.connect(temporary)
            try:
                source.backup(copy, pages=-1)
            finally:
                copy.close()
                source.close()
            tables = _check(temporary)
    except sqlite3.Error as error:
        raise BackupError(f"backup of {source_path} failed: {error}") from error
    return BackupResult(path=target, bytes=target.stat().st_size, tables=tables)
