"""Click command groups, one module per feature; publish.py adds them to its group.

Each command parses options, calls one library function and echoes the result.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from click.decorators import FC

from alusta.errors import AlustaError
from alusta.settings import Settings, load_settings
from alusta.suggest import did_you_mean


def project_settings(*, development: bool = False) -> Settings:
    """Settings of the project folder given to publish.py (--root), errors as click errors."""
    root = click.get_current_context().find_root().obj["root"]
    try:
        return load_settings(root, development=development)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error


def known_sites(
    context: click.Context, _parameter: click.Parameter, value: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    """Option callback: every `--site` names a site of the project, or the command stops."""
    names = (value,) if isinstance(value, str) else value or ()
    if not names:
        return value
    try:
        settings = load_settings(context.find_root().obj["root"])
    except AlustaError as error:
        raise click.ClickException(str(error)) from error
    known = [s.name for s in settings.sites]
    for name in names:
        if name not in known:
            raise click.BadParameter(
                f"unknown site {name!r}{did_you_mean(name, known, quote=chr(39))} "
                f"(sites: {', '.join(known)})",
                param_hint="--site",
            )
    return value


def sites_option(
    help_text: str = "Only this site (main or a pilot slug); repeatable.",
) -> Callable[[FC], FC]:
    """The repeatable `--site NAME` option, passed to the command as `sites`."""
    return click.option(
        "--site", "sites", multiple=True, metavar="NAME", help=help_text, callback=known_sites
    )


def site_option(help_text: str = "Only this site (main or a pilot slug).") -> Callable[[FC], FC]:
    """A single `--site NAME` option, checked against the project's sites."""
    return click.option("--site", metavar="NAME", help=help_text, callback=known_sites)
