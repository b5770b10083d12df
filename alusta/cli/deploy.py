"""Commands that publish the built sites and keep the database safe: deploy, publish, backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from alusta.cli import project_settings, sites_option
from alusta.errors import AlustaError, ContentError
from alusta.settings import Settings

if TYPE_CHECKING:
    from alusta.deploy.plan import Plan, Step

LONG_UPLOAD_BYTES = 5_000_000  # a progress bar only when an upload takes a noticeable while
LONG_UPLOAD_FILES = 500


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{count} B"


class BarProgress:
    """Prints each target's plan and shows a progress bar while a long upload runs."""

    def __init__(self) -> None:
        self.bar = None

    def begin(self, label: str, plan: Plan) -> None:
        self.close()
        click.echo(
            f"{label}: {len(plan.uploads)} to upload ({human_bytes(plan.upload_bytes)}),"
            f" {plan.unchanged} unchanged, {len(plan.deletions)} to delete"
        )
        if plan.upload_bytes >= LONG_UPLOAD_BYTES or len(plan.uploads) >= LONG_UPLOAD_FILES:
            self.bar = click.progressbar(
                length=plan.upload_bytes + len(plan.deletions), label="uploading", show_pos=False
            )
            self.bar.__enter__()

    def advance(self, step: Step) -> None:
        if self.bar is not None:
            self.bar.update(step.size or 1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def run_deploy(
    settings: Settings,
    sites: tuple[str, ...],
    to: str | None,
    endpoint_url: str | None,
    dry_run: bool,
) -> None:
    from alusta.deploy import deploy as deploy_job  # noqa: PLC0415 - keeps `--help` fast
    from alusta.deploy import parse_target  # noqa: PLC0415

    if endpoint_url and not to:
        raise click.UsageError(
            "--endpoint-url goes with --to s3://BUCKET; for the targets in "
            "the sites' config set ALUSTA_S3_ENDPOINT_URL"
        )
    progress = BarProgress()
    try:
        target = parse_target(to, base=Path.cwd(), endpoint_url=endpoint_url or "") if to else None
        summary = deploy_job(
            settings,
            site_names=list(sites) or None,
            target=target,
            dry_run=dry_run,
            progress=progress,
        )
    except AlustaError as error:
        raise click.ClickException(f"deploy failed: {error}") from error
    finally:
        progress.close()
    verb = "would upload" if dry_run else "uploaded"
    click.echo(
        f"{verb} {summary.uploaded}, unchanged {summary.unchanged}, deleted "
        f"{summary.deleted}, {human_bytes(summary.bytes)}"
        + (" (dry run: nothing was changed)" if dry_run else "")
    )


SITE_OPTION = sites_option()


@click.command()
@SITE_OPTION
@click.option(
    "--to",
    metavar="TARGET",
    help="PATH, rsync:DEST, s3://BUCKET[/PREFIX] or git:REMOTE[#BRANCH] instead of "
    "each site's configured deploy target.",
)
@click.option(
    "--endpoint-url",
    metavar="URL",
    help="Endpoint of an S3-compatible provider that is not AWS (with --to s3://).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
def deploy(sites: tuple[str, ...], to: str | None, endpoint_url: str | None, dry_run: bool) -> None:
    """Upload the built sites: assets first, then pages, then deletions."""
    run_deploy(project_settings(), sites, to, endpoint_url, dry_run)


def _build(settings: Settings, sites: tuple[str, ...]) -> None:
    from alusta.build import build_sites  # noqa: PLC0415 - only this command pays for pelican

    try:
        report = build_sites(settings, site_names=list(sites) or None)
    except ContentError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            "publish stopped at the build: fix the content problems "
            "above; nothing was deployed or sent"
        ) from error
    except AlustaError as error:
        raise click.ClickException(
            f"publish stopped at the build, nothing was deployed or sent:\n{error}"
        ) from error
    click.echo(f"built {', '.join(r.name for r in report.sites)}")


@click.command()
@SITE_OPTION
@click.option("--to", metavar="TARGET", help="Deploy here instead of the configured targets.")
@click.option("--endpoint-url", metavar="URL", help="S3 endpoint for a non-AWS provider.")
def publish(sites: tuple[str, ...], to: str | None, endpoint_url: str | None) -> None:
    """Build, deploy and send webmentions: the everyday way to publish."""
    settings = project_settings()
    _build(settings, sites)
    try:
        run_deploy(settings, sites, to, endpoint_url, dry_run=False)
    except click.ClickException as error:
        raise click.ClickException(
            f"publish stopped at the deploy (the build is done, nothing was sent): {error.message}"
        ) from error
    _send(sites)


def _send(sites: tuple[str, ...]) -> None:
    """Run the `send` command of this CLI (the sending feature owns its options and output)."""
    context = click.get_current_context()
    group = context.find_root().command
    send = group.get_command(context, "send") if isinstance(group, click.Group) else None
    if send is None:
        click.echo("sending skipped: this installation has no `send` command")
        return
    options = {"sites": sites} if any(p.name == "sites" for p in send.params) else {}
    try:
        context.invoke(send, **options)
    except click.ClickException as error:
        raise click.ClickException(
            f"publish stopped at sending (the build and deploy are done): {error.message}"
        ) from error


@click.command()
@click.argument("destination", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
def backup(destination: Path | None) -> None:
    """Copy the database safely while the endpoint runs into a time-stamped file inside DIR
    (created when missing; default var/backups/). A DIR ending in .sqlite3 is the file."""
    from alusta.backup import backup as backup_job  # noqa: PLC0415

    try:
        result = backup_job(project_settings(), destination)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {result.tables} tables ({human_bytes(result.bytes)}) → {result.path}")


COMMANDS: list[click.Command] = [deploy, publish, backup]
