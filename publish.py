#!/usr/bin/env python3
"""Alusta's command line: everything a writer, pilot maintainer or facilitator does.

Run `python publish.py --help`. Each feature keeps its commands in alusta/cli/<feature>.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alusta.cli import deploy as deploy_cli
from alusta.cli import feedback as feedback_cli
from alusta.cli import importing as importing_cli
from alusta.cli import mentions as mentions_cli
from alusta.cli import refresh as refresh_cli
from alusta.cli import send as send_cli
from alusta.cli import sites


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: the folder of publish.py).",
)
@click.pass_context
def cli(context: click.Context, root: Path | None) -> None:
    """Build, serve, check and publish the Alusta sites."""
    context.obj = {"root": root or Path(__file__).resolve().parent}


FEATURES = (sites, deploy_cli, feedback_cli, importing_cli, mentions_cli, refresh_cli, send_cli)
for feature in FEATURES:
    for command in feature.COMMANDS:
        cli.add_command(command)


if __name__ == "__main__":
    cli()
