"""Commands that build, check and serve the sites, and start new posts and pilots."""

from __future__ import annotations

from pathlib import Path

import click

from alusta.cli import project_settings, sites_option
from alusta.errors import AlustaError, ContentError
from alusta.i18n import DEFAULT_LANGUAGE, LANGUAGES
from alusta.settings import Settings


def run_build(
    settings: Settings, sites: tuple[str, ...], keep_going: bool, *, full: bool = False
) -> None:
    """Build and report; content problems are listed one per line and exit with code 1."""
    from alusta.build import build_sites  # noqa: PLC0415 - keeps `--help` fast
    from alusta.feedback.purge import purge_database  # noqa: PLC0415 - feedback retention

    purge_database(settings)  # results pages never count answers past their retention
    names = list(sites) or [s.name for s in settings.sites]
    click.echo(f"building {len(names)} site(s): {', '.join(names)}")
    try:
        report = build_sites(
            settings, site_names=list(sites) or None, keep_going=keep_going, full=full
        )
    except ContentError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"build stopped: {len(error.problems)} problem(s) in content "
            "(fix them, or use --keep-going to build the rest)"
        ) from error
    except AlustaError as error:
        raise click.ClickException(f"build failed, output left as it was:\n{error}") from error
    for number, result in enumerate(report.sites, start=1):
        where = settings.site_output(settings.site(result.name))
        click.echo(
            f"built site {number} of {len(report.sites)}: {result.name} "
            f"in {result.seconds:.1f} s → {where}"
        )
        click.echo(f"  {result.cache_note}")
        for warning in result.warnings:
            click.echo(f"  warning: {warning}", err=True)
    if report.skipped:
        click.echo(f"left out {len(report.skipped)} invalid file(s):", err=True)
        for problem in report.skipped:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


@click.command()
@sites_option("Build only this site (main or a pilot slug); repeatable.")
@click.option(
    "--siteurl",
    metavar="URL",
    help="Base URL for all sites instead of the production ones "
    "(pilots go under /pilots/<slug>/ of it).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Build what can be built and list every problem at the end (exit code 1).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Render every page again instead of only what changed since the last build.",
)
def build(sites: tuple[str, ...], siteurl: str | None, keep_going: bool, full: bool) -> None:
    """Build the main blog and every pilot into output/."""
    settings = project_settings()
    if siteurl:
        settings = settings.with_siteurl(siteurl)
    run_build(settings, sites, keep_going, full=full)


@click.command()
@sites_option("Check only this site; repeatable.")
def check(sites: tuple[str, ...]) -> None:
    """Validate all content without building: metadata, links, images, slugs."""
    from alusta.check import check_with_warnings  # noqa: PLC0415

    settings = project_settings()
    try:
        problems, warnings = check_with_warnings(settings, sites or None)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    click.echo(f"content of {len(sites) or len(settings.sites)} site(s) is fine")


@click.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--no-build", is_flag=True, help="Serve the last preview without building first.")
@click.option("--no-watch", is_flag=True, help="Do not rebuild and reload on saved changes.")
def serve(port: int, host: str, no_build: bool, no_watch: bool) -> None:
    """Build every site into var/serve/ and serve them with the live endpoint and preview."""
    from alusta.preview.events import PreviewEvents  # noqa: PLC0415
    from alusta.preview.watch import Preview  # noqa: PLC0415
    from alusta.serve import run_server  # noqa: PLC0415

    base = f"http://{host}:{port}"

    def load() -> Settings:
        return project_settings(development=True).for_preview(base)

    settings = load()
    if no_watch:
        if not no_build:
            run_build(settings, (), keep_going=False)
        click.echo(f"serving all sites on {base}/ (Ctrl+C stops)")
        run_server(settings, host=host, port=port, preview=None)
        return
    preview = Preview(load, PreviewEvents(), echo=lambda line: click.echo(line, err=True))
    if not no_build:
        names = [site.name for site in settings.sites]
        click.echo(f"building {len(names)} site(s): {', '.join(names)}")
        preview.start()  # a content error is shown, and the last preview stays served
    click.echo(f"serving all sites on {base}/; rebuilds and reloads on every save (Ctrl+C stops)")
    run_server(settings, host=host, port=port, preview=preview)


@click.command("new-post")
@click.argument("title")
@click.option("--pilot", metavar="SLUG", help="Write into this pilot instead of the main blog.")
@click.option("--category", default="Living Lab", show_default=True)
def new_post(title: str, pilot: str | None, category: str) -> None:
    """Start a draft post titled TITLE (dated today)."""
    from alusta.scaffold import new_post as write_post  # noqa: PLC0415

    try:
        path = write_post(project_settings(), title, pilot=pilot, category=category)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path))


@click.command("new-pilot")
@click.argument("slug")
@click.option("--name", help="The pilot's display name (default: from SLUG).")
@click.option(
    "--language", default=DEFAULT_LANGUAGE, show_default=True, type=click.Choice(LANGUAGES)
)
def new_pilot(slug: str, name: str | None, language: str) -> None:
    """Scaffold pilots/SLUG/ that builds at once."""
    from alusta.scaffold import new_pilot as scaffold_pilot  # noqa: PLC0415

    try:
        folder = scaffold_pilot(project_settings(), slug, name=name, language=language)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created {folder}; edit {folder / 'pilot.toml'}")


COMMANDS: list[click.Command] = [build, check, serve, new_post, new_pilot]
