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

from alusta.cli import project_settings, site_option
from alusta.db import connect
from alusta.errors import AlustaError
from alusta.i18n import DEFAULT_LANGUAGE, LANGUAGES
from alusta.settings import Settings
from alusta.terminal import escape_line

SITE_OPTION = site_option("Only this site (main or a pilot).")
FORM_OPTION = click.option("--form", "form_name", metavar="NAME", help="Only this form.")
PREVIEW_CHARS = 60
DEFAULT_TIMEZONE = "Europe/Helsinki"
DRY_RUN_OPTION = click.option(
    "--dry-run", is_flag=True, help="Only say how many would be deleted; delete nothing."
)


@contextmanager
def database(settings: Settings, *, purge: bool = True) -> Iterator[sqlite3.Connection]:
    """The database with expired submissions already purged (unless `purge` is False)."""
    from alusta.feedback.purge import purge_expired  # noqa: PLC0415 - keeps --help fast

    connection = connect(settings.database_path)
    try:
        report = purge_expired(connection, settings, dry_run=not purge)
        if purge and report.removed:
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

    settings = _settings(site)
    with database(settings) as connection:
        rows = store.submissions(connection, site=site, form=form_name)
    for row in rows:
        answers = ", ".join(f"{k}={v}" for k, v in row.answers.items() if v not in (None, []))
        preview = answers if len(answers) <= PREVIEW_CHARS else answers[:PREVIEW_CHARS] + "…"
        line = f"{row.id}\t{row.received_at}\t{row.site}/{row.form}\t{row.lang}\t"
        click.echo(line + escape_line(preview))
    click.echo(f"{len(rows)} submission(s)", err=True)


@feedback.command()
@SITE_OPTION
@FORM_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "xlsx", "json"]),
    help="Default: from the --output file's suffix, else csv.",
)
@click.option(
    "--separator",
    type=click.Choice([",", ";"]),
    help="CSV separator (default ';' for fi and sv, ',' for en).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Language of the questions and options (default: the site's).",
)
@click.option("--codes", is_flag=True, help="Field and option codes instead of their texts.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output (required for xlsx).",
)
def export(
    *,
    site: str | None,
    form_name: str | None,
    output_format: str | None,
    separator: str | None,
    lang: str | None,
    codes: bool,
    output: Path | None,
) -> None:
    """All answers as CSV (UTF-8 with BOM), an Excel workbook (.xlsx) or JSON."""
    from alusta.feedback import store  # noqa: PLC0415
    from alusta.feedback.export import default_separator, to_csv, to_json  # noqa: PLC0415

    output_format = output_format or _format_of(output)
    if output_format == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    settings = _settings(site)
    lang = lang or settings.site(site or settings.main.name).lang
    forms = _forms(settings, site, form_name)
    with database(settings) as connection:
        rows = store.submissions(connection, site=site, form=form_name)
    if output_format == "json":
        data = to_json(rows).encode("utf-8")
    else:
        table = _table(settings, forms, rows, lang=lang, codes=codes)
        if output_format == "xlsx":
            data = _xlsx(settings, table, lang)
        else:
            data = to_csv(table, separator=separator or default_separator(lang)).encode("utf-8")
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(data)
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror}") from error
        click.echo(f"wrote {len(rows)} submission(s) to {output}", err=True)


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in ("xlsx", "json") else "csv"


def _table(settings: Settings, forms: list, rows: list, *, lang: str, codes: bool):
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from alusta.feedback.table import build_table  # noqa: PLC0415
    from alusta.i18n.catalogs import load_translations  # noqa: PLC0415

    translations = load_translations(settings.translations_dir, lang)
    zone = ZoneInfo(settings.pelican.get("TIMEZONE", DEFAULT_TIMEZONE))
    return build_table(forms, rows, lang=lang, zone=zone, translations=translations, codes=codes)


def _xlsx(settings: Settings, table, lang: str) -> bytes:
    from alusta.feedback.workbook import to_xlsx  # noqa: PLC0415
    from alusta.i18n.catalogs import load_translations  # noqa: PLC0415

    translations = load_translations(settings.translations_dir, lang)
    return to_xlsx(table, title=translations.gettext("Answers"))


@feedback.command()
@SITE_OPTION
@FORM_OPTION
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE, show_default=True)
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
@click.option("--yes", is_flag=True, help="Delete without asking.")
@DRY_RUN_OPTION
def delete(email: str, site: str | None, yes: bool, dry_run: bool) -> None:
    """Remove one person's submissions (all sites unless --site): says how many, then asks."""
    from alusta.feedback.purge import count_email, delete_email  # noqa: PLC0415

    settings = _settings(site)
    address = email.strip()
    with database(settings, purge=not dry_run) as connection:
        found = count_email(connection, address, site=site)
        where = f" on {site}" if site else ""
        click.echo(f"{found} submission(s) with the address {address}{where}")
        if dry_run or not found:
            return
        if not yes:
            click.confirm(f"Delete these {found} submission(s)?", abort=True)
        removed = delete_email(connection, address, site=site)
    click.echo(f"deleted {removed} submission(s) with the address {address}")


@feedback.command()
@DRY_RUN_OPTION
def purge(dry_run: bool) -> None:
    """Delete submissions older than their form's retention period (done by every command)."""
    from alusta.feedback.purge import purge_expired  # noqa: PLC0415

    settings = project_settings()
    connection = connect(settings.database_path)
    try:
        report = purge_expired(connection, settings, dry_run=dry_run)
    finally:
        connection.close()
    verb = "would purge" if dry_run else "purged"
    click.echo(f"{verb} {report.removed} submission(s) past their retention")
    for name in report.skipped:
        click.echo(f"  {name}: its form files have errors, nothing purged there", err=True)


COMMANDS: list[click.Command] = [feedback]
