"""Click command groups, one module per feature; publish.py adds them to its group.

Each command parses options, calls one library function and echoes the result.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from click.decorators import FC

from alusta.errors import AlustaError
from alusta.settings import Settings, load_settings


def project_settings(*, development: bool = False) -> Settings:
    """Settings of the project folder given to publish.py (--root), errors as click errors."""
    root = click.get_current_context().find_root().obj["root"]
    try:
        return load_settings(root, development=development)
    except AlustaError as error:
        raise click.ClickException(str(error)) from error


def sites_option(
    help_text: str = "Only this site (main or a pilot slug); repeatable.",
) -> Callable[[FC], FC]:
    """The repeatable `--site NAME` option, passed to the command as `sites`."""
    return click.option("--site", "sites", multiple=True, metavar="NAME", help=help_text)
