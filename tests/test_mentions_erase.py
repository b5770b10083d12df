"""`publish.py mentions delete --email`: a commenter asks for their comments to be erased."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.feedback.config import instance_secret
from alusta.feedback.spam import client_hash
from alusta.settings import load_settings
from publish import cli
from tests.wordpress_project import CLASSIC, UPLOADS, database_rows, import_wordpress_cli

ANNA = "Anna@Commenter.example"  # wrote comments 101 and 103, spelled differently each time


@pytest.fixture
def imported(project: Path) -> Path:
    assert import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS)).exit_code == 0
    return project


def delete(root: Path, *args: str, answer: str | None = None):
    return CliRunner().invoke(cli, ["--root", str(root), "mentions", "delete", *args], input=answer)


def sources(root: Path) -> set[str]:
    return {row[2] for row in database_rows(root)}


ANNAS = {
    "https://old.example/2014/05/kylatalon-talvi/#comment-101",
    "https://old.example/2014/05/kylatalon-talvi/#comment-103",
}


def test_dry_run_counts_a_persons_comments_and_deletes_nothing(imported: Path) -> None:
    before = database_rows(imported)
    result = delete(imported, "--email", ANNA, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"2 response(s) written with {ANNA}" in result.output
    assert database_rows(imported) == before


def test_deleting_asks_first_and_a_no_keeps_everything(imported: Path) -> None:
    before = database_rows(imported)
    result = delete(imported, "--email", ANNA, answer="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert database_rows(imported) == before


def test_yes_deletes_only_that_persons_comments(imported: Path) -> None:
    count = len(database_rows(imported))
    result = delete(imported, "--email", ANNA, "--yes")
    assert result.exit_code == 0, result.output
    assert result.output.count("deleted ") == 2
    assert not ANNAS & sources(imported)
    assert len(database_rows(imported)) == count - 2


def test_an_address_nobody_used_deletes_nothing(imported: Path) -> None:
    before = database_rows(imported)
    result = delete(imported, "--email", "nobody@example.org", "--yes")
    assert result.exit_code == 0 and "0 response(s)" in result.output
    assert database_rows(imported) == before


def test_delete_without_ids_or_email_is_a_usage_error(imported: Path) -> None:
    result = delete(imported)
    assert result.exit_code == 2 and "give mention ids or --email ADDRESS" in result.output


NFC_NAME = unicodedata.normalize("NFC", "Mäki@Commenter.example")


def test_a_comment_written_with_an_nfd_address_is_found_by_its_nfc_spelling(
    project: Path, tmp_path: Path
) -> None:
    nfd = unicodedata.normalize("NFD", "mäki@commenter.example")
    export = tmp_path / "nfd.xml"
    export.write_text(
        CLASSIC.read_text(encoding="utf-8").replace("ANNA@commenter.example", nfd),
        encoding="utf-8",
    )
    assert import_wordpress_cli(project, export, "--uploads", str(UPLOADS)).exit_code == 0
    result = delete(project, "--email", NFC_NAME, "--yes")
    assert result.exit_code == 0, result.output
    assert "1 response(s)" in result.output
    assert "https://old.example/2014/05/kylatalon-talvi/#comment-103" not in sources(project)


def test_a_hash_kept_by_an_older_version_is_still_found(imported: Path) -> None:
    """Before 0090 the hash was of `strip().lower()`; an NFD address kept that way."""
    secret = instance_secret(load_settings(imported))
    old_hash = client_hash(secret, unicodedata.normalize("NFD", NFC_NAME).lower())
    connection = sqlite3.connect(imported / "var" / "alusta.sqlite3")
    with connection:
        connection.execute("UPDATE mentions SET author_email_hash = ? WHERE id = 1", (old_hash,))
    connection.close()
    result = delete(imported, "--email", NFC_NAME, "--yes")
    assert result.exit_code == 0, result.output
    assert "1 response(s)" in result.output
