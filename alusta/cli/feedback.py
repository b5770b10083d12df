"""`publish.py feedback list|export|summary|delete|purge`: answers for facilitators.

Every command first deletes submissions past their form's retention period. `--site NAME`
limits a command to one site, so a pilot's maintainer reads only the pilot's answers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from alusta.cli import project_settings
from alusta.db import connect
from alusta.errors import AlustaError
from alusta.settings import Settings

SITE_OPTION = click.option("--site", metavar="NAME", help="Only this site (main or a pilot).")
FORM_OPTION = click.option("--form", "form_name", metavar="NAME", help="Only this form.")
PREVIEW_CHARS = 60


@contextmanager
def database(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The database with expired submissions already purged."""
    from alusta.feedback.purge import purge_expired  # noqa: PLC0415 - keeps --help fast

    connection = connect(settings.database_path)
    try:
        report = purge_expired(connection, settings)
        if report.removed:
            click.echo(f"purged {report.removed} submission(s) past their retention", err=True)
        yield connection
    finally:
        connection.close()


def _settings(site: str | None) -> Settings:
    settings = project_settings()
    if site is not None:
        try:
            settings.site(site)
        except AlustaError as error:
            raise click.ClickException(str(error)) from error
    return settings


def _forms(settings: Settings, site: str | None, form_name: str | None) -> list:
    from alusta.feedback.definitions import site_forms  # noqa: PLC0415

    forms = []
    try:
        for each in settings.sites:
            if site is None or each.name == site:
                forms += [f for n, f in site_forms(each).items() if form_name in (None, n)]
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    return forms


@click.group()
def feedback() -> None:
    """Read, export, summarise and delete answers to the feedback forms."""


@feedback.command("list")
@SITE_OPTION
@FORM_OPTION
def list_command(site: str | None, form_name: str | None) -> None:
    """One line per submission: id, time, site/form, language and the start of the answers."""
    from alusta.feedback import store  # noqa: PLC0415
    from alusta.feedback.export import received_iso  # noqa: PLC0415

    settings = _settings(site)
    with database(settings) as connection:
        rows = store.submissions(connection, site=site, form=form_name)
    for row in rows:
        answers = ", ".join(f"{k}={v}" for k, v in row.answers.items() if v not in (None, []))
        preview = answers if len(answers) <= PREVIEW_CHARS else answers[:PREVIEW_CHARS] + "…"
        click.echo(f"{row.id}\t{received_iso(row)}\t{row.site}/{row.form}\t{row.lang}\t{preview}")
    click.echo(f"{len(rows)} submission(s)", err=True)


@feedback.command()
@SITE_OPTION
@FORM_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--separator",
    type=click.Choice([",", ";"]),
    default=",",
    show_default=True,
    help="CSV separator; ';' for spreadsheets in a Finnish locale.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def export(
    site: str | None, form_name: str | None, output_format: str, separator: str, output: Path | None
) -> None:
    """All answers as CSV (UTF-8 with BOM) or JSON."""
    from alusta.feedback import store  # noqa: PLC0415
    from alusta.feedback.export import to_csv, to_json  # noqa: PLC0415

    settings = _settings(site)
    forms = _forms(settings, site, form_name)
    with database(settings) as connection:
        rows = store.submissions(connection, site=site, form=form_name)
    text = to_csv(forms, rows, separator=separator) if output_format == "csv" else to_json(rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_bytes(text.encode("utf-8"))
        click.echo(f"wrote {len(rows)} submission(s) to {output}", err=True)


@feedback.command()
@SITE_OPTION
@FORM_OPTION
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True)
def summary(site: str | None, form_name: str | None, lang: str) -> None:
    """Counts per choice, and the distribution and mean of each 1–5 scale."""
    from alusta.feedback import store  # noqa: PLC0415
    from alusta.feedback.summary import summarize  # noqa: PLC0415

    settings = _settings(site)
    forms = _forms(settings, site, form_name)
    with database(settings) as connection:
        rows = store.submissions(connection, site=site, form=form_name)
    for form in forms:
        result = summarize(form, rows)
        click.echo(f"{form.site}/{form.name}: {form.title[lang]} – {result.total} submission(s)")
        for question in result.questions:
            mean = "" if question.mean is None else f", mean {question.mean:.2f}"
            click.echo(f"  {question.label[lang]} ({question.answered} answered{mean})")
            for bar in question.bars:
                click.echo(
                    f"    {bar.label.get(lang, bar.value) if bar.label else bar.value}: {bar.count}"
                )


@feedback.command()
@click.option(
    "--email",
    required=True,
    metavar="ADDRESS",
    help="Remove every submission that gave this email address.",
)
@SITE_OPTION
def delete(email: str, site: str | None) -> None:
    """Remove one person's submissions (all sites unless --site) and say how many."""
    from alusta.feedback.purge import delete_email  # noqa: PLC0415

    settings = _settings(site)
    with database(settings) as connection:
        removed = delete_email(connection, email, site=site)
    click.echo(f"deleted {removed} submission(s) with the address {email.strip()}")


@feedback.command()
def purge() -> None:
    """Delete submissions older than their form's retention period (done by every command)."""
    from alusta.feedback.purge import purge_expired  # noqa: PLC0415

    settings = project_settings()
    connection = connect(settings.database_path)
    try:
        report = purge_expired(connection, settings)
    finally:
        connection.close()
    click.echo(f"purged {report.removed} submission(s) past their retention")
    for name in report.skipped:
        click.echo(f"  {name}: its form files have errors, nothing purged there", err=True)


COMMANDS: list[click.Command] = [feedback]
