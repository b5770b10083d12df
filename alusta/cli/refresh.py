"""`publish.py refresh`: re-render the responses of pages whose mentions changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alusta.cli import project_settings, sites_option
from alusta.errors import AlustaError

if TYPE_CHECKING:
    from alusta.responses.refresh import RefreshReport


@click.command()
@sites_option("Only pages of this site (main or a pilot slug); repeatable.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Re-render every page, changed or not (after a theme edit, say).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="URL",
    help="Re-render the page at URL (any spelling of it); repeatable.",
)
@click.option(
    "--deploy",
    "deploy_after",
    is_flag=True,
    help="Then deploy just the rewritten pages and their avatars to each site's target.",
)
def refresh(
    sites: tuple[str, ...], everything: bool, targets: tuple[str, ...], deploy_after: bool
) -> None:
    """Update the responses shown under posts in the built output, without a rebuild."""
    from alusta.deploy import deploy_written  # noqa: PLC0415 - keeps `--help` fast
    from alusta.responses.refresh import Refresher  # noqa: PLC0415

    settings = project_settings()
    try:
        refresher = Refresher(settings)
        if targets:
            report = refresher.refresh_targets(list(targets))
        else:
            report = refresher.refresh_changed(list(sites) or None, force=everything)
        if deploy_after:
            summary = deploy_written(settings, report.written)
            click.echo(f"deployed {summary.uploaded}, deleted {summary.deleted}", err=True)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    _echo(report)


def _echo(report: RefreshReport) -> None:
    for url in report.refreshed:
        click.echo(f"refreshed {url}")
    click.echo(
        f"{len(report.refreshed)} page(s) refreshed, {len(report.unchanged)} unchanged", err=True
    )
    if report.problems:
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{len(report.problems)} page(s) could not be refreshed")


COMMANDS: list[click.Command] = [refresh]
