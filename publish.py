#!/usr/bin/env python3
"""Alusta's command line: everything a writer, pilot maintainer or facilitator does.

Run `python publish.py --help`. Each feature keeps its commands in alusta/cli/<feature>.py.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# A few of the libraries pyproject.toml installs into .venv; one missing means the wrong Python.
REQUIRED_MODULES = ("click", "pelican", "starlette", "PIL")


def require_project_python() -> None:
    """Run by another Python than .venv's: name the command that works, before any import fails."""
    missing = [m for m in REQUIRED_MODULES if importlib.util.find_spec(m) is None]
    if not missing:
        return
    here = Path.cwd()
    folder = HERE.relative_to(here) if HERE.is_relative_to(here) else HERE
    venv_python = folder / ".venv/bin/python"
    arguments = shlex.join(sys.argv[1:])
    if (HERE / ".venv/bin/python").is_file():
        hint = f"run: {venv_python} {folder / 'publish.py'} {arguments}".rstrip()
    else:
        hint = f"run {folder / 'dev'} serve once to set it up, then {venv_python} publish.py"
    sys.exit(
        f"publish.py: {sys.executable} has no {missing[0]} (the project's packages live in "
        f"{folder / '.venv'}); {hint}"
    )


require_project_python()
sys.path.insert(0, str(HERE))

import click  # noqa: E402 - only after the interpreter check above

from alusta.cli import deploy as deploy_cli  # noqa: E402
from alusta.cli import feedback as feedback_cli  # noqa: E402
from alusta.cli import importing as importing_cli  # noqa: E402
from alusta.cli import mentions as mentions_cli  # noqa: E402
from alusta.cli import refresh as refresh_cli  # noqa: E402
from alusta.cli import send as send_cli  # noqa: E402
from alusta.cli import sites  # noqa: E402


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
    context.obj = {"root": root or HERE}


FEATURES = (sites, deploy_cli, feedback_cli, importing_cli, mentions_cli, refresh_cli, send_cli)
for feature in FEATURES:
    for command in feature.COMMANDS:
        cli.add_command(command)


if __name__ == "__main__":
    cli()
