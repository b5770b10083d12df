"""`publish.py import …`: moving a blog's history in (docs/migrating.md)."""

from __future__ import annotations

from pathlib import Path

import click

from alusta.cli import project_settings
from alusta.errors import AlustaError

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("import")
def import_group() -> None:
    """Bring posts, comments and mentions over from another system."""


@import_group.command()
@click.argument("export", type=EXISTING_FILE)
@click.option("--site", metavar="NAME", help="Import into this pilot (default: the main blog).")
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A copy of the old site's wp-content/uploads (else media are fetched from the old site).",
)
@click.option("--dry-run", is_flag=True, help="List what would be written; change nothing.")
def wordpress(export: Path, site: str | None, uploads: Path | None, dry_run: bool) -> None:
    """Import a WordPress export (Tools → Export): posts, pages, media, comments, old addresses."""
    from alusta.importing.wordpress import import_wordpress  # noqa: PLC0415 - keeps --help fast

    try:
        report = import_wordpress(
            project_settings(), export, site=site, uploads=uploads, dry_run=dry_run
        )
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    verb = "would write" if dry_run else "wrote"
    for file in report.files:
        click.echo(f"{verb} {file}")
    for file in report.media:
        click.echo(f"{verb} {file}")
    left_out = ", ".join(f"{n} {why}" for why, n in sorted(report.left_out.items()))
    click.echo(
        f"{report.site}: {len(report.files)} post(s) and page(s)"
        + (f" ({report.drafts} as drafts)" if report.drafts else "")
        + f", {len(report.media)} media "
        f"file(s), {report.responses} response(s) ({report.pending} waiting for moderation), "
        f"{report.redirects} old address(es) {'to redirect' if dry_run else 'redirected'}; "
        f"{report.unchanged} already imported" + (f"; left out: {left_out}" if left_out else "")
    )


@import_group.command("webmention-io")
@click.argument("export", type=EXISTING_FILE)
@click.option("--site", metavar="NAME", help="Import into this pilot (default: the main blog).")
@click.option("--dry-run", is_flag=True, help="Count what would be stored; change nothing.")
def webmention_io(export: Path, site: str | None, dry_run: bool) -> None:
    """Import webmention.io's history (its JF2 export) as responses on the posts."""
    from alusta.importing.webmention_io import import_webmention_io  # noqa: PLC0415

    try:
        report = import_webmention_io(project_settings(), export, site=site, dry_run=dry_run)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    left_out = ", ".join(f"{n} {why}" for why, n in sorted(report.left_out.items()))
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{report.site}: {verb} {report.responses} response(s)"
        + (f"; left out: {left_out}" if left_out else "")
    )


COMMANDS: list[click.Command] = [import_group]
