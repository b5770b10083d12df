"""Helpers for the WordPress import tests: the fixture exports, running the command, snapshots.

result = import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS))
before = snapshot(project)        # every file under content/ and the database's rows
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from publish import cli

DATA = Path(__file__).resolve().parent / "data" / "wordpress"
CLASSIC = DATA / "classic.xml"
BLOCK = DATA / "block.xml"
UPLOADS = DATA / "uploads"
DRAFT_TEXT = "LUONNOS-TEKSTI"  # the draft post's: imported as `Status: draft`, never built
SECRETS = (
    "SECRET-",  # every private, password, spam, trash, revision and pending-comment text
    "commenter.example",  # commenters' e-mail addresses
    "maija@old.example",
    "192.0.2.44",  # commenters' IP addresses
    "198.51.100.7",
    "203.0.113.9",
    "2001:db8::5",
)


def import_wordpress_cli(root: Path, export: Path, *args: str, env: dict | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["--root", str(root), "import", "wordpress", str(export), *args], env=env
    )


def database_rows(root: Path) -> list[tuple]:
    path = root / "var" / "alusta.sqlite3"
    if not path.exists():
        return []
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM mentions ORDER BY id").fetchall()
    finally:
        connection.close()


def database_dump(root: Path) -> str:
    path = root / "var" / "alusta.sqlite3"
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def snapshot(root: Path) -> tuple[dict[str, bytes], list[tuple]]:
    """Every content file with its bytes, and every stored mention."""
    content = root / "content"
    files = {
        p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()
    }
    return files, database_rows(root)


def with_old_site(export: Path, old_site: str, destination: Path) -> Path:
    """A copy of `export` whose old blog lives at `old_site` (a local test server)."""
    destination.write_text(
        export.read_text(encoding="utf-8").replace("https://old.example", old_site),
        encoding="utf-8",
    )
    return destination
