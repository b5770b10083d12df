"""The docs stay honest: every CLI command and every environment setting is documented."""

from __future__ import annotations

import click

from alusta.settings import ENV_SETTINGS, PELICANCONF_KEYS
from conftest import REPO
from publish import cli


def documentation() -> str:
    parts = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in parts if p.is_file())


def command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths += command_paths(command, prefix=f"{path} ")
    return paths


def test_every_command_is_documented() -> None:
    docs = documentation()
    missing = [p for p in command_paths(cli) if f"publish.py {p}" not in docs]
    assert missing == []


def test_every_environment_setting_is_documented() -> None:
    docs = documentation()
    missing = [s.env_name for s in ENV_SETTINGS if s.env_name not in docs]
    assert missing == []


def test_every_pelicanconf_key_is_documented() -> None:
    docs = documentation()
    missing = [k.name for k in PELICANCONF_KEYS if f"`{k.name}`" not in docs]
    assert missing == []


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev serve", "./dev test"]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "./dev test" in ci.splitlines()
