"""The sites Alusta builds: the main blog from pelicanconf.py, each pilot from pilot.toml.

A pilot's config is meant to be edited by a non-programmer, so every mistake is reported
with the file, the line and the field it concerns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alusta.errors import ConfigError
from alusta.i18n import DEFAULT_LANGUAGE, LANGUAGES
from alusta.suggest import did_you_mean

MODERATION_POLICIES = ("auto", "queue")
NOTIFY_POLICIES = ("pending", "all")  # tell of replies that wait for approval, or of every one
MAIN_SITE_NAME = "main"
PILOT_CONFIG = "pilot.toml"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#0b5cad"
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")

# Every key of a pilot.toml (and of the main site's ALUSTA_SITE), with what it is for;
# tests/test_docs.py checks each is documented and that the loader reads exactly these.
SITE_KEYS: dict[str, str] = {
    "name": "the site's title",
    "tagline": "a line under the title",
    "language": "fi, sv or en: the language of menus and dates",
    "accent_color": "header and link colour, like #0b5cad",
    "logo": "a file in content/images/",
    "moderation": "auto (verified replies show at once) or queue (they wait for approval)",
    "notify_email": "an address or a list of them told of new replies",
    "notify_webhook": "an https:// URL a JSON POST about each new reply goes to",
    "notify": "pending (replies that wait for approval) or all",
    "siteurl": "a domain of the pilot's own (needs output)",
    "output": "the folder a pilot on its own domain is built into",
    "deploy": "the default deploy target",
    "menu": "[[menu]] tables with title and url",
}
MENU_KEYS = ("title", "url")


@dataclass(frozen=True)
class MenuLink:
    title: str
    url: str


@dataclass(frozen=True)
class Site:
    """One site to build: the main blog or a pilot."""

    name: str
    title: str
    tagline: str
    lang: str
    siteurl: str
    content_dir: Path
    menu: tuple[MenuLink, ...] = ()
    accent_color: str = DEFAULT_ACCENT
    logo: str = ""
    output: str = ""
    deploy: str = ""
    moderation: str = "auto"
    notify_email: tuple[str, ...] = ()  # who hears of new replies by e-mail
    notify_webhook: str = ""  # where a JSON POST about each new reply goes
    notify: str = "pending"  # NOTIFY_POLICIES
    folder: Path | None = None
    public_siteurl: str = ""  # where the site is published, when built elsewhere (serve)

    @property
    def is_main(self) -> bool:
        return self.name == MAIN_SITE_NAME

    @property
    def own_domain(self) -> bool:
        """True when a pilot is published on a domain of its own."""
        return not self.is_main and bool(self.output)


def _line_of(text: str, key: str) -> int:
    """The 1-based line where `key = ...` is written, or 0 when it is absent."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def config_where(site: Site, key: str) -> tuple[Path, int]:
    """File and line of `key` in the file that configures `site` (pilot.toml or pelicanconf.py)."""
    path = site.folder / PILOT_CONFIG if site.folder else site.content_dir.parent / "pelicanconf.py"
    try:
        line = _line_of(path.read_text(encoding="utf-8"), key)
    except OSError:
        line = 0
    return path, line


class _Fields:
    """Typed access to one config table that reports errors with file:line and field."""

    def __init__(self, data: dict[str, Any], path: Path, text: str) -> None:
        self.data, self.path, self.text = data, path, text

    def fail(self, key: str, reason: str) -> ConfigError:
        line = _line_of(self.text, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(f"{where}: {key}: {reason}")

    def text_field(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str):
            raise self.fail(key, f"must be text in quotes, not {value!r}")
        return value.strip()

    def addresses(self, key: str) -> tuple[str, ...]:
        """One e-mail address in quotes, or a list of them."""
        value = self.data.get(key, [])
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(key, 'must be an address in quotes or a list like ["a@b.fi"]')
        for address in values:
            if not EMAIL_PATTERN.match(address.strip()):
                raise self.fail(key, f"{address!r} is not an e-mail address")
        return tuple(v.strip() for v in values)

    def url(self, key: str) -> str:
        value = self.text_field(key, "")
        if value and not value.startswith(("https://", "http://")):
            raise self.fail(key, f"{value!r} must start with https://")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text_field(key, default)
        if value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}")
        return value


