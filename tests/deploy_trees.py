"""Small built-looking trees and a tiny project for the deploy tests.

A "version" of a site is a few pages, a fingerprinted stylesheet and images: version 2
changes the stylesheet (a new fingerprint, the old file gone), rewrites and removes pages
and replaces images, so a deploy applied in the wrong order leaves pages pointing at
missing files.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

from alusta.deploy.plan import Plan, Step
from alusta.settings import Settings, load_settings

PAGES_PER_VERSION = 8


def project_root(root: Path, *, main_deploy: str = "", beta_deploy: str = "") -> Path:
    """A project with the main site, an in-tree pilot `alpha` and an own-domain pilot `beta`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "pelicanconf.py").write_text(
        textwrap.dedent(f"""\
            SITENAME = "Testi"
            SITEURL = "https://alusta.example"
            ALUSTA_SITE = {{"name": "Testi", "deploy": {main_deploy!r}}}
            """),
        encoding="utf-8",
    )
    for slug, extra in (("alpha", ""), ("beta", BETA_CONFIG.format(deploy=beta_deploy))):
        folder = root / "pilots" / slug
        (folder / "content").mkdir(parents=True, exist_ok=True)
        (folder / "pilot.toml").write_text(f'name = "{slug}"\n{extra}', encoding="utf-8")
    return root


BETA_CONFIG = 'siteurl = "https://beta.example"\noutput = "output-beta"\ndeploy = "{deploy}"\n'


def settings_for(root: Path) -> Settings:
    return load_settings(root, environ={})


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def write_site(folder: Path, version: int, *, pages: int = PAGES_PER_VERSION) -> None:
    """Replace `folder`'s files (sub-sites' folders under pilots/ are kept) with `version`."""
    for path in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
        if "pilots" in path.relative_to(folder).parts[:1]:
            continue
        if path.is_file():
            path.unlink()
        elif not any(path.iterdir()):
            path.rmdir()
    css = f"body {{ color: #{version}{version}3; }}\n".encode()
    css_name = f"theme/css/style.{_digest(css)}.css"
    files: dict[str, bytes] = {
        css_name: css,
        "images/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>\n',  # same in every version
        "robots.txt": b"User-agent: *\n",
    }
    first = version - 1  # version 2 drops page 0 and adds a new last page
    for number in range(first, first + pages):
        image = f"images/photo-{number}-v{version}.png"
        files[image] = bytes([version, number]) * 2048
        files[f"posts/post-{number}.html"] = page_html(version, number, [css_name, image], "../")
    files["index.html"] = page_html(version, 99, [css_name], "")
    files["feeds/all.atom.xml"] = f"<feed><title>v{version}</title></feed>\n".encode()
    for key, data in files.items():
        path = folder / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def page_html(version: int, number: int, assets: list[str], up: str) -> bytes:
    links = "".join(
        f'<link rel="stylesheet" href="{up}{a}">' if a.endswith(".css") else f'<img src="{up}{a}">'
        for a in assets
    )
    return f"<!doctype html><title>v{version} {number}</title>{links}\n".encode()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (posix path → bytes), for comparing trees exactly."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def folders(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_dir() and ".git" not in p.relative_to(folder).parts
    }


def asset_references(html: bytes) -> list[str]:
    """Stylesheets, icons, images and scripts a page needs (not the pages it links to)."""
    soup = BeautifulSoup(html, "html.parser")
    found = [
        tag["href"]
        for tag in soup.find_all("link", href=True)
        if {"stylesheet", "icon"} & set(tag.get("rel", []))
    ]
    found += [tag["src"] for tag in soup.find_all(["img", "script", "source"], src=True)]
    return found


def missing_assets(files: dict[str, bytes], siteurl: str = "") -> list[str]:
    """`page → asset` for every asset an HTML page needs that is not in `files`.

    Relative references and absolute ones under `siteurl` are checked; others are not ours.
    """
    missing = []
    for key, data in files.items():
        if not key.endswith(".html"):
            continue
        base = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        for found in asset_references(data):
            reference = found.split("#")[0].split("?")[0]
            if siteurl and reference.startswith(siteurl + "/"):
                resolved = _resolve(reference.removeprefix(siteurl + "/"))
            elif reference.startswith(("/", "data:")) or "://" in reference:
                continue
            else:
                resolved = _resolve(base + reference)
            if resolved not in files:
                missing.append(f"{key} → {resolved}")
    return missing


def _resolve(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def built_project(root: Path, *, version: int = 1, **deploys: str) -> Settings:
    """A project whose three sites are 'built' at `version`."""
    settings = settings_for(project_root(root, **deploys))
    for site in settings.sites:
        write_site(settings.site_output(site), version)
    return settings


class Recorder:
    """Progress that remembers every step in the order it was done."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.keys: list[str] = []
        self.plans: list[Plan] = []

    def begin(self, label: str, plan: Plan) -> None:
        self.labels.append(label)
        self.plans.append(plan)

    def advance(self, step: Step) -> None:
        self.keys.append(step.key)
