"""`publish.py mentions`: list with author and text, show, rules, unblock, unallow; a block
hides the domain's replies already shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta import store, verification_queue
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from publish import cli
from tests.endpoint_server import POST, endpoint_settings

NOW = 1_800_000_000.0


def stored(root: Path, source: str, *, text: str, author: str, status: MentionStatus) -> int:
    """A verified mention of POST from `source`, saved with `status`."""
    connection = connect(root / "var" / "alusta.sqlite3")
    try:
        mention = verification_queue.enqueue(
            connection, MentionRequest(source=source, target=POST, site="main"), now=NOW
        )
        entry = SourceEntry(
            url=source, final_url=source, kind=MentionKind.REPLY,
            author=Author(name=author, url=source, photo=""), published="", name="",
            content_html=f"<p>{text}</p>", content_text=text, title="", excerpt="",
        )  # fmt: skip
        store.save_verified(connection, mention.id, entry, status=status, reason="", now=NOW)
        return mention.id
    finally:
        connection.close()


def statuses(root: Path) -> dict[str, tuple[str, str]]:
    connection = connect(root / "var" / "alusta.sqlite3")
    try:
        return {m.source: (m.status, m.verifying) for m in store.list_mentions(connection)}
    finally:
        connection.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    settings = endpoint_settings(tmp_path / "project", database="var/alusta.sqlite3")
    return settings.root


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "mentions", *args])
    return result.exit_code, result.output


def test_list_shows_author_and_a_one_line_excerpt_without_control_characters(root):
    text = "Hyvä kirjoitus!\x1b[2J Lisää tekstiä " + "sanoja " * 30
    stored(root, "https://blog.example/a", text=text, author="Aino\x9b31m", status="approved")
    code, output = run(root, "list")
    assert code == 0
    (line,) = output.splitlines()
    assert "\tAino31m\t" in line
    assert "Hyvä kirjoitus![2J Lisää tekstiä sanoja" in line
    assert "…" in line and "\x1b" not in line and "\x9b" not in line


def test_show_prints_every_field_and_the_whole_text(root):
    mention_id = stored(
        root,
        "https://blog.example/a",
        text="Rivi yksi\nrivi kaksi",
        author="Aino",
        status="pending",
    )
    code, output = run(root, "show", str(mention_id))
    assert code == 0
    assert "author:     Aino" in output
    assert f"target:     {POST}" in output
    assert "status:     pending" in output
    assert output.rstrip().endswith("Rivi yksi\nrivi kaksi")
    code, output = run(root, "show", "999")
    assert code != 0 and "no mention with id 999" in output


def test_block_hides_replies_already_shown_and_unblock_verifies_them_again(root):
    spam = stored(root, "https://www.spam.example/a", text="osta", author="S", status="approved")
    stored(root, "https://friend.example/b", text="hei", author="F", status="approved")
    code, output = run(root, "block", "Spam.Example")
    assert code == 0 and f"hidden {spam}:" in output
    assert statuses(root)["https://www.spam.example/a"] == ("rejected", False)
    assert statuses(root)["https://friend.example/b"] == ("approved", False)
    code, output = run(root, "rules")
    assert output.splitlines() == [f"block\tspam.example\t{_created(root, 'spam.example')}"]
    code, output = run(root, "unblock", "spam.example")
    assert code == 0 and f"verifying again {spam}:" in output
    assert statuses(root)["https://www.spam.example/a"] == ("queued", True)
    assert run(root, "rules")[1].strip() == "no domain rules"


def test_removing_a_rule_that_is_not_there_names_it(root):
    run(root, "allow", "friend.example")
    code, output = run(root, "unblock", "friend.example")
    assert code != 0 and "friend.example is not on the block list" in output
    code, output = run(root, "unallow", "friend.example")
    assert code == 0 and "unallowed friend.example" in output
    code, output = run(root, "block", "not a domain")
    assert code != 0 and "is not a domain name" in output


def test_a_rejected_decision_survives_block_and_unblock(root):
    rejected = stored(root, "https://spam.example/r", text="x", author="S", status="approved")
    run(root, "reject", str(rejected))
    run(root, "block", "spam.example")
    run(root, "unblock", "spam.example")
    assert statuses(root)["https://spam.example/r"] == ("rejected", False)


def _created(root: Path, domain: str) -> str:
    connection = connect(root / "var" / "alusta.sqlite3")
    try:
        return connection.execute(
            "SELECT created FROM mention_domains WHERE domain = ?", (domain,)
        ).fetchone()[0]
    finally:
        connection.close()


def test_delete_dry_run_deletes_nothing(root):
    kept = stored(root, "https://blog.example/a", text="x", author="A", status="approved")
    code, output = run(root, "delete", str(kept), "--dry-run")
    assert code == 0 and f"would delete {kept}: https://blog.example/a" in output
    assert "https://blog.example/a" in statuses(root)
    code, output = run(root, "delete", str(kept), "999", "--dry-run")
    assert code != 0 and "no mention with id 999" in output
