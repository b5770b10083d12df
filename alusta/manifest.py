"""The build manifest: every page URL of every site's last successful build.

The endpoint accepts a Webmention only for a target that is a page we published
(W3C Webmention §3.2.1 lets a receiver reject targets it does not serve); pilots on
their own domains are listed too, so one manifest answers for all sites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from alusta.send.gone import GONE_META
from alusta.settings import Settings
from alusta.urls import normalize_url

HEAD_BYTES = 1024  # the 410 marker sits in the first lines of a page


@dataclass(frozen=True)
class Manifest:
    """The pages of the last build; lookups take any spelling of a URL (normalize_url)."""

    sites: dict[str, dict[str, Any]]
    built_at: str = ""

    @cached_property
    def page_keys(self) -> frozenset[str]:
        """The normalised URL of every page of every site."""
        return frozenset(normalize_url(u) for site in self.sites.values() for u in site["pages"])

    @cached_property
    def site_bases(self) -> tuple[tuple[str, str], ...]:
        """(normalised base URL, site name), longest base first so pilots win over main."""
        bases = [
            (normalize_url(site["siteurl"].rstrip("/") + "/"), name)
            for name, site in self.sites.items()
        ]
        return tuple(sorted(bases, key=lambda pair: len(pair[0]), reverse=True))

    def site_for_key(self, key: str) -> str | None:
        """The site whose base URL a normalised URL lies under."""
        return next((name for base, name in self.site_bases if key.startswith(base)), None)

    def site_for(self, url: str) -> str | None:
        """The name of the site whose SITEURL the URL lies under (longest match wins)."""
        return self.site_for_key(normalize_url(url))

    def has_page(self, url: str) -> bool:
        return normalize_url(url) in self.page_keys


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
