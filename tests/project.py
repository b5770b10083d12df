"""The project as tests use it: a copy to change freely, its settings, a served build.

Helpers only; the fixtures built on them are in conftest.py. Tests import helpers one
way, `from tests.<module> import …`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

from alusta import store, verification_queue
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.settings import Settings, load_settings

if TYPE_CHECKING:
    from alusta.build import BuildReport

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pelicanconf.py", "content", "pilots", "theme", "plugins")


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources (content, pilots, theme, plugins, settings)."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / part)
    return destination


def project_settings(root: Path, **environ: str) -> Settings:
    """Settings of a copied project, isolated from the developer's environment."""
    return load_settings(root, environ=dict(environ))


# The theme's project (test_theme, test_i18n, test_accessibility).
THEME_SITE_LANGUAGES = {"main": "fi", "rajalla": "sv", "ounasvaara": "en"}
THEME_POST_FILE = "posts/2026-11-26-teeman-testikirjoitus.md"
THEME_POST = """\
Title: Teeman testikirjoitus
Date: 2026-11-26 10:30
Category: Living Lab, Sosiaalinen media
Tags: kylät, yhteiskehittäminen
Author: Maija Meikäläinen
Summary: Kirjoitus, jonka teeman testit lukevat.

Kyläläiset **suunnittelivat** palvelunsa yhdessä.
"""
# A post whose language differs from its (Finnish) site, written to the main site only.
THEME_ENGLISH_POST_FILE = "posts/2026-11-25-theme-test-in-english.md"
THEME_ENGLISH_POST = """\
Title: Theme test in English
Date: 2026-11-25 09:00
Category: Living Lab
Lang: en
Author: Maija Meikäläinen

Written in English on a Finnish site.
"""


# A post of the main site with a thread of replies, a like and a pingback (served_build).
THEME_REPLIES_PATH = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
THEME_REPLIES = (  # (source, author, text, the source it answers); the last one is a like
    ("https://aino.example/1", "Aino Esimerkki", "Hyvä työpaja! Kuljetus auttaisi meitäkin.", ""),
    ("https://mikko.example/1", "Mikko Niemi", "Kiitos! Tulokset tammikuussa.", "https://aino.example/1"),
    ("https://aino.example/2", "Aino Esimerkki", "Erinomaista, kerron eteenpäin.", "https://mikko.example/1"),
    ("https://erik.example/1", "Erik Lindqvist", "Samma behov finns i Sverige.", ""),
    ("https://liisa.example/1", "Liisa Korhonen", "", ""),
)  # fmt: skip


def seed_thread(settings: Settings, target: str) -> None:
    """THEME_REPLIES on `target`, verified and approved through the store."""
    database = connect(settings.database_path)
    try:
        for number, (source, author, text, parent) in enumerate(THEME_REPLIES):
            request = MentionRequest(source=source, target=target, site="main")
            mention = verification_queue.enqueue(database, request, now=1_794_000_000 + number)
            entry = SourceEntry(
                url=source, final_url=source,
                kind=MentionKind.REPLY if text else MentionKind.LIKE,
                author=Author(name=author, url=source.rsplit("/", 1)[0] + "/"),
                published="", name="", content_html=f"<p>{text}</p>" if text else "",
                content_text=text, title="", excerpt="", in_reply_to=parent,
            )  # fmt: skip
            store.save_verified(
                database, mention.id, entry, status=MentionStatus.APPROVED, reason="", now=1.0
            )
    finally:
        database.close()


class StaticHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Tests read results, not access logs."""


@dataclass(frozen=True)
class ServedBuild:
    """A real build of the project, served over HTTP on 127.0.0.1 at the URL it was built for."""

    settings: Settings
    base_url: str
    report: BuildReport

    def site_url(self, name: str, path: str = "") -> str:
        """The absolute URL of `path` on site `name` ("main" or a pilot slug)."""
        return f"{self.settings.site(name).siteurl}/{path}"

    def site_file(self, name: str, path: str = "") -> Path:
        """The built file behind `path` (a folder URL gives its index.html)."""
        target = self.settings.site_output(self.settings.site(name)) / path
        return target / "index.html" if path == "" or path.endswith("/") else target


def set_pilot_language(root: Path, pilot: str, lang: str) -> None:
    config = root / "pilots" / pilot / "pilot.toml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"^language\s*=.*$", f'language = "{lang}"', text, flags=re.MULTILINE)
    if not count:
        text = f'language = "{lang}"\n{text}'
    config.write_text(text, encoding="utf-8")


def theme_project(destination: Path, **environ: str) -> Settings:
    """A copy of the project with pilots in THEME_SITE_LANGUAGES and THEME_POST on every site."""
    root = copy_project(destination)
    for name, lang in THEME_SITE_LANGUAGES.items():
        if name != "main":
            set_pilot_language(root, name, lang)
    settings = project_settings(root, **environ)
    for site in settings.sites:
        post = site.content_dir / THEME_POST_FILE
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(THEME_POST, encoding="utf-8")
    return settings
