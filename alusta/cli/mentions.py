"""Commands that run the endpoint and moderate received mentions."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from alusta import domain_rules, store
from alusta.cli import project_settings, site_option
from alusta.db import connect
from alusta.errors import AlustaError
from alusta.excerpts import excerpt
from alusta.models import Mention, MentionStatus
from alusta.moderation_actions import Action, act_on_ids, add_rule, clean_domain, remove_rule
from alusta.terminal import clean_line, clean_text

EXCERPT_CHARS = 60
PAST_TENSE = {Action.APPROVE: "approved", Action.REJECT: "rejected", Action.DELETE: "deleted"}


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

    from alusta.app import create_app  # noqa: PLC0415
    from alusta.responses.refresh import refresher_if_built  # noqa: PLC0415

    settings = project_settings()
    # uvicorn's own X-Forwarded-For trust (proxy_headers) is off: ALUSTA_TRUSTED_PROXIES
    # decides whose header names the client (alusta.web.clients).
    options = {
        "host": host,
        "port": port,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
    }
    if workers == 1:
        uvicorn.run(create_app(settings, on_approved=refresher_if_built(settings)), **options)
        return
    os.chdir(settings.root)  # alusta.asgi reads the project from here
    uvicorn.run("alusta.asgi:app", factory=True, workers=workers, **options)


@click.group()
def mentions() -> None:
    """List and moderate received Webmentions and Pingbacks."""


@mentions.command("list")
@click.option("--pending", is_flag=True, help="Only mentions waiting for a moderator.")
@site_option("Only mentions of this site.")
def list_command(pending: bool, site: str | None) -> None:
    """List mentions, oldest first: id, status, kind, site, author, text, source → target."""
    statuses = [MentionStatus.PENDING] if pending else None
    with _database() as connection:
        rows = store.list_mentions(connection, site=site, statuses=statuses)
    for mention in rows:
        click.echo(_line(mention))
    if not rows:
        click.echo("no mentions", err=True)


def _line(mention: Mention) -> str:
    kind = mention.entry.kind if mention.entry else mention.protocol
    author = clean_line(mention.entry.author.name) if mention.entry else ""
    reason = f"  ({mention.reason})" if mention.reason else ""
    return (
        f"{mention.id}\t{mention.status}\t{kind}\t{mention.site}\t{author or '-'}\t"
        f"{excerpt(mention, EXCERPT_CHARS) or '-'}\t{mention.source} → {mention.target}{reason}"
    )


@mentions.command()
@click.argument("mention_id", metavar="ID", type=int)
def show(mention_id: int) -> None:
    """Everything stored about one mention: author, text, source, target, status, times."""
    with _database() as connection:
        mention = store.find_mention(connection, mention_id)
    if mention is None:
        raise click.ClickException(f"no mention with id {mention_id}")
    for label, value in _fields(mention):
        click.echo(f"{label + ':':<12}{value}")
    if mention.entry and mention.entry.content_text:
        click.echo("")
        click.echo(clean_text(mention.entry.content_text))


def _fields(mention: Mention) -> list[tuple[str, str]]:
    entry = mention.entry
    fields = [
        ("id", str(mention.id)),
        ("status", f"{mention.status}{f' ({mention.reason})' if mention.reason else ''}"),
        ("site", mention.site),
        ("protocol", mention.protocol),
        ("source", mention.source),
        ("target", mention.target),
        ("received", mention.received),
        ("updated", mention.updated),
    ]
    if entry:
        fields[3:3] = [("kind", str(entry.kind))]
        fields += [
            ("author", clean_line(entry.author.name)),
            ("author url", entry.author.url),
            ("avatar", entry.author.photo),
            ("published", entry.published),
            ("title", clean_line(entry.name or entry.title)),
        ]
    return [(label, value) for label, value in fields if value]


def _moderate(ids: tuple[int, ...], action: Action) -> None:
    with _database() as connection:
        changed = act_on_ids(connection, action, list(ids), now=time.time())
    _refresh_pages(changed)
    _report(ids, changed, PAST_TENSE[action])


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
    _moderate(ids, Action.APPROVE)


@mentions.command()
@click.argument("ids", nargs=-1, type=int, required=True)
def reject(ids: tuple[int, ...]) -> None:
    """Hide these mentions for good (also after their sources are sent again)."""
    _moderate(ids, Action.REJECT)


@mentions.command()
@click.argument("ids", nargs=-1, type=int)
@click.option("--email", metavar="ADDRESS", help="Every response written with this e-mail address.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (with --email).")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted; delete nothing.")
def delete(ids: tuple[int, ...], email: str | None, yes: bool, dry_run: bool) -> None:
    """Remove mentions by id (a sender may send them again), or a person's imported comments
    by --email (a request to erase)."""
    if email is not None:
        ids = _ids_by_email(email, yes=yes, dry_run=dry_run)
        if not ids:
            return
    elif not ids:
        raise click.UsageError("give mention ids or --email ADDRESS")
    if not dry_run:
        _moderate(ids, Action.DELETE)
        return
    with _database() as connection:
        found = [m for m in (store.find_mention(connection, i) for i in ids) if m]
    _report(ids, found, "would delete")


def _ids_by_email(email: str, *, yes: bool, dry_run: bool) -> tuple[int, ...]:
    """The ids stored under this address's salted hash, after the user confirmed."""
    from alusta.feedback.config import instance_secret  # noqa: PLC0415 - keeps --help fast
    from alusta.feedback.hashing import email_hashes  # noqa: PLC0415
    from alusta.imported_mentions import ids_by_email_hash  # noqa: PLC0415

    hashed = email_hashes(instance_secret(project_settings()), email)
    with _database() as connection:
        ids = tuple(ids_by_email_hash(connection, hashed))
    click.echo(f"{len(ids)} response(s) written with {email}")
    if dry_run or not ids:
        return ()
    if not yes:
        click.confirm(f"Delete these {len(ids)} response(s) for good?", abort=True)
    return ids


