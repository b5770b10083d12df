"""`publish.py send`: notify the sites our posts link to (Webmention, Pingback fallback)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import click

from alusta.cli import project_settings, sites_option
from alusta.errors import AlustaError
from alusta.settings import Settings

if TYPE_CHECKING:
    from alusta.send.job import SendReport


@click.command()
@sites_option("Only this site (main or a pilot slug); repeatable.")
@click.option("--dry-run", is_flag=True, help="List what would be sent and why; send nothing.")
@click.option(
    "--status",
    "show_status",
    is_flag=True,
    help="List notifications waiting for a retry and those given up.",
)
@click.option("--source", metavar="URL", help="With --target: send this one notification now.")
@click.option("--target", metavar="URL", help="With --source: the page to notify.")
def send(
    sites: tuple[str, ...],
    dry_run: bool,
    show_status: bool,
    source: str | None,
    target: str | None,
) -> None:
    """Send Webmentions (or Pingbacks) for new, changed, removed and deleted links.

    Run it after a build is deployed. Unchanged posts send nothing; links between our own
    sites become mentions directly.
    """  # fmt: skip
    from alusta.send import job  # noqa: PLC0415 - keeps `--help` fast

    settings = project_settings()
    try:
        if source or target:
            _single(settings, source, target)
        elif show_status:
            _status(settings)
        else:
            options = job.SendOptions(site_names=sites, dry_run=dry_run)
            _report(asyncio.run(job.run_send(settings, options=options)), dry_run=dry_run)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error


def _single(settings: Settings, source: str | None, target: str | None) -> None:
    from alusta.send.job import send_single  # noqa: PLC0415

    if not (source and target):
        raise click.UsageError("--source and --target go together")
    attempt = asyncio.run(send_single(settings, source, target))
    click.echo(f"endpoint: {attempt.endpoint or 'none found'} ({attempt.protocol or '-'})")
    click.echo(f"status:   {attempt.status if attempt.status is not None else '-'}")
    click.echo(f"outcome:  {attempt.outcome}")
    click.echo(f"response: {attempt.excerpt}")


def _report(report: SendReport, *, dry_run: bool) -> None:
    for problem in report.problems:
        click.echo(f"skipped: {problem}", err=True)
    verb = "would send" if dry_run else "planned"
    for item in report.planned:
        click.echo(f"{verb}: {item.reason}: {item.source} -> {item.target}")
    if dry_run:
        planned = {(o.source, o.target) for o in report.planned}
        for waiting in report.due:
            if (waiting.source, waiting.target) not in planned:
                click.echo(f"would retry: {waiting.reason}: {waiting.source} -> {waiting.target}")
        if not report.planned and not report.due:
            click.echo("nothing to send")
        return
    for attempt in report.attempts:
        status = attempt.status if attempt.status is not None else "-"
        click.echo(
            f"{attempt.outcome}: {attempt.source} -> {attempt.target} "
            f"[{attempt.protocol or 'none'} {attempt.endpoint} {status}] {attempt.excerpt}"
        )
    click.echo(f"{len(report.attempts)} notification(s) tried")


def _status(settings: Settings) -> None:
    from alusta.send.job import status  # noqa: PLC0415

    rows = status(settings)
    if not rows:
        click.echo("nothing pending, nothing given up")
    for notification, attempts in rows:
        click.echo(
            f"{notification.state}: {notification.source} -> {notification.target} "
            f"({notification.reason}, {notification.tries} tries, last {notification.outcome})"
        )
        for attempt in attempts:
            click.echo(
                f"  {attempt['at']} {attempt['outcome']} {attempt['protocol'] or '-'} "
                f"{attempt['endpoint'] or '-'} {attempt['status'] or '-'} "
                f"{attempt['excerpt']}"
            )


COMMANDS: list[click.Command] = [send]
