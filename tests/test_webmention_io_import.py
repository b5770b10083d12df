"""`publish.py import webmention-io`: webmention.io's JF2 history onto the imported posts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from publish import cli
from tests.wordpress_project import CLASSIC, UPLOADS, database_rows, import_wordpress_cli

JF2 = Path(__file__).resolve().parent / "data" / "webmention_io" / "mentions.jf2.json"
POST = "https://alusta.example/2014/05/kylatalon-talvi/"


def import_jf2(root: Path, export: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--root", str(root), "import", "webmention-io", str(export), *args]
    )


@pytest.fixture
def imported(project: Path) -> Path:
    """The project after the WordPress import, so the old addresses are known."""
    assert import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS)).exit_code == 0
    return project


def stored(root: Path) -> dict[str, sqlite3.Row]:
    connection = sqlite3.connect(root / "var" / "alusta.sqlite3")
    connection.row_factory = sqlite3.Row
    try:
        return {r["source"]: r for r in connection.execute("SELECT * FROM mentions")}
    finally:
        connection.close()


def test_mentions_land_on_their_posts_through_the_old_addresses(imported: Path) -> None:
    result = import_jf2(imported, JF2)
    assert result.exit_code == 0, result.output
    assert "main: added 3 response(s); left out: 1 no page of the site, 1 private" in result.output
    rows = stored(imported)
    reply = rows["https://riikka.example/2014/05/vastaus"]
    assert reply["target"] == POST  # wm-target was https://old.example/?p=1
    assert (reply["protocol"], reply["kind"], reply["status"]) == (
        "webmention",
        "reply",
        "approved",
    )
    assert reply["content_html"] == "<p>Hieno kylätalo! </p>"  # the script is gone
    assert reply["author_photo"] == "https://riikka.example/kuva.jpg"
    assert reply["published"] == "2014-05-06T10:00:00+03:00"
    like = rows["https://tykkaaja.example/likes/1"]
    assert like["kind"] == "like"
    assert like["target"] == "https://alusta.example/2014/06/toinen-kirjoitus/"
    ping = rows["https://pingaaja.example/juttu"]
    assert (ping["protocol"], ping["title"]) == ("pingback", "Pingaajan juttu – kylistä")
    assert "https://salainen.example/yksityinen" not in rows
    assert "SECRET-WM-PRIVATE" not in json.dumps([tuple(r) for r in rows.values()])


def test_a_second_import_and_a_dry_run_change_nothing(imported: Path) -> None:
    before = database_rows(imported)
    dry = import_jf2(imported, JF2, "--dry-run")
    assert dry.exit_code == 0 and "would add 3 response(s)" in dry.output
    assert database_rows(imported) == before
    assert import_jf2(imported, JF2).exit_code == 0
    after_first = database_rows(imported)
    again = import_jf2(imported, JF2)
    assert again.exit_code == 0 and "added 0 response(s)" in again.output
    assert database_rows(imported) == after_first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"children": [\n{"wm-source": }\n]}', ":2: not valid JSON"),
        ('{"type": "feed", "items": []}', 'not a webmention.io JF2 export (no "children" list'),
        ("[1, 2]", 'not a webmention.io JF2 export (no "children" list'),
    ],
    ids=["broken", "other-feed", "list"],
)
def test_a_bad_file_is_one_sentence_and_changes_nothing(
    imported: Path, tmp_path: Path, text: str, expected: str
) -> None:
    export = tmp_path / "mentions.json"
    export.write_text(text, encoding="utf-8")
    before = database_rows(imported)
    result = import_jf2(imported, export)
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
    assert database_rows(imported) == before
