"""The build manifest: every page URL of every site's last successful build.

The endpoint accepts a Webmention only for a target that is a page we published
(W3C Webmention §3.2.1 lets a receiver reject targets it does not serve); pilots on
their own domains are listed too, so one manifest answers for all sites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alusta.send.gone import GONE_META
from alusta.settings import Settings
from alusta.urls import normalize_url

HEAD_BYTES = 1024  # the 410 marker sits in the first lines of a page


@dataclass(frozen=True)
class Manifest:
    """The pages of the last build, keyed by normalised URL."""

    sites: dict[str, dict[str, Any]]
    built_at: str = ""

    def site_for(self, url: str) -> str | None:
        """The name of the site whose SITEURL the URL lies under (longest match wins)."""
        key = normalize_url(url)
        best, best_length = None, -1
        for name, site in self.sites.items():
            base = normalize_url(site["siteurl"].rstrip("/") + "/")
            if key.startswith(base) and len(base) > best_length:
                best, best_length = name, len(base)
        return best

    def has_page(self, url: str) -> bool:
        key = normalize_url(url)
        return any(key in _page_keys(site) for site in self.sites.values())


_KEY_CACHE: dict[int, frozenset[str]] = {}


def _page_keys(site: dict[str, Any]) -> frozenset[str]:
    cache_key = id(site)
    if cache_key not in _KEY_CACHE:
        _KEY_CACHE[cache_key] = frozenset(normalize_url(u) for u in site["pages"])
    return _KEY_CACHE[cache_key]


def _is_gone(path: Path) -> bool:
    """A page left at a deleted post's address is not a page anyone may mention."""
    with path.open("rb") as file:
        return GONE_META.encode() in file.read(HEAD_BYTES)


def page_urls(siteurl: str, output: Path, *, exclude: tuple[Path, ...] = ()) -> list[str]:
    """Absolute URLs of every live HTML page under `output` (index.html also as its folder)."""
    urls = []
    for path in sorted(output.rglob("*.html")):
        if any(path.is_relative_to(e) for e in exclude) or _is_gone(path):
            continue
        relative = path.relative_to(output).as_posix()
        urls.append(f"{siteurl}/{relative}")
        if path.name == "index.html":
            urls.append(f"{siteurl}/{relative.removesuffix('index.html')}")
    return urls


def load_manifest(settings: Settings) -> Manifest:
    """The manifest of the last build, or an empty one before the first build."""
    try:
        data = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(sites={})
    return Manifest(sites=data.get("sites", {}), built_at=data.get("built_at", ""))


def update_manifest(settings: Settings, built: list[str]) -> Manifest:
    """Record the pages of the sites just built; other sites keep their last entry."""
    sites = dict(load_manifest(settings).sites)
    pilots_dir = settings.output_dir / "pilots"
    for name in built:
        site = settings.site(name)
        output = settings.site_output(site)
        exclude = (pilots_dir,) if site.is_main else ()
        sites[name] = {
            "siteurl": site.siteurl,
            "output": str(output),
            "pages": page_urls(site.siteurl, output, exclude=exclude),
        }
    manifest = Manifest(sites=sites, built_at=datetime.now(UTC).isoformat(timespec="seconds"))
    path = settings.manifest_path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"built_at": manifest.built_at, "sites": sites}, indent=1), encoding="utf-8"
    )
    temporary.replace(path)
    return manifest
