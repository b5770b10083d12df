"""Links between our own sites: `{site:main}/posts/x.md` in a pilot post, and back.

Pelican knows one site per run, so its `{filename}` cannot reach another site's file. A
writer names the site instead; the build replaces the reference with that post's public
address (read from the file's metadata the way `check` reads it), and `check` says when the
site or the file does not exist, or the file is a draft that will not be published.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from alusta.content import ARTICLE_DIR, read_source
from alusta.sites import Site
from alusta.suggest import did_you_mean

# Set by plugins/alusta_sites on a post or page with references: the names of the sites it
# links to. Such a post is read again in every preview run (alusta.preview.engine).
LINKS_ATTRIBUTE = "alusta_links_to_sites"
SITE_REFERENCE = re.compile(r"\{site:(?P<site>[A-Za-z0-9_-]*)\}(?P<path>/?[^\s\"'<>)#?]*)")


class CrossSiteError(Exception):
    """A `{site:…}` reference that names no site, no file, or a draft."""


@dataclass(frozen=True)
class SiteFolder:
    """What resolving a reference needs of a site: its address and its content folder."""

    name: str
    siteurl: str
    content_dir: Path


def site_folders(sites: list[Site]) -> dict[str, SiteFolder]:
    return {s.name: SiteFolder(s.name, s.siteurl, s.content_dir) for s in sites}


def resolve(reference: str, sites: Mapping[str, SiteFolder]) -> str:
    """The public address `{site:NAME}/posts/x.md` stands for; CrossSiteError otherwise."""
    match = SITE_REFERENCE.fullmatch(reference)
    if match is None:
        raise CrossSiteError(f"{reference!r} is not written like {{site:main}}/posts/file.md")
    name, path = match["site"], match["path"].lstrip("/")
    if name not in sites:
        raise CrossSiteError(
            f"{reference!r}: unknown site {name!r}{did_you_mean(name, sites, quote=chr(39))} "
            f"(sites: {', '.join(sorted(sites))})"
        )
    folder = sites[name]
    file = (folder.content_dir / path).resolve()
    if not file.is_relative_to(folder.content_dir.resolve()) or not file.is_file():
        raise CrossSiteError(f"{reference!r}: site {name!r} has no file {path!r}")
    kind = "article" if Path(path).parts[:1] == (ARTICLE_DIR,) else "page"
    site = Site(name, "", "", "fi", folder.siteurl, folder.content_dir)
    source = read_source(file, site, kind)
    if source.status == "draft" or not source.url:
        raise CrossSiteError(f"{reference!r}: {path!r} of site {name!r} is a draft or has no date")
    return f"{folder.siteurl}/{source.url}"


def referenced_sites(html: str) -> list[str]:
    """The names of the sites `html` refers to with `{site:…}`, sorted."""
    return sorted({match["site"] for match in SITE_REFERENCE.finditer(html)})


def replace_references(html: str, sites: Mapping[str, SiteFolder]) -> tuple[str, list[str]]:
    """`html` with every `{site:…}` reference replaced, and the problems of those it could not."""
    problems: list[str] = []

    def one(match: re.Match[str]) -> str:
        try:
            return resolve(match[0], sites)
        except CrossSiteError as error:
            problems.append(str(error))
            return match[0]

    return SITE_REFERENCE.sub(one, html), problems
