"""Commands that run the endpoint and moderate received mentions."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from alusta import store
from alusta.cli import project_settings
from alusta.db import connect
from alusta.models import Mention, MentionStatus


@contextmanager
def _database() -> Iterator[sqlite3.Connection]:
    connection = connect(project_settings().database_path)
    try:
        yield connection
    finally:
        connection.close()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (each also runs a verification worker).",
)
def endpoint(host: str, port: int, workers: int) -> None:
    """Run the Webmention/Pingback endpoint (production; behind a TLS proxy)."""
    import uvicorn  # noqa: PLC0415 - keeps `--help` fast

    from alusta.endpoint import create_app  # noqa: PLC0415
    from alusta.responses.refresh import refresher_if_built  # noqa: PLC0415

    settings = project_settings()
    options = {"host": host, "port": port, "access_log": False, "server_header": False}
    if workers == 1:
        uvicorn.run(create_app(settings, on_approved=refresher_if_built(settings)), **options)
        return
    os.chdir(settings.root)  # alusta.endpoint.asgi reads the project from here
    uvicorn.run("alusta.endpoint.asgi:app", factory=True, workers=workers, **options)


@click.group()
def mentions() -> None:
    """List and moderate received Webmentions and Pingbacks."""


@mentions.command("list")
@click.option("--pending", is_flag=True, help="Only mentions waiting for a moderator.")
@click.option("--site", metavar="NAME", help="Only mentions of this site.")
def list_command(pending: bool, site: str | None) -> None:
    """List mentions, oldest first: id, status, kind, site, source → target."""
    statuses = [MentionStatus.PENDING] if pending else None
    with _database() as connection:
        rows = store.list_mentions(connection, site=site, statuses=statuses)
    for mention in rows:
        click.echo(_line(mention))
    if not rows:
        click.echo("no mentions", err=True)


def _line(mention: Mention) -> str:
    kind = mention.entry.kind if mention.entry else mention.protocol
    reason = f"  ({mention.reason})" if mention.reason else ""
    return (
        f"{mention.id}\t{mention.status}\t{kind}\t{mention.site}\t"
        f"{mention.source} → {mention.target}{reason}"
    )


def _moderate(ids: tuple[int, ...], status: MentionStatus) -> None:
    with _database() as connection:
        changed = store.moderate(connection, ids, status, now=time.time())
    _refresh_pages(changed)
    _report(ids, changed, str(status))


def _refresh_pages(changed: list[Mention]) -> None:
    """The pages showing these mentions are re-rendered in the output (docs/responses.md)."""
    from alusta.responses.refresh import Refresher  # noqa: PLC0415 - keeps `--help` fast

    if not changed:
        return
    report = Refresher(project_settings()).refresh_targets(sorted({m.target for m in changed}))
    for url in report.refreshed:
        click.echo(f"refreshed {url}")
    for problem in report.problems:
        click.echo(f"not refreshed: {problem}", err=True)


def _report(ids: tuple[int, ...], changed: list[Mention], verb: str) -> None:
    for mention in changed:
        click.echo(f"{verb} {mention.id}: {mention.source} → {mention.target}")
    missing = sorted(set(ids) - {m.id for m in changed})
    if missing:
        raise click.ClickException(f"no mention with id {', '.join(map(str, missing))}")


@mentions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
def approve(ids: tuple[int, ...]) -> None:
    """Show these mentions (also after their sources are sent again)."""
    _moderate(ids, MentionStatus.APPROVED)


@mentions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
def reject(ids: tuple[int, ...]) -> None:
    """Hide these mentions for good (also after their sources are sent again)."""
    _moderate(ids, MentionStatus.REJECTED)


@mentions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
def delete(ids: tuple[int, ...]) -> None:
    """Remove these mentions from the database (a sender may send them again)."""
    with _database() as connection:
        removed = store.delete_mentions(connection, ids)
    _refresh_pages(removed)
    _report(ids, removed, "deleted")


def _rule(domain: str, rule: str) -> None:
    domain = domain.strip().lower().strip(".")
    if not domain or "/" in domain or " " in domain:
        raise click.ClickException(f"{domain!r} is not a domain name (like example.org)")
    with _database() as connection:
        store.set_domain_rule(connection, domain, rule, now=time.time())
    click.echo(f"{rule} {domain} (and its subdomains)")


@mentions.command()
@click.argument("domain")
def allow(domain: str) -> None:
    """Always approve verified mentions from DOMAIN and its subdomains."""
    _rule(domain, "allow")


@mentions.command()
@click.argument("domain")
def block(domain: str) -> None:
    """Silently reject mentions from DOMAIN and its subdomains."""
    _rule(domain, "block")


COMMANDS: list[click.Command] = [endpoint, mentions]
