"""A tiny project with feedback forms, for the feedback tests.

The main site has `kysely` (tests/data/feedback/kysely.toml: every field type), the pilot
`vaara` (tests/endpoint_server.py) has a copy named `vaara-kysely`.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from alusta.db import applied_migrations, connect, iso, migrations
from alusta.feedback import store
from alusta.settings import Settings
from tests.endpoint_server import PILOT, endpoint_settings

DATA = Path(__file__).parent / "data" / "feedback"
FORM = "kysely"
PILOT_FORM = "vaara-kysely"

VALID = {
    "nimi": "Åsa Öhman",
    "palaute": "Hyvä kylätalo, mutta äänentoisto särisi. Ö å ä!",
    "sahkoposti": "Asa.Ohman@Example.fi",
    "ika": "42",
    "kunta": "tornio",
    "palvelut": ["kirjasto", "latu"],
    "arvio": "4",
    "lupa": "yes",
    "_lang": "sv",
}


def feedback_settings(root: Path, **environ: str) -> Settings:
    """The endpoint test project plus the two forms; rate limits high unless told."""
    environ.setdefault("feedback_rate_limit_per_minute", "1000")
    environ.setdefault("feedback_min_fill_seconds", "0")
    settings = endpoint_settings(root, **environ)
    main_forms = root / "content" / "forms"
    pilot_forms = root / "pilots" / PILOT / "content" / "forms"
    for folder in (main_forms, pilot_forms):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "kysely.toml", main_forms / f"{FORM}.toml")
    shutil.copy(DATA / "kysely.toml", pilot_forms / f"{PILOT_FORM}.toml")
    return settings


def stored(settings: Settings, **filters: str) -> list[store.Submission]:
    connection = connect(settings.database_path)
    try:
        return store.submissions(connection, **filters)
    finally:
        connection.close()


def insert(
    settings: Settings,
    *,
    site: str = "main",
    form: str = FORM,
    email: str | None = None,
    age_days: float = 0.0,
    answers: dict | None = None,
    lang: str = "fi",
) -> int:
    """Store one submission directly, `age_days` old."""
    connection = connect(settings.database_path)
    try:
        return store.insert(
            connection,
            store.NewSubmission(
                site=site,
                form=form,
                lang=lang,
                answers=answers or {"palaute": "suoraan"},
                email=email,
                client_hash="test",
                page="",
                received_at=iso(time.time() - age_days * store.SECONDS_PER_DAY),
            ),
        )
    finally:
        connection.close()


def old_database(path: Path, last: str, insert_sql: str, rows: list[tuple]) -> None:
    """A database file as an installation whose last migration was `last` left it, with
    `rows` stored by `insert_sql` the way that version stored them."""
    connection = sqlite3.connect(path)
    applied_migrations(connection)
    for migration in migrations():
        if migration.name > last:
            break
        connection.executescript(migration.sql)
        connection.execute("INSERT INTO schema_migrations (name) VALUES (?)", (migration.name,))
    connection.executemany(insert_sql, rows)
    connection.commit()
    connection.close()
