"""The docs stay honest: every CLI command and option, every environment setting,
pelicanconf.py constant, pilot.toml key and form-definition key is documented in README.md
or docs/*.md."""

from __future__ import annotations

import re

import click

from alusta.feedback.definitions import FIELD_KEYS, FORM_KEYS
from alusta.settings import ENV_SETTINGS, PELICANCONF_KEYS
from alusta.sites import MENU_KEYS, SITE_KEYS
from publish import cli
from tests.project import REPO


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


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """(path, command) of every command under `group`, subcommands included."""
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += commands(command, prefix=f"{path} ")
    return found


def options(command: click.Command) -> list[str]:
    """The long spelling of each of a command's own options (--help aside)."""
    return [
        max(p.opts, key=len)
        for p in command.params
        if isinstance(p, click.Option) and not p.hidden and "--help" not in p.opts
    ]


def sections() -> list[str]:
    """The docs cut at every Markdown heading."""
    return re.split(r"\n(?=#{1,6} )", documentation())


def mentions_key(text: str, key: str) -> bool:
    """`key` as code (`key`, `key.fi`) or as a TOML line (key = …, # key = …, [[key]])."""
    pattern = rf"(`|^\s*#?\s*|\[\[){re.escape(key)}\b"
    return re.search(pattern, text, re.MULTILINE) is not None


def test_every_command_is_documented() -> None:
    docs = documentation()
    missing = [p for p in command_paths(cli) if f"publish.py {p}" not in docs]
    assert missing == []


def test_every_option_is_documented_where_its_command_is() -> None:
    """Each option appears in a section (between headings) that names its command."""
    parts = sections()
    missing = [
        f"{path} {option}"
        for path, command in [("", cli), *commands(cli)]
        for option in options(command)
        if not any(
            f"publish.py {path}".strip() in part and re.search(rf"{option}\b", part)
            for part in parts
        )
    ]
    assert missing == []


def test_the_option_walk_sees_every_command() -> None:
    walked = {path: options(command) for path, command in commands(cli)}
    assert "--siteurl" in walked["build"] and "--site" in walked["feedback export"]
    assert sum(len(found) for found in walked.values()) > 40


def test_every_environment_setting_is_documented() -> None:
    docs = documentation()
    missing = [s.env_name for s in ENV_SETTINGS if s.env_name not in docs]
    assert missing == []


def test_every_pelicanconf_key_is_documented() -> None:
    docs = documentation()
    missing = [k.name for k in PELICANCONF_KEYS if f"`{k.name}`" not in docs]
    assert missing == []


def test_every_pilot_toml_key_is_documented() -> None:
    docs = documentation()
    assert [k for k in [*SITE_KEYS, *MENU_KEYS] if not mentions_key(docs, k)] == []


def test_the_site_loader_reads_exactly_the_declared_pilot_keys() -> None:
    source = (REPO / "alusta/sites.py").read_text(encoding="utf-8")
    read = set(
        re.findall(r'fields\.(?:text_field|choice|addresses|url|data\.get)\("(\w+)"', source)
    )
    assert read == set(SITE_KEYS)


def test_every_form_definition_key_is_documented_in_the_feedback_guide() -> None:
    guide = (REPO / "docs/feedback.md").read_text(encoding="utf-8")
    assert [k for k in sorted(FORM_KEYS | FIELD_KEYS) if not mentions_key(guide, k)] == []


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev serve", "./dev test"]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "./dev test" in ci.splitlines()
