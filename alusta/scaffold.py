"""`new-post` and `new-pilot`: files a writer or pilot maintainer starts from.

Both refuse to overwrite anything and produce content that passes `check` and builds. The
starter sentences are gettext messages (theme/translations), written in the site's language.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alusta.errors import ConfigError
from alusta.i18n import LANGUAGES
from alusta.i18n.texts import N_, translate
from alusta.settings import Settings
from alusta.sites import MAIN_SITE_NAME, PILOT_CONFIG, SLUG_PATTERN
from alusta.slugs import slugify

POST_TEMPLATE = """\
Title: {title}
Date: {date:%Y-%m-%d %H:%M}
Category: {category}
Tags:
Author: {author}
Status: draft
Summary: {summary}

{body}
"""
POST_SUMMARY = N_("A one-sentence summary for the front page.")
POST_BODY = N_("Write the text here. Remove the line `Status: draft` when the post is ready.")

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
title = "{about_title}"
url = "{about_slug}/"
"""

ABOUT_PAGE = """\
Title: {about_title}
Lang: {language}

{about_body}
"""

FIRST_POST = """\
Title: {first_title}
Date: {date:%Y-%m-%d}
Category: Living Lab
Tags: {slug}
Lang: {language}

{first_body}
"""
ABOUT_TITLE = N_("About the pilot")
ABOUT_BODY = N_("Tell here what the pilot develops, with whom, and how to take part.")
FIRST_TITLE = N_("{name} begins")
FIRST_BODY = N_(
    "{name} is a new pilot of the Alusta project. Here we write about what we try out and learn."
)


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
            title=title.replace("\n", " "),
            date=now,
            category=category,
            author=author,
            summary=translate(POST_SUMMARY, site.lang),
            body=translate(POST_BODY, site.lang),
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
    name = (name or slug.replace("-", " ").capitalize()).replace('"', "'")
    about_title = translate(ABOUT_TITLE, language)
    values = {
        "name": name,
        "slug": slug,
        "language": language,
        "date": _now(settings),
        "about_title": about_title,
        "about_slug": slugify(about_title),
        "about_body": translate(ABOUT_BODY, language),
        "first_title": translate(FIRST_TITLE, language).format(name=name),
        "first_body": translate(FIRST_BODY, language).format(name=name),
    }
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "content" / "pages").mkdir()
    (folder / "content" / "images").mkdir()
    (folder / PILOT_CONFIG).write_text(PILOT_TEMPLATE.format(**values), encoding="utf-8")
    (folder / "content" / "pages" / f"{values['about_slug']}.md").write_text(
        ABOUT_PAGE.format(**values), encoding="utf-8"
    )
    first = slugify(translate(FIRST_TITLE, language).format(name=slug))
    (folder / "content" / "posts" / f"{values['date']:%Y-%m-%d}-{first}.md").write_text(
        FIRST_POST.format(**values), encoding="utf-8"
    )
    return folder
