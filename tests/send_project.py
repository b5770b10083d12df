"""A tiny Alusta project for the sending tests: a main blog and one pilot, built for real.

The posts link to fake targets on 127.0.0.1 (tests/send_servers.py); the sites' own
SITEURL is a name that is never fetched, so links between them must not go over HTTP.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from alusta.build import build_sites
from alusta.settings import Settings
from tests.project import copy_project, project_settings

MAIN_URL = "http://alusta.test"
PILOT = "rajalla"


@dataclass
class SendProject:
    """A project folder whose posts a test writes, edits and deletes, then builds."""

    root: Path

    @property
    def posts(self) -> Path:
        return self.root / "content" / "posts"

    @property
    def pilot_posts(self) -> Path:
        return self.root / "pilots" / PILOT / "content" / "posts"

    def settings(self, **environ: str) -> Settings:
        return project_settings(self.root, **environ)

    def write_post(
        self,
        slug: str,
        body: str,
        *,
        pilot: bool = False,
        status: str = "published",
        day: int = 1,
    ) -> Path:
        folder = self.pilot_posts if pilot else self.posts
        path = folder / f"2026-10-{day:02d}-{slug}.md"
        path.write_text(
            f"Title: Post {slug}\nDate: 2026-10-{day:02d} 10:00\nCategory: Testit\n"
            f"Author: Testaaja\nSlug: {slug}\nStatus: {status}\n"
            f"Summary: Testikirjoitus {slug}.\n\n{body}\n",
            encoding="utf-8",
        )  # fmt: skip
        return path

    def delete_post(self, slug: str, *, pilot: bool = False) -> None:
        folder = self.pilot_posts if pilot else self.posts
        for path in folder.glob(f"*-{slug}.md"):
            path.unlink()

    def build(self) -> Settings:
        settings = self.settings()
        build_sites(settings)
        return settings


def post_url(slug: str, *, pilot: bool = False) -> str:
    base = f"{MAIN_URL}/pilots/{PILOT}" if pilot else MAIN_URL
    return f"{base}/2026/10/{slug}/"


def make_project(destination: Path) -> SendProject:
    """A copy of the project with one pilot, no example posts and a test SITEURL."""
    root = copy_project(destination)
    for pilot in (root / "pilots").iterdir():
        if pilot.name != PILOT:
            shutil.rmtree(pilot)
    for folder in (root / "content" / "posts", root / "pilots" / PILOT / "content" / "posts"):
        shutil.rmtree(folder)
        folder.mkdir()
    conf = root / "pelicanconf.py"
    text = re.sub(r"^SITEURL = .*$", f'SITEURL = "{MAIN_URL}"', conf.read_text(), flags=re.M)
    conf.write_text(text, encoding="utf-8")
    return SendProject(root)