def _domain_command(domain: str, action: Action, *, remove: bool) -> list[Mention]:
    with _database() as connection:
        try:
            if remove:
                return remove_rule(connection, action, domain, now=time.time())
            return add_rule(connection, action, domain, now=time.time())
        except AlustaError as error:
            raise click.ClickException(str(error)) from error


@mentions.command()
@click.argument("domain")
def allow(domain: str) -> None:
    """Always approve verified mentions from DOMAIN and its subdomains."""
    _domain_command(domain, Action.ALLOW, remove=False)
    click.echo(f"allow {clean_domain(domain)} (and its subdomains)")


@mentions.command()
@click.argument("domain")
def block(domain: str) -> None:
    """Silently reject mentions from DOMAIN and its subdomains, and hide those shown."""
    hidden = _domain_command(domain, Action.BLOCK, remove=False)
    click.echo(f"block {clean_domain(domain)} (and its subdomains)")
    for mention in hidden:
        click.echo(f"hidden {mention.id}: {mention.source} → {mention.target}")
    _refresh_pages(hidden)


@mentions.command()
@click.argument("domain")
def unblock(domain: str) -> None:
    """Remove DOMAIN from the block list; the mentions it hid are verified again."""
    requeued = _domain_command(domain, Action.BLOCK, remove=True)
    click.echo(f"unblocked {clean_domain(domain)}")
    for mention in requeued:
        click.echo(f"verifying again {mention.id}: {mention.source} → {mention.target}")


@mentions.command()
@click.argument("domain")
def unallow(domain: str) -> None:
    """Remove DOMAIN from the allow list (its new mentions follow the site's policy)."""
    _domain_command(domain, Action.ALLOW, remove=True)
    click.echo(f"unallowed {clean_domain(domain)}")


@mentions.command()
def rules() -> None:
    """List the block and allow rules: rule, domain, since when."""
    with _database() as connection:
        listed = domain_rules.rules(connection)
    for rule in listed:
        click.echo(f"{rule.rule}\t{rule.domain}\t{rule.created}")
    if not listed:
        click.echo("no domain rules", err=True)


COMMANDS: list[click.Command] = [endpoint, mentions]