def _menu(fields: _Fields) -> tuple[MenuLink, ...]:
    items = fields.data.get("menu", [])
    if not isinstance(items, list):
        raise fields.fail("menu", "must be a list of [[menu]] tables with title and url")
    links = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not set(MENU_KEYS) <= item.keys():
            raise fields.fail("menu", f"entry {number} needs both title and url")
        links.append(MenuLink(title=str(item["title"]), url=str(item["url"])))
    return tuple(links)


def _site_from_fields(fields: _Fields, *, name: str, siteurl: str, content_dir: Path) -> Site:
    accent = fields.text_field("accent_color", DEFAULT_ACCENT)
    if not COLOUR_PATTERN.match(accent):
        raise fields.fail("accent_color", f"{accent!r} is not a colour like #0b5cad")
    return Site(
        name=name,
        title=fields.text_field("name"),
        tagline=fields.text_field("tagline", ""),
        lang=fields.choice("language", LANGUAGES, DEFAULT_LANGUAGE),
        siteurl=siteurl.rstrip("/"),
        content_dir=content_dir,
        menu=_menu(fields),
        accent_color=accent,
        logo=fields.text_field("logo", ""),
        output=fields.text_field("output", ""),
        deploy=fields.text_field("deploy", ""),
        moderation=fields.choice("moderation", MODERATION_POLICIES, "auto"),
        notify_email=fields.addresses("notify_email"),
        notify_webhook=fields.url("notify_webhook"),
        notify=fields.choice("notify", NOTIFY_POLICIES, "pending"),
        folder=fields.path.parent,
    )


def load_main_site(pelican: dict[str, Any], root: Path) -> Site:
    """The main blog, described by the ALUSTA_SITE dict and SITENAME/SITEURL of pelicanconf."""
    conf = root / "pelicanconf.py"
    data = dict(pelican.get("ALUSTA_SITE", {}))
    data.setdefault("name", pelican.get("SITENAME", "Alusta"))
    data.setdefault("language", pelican.get("DEFAULT_LANG", "fi"))
    data["output"] = ""
    fields = _Fields(data, conf, conf.read_text(encoding="utf-8"))
    siteurl = pelican.get("SITEURL") or ""
    if not siteurl.startswith(("http://", "https://")):
        raise fields.fail("SITEURL", "must be the production address, e.g. https://alusta.example")
    content = root / pelican.get("PATH", "content")
    return _site_from_fields(fields, name=MAIN_SITE_NAME, siteurl=siteurl, content_dir=content)


def load_pilot(folder: Path, main: Site) -> Site:
    """One pilot from `pilots/<slug>/pilot.toml`."""
    path = folder / PILOT_CONFIG
    slug = folder.name
    if not SLUG_PATTERN.match(slug) or slug == MAIN_SITE_NAME:
        raise ConfigError(f"{folder}: pilot folder names are lowercase a-z, 0-9 and '-'")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    fields = _Fields(data, path, text)
    for key in data:
        if key not in SITE_KEYS:
            raise fields.fail(key, f"unknown setting{did_you_mean(key, SITE_KEYS)}")
    siteurl = fields.text_field("siteurl", "") or f"{main.siteurl}/pilots/{slug}"
    if not siteurl.startswith(("http://", "https://")):
        raise fields.fail("siteurl", "must start with https:// (or be left out)")
    if fields.data.get("siteurl") and not fields.data.get("output"):
        raise fields.fail("siteurl", 'a pilot on its own domain also needs output = "folder"')
    return _site_from_fields(fields, name=slug, siteurl=siteurl, content_dir=folder / "content")


def load_pilots(pilots_dir: Path, main: Site) -> list[Site]:
    """Every pilot folder that has a pilot.toml, in name order."""
    if not pilots_dir.is_dir():
        return []
    folders = sorted(p.parent for p in pilots_dir.glob(f"*/{PILOT_CONFIG}"))
    return [load_pilot(folder, main) for folder in folders]
