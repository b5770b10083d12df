"""Which sites a change affects: the smallest rebuild that leaves every site consistent.

A post of a pilot is listed on the main front page (PILOT_LATEST), the theme, plugins and
settings shape every site, and each site's menu names every pilot (pilot.toml titles).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from alusta.settings import Settings

SHARED_PARTS = ("theme", "plugins", "pelicanconf.py")
# Changes that alter the settings or the plugins' code: new settings and new build processes.
RELOAD_PARTS = ("plugins", "pelicanconf.py")
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")
IGNORED_PREFIXES = (".#", "#", ".")


def watched_paths(settings: Settings) -> list[Path]:
    """What serve watches: every site's sources, the theme, plugins and the settings."""
    root = settings.root
    paths = [root / part for part in SHARED_PARTS]
    paths += [site.content_dir for site in settings.sites]
    paths.append(root / "pilots")
    return [p for p in dict.fromkeys(paths) if p.exists()]


def relevant(path: Path) -> bool:
    """Editors' swap, backup and lock files are not content."""
    name = path.name
    return not name.endswith(IGNORED_SUFFIXES) and not name.startswith(IGNORED_PREFIXES)


def affected_sites(settings: Settings, changed: Iterable[Path]) -> list[str]:
    """Names of the sites to rebuild for `changed` files, in build order (main first)."""
    names: set[str] = set()
    root = settings.root.resolve()
    pilots = {site.name: site for site in settings.sites if not site.is_main}
    for path in (Path(p).resolve() for p in changed):
        if not relevant(path) or not path.is_relative_to(root):
            continue
        parts = path.relative_to(root).parts
        if parts[0] in SHARED_PARTS or (parts[0] == "pilots" and parts[-1] == "pilot.toml"):
            return [site.name for site in settings.sites]
        if parts[0] == "pilots" and len(parts) > 1 and parts[1] in pilots:
            names.update((parts[1], settings.main.name))
        elif path.is_relative_to(settings.main.content_dir.resolve()):
            names.add(settings.main.name)
    return [site.name for site in settings.sites if site.name in names]


@dataclass(frozen=True)
class Change:
    """What one batch of saved files asks of the preview."""

    sites: list[str]
    render_all: bool = False  # the theme or settings changed: every page may look different
    reload_settings: bool = False  # pelicanconf.py, a pilot.toml or plugin code changed


def classify(settings: Settings, changed: Iterable[Path]) -> Change:
    """The sites to rebuild for `changed`, and whether everything must be rendered again."""
    paths = [Path(p).resolve() for p in changed]
    root = settings.root.resolve()
    parts = [p.relative_to(root).parts for p in paths if relevant(p) and p.is_relative_to(root)]
    reload_settings = any(
        part[0] in RELOAD_PARTS or (part[0] == "pilots" and part[-1] == "pilot.toml")
        for part in parts
    )
    render_all = reload_settings or any(part[0] == "theme" for part in parts)
    return Change(affected_sites(settings, paths), render_all, reload_settings)
