"""What a build cache depends on besides the posts: a change to any of it means a full build.

The versions of Alusta (and its code), Pelican and Python; the theme, plugins and
translations; pelicanconf.py and every pilot.toml; the site's forms and static files; and
the site's Pelican settings themselves (which carry every Settings value a page can show).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import alusta
from alusta.settings import Settings
from alusta.sites import Site

STATIC_FOLDERS = ("images", "files", "forms")  # beside posts/ and pages/ in a content folder
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", ".git"})
VARYING_SETTINGS = frozenset({"OUTPUT_PATH"})  # a staging folder of its own each build
BUILD_CACHE_FOLDER = "build-cache"  # var/build-cache/<site>/


@dataclass(frozen=True)
class CachePlan:
    """Where a site's cache lives, what it must match, and the output it describes."""

    folder: Path  # var/build-cache/<site>
    fingerprint: str
    installed: Path  # the site's output in place
    full: bool = False  # `build --full`: ignore the cache (and write a new one)


def cache_plans(
    settings: Settings, sites: list[Site], confs: dict[str, dict[str, Any]], *, full: bool
) -> dict[str, CachePlan]:
    """The caches of `sites`, built with Pelican settings `confs[name]` (`full`: ignore them).

    The code, theme, plugins and configuration are the same for every site: read once.
    """
    shared = shared_fingerprint(settings)
    return {
        site.name: CachePlan(
            folder=settings.var_dir / BUILD_CACHE_FOLDER / site.name,
            fingerprint=site_fingerprint(shared, site, confs[site.name]),
            installed=settings.site_output(site),
            full=full,
        )
        for site in sites
    }


def shared_fingerprint(settings: Settings) -> bytes:
    """A digest of what every site's pages depend on besides their own content and settings."""
    digest = hashlib.sha256()
    for name in ("alusta", "pelican"):
        digest.update(f"{name} {_version(name)}\n".encode())
    digest.update(f"python {sys.version}\n".encode())
    code = Path(alusta.__file__).parent
    for folder in (code, settings.theme_dir, settings.plugins_dir, settings.translations_dir):
        _add_contents(digest, folder, _files(folder))
    configs = [settings.root / "pelicanconf.py"]
    configs += [s.folder / "pilot.toml" for s in settings.sites if s.folder]
    _add_contents(digest, settings.root, [p for p in configs if p.is_file()])
    return digest.digest()


def site_fingerprint(shared: bytes, site: Site, conf: dict[str, Any]) -> str:
    """A digest of everything besides its posts and pages that one site's pages depend on:
    `shared` (see shared_fingerprint), its static files and its Pelican settings."""
    digest = hashlib.sha256(shared)
    for folder in STATIC_FOLDERS:
        _add_stamps(digest, site.content_dir, _files(site.content_dir / folder))
    settings_text = {k: v for k, v in sorted(conf.items()) if k not in VARYING_SETTINGS}
    digest.update(_stable(settings_text).encode())
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _files(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted; none when it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not SKIPPED_FOLDERS.intersection(p.relative_to(folder).parts)
    )


def _add_contents(digest: Any, base: Path, files: Iterable[Path]) -> None:
    for path in files:
        digest.update(f"{path.relative_to(base).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _add_stamps(digest: Any, base: Path, files: Iterable[Path]) -> None:
    """Size and modification time: static files may be large, and a touched one rebuilds."""
    for path in files:
        stat = path.stat()
        digest.update(
            f"{path.relative_to(base).as_posix()} {stat.st_size} {stat.st_mtime_ns}\n".encode()
        )


def _stable(value: object) -> str:
    """A text of a settings value that is the same in every process (no object addresses)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return "[" + ",".join(_stable(v) for v in items) + "]"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return repr(value)
