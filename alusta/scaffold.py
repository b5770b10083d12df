"""`new-post` and `new-pilot`: files a writer or pilot maintainer starts from.

Both refuse to overwrite anything and produce content that passes `check` and builds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alusta.errors import ConfigError
from alusta.settings import Settings
from alusta.sites import LANGUAGES, MAIN_SITE_NAME, PILOT_CONFIG, SLUG_PATTERN
from alusta.slugs import slugify

POST_TEMPLATE = """\
Title: {title}
Date: {date:%Y-%m-%d %H:%M}
Category: {category}
Tags:
Author: {author}
Status: draft
Summary: Yhden virkkeen tiivistelmä etusivulle.

Kirjoita teksti tähän. Poista rivi `Status: draft`, kun kirjoitus on valmis julkaistavaksi.
"""

PILOT_TEMPLATE = """\
# {name}: the pilot's settings. `python publish.py check` names the line of any mistake.
name = "{name}"
tagline = ""
language = "{language}"        # fi, sv or en
accent_color = "#0b5cad"    # links and header; keep it dark enough for white text
logo = ""                   # optional, a file in content/images/
moderation = "auto"         # auto: verified replies show at once; queue: wait for approval
# siteurl = "https://{slug}.example"   # own domain (then also set output = "output-{slug}")
# deploy = "rsync:deploy@host:/srv/{slug}"

[[menu]]
title = "Tietoa pilotista"
url = "tietoa-pilotista/"
"""

ABOUT_PAGE = """\
Title: Tietoa pilotista
Lang: {language}

Kerro tässä, mitä pilotissa kehitetään, kenen kanssa ja miten voi osallistua.
"""

FIRST_POST = """\
Title: {name} aloittaa
Date: {date:%Y-%m-%d}
Category: Living Lab
Tags: {slug}
Lang: {language}

{name} on Alusta-hankkeen uusi pilotti. Tänne kirjoitamme, mitä kokeilemme ja opimme.
"""


def _now(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.pelican.get("TIMEZONE", "Europe/Helsinki")))


def new_post(
    settings: Settings, title: str, *, pilot: str | None = None, category: str = "Living Lab"
) -> Path:
    """Write a draft post with today's date; its file name is the transliterated title."""
    site = settings.site(pilot or MAIN_SITE_NAME)
    slug = slugify(title)
    if not slug:
        raise ConfigError(f"title {title!r} gives an empty slug: use letters or digits")
    now = _now(settings)
    path = site.content_dir / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise ConfigError(f"{path}: already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    author = settings.pelican.get("AUTHOR", "")
    path.write_text(
        POST_TEMPLATE.format(
            title=title.replace("\n", " "), date=now, category=category, author=author
        ),
        encoding="utf-8",
    )
    return path


def new_pilot(
    settings: Settings, slug: str, *, name: str | None = None, language: str = "fi"
) -> Path:
    """Scaffold pilots/<slug>/ with a config, an about page and a first post."""
    if not SLUG_PATTERN.match(slug) or slug == MAIN_SITE_NAME:
        raise ConfigError(f"pilot name {slug!r}: use lowercase a-z, 0-9 and '-' (e.g. 'rajalla')")
    if language not in LANGUAGES:
        raise ConfigError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    folder = settings.root / "pilots" / slug
    if folder.exists():
        raise ConfigError(f"{folder}: already exists")
    name = name or slug.replace("-", " ").capitalize()
    values = {
        "name": name.replace('"', "'"),
        "slug": slug,
        "language": language,
        "date": _now(settings),
    }
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "content" / "pages").mkdir()
    (folder / "content" / "images").mkdir()
    (folder / PILOT_CONFIG).write_text(PILOT_TEMPLATE.format(**values), encoding="utf-8")
    (folder / "content" / "pages" / "tietoa-pilotista.md").write_text(
        ABOUT_PAGE.format(**values), encoding="utf-8"
    )
    (folder / "content" / "posts" / f"{values['date']:%Y-%m-%d}-{slug}-aloittaa.md").write_text(
        FIRST_POST.format(**values), encoding="utf-8"
    )
    return folder
