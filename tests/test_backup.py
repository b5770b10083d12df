"""Backups with SQLite's online backup API while another process keeps writing."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.app import create_app
from alusta.backup import BackupError, backup
from alusta.db import connect
from alusta.settings import Settings
from tests.deploy_trees import project_root, settings_for
from tests.endpoint_server import POST, RunningEndpoint, endpoint_settings

REPO = Path(__file__).resolve().parents[1]
PREFILL_ROWS = 20_000
WRITER_SECONDS = 30
BACKUPS = 5
MAX_MENTIONS = 3000
WRITER = """
import sys, time
from alusta.db import connect
from alusta.settings import Settings

db = connect(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
count = db.execute("SELECT count(*) FROM load_rows").fetchone()[0]
while time.monotonic() < deadline:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO load_rows (body) VALUES (?)", ("r" * 300,))
    db.execute("COMMIT")
    count += 1
    print(count, flush=True)
"""


class Writer:
    """A separate process inserting one row per transaction; `committed` trails it."""

    def __init__(self, database: Path) -> None:
        self.committed = 0
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), str(WRITER_SECONDS)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.committed = int(line)
            self.started.set()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        self.thread.join(timeout=10)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = settings_for(project_root(tmp_path / "project"))
    db = connect(settings.database_path)
    db.execute("CREATE TABLE load_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO load_rows (body) VALUES (?)", [("p" * 300,)] * PREFILL_ROWS)
    db.execute("COMMIT")
    db.close()
    return settings


def rows_in(path: Path) -> tuple[int, int, str]:
    """(row count, highest id, journal mode) of a backup."""
    copy = sqlite3.connect(path)
    try:
        count, highest = copy.execute("SELECT count(*), max(id) FROM load_rows").fetchone()
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return count, highest, mode
    finally:
        copy.close()


def test_backups_hold_every_committed_row_while_a_writer_runs(
    settings: Settings, tmp_path: Path
) -> None:
    writer = Writer(settings.database_path)
    try:
        assert writer.started.wait(timeout=WRITER_SECONDS)
        first = writer.committed
        for number in range(BACKUPS):
            before = writer.committed
            result = backup(settings, tmp_path / f"copy-{number}.sqlite3")
            after = writer.committed
            count, highest, mode = rows_in(result.path)
            assert count == highest, "the copy is not one consistent snapshot"
            assert before <= count, f"{before - count} committed rows are missing"
            assert result.tables >= 2
            assert mode == "delete"
            assert not Path(f"{result.path}-wal").exists()
        assert after > first, "the writer made no progress while the backups ran"
        assert writer.process.poll() is None, "the writer stopped"
    finally:
        writer.stop()
    assert writer.committed > PREFILL_ROWS, "the writer never got to write"


def test_backup_default_place_and_cli(settings: Settings) -> None:
    from publish import cli  # noqa: PLC0415

    done = CliRunner().invoke(cli, ["--root", str(settings.root), "backup"])
    assert done.exit_code == 0, done.output
    [made] = (settings.var_dir / "backups").glob("alusta-*.sqlite3")
    assert f"→ {made}" in done.output
    assert rows_in(made)[0] == PREFILL_ROWS
    folder = settings.root / "elsewhere"
    folder.mkdir()
    assert backup(settings, folder).path.parent == folder


def test_backup_refuses_a_missing_database_and_itself(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(BackupError, match="cannot overwrite the database"):
        backup(settings, settings.database_path)
    empty = settings_for(project_root(tmp_path / "empty"))
    with pytest.raises(BackupError, match="no database at"):
        backup(empty, tmp_path / "x.sqlite3")
    assert not (tmp_path / "x.sqlite3").exists()


class MentionLoad:
    """Webmentions posted one after another to the real endpoint; `accepted` lists sources."""

    def __init__(self, endpoint: RunningEndpoint) -> None:
        self.endpoint, self.accepted, self.stop = endpoint, [], threading.Event()
        self.thread = threading.Thread(target=self._post, daemon=True)
        self.thread.start()

    def _post(self) -> None:
        for number in range(MAX_MENTIONS):
            if self.stop.is_set():
                return
            source = f"http://127.0.0.1:9/vastaus-{number}"  # nothing listens: stays queued
            if self.endpoint.send(source, POST).is_success:  # 201 Created or 202 Accepted
                self.accepted.append(source)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=WRITER_SECONDS)


def test_backup_holds_every_mention_the_endpoint_accepted_under_load(tmp_path: Path) -> None:
    settings = endpoint_settings(
        tmp_path / "endpoint",
        rate_limit_per_minute="1000000",
        source_rate_limit_per_minute="1000000",
    )
    with RunningEndpoint(create_app(settings)) as endpoint:
        load = MentionLoad(endpoint)
        try:
            deadline = time.monotonic() + WRITER_SECONDS
            while len(load.accepted) < 20 and time.monotonic() < deadline:
                time.sleep(0.02)
            sizes = []
            for number in range(BACKUPS):
                accepted_before = list(load.accepted)
                result = backup(settings, tmp_path / f"mentions-{number}.sqlite3")
                copy = sqlite3.connect(result.path)
                stored = {row[0] for row in copy.execute("SELECT source FROM mentions")}
                copy.close()
                assert accepted_before, "no mention was accepted before the backup"
                assert set(accepted_before) <= stored, "accepted mentions missing from the backup"
                sizes.append(len(stored))
                time.sleep(0.05)
        finally:
            load.finish()
    assert sizes[-1] > sizes[0], "the endpoint accepted nothing while the backups ran"


def test_backup_dir_is_created_and_holds_a_time_stamped_file(settings: Settings) -> None:
    from publish import cli  # noqa: PLC0415

    folder = settings.root / "kopiot" / "joulukuu"
    done = CliRunner().invoke(cli, ["--root", str(settings.root), "backup", str(folder)])
    assert done.exit_code == 0, done.output
    [made] = folder.iterdir()
    assert re.fullmatch(r"alusta-\d{8}T\d{6}Z\.sqlite3", made.name)
    assert rows_in(made)[0] == PREFILL_ROWS
