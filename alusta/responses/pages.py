"""The page index: what the build leaves in var/ so one page can be re-rendered alone.

Pelican renders whole sites only. For each article and page, the build records the
little the responses fragment depends on (URL, output path, language) plus the site's
URL and endpoint, in `var/responses/<site>.json`; `refresh` reads it instead of Pelican.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from alusta.errors import AlustaError

INDEX_FOLDER = "responses"
FORMAT_VERSION = 1
RESPONSES_ON = "on"  # a page's `Responses: on` metadata


def page_wants_responses(metadata: dict[str, object]) -> bool:
    """Posts always show responses; a page only when its writer asks (`Responses: on`),
    so an about page carries no "no responses yet" and no reply form."""
    return str(metadata.get("responses", "")).strip().lower() == RESPONSES_ON


class IndexMissing(AlustaError):
    """No page index for a site: it was not built with the alusta_mentions plugin yet."""


@dataclass(frozen=True)
class PageRecord:
    """One built page that shows responses."""

    url: str  # canonical absolute URL
    path: str  # the HTML file, relative to the site's output folder
    lang: str  # the page's UI language


@dataclass(frozen=True)
class SiteIndex:
    """Every page of one site's last build, keyed by normalised URL."""

    site: str
    siteurl: str
    endpoint_url: str
    pages: dict[str, PageRecord] = field(default_factory=dict)


def index_path(var_dir: Path, site: str) -> Path:
    return var_dir / INDEX_FOLDER / f"{site}.json"


def write_index(var_dir: Path, index: SiteIndex) -> Path:
    """Write the index atomically (a reader sees the old one or the new one)."""
    path = index_path(var_dir, index.site)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": FORMAT_VERSION, **asdict(index)}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
    return path


def load_index(var_dir: Path, site: str) -> SiteIndex:
    """The index the last build of `site` wrote."""
    path = index_path(var_dir, site)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise IndexMissing(f"{path}: no page index; build site {site!r} first") from error
    except ValueError as error:
        raise IndexMissing(f"{path}: unreadable page index ({error}); rebuild") from error
    if data.get("version") != FORMAT_VERSION:
        raise IndexMissing(f"{path}: page index of another version; rebuild")
    pages = {key: PageRecord(**record) for key, record in data["pages"].items()}
    return SiteIndex(
        site=data["site"], siteurl=data["siteurl"], endpoint_url=data["endpoint_url"], pages=pages
    )
