"""Erasure finds every Unicode spelling of an address (alusta.emails, migration 0090)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from click.testing import CliRunner

from alusta.db import connect
from alusta.emails import email_key, legacy_keys
from publish import cli
from tests.feedback_project import feedback_settings, insert, old_database, stored

NFC = unicodedata.normalize("NFC", "Matti.Mäki@Example.fi")
NFD = unicodedata.normalize("NFD", "matti.mäki@example.fi")


def test_every_spelling_has_one_key() -> None:
    assert NFD.upper() != NFC
    assert email_key(NFC) == email_key(NFD) == email_key(f" {NFD.upper()} ")
    assert email_key(NFD) == "matti.m\u00e4ki@example.fi"
    assert email_key("Strasse@Straße.de") == email_key("STRASSE@strasse.de")


def test_legacy_keys_cover_what_older_versions_kept() -> None:
    keys = legacy_keys(NFC)
    assert keys[0] == email_key(NFC)
    assert NFD in keys  # lower() of an NFD address, as kept before 0090
    assert "ö@straße.de" in legacy_keys("Ö@Straße.de")  # lower() keeps ß; casefold does not


def test_feedback_delete_removes_an_answer_stored_in_nfd(tmp_path: Path) -> None:
    settings = feedback_settings(tmp_path / "project")
    insert(settings, email=NFD)
    kept = insert(settings, email="toinen@example.fi")
    result = CliRunner().invoke(
        cli, ["--root", str(settings.root), "feedback", "delete", "--email", NFC, "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "deleted 1 submission(s)" in result.output
    assert [s.id for s in stored(settings)] == [kept]


def database_before_0090(path: Path) -> None:
    """A database as an installation that stopped before migration 0090 left it."""
    old_database(
        path,
        "0089",
        "INSERT INTO feedback_submissions (site, form, lang, answers, email, received_at) "
        "VALUES ('main', 'kysely', 'fi', '{}', ?, '2026-11-30T10:00:00+00:00')",
        [(NFD,), ("a@example.fi",), (None,)],
    )


def test_migration_0090_gives_stored_addresses_their_key(tmp_path: Path) -> None:
    path = tmp_path / "alusta.sqlite3"
    database_before_0090(path)
    connection = connect(path)
    emails = [row[0] for row in connection.execute("SELECT email FROM feedback_submissions")]
    connection.close()
    assert emails == [email_key(NFD), "a@example.fi", None]
